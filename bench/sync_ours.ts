/**
 * This module's side of bench/sync_bench.ts, one fresh process per call:
 * `deno run -A bench/sync_ours.ts <endpoint> <execution name> <runs> [mode]`.
 *
 * Connects (one listProjects first, so the connection is up), then `runs`
 * times: `remote.syncExecution(id, options)` and reads every top-level
 * node's inputs and outputs (decoded through the interface), as
 * bench/sync_flytekit.py does with flytekit. Mode `full` (default) syncs
 * nodes, node data and task attempts (what flytekit's
 * `sync_execution(ex, sync_nodes=True)` fetches); `data` nodes and node
 * data; `list` the node tree only. Prints one line
 * `@@sync {"ms": [...], "nodes": n, "values": v, "hwm": bytes}`: the time of
 * each run, how many nodes and decoded values it saw, and the process's
 * peak RSS (VmHWM).
 *
 * @module
 */
import { FlyteRemote } from "../mod.ts";
import type { SyncOptions } from "../src/remote/mod.ts";

const [endpoint, name, runsArg, mode = "full"] = Deno.args;
const options: SyncOptions = mode === "list"
  ? { nodes: true }
  : mode === "data"
  ? { nodes: true, nodeData: true }
  : { nodes: true, nodeData: true, taskExecutions: true };
const remote = await FlyteRemote.forSandbox({ endpoint });
await remote.entities.listProjects();
const id = { project: "flytesnacks", domain: "development", name };
const ms: number[] = [];
let nodes = 0;
let values = 0;
for (let i = 0; i < Number(runsArg ?? 1); i++) {
  const t0 = performance.now();
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
