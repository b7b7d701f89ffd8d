import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SpanSchema } from "@flyteidl/core/metrics_pb.ts";
import { explainSpan, toExecutionSpan } from "../../src/remote/metrics.ts";

const at = (ms: number) =>
  timestampFromDate(new Date(Date.UTC(2024, 0, 1) + ms));

Deno.test("metrics: a span tree becomes plain objects in start order, explained as text", () => {
  const span = create(SpanSchema, {
    startTime: at(0),
    endTime: at(2500),
    id: {
      case: "workflowId",
      value: { project: "p", domain: "d", name: "exec1" },
    },
    spans: [
      {
        startTime: at(900),
        endTime: at(2400),
        id: {
          case: "nodeId",
          value: { nodeId: "n1", executionId: { name: "exec1" } },
        },
        spans: [{
          startTime: at(1000),
          endTime: at(2300),
          id: {
            case: "taskId",
            value: { taskId: { name: "my.task" }, retryAttempt: 1 },
          },
        }],
      },
      {
        startTime: at(100),
        endTime: at(150),
        id: { case: "operationId", value: "INITIALIZING" },
      },
    ],
  });
  const root = toExecutionSpan(span);
  assertEquals(root.kind, "workflow");
  assertEquals(root.label, "p/d/exec1");
  assertEquals(root.durationMs, 2500);
  assertEquals(root.children.map((c) => c.kind), ["operation", "node"]);
  assertEquals(root.children[1].children[0].label, "my.task attempt 1");
  const text = explainSpan(root);
  const lines = text.split("\n");
  assertEquals(lines.length, 5);
  assertStringIncludes(lines[1], "2.500s");
  assertStringIncludes(lines[1], "workflow p/d/exec1");
  assertStringIncludes(lines[2], "+100ms");
  assertStringIncludes(lines[2], "  operation INITIALIZING");
  assertStringIncludes(lines[4], "+1.000s");
  assertStringIncludes(lines[4], "    task my.task attempt 1");
});
