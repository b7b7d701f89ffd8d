/** Lists, signals, metrics timelines and live progress. */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { SignalSchema } from "@flyteidl/admin/signal_pb.ts";
import { SpanSchema } from "@flyteidl/core/metrics_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  LiveDisplay,
  progressLine,
  renderExecutionList,
  renderList,
  renderProgress,
  renderSignals,
  renderSpans,
} from "../../src/display/mod.ts";
import { toLiteral } from "../../src/types/mod.ts";
import { execId, execution, T0 } from "./display_fixtures.ts";

const EVIL = `<img src=x onerror=alert(1)>`;
const ts = (ms: number) => ({
  seconds: BigInt(Math.floor(ms / 1000)),
  nanos: (ms % 1000) * 1e6,
});

Deno.test("display lists: executions as a table with console links; any list as rows", () => {
  const items = Array.from(
    { length: 250 },
    () => execution(0, WorkflowExecution_Phase.SUCCEEDED),
  );
  const b = renderExecutionList(items);
  assertStringIncludes(b["text/html"], "<h3>250 executions</h3>");
  assertStringIncludes(b["text/html"], `href="${items[0].consoleUrl}"`);
  assertStringIncludes(b["text/html"], "… 50 more rows (250 in all)");
  assertEquals(b["text/plain"].split("\n").length, 51);
  const sym = Symbol.for("Jupyter.display");
  const rich = { [sym]: () => ({ "text/plain": EVIL, "text/html": "" }) };
  const l = renderList([rich, { a: EVIL }, 3], "things");
  assertStringIncludes(l["text/html"], "things: 3 items");
  assert(!l["text/html"].includes("<img"));
});

Deno.test("display signals: type and value, or waiting", () => {
  const bool = { type: { case: "simple" as const, value: SimpleType.BOOLEAN } };
  const b = renderSignals([
    create(SignalSchema, {
      id: { signalId: "approve", executionId: execId },
      type: bool,
    }),
    create(SignalSchema, {
      id: { signalId: EVIL, executionId: execId },
      type: bool,
      value: toLiteral(true),
    }),
  ]);
  assertStringIncludes(b["text/html"], "WAITING");
  assertStringIncludes(b["text/html"], "<code>true</code>");
  assert(!b["text/html"].includes("<img"));
  assertEquals(
    b["text/plain"].split("\n")[0],
    "signal approve (bool): waiting",
  );
});

Deno.test("display spans: a timeline with offsets, durations and bars", () => {
  const root = create(SpanSchema, {
    id: { case: "workflowId", value: execId },
    startTime: ts(T0),
    endTime: ts(T0 + 10_000),
    spans: [
      {
        id: { case: "nodeId", value: { nodeId: "n1", executionId: execId } },
        startTime: ts(T0 + 5_000),
        endTime: ts(T0 + 10_000),
      },
      {
        id: { case: "nodeId", value: { nodeId: "n0", executionId: execId } },
        startTime: ts(T0),
        endTime: ts(T0 + 5_000),
        spans: [{
          id: { case: "operationId", value: EVIL },
          startTime: ts(T0),
          endTime: ts(T0 + 100),
        }],
      },
    ],
  });
  const b = renderSpans(root);
  assertStringIncludes(b["text/html"], "left:50.00%;width:50.00%");
  assert(!b["text/html"].includes("<img"));
  assertEquals(b["text/plain"].split("\n"), [
    "f1a2b3 +0 ms 10.0 s",
    "  n0 +0 ms 5.0 s",
    `    ${EVIL} +0 ms 100 ms`,
    "  n1 +5.0 s 5.0 s",
  ]);
});

Deno.test("display progress: counts by phase, elapsed time and running nodes", () => {
  const e = execution(20);
  const nodes = [...(e.nodeExecutions as Map<string, { raw: never }>).values()]
    .map((n) => n.raw);
  const b = renderProgress(e.raw, nodes, T0 + 3_000);
  assertStringIncludes(b["text/html"], "18/20 nodes done");
  assertStringIncludes(
    b["text/html"],
    "running: <code>n9</code>, <code>n19</code>",
  );
  assertEquals(
    progressLine(e.raw, nodes, T0 + 3_000),
    "f1a2b3 RUNNING 3.0 s · 18/20 nodes · running n9, n19",
  );
});

Deno.test("display progress: outside a notebook and a terminal nothing is drawn", async () => {
  const live = new LiveDisplay();
  // The test runner's stderr is not a TTY (CI) — then no target; forced "none" never draws.
  const off = new LiveDisplay({ target: "none" });
  assertEquals(off.enabled, false);
  await off.update({ "text/plain": "x", "text/html": "" });
  await off.close();
  assert(["tty", "none"].includes(live.target));
});
