/**
 * This module's side of bench/sync_full.ts, one fresh process per call:
 * `deno run -A bench/sync_ours.ts <endpoint> <execution name> <runs> [mode] [transport]`.
 *
 * Connects (one listProjects first, so the connection is up), then `runs`
 * times: `remote.syncExecution(id, options)` and reads every top-level
 * node's inputs and outputs (decoded through the interface), as
 * bench/sync_flytekit.py does with flytekit. Mode `full` (default) syncs
 * nodes, node data and task attempts (what flytekit's
 * `sync_execution(ex, sync_nodes=True)` fetches); `data` nodes and node
 * data; `list` the node tree only; `floor` makes only the admin calls a
 * full sync of a flat execution needs (list the nodes, then per node
 * GetNodeExecutionData and ListTaskExecutions, 16 in flight, no decoding),
 * the transport's cost without FlyteRemote's. `transport` is `grpc` (default) or
 * `rest` (FlyteRemote's `transport` option). Prints one line
 * `@@sync {"ms": [...], "nodes": n, "values": v, "hwm": bytes}`: the time of
 * each run, how many nodes and decoded values it saw, and the process's
 * peak RSS (VmHWM).
 *
 * @module
 */
import { FlyteRemote } from "../mod.ts";
import type { SyncOptions } from "../src/remote/mod.ts";

const [endpoint, name, runsArg, mode = "full", transport = "grpc"] = Deno.args;
const options: SyncOptions = mode === "list"
  ? { nodes: true }
  : mode === "data"
  ? { nodes: true, nodeData: true }
  : { nodes: true, nodeData: true, taskExecutions: true };
const remote = await FlyteRemote.forSandbox({
  endpoint,
  transport: transport as "grpc" | "rest",
});
await remote.entities.listProjects();
const id = { project: "flytesnacks", domain: "development", name };
const ms: number[] = [];
let nodes = 0;
let values = 0;
async function floor(): Promise<number> {
  const admin = remote.services.admin;
  const list = await admin.listNodeExecutions({
    workflowExecutionId: id,
    limit: 5000,
  });
  const ids = list.nodeExecutions.map((n) => n.id!);
  let next = 0;
  let got = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < ids.length) {
      const nid = ids[next++];
      const [d] = await Promise.all([
        admin.getNodeExecutionData({ id: nid }),
        admin.listTaskExecutions({ nodeExecutionId: nid, limit: 100 }),
      ]);
      got += Object.keys(d.fullInputs?.literals ?? {}).length +
        Object.keys(d.fullOutputs?.literals ?? {}).length;
    }
  }));
  values = got;
  return ids.length;
}

for (let i = 0; i < Number(runsArg ?? 1); i++) {
  const t0 = performance.now();
  if (mode === "floor") {
    nodes = await floor();
    ms.push(performance.now() - t0);
    continue;
  }
  const ex = await remote.syncExecution(id as never, options);
  nodes = 0;
  values = 0;
  for (const n of ex.nodeExecutions.values()) {
    nodes++;
    values += Object.keys(n.inputs).length + Object.keys(n.outputs).length;
  }
  ms.push(performance.now() - t0);
}
const hwm = /VmHWM:\s+(\d+) kB/.exec(
  Deno.readTextFileSync("/proc/self/status"),
);
console.log(
  `@@sync ${
    JSON.stringify({ ms, nodes, values, hwm: Number(hwm?.[1] ?? 0) * 1024 })
  }`,
);
await remote.close();
