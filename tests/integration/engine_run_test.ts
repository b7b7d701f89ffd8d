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
  greaterThanBranch,
  int,
  intOf,
  ints,
  lmap,
  startRecorder,
  taskId,
  taskNode,
} from "./engine_harness.ts";
import { create } from "@bufbuild/protobuf";
import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import { ExecutionMetadata_ExecutionMode } from "@flyteidl/admin/execution_pb.ts";

const setup = () => startRecorder("engine-run-");

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

function branchNode(id: string, threshold: number) {
  return create(NodeSchema, {
    id,
    metadata: { name: "choose" },
    upstreamNodeIds: ["n0"],
    inputs: [{
      var: "x",
      binding: {
        value: { case: "promise", value: { nodeId: "n0", var: "o0" } },
      },
    }],
    target: {
      case: "branchNode",
      value: greaterThanBranch(
        threshold,
        taskNode("big", "double", { x: "n0.o0" }),
        taskNode("small", "inc", { x: "n0.o0" }),
      ),
    },
  });
}

Deno.test("engine: branch takes the matching case and runs it as a child node", async () => {
  const { program, rec } = await setup();
  try {
    const tasks = [
      { name: "add", op: "add", inputs: ["a", "b"] },
      { name: "double", op: "double", inputs: ["x"] },
      { name: "inc", op: "inc", inputs: ["x"] },
    ];
    const c = closure(
      program,
      tasks,
      [
        taskNode("n0", "add", { a: "start-node.a", b: 0 }),
        branchNode("n1", 10),
      ],
      { out: "n1.o0" },
      { inputs: ["a"] },
    );
    await rec.launch("br-big", c, lmap({ a: int(20) }));
    await rec.launch("br-small", c, lmap({ a: int(3) }));
    assertEquals(await rec.finished("br-big"), WfPhase.SUCCEEDED);
    assertEquals(await rec.finished("br-small"), WfPhase.SUCCEEDED);
    assertEquals(intOf((await rec.outputsOf("br-big")).literals.out), 40);
    assertEquals(intOf((await rec.outputsOf("br-small")).literals.out), 4);
    const child = rec.nodeEvents("br-big", "n1-0-big");
    assertEquals(child.map((e) => e.phase), [
      NodePhase.QUEUED,
      NodePhase.RUNNING,
      NodePhase.SUCCEEDED,
    ]);
    assertEquals(child[0].parentNodeMetadata?.nodeId, "n1");
    assertEquals(child[0].specNodeId, "big");
    assert(rec.nodeEvents("br-big", "n1")[0].isParent);
    assertEquals(rec.nodeEvents("br-big", "n1-0-small").length, 0);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: map over 50 items gathers outputs in order", async () => {
  const { program, rec } = await setup();
  try {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const sub = taskNode("n0-sub", "double", { x: "start-node.xs" });
    const c = closure(
      program,
      [{
        name: "double",
        op: "double",
        inputs: ["x"],
        listInputs: ["x"],
        listOutputs: ["o0"],
      }],
      [create(NodeSchema, {
        id: "n0",
        metadata: { name: "map_double" },
        inputs: [{
          var: "x",
          binding: {
            value: {
              case: "promise",
              value: { nodeId: "start-node", var: "xs" },
            },
          },
        }],
        target: {
          case: "arrayNode",
          value: {
            node: sub,
            parallelismOption: { case: "parallelism", value: 6 },
            successCriteria: { case: "minSuccessRatio", value: 1 },
          },
        },
      })],
      { out: "n0.o0" },
      { inputs: ["xs"] },
    );
    await rec.launch("map50", c, lmap({ xs: ints(items) }));
    assertEquals(await rec.finished("map50", 120_000), WfPhase.SUCCEEDED);
    const out = (await rec.outputsOf("map50")).literals.out;
    assert(out.value.case === "collection");
    assertEquals(out.value.value.literals.map(intOf), items.map((i) => i * 2));
    const t = rec.taskEvents("map50", "n0");
    const last = t[t.length - 1];
    assertEquals(last.phase, TaskPhase.SUCCEEDED);
    assertEquals(last.taskType, "container_array");
    assertEquals(last.metadata?.externalResources.length, 50);
    assert(
      last.metadata!.externalResources.every((r) =>
        r.phase === TaskPhase.SUCCEEDED
      ),
    );
    assert(rec.nodeEvents("map50", "n0")[0].isArray);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: sub-workflow runs inline, launch plan runs as a child execution", async () => {
  const { program, rec } = await setup();
  try {
    const tasks = [
      { name: "double", op: "double", inputs: ["x"] },
      { name: "inc", op: "inc", inputs: ["x"] },
    ];
    const subTpl = closure(program, tasks, [
      taskNode("s0", "double", { x: "start-node.x" }),
    ], {
      o0: "s0.o0",
    }, { inputs: ["x"], name: "subwf" });
    const lp = closure(program, tasks, [
      taskNode("l0", "inc", { x: "start-node.x" }),
    ], {
      o0: "l0.o0",
    }, { inputs: ["x"], name: "lpwf" });
    rec.launchPlans.set("lp", lp);
    const c = closure(
      program,
      tasks,
      [
        taskNode("n0", "inc", { x: "start-node.a" }),
        create(NodeSchema, {
          id: "n1",
          upstreamNodeIds: ["n0"],
          inputs: [{
            var: "x",
            binding: {
              value: { case: "promise", value: { nodeId: "n0", var: "o0" } },
            },
          }],
          target: {
            case: "workflowNode",
            value: {
              reference: {
                case: "subWorkflowRef",
                value: subTpl.primary!.template!.id!,
              },
            },
          },
        }),
        create(NodeSchema, {
          id: "n2",
          upstreamNodeIds: ["n1"],
          inputs: [{
            var: "x",
            binding: {
              value: { case: "promise", value: { nodeId: "n1", var: "o0" } },
            },
          }],
          target: {
            case: "workflowNode",
            value: {
              reference: {
                case: "launchplanRef",
                value: {
                  ...taskId("lp"),
                  resourceType: ResourceType.LAUNCH_PLAN,
                },
              },
            },
          },
        }),
      ],
      { out: "n2.o0" },
      { inputs: ["a"], subWorkflows: [subTpl.primary!] },
    );
    await rec.launch("parent", c, lmap({ a: int(4) }));
    assertEquals(await rec.finished("parent"), WfPhase.SUCCEEDED);
    // ((4+1)*2)+1 = 11
    assertEquals(intOf((await rec.outputsOf("parent")).literals.out), 11);
    assertEquals(
      rec.nodeEvents("parent", "n1-0-s0").at(-1)?.phase,
      NodePhase.SUCCEEDED,
    );
    assert(rec.nodeEvents("parent", "n1")[0].isParent);
    assertEquals(rec.created.length, 1);
    const child = rec.created[0];
    assertEquals(child.name, "parent-n2-0");
    assertEquals(
      child.spec.metadata?.mode,
      ExecutionMetadata_ExecutionMode.CHILD_WORKFLOW,
    );
    assertEquals(child.spec.metadata?.parentNodeExecution?.nodeId, "n2");
    assertEquals(rec.phases.get("parent-n2-0"), WfPhase.SUCCEEDED);
    const n2Running = rec.nodeEvents("parent", "n2").find((e) =>
      e.targetMetadata.case === "workflowNodeMetadata"
    );
    assertEquals(
      n2Running?.targetMetadata.case === "workflowNodeMetadata" &&
        n2Running.targetMetadata.value.executionId?.name,
      "parent-n2-0",
    );
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a gate waits for its signal, then passes the value on", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "double", op: "double", inputs: ["x"] }],
      [
        create(NodeSchema, {
          id: "g",
          target: {
            case: "gateNode",
            value: {
              condition: {
                case: "signal",
                value: {
                  signalId: "my-number",
                  type: { type: { case: "simple", value: SimpleType.INTEGER } },
                  outputVariableName: "o0",
                },
              },
            },
          },
        }),
        taskNode("n1", "double", { x: "g.o0" }),
      ],
      { out: "n1.o0" },
    );
    await rec.launch("gated", c, lmap({}));
    await rec.until(
      () => rec.signals.has("my-number"),
      10_000,
      "signal creation",
    );
    await new Promise((r) => setTimeout(r, 200));
    assertEquals(rec.phases.get("gated"), WfPhase.RUNNING);
    rec.signals.set("my-number", int(21));
    assertEquals(await rec.finished("gated"), WfPhase.SUCCEEDED);
    assertEquals(intOf((await rec.outputsOf("gated")).literals.out), 42);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a recoverable failure retries and succeeds on the second attempt", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "flaky", op: "flaky", inputs: ["x"], retries: 2 }],
      [taskNode("n0", "flaky", { x: 1 })],
      { out: "n0.o0" },
    );
    await rec.launch("retry", c, lmap({}));
    assertEquals(await rec.finished("retry"), WfPhase.SUCCEEDED);
    assertEquals(intOf((await rec.outputsOf("retry")).literals.out), 101);
    const t = rec.taskEvents("retry", "n0").filter((e) =>
      e.phase === TaskPhase.FAILED || e.phase === TaskPhase.SUCCEEDED
    );
    assertEquals(t.map((e) => [e.retryAttempt, e.phase]), [
      [0, TaskPhase.FAILED],
      [1, TaskPhase.SUCCEEDED],
    ]);
    assertEquals(
      t[0].outputResult.case === "error" && t[0].outputResult.value.code,
      "Flaky",
    );
    assert(
      !rec.nodeEvents("retry", "n0").some((e) => e.phase === NodePhase.FAILED),
    );
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a cached task's second run is a cache hit with no task execution", async () => {
  const { dir, program, rec } = await setup();
  try {
    const countFile = `${dir}/count`;
    const c = closure(
      program,
      [{ name: "count", op: "count", inputs: ["x"], cache: "1.0" }],
      [taskNode("n0", "count", { x: "start-node.x" })],
      { out: "n0.o0" },
      { inputs: ["x"] },
    );
    const envs = {
      envs: { values: [{ key: "COUNT_FILE", value: countFile }] },
    };
    await rec.launch("c1", c, lmap({ x: int(7) }), envs as never);
    assertEquals(await rec.finished("c1"), WfPhase.SUCCEEDED);
    await rec.launch("c2", c, lmap({ x: int(7) }), envs as never);
    assertEquals(await rec.finished("c2"), WfPhase.SUCCEEDED);
    assertEquals(intOf((await rec.outputsOf("c2")).literals.out), 8);
    assertEquals(await Deno.readTextFile(countFile), "x");
    const meta = (name: string) => {
      const e = rec.nodeEvents(name, "n0").at(-1)!;
      return e.targetMetadata.case === "taskNodeMetadata"
        ? e.targetMetadata.value
        : undefined;
    };
    assertEquals(meta("c1")?.cacheStatus, CatalogCacheStatus.CACHE_POPULATED);
    assertEquals(meta("c2")?.cacheStatus, CatalogCacheStatus.CACHE_HIT);
    assertStringIncludes(
      meta("c2")?.catalogKey?.datasetId?.name ?? "",
      "flyte_task-count",
    );
    assertEquals(rec.taskEvents("c2").length, 0);
    // overwrite_cache runs again and refreshes
    await rec.launch(
      "c3",
      c,
      lmap({ x: int(7) }),
      { ...envs, overwriteCache: true } as never,
    );
    assertEquals(await rec.finished("c3"), WfPhase.SUCCEEDED);
    assertEquals(await Deno.readTextFile(countFile), "xx");
    assertEquals(meta("c3")?.cacheStatus, CatalogCacheStatus.CACHE_POPULATED);
    // with a max cache age, older artifacts count as misses
    await rec.engine!.close();
    await rec.startEngine({ maxCacheAgeMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    await rec.launch("c4", c, lmap({ x: int(7) }), envs as never);
    assertEquals(await rec.finished("c4"), WfPhase.SUCCEEDED);
    assertEquals(await Deno.readTextFile(countFile), "xxx");
    assertEquals(meta("c4")?.cacheStatus, CatalogCacheStatus.CACHE_POPULATED);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: terminate kills the running process and reports ABORTED", async () => {
  const { program, rec } = await setup();
  try {
    const c = closure(
      program,
      [{ name: "sleep", op: "sleep", inputs: ["x"] }],
      [taskNode("n0", "sleep", { x: 60 })],
      { out: "n0.o0" },
    );
    await rec.launch("term", c, lmap({}));
    await rec.until(
      () =>
        rec.taskEvents("term", "n0").some((e) => e.phase === TaskPhase.RUNNING),
      20_000,
      "task running",
    );
    const t0 = Date.now();
    await rec.engine!.terminate(rec.wf[0].executionId!, "stop it");
    assertEquals(await rec.finished("term"), WfPhase.ABORTED);
    assert(Date.now() - t0 < 10_000);
    assertEquals(rec.nodeEvents("term", "n0").at(-1)?.phase, NodePhase.ABORTED);
    assertEquals(rec.taskEvents("term", "n0").at(-1)?.phase, TaskPhase.ABORTED);
    // As propeller: the reason is on the node's ABORTED event; the workflow's
    // ABORTED event carries no result (admin keeps its abort metadata).
    const nodeAbort = rec.nodeEvents("term", "n0").at(-1)?.outputResult;
    assertEquals(nodeAbort?.case, "error");
    assertStringIncludes(
      nodeAbort?.case === "error" ? nodeAbort.value.message : "",
      "stop it",
    );
    const wfAbort = rec.wf.filter((e) => e.phase === WfPhase.ABORTED);
    assertEquals(wfAbort.map((e) => e.outputResult.case), [undefined]);
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: bad task outcomes fail with messages that say which", async () => {
  const { program, rec } = await setup();
  try {
    const cases: Array<[string, string, string | undefined, string]> = [
      ["exit3", "exit3", undefined, "exit code (3)"],
      ["noout", "noout", undefined, "declared outputs o0"],
      ["garbage", "garbage", undefined, "outputs.pb"],
      ["userfail", "userfail", undefined, "permanent user failure"],
      [
        "nocmd",
        "x",
        "pyflyte-definitely-missing",
        "pyflyte-definitely-missing",
      ],
    ];
    for (const [name, op, cmd] of cases) {
      const c = closure(
        program,
        [{ name: op, op, inputs: [], command: cmd ? [cmd, "--x"] : undefined }],
        [taskNode("n0", op, {})],
        { out: "n0.o0" },
      );
      await rec.launch(name, c, lmap({}));
    }
    for (const [name, , , text] of cases) {
      assertEquals(await rec.finished(name), WfPhase.FAILED, name);
      assertStringIncludes(rec.errors.get(name) ?? "", text);
      assertEquals(rec.nodeEvents(name, "n0").at(-1)?.phase, NodePhase.FAILED);
    }
    // exit3 and noout are recoverable: the retry budget (1 attempt) is reported exhausted
    assertStringIncludes(rec.errors.get("exit3")!, "RetriesExhausted|Error");
  } finally {
    await rec.engine!.close();
  }
});

Deno.test("engine: a pod task runs its primary container (sidecars are not started); bad pod specs fail naming what is wrong", async () => {
  const { program, rec } = await setup();
  try {
    const good = closure(
      program,
      [{
        name: "podenv",
        op: "podenv",
        inputs: ["x"],
        pod: { env: { POD_VALUE: "40" } },
      }],
      [taskNode("n0", "podenv", { x: 2 })],
      { out: "n0.o0" },
    );
    await rec.launch("pod-ok", good, lmap({}));
    assertEquals(await rec.finished("pod-ok"), WfPhase.SUCCEEDED);
    assertEquals(intOf((await rec.outputsOf("pod-ok")).literals.out), 42);

    const cases: Array<[string, Record<string, string>, string]> = [
      ["pod-nokey", {}, "[primary_container_name]"],
      [
        "pod-noprimary",
        { primary_container_name: "main" },
        "primary container [main] is not among the pod spec's containers [log-shipper, primary]",
      ],
    ];
    for (const [name, config] of cases) {
      const c = closure(
        program,
        [{ name: "podenv", op: "podenv", inputs: ["x"], pod: { config } }],
        [taskNode("n0", "podenv", { x: 1 })],
        { out: "n0.o0" },
      );
      await rec.launch(name, c, lmap({}));
    }
    for (const [name, , text] of cases) {
      assertEquals(await rec.finished(name), WfPhase.FAILED, name);
      assertStringIncludes(rec.errors.get(name) ?? "", "BadTaskSpecification");
      assertStringIncludes(rec.errors.get(name) ?? "", text);
    }
  } finally {
    await rec.engine!.close();
  }
});
