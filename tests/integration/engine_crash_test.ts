import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  ExecutionError_ErrorKind,
  NodeExecution_Phase as NodePhase,
  TaskExecution_Phase as TaskPhase,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import { intOf, Recorder } from "./engine_harness.ts";
import { repoRoot } from "../helpers/paths.ts";

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

Deno.test("engine: after a SIGKILL mid-run a restarted engine resumes the execution", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-crash-" });
  const host = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${repoRoot}/deno.json`,
      `${repoRoot}/tests/integration/engine_crash_host.ts`,
      dir,
    ],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const deadline = Date.now() + 60_000;
  while (true) {
    try {
      await Deno.stat(`${dir}/ready`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("host never became ready");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  host.kill("SIGKILL");
  await host.status;
  const orphan = Number(await Deno.readTextFile(`${dir}/pid`));
  assert(alive(orphan), "the task process outlives the killed sandbox");

  const rec = new Recorder(dir);
  try {
    await rec.startEngine();
    assertEquals(await rec.finished("crashy"), WfPhase.SUCCEEDED);
    // inc(1)=2, sleepfirst retried after the crash: 2*3=6, inc → 7
    assertEquals(intOf((await rec.outputsOf("crashy")).literals.out), 7);
    // n0 finished before the crash: not run again
    assertEquals(rec.taskEvents("crashy", "n0").length, 0);
    const n1 = rec.taskEvents("crashy", "n1");
    const lost = n1.find((e) =>
      e.retryAttempt === 0 && e.phase === TaskPhase.FAILED
    );
    assert(lost, "the interrupted attempt is reported FAILED");
    assert(lost.outputResult.case === "error");
    assertEquals(lost.outputResult.value.kind, ExecutionError_ErrorKind.SYSTEM);
    assertStringIncludes(lost.outputResult.value.message, "sandbox stopped");
    assertEquals(
      n1.filter((e) => e.phase === TaskPhase.SUCCEEDED).map((e) =>
        e.retryAttempt
      ),
      [1],
    );
    assertEquals(
      rec.nodeEvents("crashy", "n2").at(-1)?.phase,
      NodePhase.SUCCEEDED,
    );
    assert(!alive(orphan), "the orphaned task process was killed on restart");
  } finally {
    await rec.engine?.close();
  }
});
