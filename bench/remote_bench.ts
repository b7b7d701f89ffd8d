/**
 * FlyteRemote benchmarks against the embedded sandbox (real gRPC on
 * loopback; the sandbox runs with a recording launcher, and a 1,000-node
 * execution is reported through its event RPCs as an engine would).
 *
 * - Fresh process (warm module cache), target < 300 ms: `deno run` of a
 *   script that statically imports mod.ts, calls forSandbox and makes one
 *   call (listProjects), next to a bare `deno run` of an empty script and
 *   of the import alone. Printed first as medians of FRESH_RUNS (default
 *   9) runs each, interleaved, with CPU time (user+sys, from
 *   /usr/bin/time when present); then the same as Deno.bench cases.
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

const here = (f: string) => new URL(f, import.meta.url).pathname;
const config = here("../deno.json");
const scripts = {
  "bare deno run (empty script)": [here("./empty_script.ts")],
  "static import of mod.ts": [here("./remote_import_only.ts")],
  "import mod.ts + forSandbox + first call": [
    here("./remote_first_call.ts"),
    sb.endpoint,
  ],
};
const hasTime = await Deno.stat("/usr/bin/time").then(() => true, () => false);

/** One fresh `deno run`: wall ms, and CPU ms (user+sys) when /usr/bin/time exists. */
async function freshRun(args: string[]) {
  const deno = ["run", "-A", "--config", config, ...args];
  const start = performance.now();
  const out = await new Deno.Command(
    hasTime ? "/usr/bin/time" : Deno.execPath(),
    {
      args: hasTime
        ? ["-f", "@@time %e %U %S", Deno.execPath(), ...deno]
        : deno,
      stdout: "null",
      stderr: "piped",
    },
  ).output();
  const wall = performance.now() - start;
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${args[0]} failed: ${err}`);
  const m = /@@time (\S+) (\S+) (\S+)/.exec(err);
  return { wall, cpu: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN };
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

{
  const runs = Number(Deno.env.get("FRESH_RUNS") ?? 9);
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  for (const name of Object.keys(scripts)) {
    results.set(name, { wall: [], cpu: [] });
  }
  // One untimed round warms the module and code caches.
  for (const args of Object.values(scripts)) await freshRun(args);
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(scripts)) {
      const r = await freshRun(args);
      results.get(name)!.wall.push(r.wall);
      results.get(name)!.cpu.push(r.cpu);
    }
  }
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "?");
  console.log(
    `\nfresh process, ${runs} runs each (interleaved), load average ${
      load.split(" ").slice(0, 3).join(" ")
    }`,
  );
  console.log(
    "| case | wall median | wall min | CPU median (user+sys) |\n|---|---|---|---|",
  );
  for (const [name, r] of results) {
    const f = (x: number) => Number.isNaN(x) ? "n/a" : `${x.toFixed(0)} ms`;
    console.log(
      `| ${name} | ${f(median(r.wall))} | ${f(Math.min(...r.wall))} | ${
        f(median(r.cpu))
      } |`,
    );
  }
  console.log("");
}

Deno.bench(
  "bare deno run of an empty script (baseline)",
  { group: "fresh process", baseline: true, n: 9, warmup: 1 },
  async () => {
    await freshRun(scripts["bare deno run (empty script)"]);
  },
);
Deno.bench(
  "static import mod.ts + forSandbox + first call (target < 300 ms)",
  { group: "fresh process", n: 9, warmup: 1 },
  async () => {
    await freshRun(scripts["import mod.ts + forSandbox + first call"]);
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
