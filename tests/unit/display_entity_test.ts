/** Tasks, workflows (with their SVG graph) and launch plans as mime bundles. */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
import { WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  LaunchPlanSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  MAX_GRAPH_NODES,
  renderLaunchPlan,
  renderTask,
  renderWorkflow,
  workflowGraphSvg,
} from "../../src/display/mod.ts";
import { toLiteral } from "../../src/types/mod.ts";

const EVIL = `<img src=x onerror=alert(1)>`;
const INT = { type: { case: "simple" as const, value: SimpleType.INTEGER } };
const id = (resourceType: ResourceType, name: string) => ({
  resourceType,
  project: "p",
  domain: "d",
  name,
  version: "v1",
});
const iface = {
  inputs: { variables: { n: { type: INT, description: EVIL } } },
  outputs: { variables: { o0: { type: INT } } },
};

function wfNode(nodeId: string, ups: string[], inputFrom?: string) {
  return {
    id: nodeId,
    metadata: { name: `wf.${nodeId === "n1" ? EVIL : "double"}` },
    upstreamNodeIds: ups,
    inputs: inputFrom
      ? [{
        var: "n",
        binding: {
          value: {
            case: "promise" as const,
            value: { nodeId: inputFrom, var: "o0" },
          },
        },
      }]
      : [],
  };
}

Deno.test("display entity: a task shows its id, version, container and interface, escaped", () => {
  const task = create(TaskSchema, {
    id: id(ResourceType.TASK, EVIL),
    closure: {
      compiledTask: {
        template: {
          type: "raw-container",
          interface: iface,
          target: {
            case: "container",
            value: { image: "debian", command: ["sh", "-c", `echo ${EVIL}`] },
          },
          metadata: { retries: { retries: 2 } },
        },
      },
    },
  });
  const b = renderTask(
    task,
    "http://c/console/projects/p/domains/d/task/x/version/v1",
  );
  const h = b["text/html"];
  assert(!h.includes("<img"));
  assertStringIncludes(h, "<code>v1</code>");
  assertStringIncludes(h, "debian sh -c echo &lt;img");
  assertStringIncludes(h, "<td><code>n</code></td><td><code>int</code></td>");
  assertStringIncludes(h, "<td>retries</td><td>2</td>");
  assertEquals(
    b["text/plain"].split("\n")[0],
    `Task p/d/${EVIL}@v1 (n: int) -> (o0: int)`,
  );
});

Deno.test("display entity: a workflow draws its nodes as inline SVG, layered by dependencies", () => {
  const wf = create(WorkflowSchema, {
    id: id(ResourceType.WORKFLOW, "wf"),
    closure: {
      compiledWorkflow: {
        primary: {
          template: {
            interface: iface,
            nodes: [
              wfNode("n0", [], "start-node"),
              wfNode("n1", ["n0"]),
              wfNode("n2", [], "n0"),
            ],
            outputs: [{
              var: "o0",
              binding: {
                value: { case: "promise", value: { nodeId: "n1", var: "o0" } },
              },
            }],
          },
        },
      },
    },
  });
  const b = renderWorkflow(wf, "", { n0: "SUCCEEDED" });
  const h = b["text/html"];
  assertStringIncludes(h, "<h4>Graph</h4><svg");
  assertEquals((h.match(/<rect /g) ?? []).length, 10); // start, n0, n1, n2, end: a background and a tinted box each
  assertEquals((h.match(/<path d="M/g) ?? []).length, 5); // start->n0, n0->n1, n0->n2, n1->end + arrow marker
  assert(!h.includes("<img"));
  assertStringIncludes(h, "#2da44e"); // n0 coloured as succeeded
  assertStringIncludes(b["text/plain"], "3 nodes");
  // n1 and n2 sit in the column after n0.
  const xs = [
    ...h.matchAll(/<title>(n\d)[^<]*<\/title><rect class="fd-nb" x="(\d+)"/g),
  ].map((
    m,
  ) => [m[1], Number(m[2])]);
  const x = Object.fromEntries(xs);
  assert(x.n1 > x.n0 && x.n1 === x.n2, JSON.stringify(x));
});

Deno.test("display entity: a graph too big to draw is a note", () => {
  const nodes = Array.from(
    { length: MAX_GRAPH_NODES + 1 },
    (_, i) => create(NodeSchema, { id: `n${i}` }),
  );
  const svg = workflowGraphSvg(nodes);
  assertStringIncludes(svg, "too many to draw");
});

Deno.test("display entity: a launch plan shows state, schedule, defaults and fixed inputs", () => {
  const lp = create(LaunchPlanSchema, {
    id: id(ResourceType.LAUNCH_PLAN, "nightly"),
    spec: {
      workflowId: id(ResourceType.WORKFLOW, "wf"),
      entityMetadata: {
        schedule: {
          ScheduleExpression: {
            case: "cronSchedule",
            value: { schedule: "0 3 * * *" },
          },
        },
      },
      fixedInputs: { literals: { region: toLiteral(EVIL) } },
    },
    closure: {
      state: LaunchPlanState.ACTIVE,
      expectedInputs: {
        parameters: {
          n: {
            var: { type: INT },
            behavior: { case: "default", value: toLiteral(3) },
          },
        },
      },
      expectedOutputs: iface.outputs,
    },
  });
  const b = renderLaunchPlan(lp);
  assertStringIncludes(b["text/html"], "<td>state</td><td>ACTIVE</td>");
  assertStringIncludes(b["text/html"], "0 3 * * *");
  assertStringIncludes(b["text/html"], "<h4>Fixed inputs</h4>");
  assert(!b["text/html"].includes("<img"));
  assertEquals(
    b["text/plain"],
    "Launch plan p/d/nightly@v1 ACTIVE (0 3 * * *) (n: int = 3)",
  );
});
