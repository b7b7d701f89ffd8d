/**
 * FlyteRemote benchmarks against the embedded sandbox (real gRPC on
 * loopback; the sandbox runs with a recording launcher, and a 1,000-node
 * execution is reported through its event RPCs as an engine would).
 *
 * - import ./remote + forSandbox + first call: a fresh `deno run` process
 *   (warm module cache), target < 300 ms.
 * - syncExecution with nodes on a 1,000-node execution, target < 1 s; and
 *   the same with every node's data and task attempts (about 3,000 calls).
 */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { startSandbox } from "../src/sandbox/mod.ts";
import { FlyteRemote } from "../src/remote/mod.ts";
import {
  chainLaunchPlan,
  chainWorkflow,
  ident,
  intLiteral,
  squareTask,
} from "../tests/integration/sandbox_fixtures.ts";

const N = 1000;
const dataDir = await Deno.makeTempDir({ prefix: "remote-bench-" });
const sb = await startSandbox({
  port: 0,
  dataDir,
  launcher: {
    launch: () => Promise.resolve(),
    terminate: () => Promise.resolve(),
    close: () => Promise.resolve(),
  },
});
const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
await remote.registerTask(squareTask().spec!);
await remote.registerWorkflow(chainWorkflow().spec!, {
  defaultLaunchPlan: false,
});
const lpReq = chainLaunchPlan();
const lp = await remote.registerLaunchPlan(lpReq.id!, lpReq.spec!);
const exec = await remote.execute(lp, { x: 2 }, { executionName: "big" });
{
  const admin = sb.services.admin;
  let clock = Date.now() - 3_600_000;
  const at = () => timestampFromDate(new Date(clock += 10));
  const executionId = exec.id;
  const taskId = ident(ResourceType.TASK, "tests.square");
  await admin.createWorkflowEvent({
    event: {
      executionId,
      phase: WorkflowExecution_Phase.RUNNING,
      occurredAt: at(),
    },
  });
  for (let i = 0; i < N; i++) {
    const nodeId = `n${i}`;
    const id = { executionId, nodeId };
    await admin.createNodeEvent({
      event: {
        id,
        phase: NodeExecution_Phase.RUNNING,
        occurredAt: at(),
        specNodeId: "n0",
      },
    });
    await admin.createTaskEvent({
      event: {
        taskId,
        parentNodeExecutionId: id,
        phase: TaskExecution_Phase.SUCCEEDED,
        occurredAt: at(),
        outputResult: {
          case: "outputData",
          value: { literals: { o0: intLiteral(i) } },
        },
      },
    });
    await admin.createNodeEvent({
      event: {
        id,
        phase: NodeExecution_Phase.SUCCEEDED,
        occurredAt: at(),
        specNodeId: "n0",
        outputResult: {
          case: "outputData",
          value: { literals: { o0: intLiteral(i) } },
        },
      },
    });
  }
}

const helper = new URL("./remote_first_call.ts", import.meta.url).pathname;
Deno.bench(
  "import ./remote + forSandbox + first call (fresh process)",
  async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", helper, sb.endpoint],
      stdout: "null",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("first-call helper failed");
  },
);

Deno.bench("syncExecution with nodes, 1,000-node execution", async () => {
  const e = await remote.syncExecution(exec.id, { nodes: true });
  if (e.nodeExecutions.size !== N) {
    throw new Error(`expected ${N} nodes, got ${e.nodeExecutions.size}`);
  }
});

Deno.bench(
  "syncExecution with nodes + node data + task attempts, 1,000-node execution",
  { n: 3 },
  async () => {
    const e = await remote.syncExecution(exec.id, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    if (e.nodeExecutions.get("n999")?.taskExecutions.length !== 1) {
      throw new Error("task attempts missing");
    }
  },
);

globalThis.addEventListener("unload", () => {
  void remote.close();
  void sb.close();
});
