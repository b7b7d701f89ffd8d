/**
 * The node-tree walk of syncExecution and the wait loop, over real gRPC
 * against a small AdminService on loopback answering from a recorded
 * execution tree that has every node kind: task, sub-workflow,
 * launch plan (child execution), dynamic, branch, gate, array and failure
 * nodes. Counts calls and the peak number in flight.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import {
  type Client,
  type ConnectRouter,
  createClient,
} from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import {
  type Execution,
  ExecutionSchema,
  WorkflowExecutionGetDataResponseSchema,
} from "@flyteidl/admin/execution_pb.ts";
import {
  type NodeExecution,
  NodeExecutionGetDataResponseSchema,
  NodeExecutionListSchema,
  NodeExecutionSchema,
} from "@flyteidl/admin/node_execution_pb.ts";
import {
  TaskExecutionGetDataResponseSchema,
  TaskExecutionListSchema,
  TaskExecutionSchema,
} from "@flyteidl/admin/task_execution_pb.ts";
import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { FlyteTimeoutError } from "../../src/client/errors.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import type { RemoteConnection } from "../../src/remote/connect.ts";

const P = "flytesnacks", D = "development";
const exId = (name: string) => ({ project: P, domain: D, name });
const ent = (t: ResourceType, name: string) => ({
  resourceType: t,
  project: P,
  domain: D,
  name,
  version: "v1",
});
const taskId = ent(ResourceType.TASK, "t");
const wfId = ent(ResourceType.WORKFLOW, "wf");
const subId = ent(ResourceType.WORKFLOW, "sub");
const childLp = ent(ResourceType.LAUNCH_PLAN, "child");
const intType = { type: { case: "simple" as const, value: 1 } };
const taskNode = (id: string) => ({
  id,
  target: {
    case: "taskNode" as const,
    value: { reference: { case: "referenceId" as const, value: taskId } },
  },
});

const closure = {
  primary: {
    template: {
      id: wfId,
      nodes: [
        taskNode("n0"),
        {
          id: "n1",
          target: {
            case: "workflowNode" as const,
            value: {
              reference: { case: "subWorkflowRef" as const, value: subId },
            },
          },
        },
        {
          id: "n2",
          target: {
            case: "workflowNode" as const,
            value: {
              reference: { case: "launchplanRef" as const, value: childLp },
            },
          },
        },
        taskNode("n3"),
        {
          id: "n4",
          target: {
            case: "branchNode" as const,
            value: { ifElse: { case: { thenNode: taskNode("b0") } } },
          },
        },
        {
          id: "n5",
          target: {
            case: "gateNode" as const,
            value: {
              condition: {
                case: "approve" as const,
                value: { signalId: "ok" },
              },
            },
          },
        },
        {
          id: "n6",
          target: {
            case: "arrayNode" as const,
            value: { node: taskNode("a0") },
          },
        },
      ],
      failureNode: taskNode("fn"),
    },
  },
  subWorkflows: [{ template: { id: subId, nodes: [taskNode("s0")] } }],
  tasks: [{
    template: {
      id: taskId,
      interface: {
        inputs: { variables: { x: { type: intType } } },
        outputs: { variables: { o0: { type: intType } } },
      },
    },
  }],
};

interface Rec {
  node: NodeExecution;
  parent: string; // unique parent id, "" for top level
  exec: string;
}
const recs: Rec[] = [];
function node(
  exec: string,
  nodeId: string,
  parent = "",
  meta: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  recs.push({
    exec,
    parent,
    node: create(NodeExecutionSchema, {
      id: { nodeId, executionId: exId(exec) },
      closure: { phase: NodeExecution_Phase.SUCCEEDED, ...extra },
      metadata: meta,
    }),
  });
}
for (const id of ["start-node", "n0", "n5", "end-node", "fn"]) node("root", id);
node("root", "n1", "", { isParentNode: true });
node("root", "n1-0-s0", "n1", { specNodeId: "s0" });
node("root", "n2", "", {}, {
  targetMetadata: {
    case: "workflowNodeMetadata",
    value: { executionId: exId("child1") },
  },
});
node("child1", "c0", "");
node("root", "n3", "", { isParentNode: true, isDynamic: true });
node("root", "n3-0-d0", "n3", { specNodeId: "d0" });
node("root", "n4", "", { isParentNode: true });
node("root", "n4-0-b0", "n4", { specNodeId: "b0" });
node("root", "n6", "", { isParentNode: true, isArray: true });
for (let i = 0; i < 3; i++) {
  node("root", `n6-0-${i}`, "n6", { specNodeId: "a0" });
}

const calls = new Map<string, number>();
let inFlight = 0;
let peak = 0;
let executionData: MessageInitShape<
  typeof WorkflowExecutionGetDataResponseSchema
> = {};
let phaseOf = (_name: string) => WorkflowExecution_Phase.SUCCEEDED;

function routes(router: ConnectRouter) {
  const service = router.service.bind(router);
  {
    const track = <A, R>(name: string, fn: (a: A) => R) => async (a: A) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      try {
        return fn(a);
      } finally {
        inFlight--;
      }
    };
    service(AdminService, {
      getExecution: track(
        "getExecution",
        (r): Execution =>
          create(ExecutionSchema, {
            id: r.id,
            spec: {
              launchPlan: r.id?.name === "child1"
                ? childLp
                : ent(ResourceType.LAUNCH_PLAN, "wf"),
            },
            closure: {
              phase: phaseOf(r.id!.name),
              workflowId: r.id?.name === "child1" ? subId : wfId,
            },
          }),
      ),
      getExecutionData: track(
        "getExecutionData",
        () => create(WorkflowExecutionGetDataResponseSchema, executionData),
      ),
      getLaunchPlan: track("getLaunchPlan", (r) =>
        create(LaunchPlanSchema, {
          id: r.id,
          closure: { expectedOutputs: { variables: {} } },
        })),
      getWorkflow: track("getWorkflow", (r) => {
        if (r.id?.name === "sub") {
          return create(WorkflowSchema, {
            id: r.id,
            closure: {
              compiledWorkflow: {
                primary: { template: { id: subId, nodes: [taskNode("c0")] } },
                tasks: closure.tasks,
              },
            },
          });
        }
        return create(WorkflowSchema, {
          id: r.id,
          closure: { compiledWorkflow: closure },
        });
      }),
      getTask: track("getTask", (r) => create(TaskSchema, { id: r.id })),
      listNodeExecutions: track("listNodeExecutions", (r) => {
        const all = recs.filter((x) =>
          x.exec === r.workflowExecutionId?.name &&
          x.parent === r.uniqueParentId
        ).map((x) => x.node);
        const start = Number(r.token || 0);
        const page = all.slice(start, start + r.limit);
        return create(NodeExecutionListSchema, {
          nodeExecutions: page,
          token: start + r.limit < all.length ? String(start + r.limit) : "",
        });
      }),
      getNodeExecution: track(
        "getNodeExecution",
        (r) =>
          recs.find((x) =>
            x.exec === r.id?.executionId?.name &&
            x.node.id?.nodeId === r.id?.nodeId
          )!.node,
      ),
      getNodeExecutionData: track(
        "getNodeExecutionData",
        (r) =>
          create(NodeExecutionGetDataResponseSchema, {
            fullOutputs: {
              literals: {
                o0: {
                  value: {
                    case: "scalar",
                    value: {
                      value: {
                        case: "primitive",
                        value: { value: { case: "integer", value: 7n } },
                      },
                    },
                  },
                },
              },
            },
            dynamicWorkflow: r.id?.nodeId === "n3"
              ? {
                id: wfId,
                compiledWorkflow: {
                  primary: { template: { id: wfId, nodes: [taskNode("d0")] } },
                  tasks: closure.tasks,
                },
              }
              : undefined,
          }),
      ),
      listTaskExecutions: track(
        "listTaskExecutions",
        (r) =>
          create(TaskExecutionListSchema, {
            taskExecutions: [1, 0].map((attempt) =>
              create(TaskExecutionSchema, {
                id: {
                  taskId,
                  nodeExecutionId: r.nodeExecutionId,
                  retryAttempt: attempt,
                },
                closure: {
                  phase: attempt
                    ? TaskExecution_Phase.SUCCEEDED
                    : TaskExecution_Phase.FAILED,
                },
              })
            ),
          }),
      ),
      getTaskExecutionData: track(
        "getTaskExecutionData",
        () => create(TaskExecutionGetDataResponseSchema, {}),
      ),
      listNodeExecutionsForTask: track(
        "listNodeExecutionsForTask",
        () => create(NodeExecutionListSchema, {}),
      ),
    });
  }
}

/** A FlyteRemote over real gRPC (h2c on loopback) to the recorded AdminService. */
async function remote(concurrency = 4) {
  const server = http2.createServer(connectNodeAdapter({ routes }));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const t = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
  const conn: RemoteConnection = {
    admin: createClient(AdminService, t) as Client<typeof AdminService>,
    signal: createClient(SignalService, t),
    dataProxy: createClient(DataProxyService, t),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
  return new FlyteRemote(conn, {
    defaultProject: P,
    defaultDomain: D,
    endpoint: "localhost:30080",
    insecure: true,
    concurrency,
  });
}

Deno.test("syncExecution with nodes walks every node kind under a bound", async () => {
  calls.clear();
  peak = 0;
  await using r = await remote(4);
  const e = await r.syncExecution(
    create(ExecutionSchema, { id: exId("root") }).id!,
    { nodes: true, nodeData: true, taskExecutions: true },
  );
  const top = e.nodeExecutions;
  assertEquals(
    [...top.keys()].sort(),
    [
      "end-node",
      "fn",
      "n0",
      "n1",
      "n2",
      "n3",
      "n4",
      "n5",
      "n6",
      "start-node",
    ],
  );
  const kinds = Object.fromEntries([...top].map(([k, v]) => [k, v.kind]));
  assertEquals(kinds, {
    "start-node": "start",
    "end-node": "end",
    n0: "task",
    n1: "subworkflow",
    n2: "launchplan",
    n3: "dynamic",
    n4: "branch",
    n5: "gate",
    n6: "array",
    fn: "task",
  });
  assertEquals([...top.get("n1")!.children.keys()], ["n1-0-s0"]);
  assertEquals(top.get("n1")!.children.get("n1-0-s0")!.kind, "task");
  assertEquals(top.get("n2")!.childExecution?.name, "child1");
  assertEquals(
    [...top.get("n2")!.childExecution!.nodeExecutions.keys()],
    ["c0"],
  );
  assertEquals(
    top.get("n2")!.childExecution!.nodeExecutions.get("c0")!.kind,
    "task",
  );
  assertEquals(top.get("n3")!.children.get("n3-0-d0")!.kind, "task");
  assertEquals(top.get("n4")!.children.get("n4-0-b0")!.kind, "task");
  assertEquals(top.get("n6")!.children.size, 3);
  // Task attempts are ordered oldest first and outputs are typed from the task interface.
  const n0 = top.get("n0")!;
  assertEquals(n0.taskExecutions.map((t) => t.retryAttempt), [0, 1]);
  assertEquals(n0.taskExecutions.map((t) => t.phase), ["FAILED", "SUCCEEDED"]);
  assertEquals(n0.outputs, { o0: 7 });
  assertEquals(top.get("n5")!.taskExecutions.length, 0, "gates have no tasks");
  assertEquals([...e.allNodeExecutions()].length, 10 + 1 + 1 + 1 + 1 + 3);
  assert(peak <= 4, `at most 4 calls in flight, saw ${peak}`);
  assert(peak >= 2, `calls ran concurrently, saw ${peak}`);
  assertEquals(calls.get("getWorkflow"), 2, "each workflow fetched once");
  assertStringIncludes(
    r.generateConsoleUrl(n0.taskExecutions[1]),
    "executions/root?nodeId=n0&retryAttempt=1",
  );
});

Deno.test("syncExecution with nodes alone costs list calls, not per-node calls", async () => {
  calls.clear();
  await using r = await remote(4);
  const e = await r.syncExecution(exId("root") as never, { nodes: true });
  const top = e.nodeExecutions;
  assertEquals(top.size, 10);
  assertEquals(top.get("n3")!.kind, "dynamic");
  assertEquals(top.get("n3")!.children.get("n3-0-d0")!.kind, "task");
  assertEquals(top.get("n2")!.childExecution?.nodeExecutions.size, 1);
  // Only the dynamic node's data is read (it carries the generated workflow).
  assertEquals(calls.get("getNodeExecutionData"), 1);
  assertEquals(calls.get("listTaskExecutions"), undefined);
  // root + 4 parents (n1, n3, n4, n6) + the child execution
  assertEquals(calls.get("listNodeExecutions"), 6);
  // One node, in full, on demand.
  const n0 = await r.syncNodeExecution(top.get("n0")!);
  assertEquals(n0.taskExecutions.length, 2);
  assertEquals(n0.outputs, { o0: 7 });
});

Deno.test("wait polls lightly, reports progress, and syncs nodes only when asked", async () => {
  let polls = 0;
  phaseOf = () =>
    ++polls < 3
      ? WorkflowExecution_Phase.RUNNING
      : WorkflowExecution_Phase.SUCCEEDED;
  calls.clear();
  await using r = await remote();
  const e = await r.syncExecution(exId("root") as never);
  calls.clear();
  const seen: string[] = [];
  const done = await r.wait(e, {
    pollInterval: 5,
    onProgress: (x) => void seen.push(x.phase),
    display: false, // a progress line in a terminal lists nodes; this test may run in one
  });
  assertEquals(done.phase, "SUCCEEDED");
  assertEquals(seen, ["RUNNING", "SUCCEEDED"]);
  assertEquals(calls.get("listNodeExecutions"), undefined, "no node listing");
  phaseOf = () => WorkflowExecution_Phase.SUCCEEDED;
});

Deno.test("wait sees a short execution finish without waiting out the poll interval", async () => {
  let polls = 0;
  phaseOf = () =>
    ++polls <= 4
      ? WorkflowExecution_Phase.RUNNING
      : WorkflowExecution_Phase.SUCCEEDED;
  await using r = await remote();
  const e = await r.syncExecution(exId("root") as never);
  polls = 0;
  const seen: string[] = [];
  // Five polls, 10, 15, 23 and 35 ms apart (growing by half): with a fixed 60 s
  // interval this wait would hit its 20 s timeout instead.
  const done = await r.wait(e, {
    pollInterval: 60_000,
    timeout: 20_000,
    display: false,
    onProgress: (x) => void seen.push(x.phase),
  });
  assertEquals(done.phase, "SUCCEEDED");
  assertEquals(seen, ["RUNNING", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"]);
  phaseOf = () => WorkflowExecution_Phase.SUCCEEDED;
});

Deno.test("wait times out without overshooting and honours abort", async () => {
  phaseOf = () => WorkflowExecution_Phase.RUNNING;
  await using r = await remote();
  const e = await r.syncExecution(exId("root") as never);
  const t0 = Date.now();
  const err = await assertRejects(
    () => r.wait(e, { timeout: 60, pollInterval: 30_000 }),
    FlyteTimeoutError,
  );
  // Not a speed check: an uncut poll would sleep 30 s, so any wide bound tells.
  assert(Date.now() - t0 < 15_000, "the poll interval is cut to the time left");
  assertStringIncludes(err.message, "still RUNNING");
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error("user stop")), 20);
  await assertRejects(
    () => r.wait(e, { pollInterval: 1_000, signal: ac.signal }),
    Error,
    "user stop",
  );
  phaseOf = () => WorkflowExecution_Phase.SUCCEEDED;
});

/** What `f` throws (undefined when it does not throw). */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (x) {
    return x;
  }
  return undefined;
}

Deno.test("outputs of an unfinished or failed execution raise with the reason", async () => {
  phaseOf = () => WorkflowExecution_Phase.RUNNING;
  await using r = await remote();
  const e = await r.syncExecution(exId("root") as never);
  const err = thrownBy(() => e.outputs);
  assertStringIncludes(String(err), "is RUNNING");
  phaseOf = () => WorkflowExecution_Phase.SUCCEEDED;
});

Deno.test("outputs too large to inline are read from the signed URL admin returns", async () => {
  const map = create(LiteralMapSchema, {
    literals: {
      o0: {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "primitive",
              value: { value: { case: "integer", value: 99n } },
            },
          },
        },
      },
    },
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req) =>
      new URL(req.url).pathname === "/outputs.pb"
        ? new Response(toBinary(LiteralMapSchema, map))
        : new Response("no", { status: 404 }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    executionData = { outputs: { url: `${base}/outputs.pb`, bytes: 10n } };
    await using r = await remote();
    const e = await r.syncExecution(exId("root") as never);
    assertEquals(e.outputs, { o0: 99 });
    executionData = { outputs: { url: `${base}/gone.pb`, bytes: 10n } };
    await assertRejects(
      () => r.syncExecution(exId("root") as never),
      Error,
      "HTTP 404",
    );
    // A native URL cannot be read without storage credentials: said so.
    executionData = { outputs: { url: "s3://bucket/outputs.pb", bytes: 10n } };
    const native = await r.syncExecution(exId("root") as never);
    const err = thrownBy(() => native.outputs);
    assertStringIncludes(String(err), "stored at s3://bucket/outputs.pb");
  } finally {
    executionData = {};
    await server.shutdown();
  }
});
