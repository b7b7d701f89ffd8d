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
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { WorkflowMetadata_OnFailurePolicy } from "@flyteidl/core/workflow_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import {
  closure,
  int,
  intOf,
  lmap,
  startRecorder,
  taskNode,
  taskTemplate,
} from "./engine_harness.ts";

const setup = () => startRecorder("engine-policy-");

const tasks = [
  { name: "userfail", op: "userfail", inputs: [] },
  { name: "sleep", op: "sleep", inputs: ["x"] },
  { name: "count", op: "count", inputs: ["x"] },
];

Deno.test("engine: fail-immediately aborts siblings; fail-after-executable lets them finish", async () => {
  const { program, rec } = await setup();
  try {
    const nodes = [
      taskNode("n0", "userfail", {}),
      taskNode("n1", "sleep", { x: 2 }),
    ];
    const imm = closure(program, tasks, nodes, { o: "n1.o0" });
    const after = closure(program, tasks, nodes, { o: "n1.o0" }, {
      onFailure:
        WorkflowMetadata_OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE,
    });
    await rec.launch("imm", imm, lmap({}));
    await rec.launch("after", after, lmap({}));
    assertEquals(await rec.finished("imm"), WfPhase.FAILED);
    assertEquals(await rec.finished("after"), WfPhase.FAILED);
    assertStringIncludes(rec.errors.get("imm")!, "Boom");
    assertStringIncludes(rec.errors.get("after")!, "Boom");
    const immN1 = rec.nodeEvents("imm", "n1").at(-1)!;
    assertEquals(immN1.phase, NodePhase.ABORTED);
    assert(immN1.outputResult.case === "error");
    assertEquals(immN1.outputResult.value.code, "NodeAborted");
    assertEquals(
      rec.nodeEvents("after", "n1").at(-1)?.phase,
      NodePhase.SUCCEEDED,
    );
    const phases = rec.wf.filter((e) => e.executionId?.name === "imm").map((
      e,
    ) => e.phase);
    assertEquals(phases, [WfPhase.RUNNING, WfPhase.FAILING, WfPhase.FAILED]);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: the failure node runs with the error, then the workflow fails with it", async () => {
  const { dir, program, rec } = await setup();
  try {
    const countFile = `${dir}/count`;
    const c = closure(program, tasks, [taskNode("n0", "userfail", {})], {
      o: "n0.o0",
    }, {
      failureNode: taskNode("fn", "count", { x: 1 }),
    });
    await rec.launch("fnode", c, lmap({}), {
      envs: { values: [{ key: "COUNT_FILE", value: countFile }] },
    } as never);
    assertEquals(await rec.finished("fnode"), WfPhase.FAILED);
    assertStringIncludes(rec.errors.get("fnode")!, "permanent user failure");
    assertEquals(
      rec.nodeEvents("fnode", "fn").at(-1)?.phase,
      NodePhase.SUCCEEDED,
    );
    assertEquals(await Deno.readTextFile(countFile), "x");
    const inputs = rec.nodeEvents("fnode", "fn")[0].inputValue;
    assert(inputs.case === "inputUri");
    const { fromBinary } = await import("@bufbuild/protobuf");
    const { LiteralMapSchema } = await import("@flyteidl/core/literals_pb.ts");
    const m = fromBinary(
      LiteralMapSchema,
      await Deno.readFile(inputs.value.slice(7)),
    );
    const err = m.literals.err;
    assert(
      err.value.case === "scalar" && err.value.value.value.case === "union",
    );
    const inner = err.value.value.value.value.value!;
    assert(
      inner.value.case === "scalar" && inner.value.value.value.case === "error",
    );
    assertStringIncludes(
      inner.value.value.value.value.message,
      "permanent user failure",
    );
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a task timeout kills the attempt and fails once retries are spent", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "slow", op: "sleep", inputs: ["x"], timeoutSec: 1, retries: 1 }],
      [taskNode("n0", "slow", { x: 30 })],
      { o: "n0.o0" },
    );
    const t0 = Date.now();
    await rec.launch("slow", c, lmap({}));
    assertEquals(await rec.finished("slow"), WfPhase.FAILED);
    assert(Date.now() - t0 < 20_000);
    assertStringIncludes(
      rec.errors.get("slow")!,
      "RetriesExhausted|TimeoutExpired",
    );
    const failed = rec.taskEvents("slow", "n0").filter((e) =>
      e.phase === TaskPhase.FAILED
    );
    assertEquals(failed.map((e) => e.retryAttempt), [0, 1]);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: max parallelism 1 runs one task process at a time", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "sleep", op: "sleep", inputs: ["x"] }],
      [
        taskNode("a", "sleep", { x: 0 }),
        taskNode("b", "sleep", { x: 0 }),
        taskNode("c", "sleep", { x: 0 }),
      ],
      { o: "a.o0" },
    );
    await rec.launch("par1", c, lmap({}), { maxParallelism: 1 });
    assertEquals(await rec.finished("par1"), WfPhase.SUCCEEDED);
    const spans = ["a", "b", "c"].map((n) => {
      const ev = rec.taskEvents("par1", n);
      const start = ev.find((e) => e.phase === TaskPhase.QUEUED)!;
      const end = ev.find((e) => e.phase === TaskPhase.SUCCEEDED)!;
      return [timestampMs(start.occurredAt!), timestampMs(end.occurredAt!)];
    }).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) {
      assert(spans[i - 1][1] <= spans[i][0]);
    }
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: raw container with co-pilot data loading reads and writes files", async () => {
  const { program, rec } = await setup();
  try {
    const tpl = taskTemplate(program, {
      name: "raw",
      op: "",
      inputs: ["x"],
      command: [
        "sh",
        "-c",
        "echo $(( $(cat /var/flyte/inputs/x) * 5 )) > /var/flyte/outputs/o0 && test -f /var/flyte/inputs/inputs.json",
      ],
    });
    if (tpl.target.case === "container") {
      tpl.target.value.dataConfig = {
        $typeName: "flyteidl.core.DataLoadingConfig",
        enabled: true,
        inputPath: "/var/flyte/inputs",
        outputPath: "/var/flyte/outputs",
        format: 0,
      };
    }
    const c = closure(program, [], [taskNode("n0", "raw", { x: 8 })], {
      o: "n0.o0",
    });
    c.tasks.push({ $typeName: "flyteidl.core.CompiledTask", template: tpl });
    await rec.launch("raw", c, lmap({}));
    assertEquals(
      await rec.finished("raw"),
      WfPhase.SUCCEEDED,
      rec.errors.get("raw"),
    );
    assertEquals(intOf((await rec.outputsOf("raw")).literals.o), 40);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a dynamic task's futures.pb runs as a child workflow", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "fanout", op: "fanout", inputs: ["x"] }],
      [taskNode("n0", "fanout", { x: "start-node.x" })],
      { o: "n0.o0" },
      { inputs: ["x"] },
    );
    const cmd = taskTemplate(program, { name: "t", op: "", inputs: [] });
    const base = cmd.target.case === "container"
      ? cmd.target.value.command.slice(0, -1)
      : [];
    await rec.launch("dyn", c, lmap({ x: int(5) }), {
      envs: { values: [{ key: "TASK_CMD", value: JSON.stringify(base) }] },
    } as never);
    assertEquals(
      await rec.finished("dyn"),
      WfPhase.SUCCEEDED,
      rec.errors.get("dyn"),
    );
    // double(5) = 10, inc → 11
    assertEquals(intOf((await rec.outputsOf("dyn")).literals.o), 11);
    const n0 = rec.nodeEvents("dyn", "n0");
    const dyn = n0.find((e) => e.phase === NodePhase.DYNAMIC_RUNNING);
    assert(dyn?.isDynamic);
    assert(dyn.targetMetadata.case === "taskNodeMetadata");
    const wf = dyn.targetMetadata.value.dynamicWorkflow;
    assertEquals(wf?.id?.name, "dynamic_n0");
    assert(
      wf?.compiledWorkflow?.primary?.connections,
      "compiled by the sandbox compiler",
    );
    assertEquals(n0.at(-1)?.phase, NodePhase.SUCCEEDED);
    const child = rec.nodeEvents("dyn", "n0-0-dn1");
    assertEquals(child.at(-1)?.phase, NodePhase.SUCCEEDED);
    assertEquals(child[0].parentNodeMetadata?.nodeId, "n0");
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: serializable cache — concurrent identical tasks compute once", async () => {
  const { dir, program, rec } = await setup();
  try {
    const countFile = `${dir}/count`;
    const c = closure(
      program,
      [{
        name: "count",
        op: "count",
        inputs: ["x"],
        cache: "1",
        cacheSerializable: true,
      }],
      [taskNode("n0", "count", { x: "start-node.x" })],
      { o: "n0.o0" },
      { inputs: ["x"] },
    );
    const envs = {
      envs: { values: [{ key: "COUNT_FILE", value: countFile }] },
    };
    await Promise.all(
      ["s1", "s2", "s3"].map((n) =>
        rec.launch(n, c, lmap({ x: int(4) }), envs as never)
      ),
    );
    for (const n of ["s1", "s2", "s3"]) {
      assertEquals(await rec.finished(n), WfPhase.SUCCEEDED);
      assertEquals(intOf((await rec.outputsOf(n)).literals.o), 5);
    }
    assertEquals(await Deno.readTextFile(countFile), "x");
    const statuses = ["s1", "s2", "s3"].map((n) => {
      const e = rec.nodeEvents(n, "n0").at(-1)!;
      return e.targetMetadata.case === "taskNodeMetadata"
        ? e.targetMetadata.value.cacheStatus
        : -1;
    }).sort();
    assertEquals(statuses, [
      CatalogCacheStatus.CACHE_HIT,
      CatalogCacheStatus.CACHE_HIT,
      CatalogCacheStatus.CACHE_POPULATED,
    ]);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a node past its active deadline (2 × timeout) ends TIMED_OUT", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "slow", op: "sleep", inputs: ["x"], retries: 10 }],
      [taskNode(
        "n0",
        "slow",
        { x: 30 },
        { metadata: { name: "slow", timeout: { seconds: 1n } } } as never,
      )],
      { o: "n0.o0" },
    );
    const t0 = Date.now();
    await rec.launch("deadline", c, lmap({}));
    assertEquals(await rec.finished("deadline"), WfPhase.FAILED);
    assert(Date.now() - t0 < 15_000);
    assertEquals(
      rec.nodeEvents("deadline", "n0").at(-1)?.phase,
      NodePhase.TIMED_OUT,
    );
    assertStringIncludes(rec.errors.get("deadline")!, "Timeout in node n0");
    // attempts before the deadline each hit the per-attempt timeout
    const failed = rec.taskEvents("deadline", "n0").filter((e) =>
      e.phase === TaskPhase.FAILED
    );
    assert(failed.length >= 1);
    assert(
      failed.every((e) =>
        e.outputResult.case === "error" &&
        e.outputResult.value.code === "TimeoutExpired"
      ),
    );
  } finally {
    await rec.engine!.close();
  }
});
