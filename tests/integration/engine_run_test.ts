import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  NodeExecution_Phase as NodePhase,
  TaskExecution_Phase as TaskPhase,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  closure,
  int,
  intOf,
  lmap,
  Recorder,
  taskNode,
  writeProgram,
} from "./engine_harness.ts";

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "engine-run-" });
  const program = await writeProgram(dir);
  const rec = new Recorder(dir);
  await rec.startEngine();
  return { dir, program, rec };
}

Deno.test("engine: three-node workflow runs tasks as processes and reports like propeller", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [
        { name: "add", op: "add", inputs: ["a", "b"] },
        { name: "double", op: "double", inputs: ["x"] },
      ],
      [
        taskNode("n0", "add", { a: "start-node.a", b: 2 }),
        taskNode("n1", "double", { x: "n0.o0" }),
        taskNode("n2", "add", { a: "n0.o0", b: "n1.o0" }),
      ],
      { out: "n2.o0" },
      { inputs: ["a"] },
    );
    await rec.launch("three", c, lmap({ a: int(5) }));
    assertEquals(await rec.finished("three"), WfPhase.SUCCEEDED);
    // (5+2) + (5+2)*2 = 21
    assertEquals(intOf((await rec.outputsOf("three")).literals.out), 21);
    const wfPhases = rec.wf.filter((e) => e.executionId?.name === "three").map((
      e,
    ) => e.phase);
    assertEquals(wfPhases, [
      WfPhase.RUNNING,
      WfPhase.SUCCEEDING,
      WfPhase.SUCCEEDED,
    ]);
    const n1 = rec.nodeEvents("three", "n1").map((e) => e.phase);
    assertEquals(n1, [
      NodePhase.QUEUED,
      NodePhase.RUNNING,
      NodePhase.SUCCEEDED,
    ]);
    assertEquals(rec.nodeEvents("three", "start-node").map((e) => e.phase), [
      NodePhase.SUCCEEDED,
    ]);
    const t = rec.taskEvents("three", "n1");
    assertEquals(t.map((e) => e.phase), [
      TaskPhase.QUEUED,
      TaskPhase.RUNNING,
      TaskPhase.SUCCEEDED,
    ]);
    const running = t[1];
    assertEquals(running.logs.map((l) => l.name), ["stdout", "stderr"]);
    assert(running.logs[0].uri.startsWith("http://127.0.0.1:"));
    const log = await fetch(running.logs[1].uri);
    assertEquals(log.status, 200);
    await log.body?.cancel();
    const q = rec.nodeEvents("three", "n1")[0];
    assertEquals(q.inputValue.case, "inputUri");
    assertStringIncludes(
      String(q.inputValue.value),
      "/metadata/p-d-three/n1/data/inputs.pb",
    );
    const done = rec.nodeEvents("three", "n1")[2];
    assertStringIncludes(
      String(done.outputResult.value),
      "/n1/data/0/outputs.pb",
    );
  } finally {
    await rec.engine!.close();
  }
});
