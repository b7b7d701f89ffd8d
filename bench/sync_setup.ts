/**
 * bench/sync_full.ts's setup, through this module against a sandbox
 * process: the trivial container task of bench/trivial_tasks.ts, fan-out workflows of 100 and 1,000 nodes over it and a
 * 1,000-item map (an array node), each run once by the real engine so that
 * every node has real inputs, outputs and task attempts to sync.
 *
 * @module
 */
import { type FlyteRemote, t, workflow } from "../mod.ts";
import { registerMapWorkflow, registerTrivialTasks } from "./trivial_tasks.ts";

const SCOPE = { project: "flytesnacks", domain: "development" };
const VERSION = "sync-bench-v1";

/** What was run: one execution name per shape. */
export interface SyncShapes {
  /** name -> execution name (flytesnacks/development). */
  executions: Record<string, string>;
}

/** Registers the task and workflows and runs one execution of each shape. */
export async function prepareShapes(
  remote: FlyteRemote,
  dir: string,
  sizes: { fanOut: number[]; mapItems: number },
): Promise<SyncShapes> {
  const scope = { ...SCOPE, version: VERSION };
  const taskName = "syncbench.trivial";
  const trivial = await registerTrivialTasks(remote, dir, taskName, scope);
  const executions: Record<string, string> = {};
  const wait = { timeout: 900_000 };
  for (const n of sizes.fanOut) {
    const fan = workflow(
      { name: `syncbench.fanout${n}`, inputs: {}, outputs: t.int },
      () => {
        let last;
        for (let i = 0; i < n; i++) last = trivial({ x: i });
        return last as never;
      },
    );
    const ex = await remote.execute(fan, {}, { version: VERSION, wait });
    if (ex.phase !== "SUCCEEDED") {
      throw new Error(`fan-out ${n}: ${ex.id.name} ended ${ex.phase}`);
    }
    executions[`fanout${n}`] = ex.id.name;
  }
  const mapped = await registerMapWorkflow(
    remote,
    "syncbench.map",
    taskName,
    scope,
  );
  const ex = await remote.execute(mapped, {
    xs: Array.from({ length: sizes.mapItems }, (_, i) => i),
  }, { wait });
  if (ex.phase !== "SUCCEEDED") {
    throw new Error(`map: ${ex.id.name} ended ${ex.phase}`);
  }
  executions[`map${sizes.mapItems}`] = ex.id.name;
  return { executions };
}
