/**
 * Child process of engine_crash_test.ts: runs an engine over a data dir,
 * launches an execution whose middle task blocks on its first attempt, and
 * writes `<dir>/ready` once that task is RUNNING. The test then SIGKILLs
 * this process.
 *
 * @module
 */
import {
  closure,
  int,
  lmap,
  Recorder,
  taskNode,
  writeProgram,
} from "./engine_harness.ts";
import { TaskExecution_Phase as TaskPhase } from "@flyteidl/core/execution_pb.ts";

const dir = Deno.args[0];
const program = await writeProgram(dir);
const rec = new Recorder(dir);
await rec.startEngine();
const c = closure(
  program,
  [
    { name: "inc", op: "inc", inputs: ["x"] },
    { name: "sleepfirst", op: "sleepfirst", inputs: ["x"], retries: 0 },
  ],
  [
    taskNode("n0", "inc", { x: "start-node.a" }),
    taskNode("n1", "sleepfirst", { x: "n0.o0" }),
    taskNode("n2", "inc", { x: "n1.o0" }),
  ],
  { out: "n2.o0" },
  { inputs: ["a"] },
);
await rec.launch("crashy", c, lmap({ a: int(1) }), {
  envs: { values: [{ key: "PID_FILE", value: `${dir}/pid` }] },
} as never);
await rec.until(
  () =>
    rec.taskEvents("crashy", "n1").some((e) => e.phase === TaskPhase.RUNNING),
  30_000,
  "n1 running",
);
await rec.until(
  () => {
    try {
      return Deno.readTextFileSync(`${dir}/pid`).length > 0;
    } catch {
      return false;
    }
  },
  30_000,
  "pid file",
);
Deno.writeTextFileSync(`${dir}/ready`, "1");
await new Promise(() => {});
