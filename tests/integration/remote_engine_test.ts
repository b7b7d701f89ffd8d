/**
 * FlyteRemote end to end against the sandbox with its REAL engine: tasks
 * are small Deno programs (container command `deno`) that read inputs.pb and
 * write outputs.pb as local processes. Nothing here reports progress by hand;
 * every phase, node and output comes from a real run.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { type Node, NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import type { RemoteNodeExecution } from "../../src/remote/mod.ts";
import {
  greaterThanBranch,
  type TaskSpecLite,
  taskTemplate,
  writeProgram,
} from "./engine_harness.ts";
import { ident } from "./sandbox_fixtures.ts";

const INT = { type: { case: "simple" as const, value: SimpleType.INTEGER } };
const LIST = { type: { case: "collectionType" as const, value: INT } };

/** A task spec in the test project running the engine tests' program. */
function taskSpec(program: string, spec: TaskSpecLite) {
  const tpl = taskTemplate(program, spec);
  tpl.id = ident(ResourceType.TASK, spec.name);
  return { template: tpl };
}

function bind(ref: string | number) {
  if (typeof ref === "number") {
    return {
      value: {
        case: "scalar" as const,
        value: {
          value: {
            case: "primitive" as const,
            value: { value: { case: "integer" as const, value: BigInt(ref) } },
          },
        },
      },
    };
  }
  const [nodeId, v] = ref.split(".");
  return { value: { case: "promise" as const, value: { nodeId, var: v } } };
}

function upstream(inputs: Record<string, string | number>): string[] {
  return Object.values(inputs).filter((v): v is string => typeof v === "string")
    .map((v) => v.split(".")[0]).filter((n) => n !== "start-node");
}

function tnode(
  id: string,
  task: string,
  inputs: Record<string, string | number>,
): Node {
  return create(NodeSchema, {
    id,
    metadata: { name: task },
    upstreamNodeIds: upstream(inputs),
    inputs: Object.entries(inputs).map(([k, v]) => ({
      var: k,
      binding: bind(v),
    })),
    target: {
      case: "taskNode",
      value: {
        reference: {
          case: "referenceId",
          value: ident(ResourceType.TASK, task),
        },
      },
    },
  });
}

function node(
  id: string,
  inputs: Record<string, string | number>,
  target: Node["target"],
): Node {
  return create(NodeSchema, {
    id,
    upstreamNodeIds: upstream(inputs),
    inputs: Object.entries(inputs).map(([k, v]) => ({
      var: k,
      binding: bind(v),
    })),
    target: target as never,
  });
}

function template(
  name: string,
  nodes: Node[],
  outputs: Record<string, string>,
  inputs: Record<string, "int" | "list"> = {},
  listOutputs: string[] = [],
) {
  return {
    id: ident(ResourceType.WORKFLOW, name),
    metadata: {},
    metadataDefaults: {},
    interface: {
      inputs: {
        variables: Object.fromEntries(
          Object.entries(inputs).map((
            [k, ty],
          ) => [k, { type: ty === "int" ? INT : LIST }]),
        ),
      },
      outputs: {
        variables: Object.fromEntries(
          Object.keys(outputs).map((k) => [k, {
            type: listOutputs.includes(k) ? LIST : INT,
          }]),
        ),
      },
    },
    nodes,
    outputs: Object.entries(outputs).map(([k, v]) => ({
      var: k,
      binding: bind(v),
    })),
  };
}

async function withRemote(
  fn: (remote: FlyteRemote, program: string, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "remote-engine-" });
  const program = await writeProgram(dir);
  // The default launcher: the real engine running tasks as local processes.
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await fn(remote, program, dir);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function registerBasics(remote: FlyteRemote, program: string) {
  for (
    const s of [
      { name: "add", op: "add", inputs: ["a", "b"] },
      { name: "double", op: "double", inputs: ["x"] },
      { name: "inc", op: "inc", inputs: ["x"] },
      { name: "sleep", op: "sleep", inputs: ["x"] },
      { name: "userfail", op: "userfail", inputs: ["x"] },
      {
        name: "double_map",
        op: "double",
        inputs: ["x"],
        listInputs: ["x"],
        listOutputs: ["o0"],
      },
    ]
  ) await remote.entities.registerTask(taskSpec(program, s));
}

function flatten(
  nodes: Map<string, RemoteNodeExecution>,
  prefix = "",
  out = new Map<string, RemoteNodeExecution>(),
) {
  for (const [id, n] of nodes) {
    out.set(prefix + id, n);
    flatten(n.children, `${prefix}${id}/`, out);
  }
  return out;
}

async function waitForPhase(
  remote: FlyteRemote,
  exec: Parameters<FlyteRemote["syncExecution"]>[0],
  done: () => Promise<boolean>,
  what: string,
) {
  const end = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > end) {
      const e = await remote.syncExecution(exec);
      throw new Error(`${what} not reached; execution is ${e.phase}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test("remote+engine: execute a task, a workflow and a launch plan with wait, typed outputs", async () => {
  await withRemote(async (remote, program) => {
    await registerBasics(remote, program);
    const task = await remote.fetchTask("add");
    const te = await remote.execute<{ o0: number }>(task, { a: 2, b: 40 }, {
      wait: { pollInterval: 50 },
    });
    assertEquals(te.phase, "SUCCEEDED");
    assertEquals(te.outputs.o0, 42);
    assertEquals(te.inputs, { a: 2, b: 40 });

    await remote.entities.registerWorkflow({
      template: template(
        "pipeline",
        [
          tnode("n0", "add", { a: "start-node.a", b: 2 }),
          tnode("n1", "double", { x: "n0.o0" }),
        ],
        { out: "n1.o0" },
        { a: "int" },
      ),
    });
    const wf = await remote.fetchWorkflow("pipeline");
    const we = await remote.execute<{ out: number }>(wf, { a: 5 }, {
      wait: { pollInterval: 50 },
      executionNamePrefix: "wf",
    });
    assertEquals(we.phase, "SUCCEEDED");
    assertEquals(we.outputs.out, 14);
    assertMatch(we.name, /^wf-/);

    // A launch plan with a default input, run with and without overriding it.
    const lp = await remote.entities.registerLaunchPlan(
      ident(ResourceType.LAUNCH_PLAN, "pipeline_lp"),
      {
        workflowId: ident(ResourceType.WORKFLOW, "pipeline"),
        entityMetadata: {},
        defaultInputs: {
          parameters: {
            a: {
              var: { type: INT },
              behavior: {
                case: "default",
                value: { value: bind(10).value } as never,
              },
            },
          },
        },
      },
    );
    const le = await remote.execute<{ out: number }>(lp, {}, { wait: true });
    assertEquals(le.outputs.out, 24);
    const le2 = await remote.execute<{ out: number }>(lp, { a: 1 }, {
      wait: true,
    });
    assertEquals(le2.outputs.out, 6);
    // fetchExecution gives the same typed outputs later.
    const again = await remote.fetchExecution(le2.name);
    assertEquals(again.outputs, { out: 6 });
  });
});

Deno.test("remote+engine: syncExecution with nodes over sub-workflow, branch, map, gates", async () => {
  await withRemote(async (remote, program) => {
    await registerBasics(remote, program);
    const sub = template(
      "sub",
      [tnode("s0", "double", { x: "start-node.x" })],
      { o0: "s0.o0" },
      { x: "int" },
    );
    const branch = node("br", { x: "n0.o0" }, {
      case: "branchNode",
      value: greaterThanBranch(
        10,
        tnode("big", "double", { x: "n0.o0" }),
        tnode("small", "inc", { x: "n0.o0" }),
      ),
    } as never);
    const nodes = [
      tnode("n0", "inc", { x: "start-node.a" }),
      branch,
      node("sw", { x: "br.o0" }, {
        case: "workflowNode",
        value: { reference: { case: "subWorkflowRef", value: sub.id } },
      } as never),
      node("map", { x: "start-node.xs" }, {
        case: "arrayNode",
        value: {
          node: tnode("map-sub", "double_map", { x: "start-node.xs" }),
          parallelismOption: { case: "parallelism", value: 3 },
        },
      } as never),
      node("ok", { o0: "sw.o0" }, {
        case: "gateNode",
        value: {
          condition: { case: "approve", value: { signalId: "approve-me" } },
        },
      } as never),
      node("num", {}, {
        case: "gateNode",
        value: {
          condition: {
            case: "signal",
            value: {
              signalId: "a-number",
              type: INT,
              outputVariableName: "o0",
            },
          },
        },
      } as never),
      tnode("sum", "add", { a: "ok.o0", b: "num.o0" }),
    ];
    await remote.entities.registerWorkflow({
      template: template("kinds", nodes, { out: "sum.o0", m: "map.o0" }, {
        a: "int",
        xs: "list",
      }, ["m"]),
      subWorkflows: [sub],
    });
    const wf = await remote.fetchWorkflow("kinds");
    const exec = await remote.execute<{ out: number; m: number[] }>(wf, {
      a: 3,
      xs: [1, 2, 3],
    }, { executionName: "kinds1" });

    // Both gates are reached; answer them through FlyteRemote.
    const signalIds = async () => {
      const ids: string[] = [];
      for await (const s of remote.signals.listSignals(exec)) {
        ids.push(s.signalId);
      }
      return ids;
    };
    await waitForPhase(
      remote,
      exec,
      async () => (await signalIds()).length === 2,
      "both gates",
    );
    assertEquals((await signalIds()).sort(), ["a-number", "approve-me"]);
    const mid = await remote.syncExecution(exec, { nodes: true });
    assertEquals(mid.phase, "RUNNING");
    assertEquals(mid.nodeExecutions.get("ok")?.kind, "gate");
    assertEquals(mid.nodeExecutions.get("ok")?.isDone, false);

    await remote.signals.approve("approve-me", exec);
    await remote.signals.setInput("a-number", exec, 100);
    const done = await remote.wait(exec, { pollInterval: 50, timeout: 60_000 });
    assertEquals(done.phase, "SUCCEEDED", done.error?.message);
    // n0 = 4, branch takes `small` (inc) = 5, sub-workflow doubles = 10, + 100.
    assertEquals(done.outputs.out, 110);
    assertEquals(done.outputs.m, [2, 4, 6]);

    const synced = await remote.syncExecution(exec, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    const all = flatten(synced.nodeExecutions);
    const kinds = Object.fromEntries(
      ["n0", "br", "sw", "map", "ok", "num", "sum"].map((
        id,
      ) => [id, synced.nodeExecutions.get(id)?.kind]),
    );
    assertEquals(kinds, {
      n0: "task",
      br: "branch",
      sw: "subworkflow",
      map: "array",
      ok: "gate",
      num: "gate",
      sum: "task",
    });
    for (const id of ["n0", "br", "sw", "map", "ok", "num", "sum"]) {
      assertEquals(synced.nodeExecutions.get(id)?.phase, "SUCCEEDED", id);
    }
    // The branch ran `small` only; the sub-workflow's node is under it.
    const br = synced.nodeExecutions.get("br")!;
    assertEquals(
      [...br.children.keys()].some((k) => k.includes("small")),
      true,
    );
    assertEquals([...br.children.keys()].some((k) => k.includes("big")), false);
    const sw = synced.nodeExecutions.get("sw")!;
    const s0 = [...sw.children.values()].find((n) => n.specNodeId === "s0");
    assert(s0, `sub-workflow children: ${[...sw.children.keys()]}`);
    assertEquals(s0.outputs, { o0: 10 });
    assertEquals(s0.taskExecutions.length, 1);
    assertEquals(s0.taskExecutions[0].phase, "SUCCEEDED");
    // Node data typed from the interface.
    assertEquals(synced.nodeExecutions.get("n0")!.inputs, { x: 3 });
    assertEquals(synced.nodeExecutions.get("n0")!.outputs, { o0: 4 });
    assertEquals(synced.nodeExecutions.get("map")!.outputs, { o0: [2, 4, 6] });
    assertEquals(synced.nodeExecutions.get("num")!.outputs, { o0: 100 });
    assert(all.size >= 10, `only ${all.size} nodes synced`);

    // syncNodeExecution on one node refreshes it alone.
    const n0 = await remote.monitor.syncNodeExecution(
      synced.nodeExecutions.get("n0")!,
    );
    assertEquals(n0.taskExecutions[0].outputs, { o0: 4 });
    assertStringIncludes(remote.generateConsoleUrl(n0), "kinds1");
  });
});

Deno.test("remote+engine: a failing node's error is surfaced; reject fails a gate", async () => {
  await withRemote(async (remote, program) => {
    await registerBasics(remote, program);
    await remote.entities.registerWorkflow({
      template: template(
        "failing",
        [
          tnode("n0", "inc", { x: "start-node.a" }),
          tnode("n1", "userfail", { x: "n0.o0" }),
        ],
        { out: "n1.o0" },
        { a: "int" },
      ),
    });
    const wf = await remote.fetchWorkflow("failing");
    const exec = await remote.execute(wf, { a: 1 }, { wait: true });
    assertEquals(exec.phase, "FAILED");
    assertStringIncludes(exec.error?.message ?? "", "permanent user failure");
    const synced = await remote.syncExecution(exec, {
      nodes: true,
      taskExecutions: true,
    });
    assertEquals(synced.nodeExecutions.get("n0")?.phase, "SUCCEEDED");
    const n1 = synced.nodeExecutions.get("n1")!;
    assertEquals(n1.phase, "FAILED");
    assertStringIncludes(n1.error?.message ?? "", "permanent user failure");
    assertEquals(n1.error?.code, "Boom");
    assertEquals(n1.taskExecutions[0].phase, "FAILED");

    await remote.entities.registerWorkflow({
      template: template(
        "rejected",
        [
          node("ok", { o0: "start-node.a" }, {
            case: "gateNode",
            value: {
              condition: { case: "approve", value: { signalId: "go" } },
            },
          } as never),
        ],
        { out: "ok.o0" },
        { a: "int" },
      ),
    });
    const r = await remote.execute(await remote.fetchWorkflow("rejected"), {
      a: 1,
    });
    await waitForPhase(remote, r, async () => {
      for await (const s of remote.signals.listSignals(r)) {
        if (s.signalId === "go") return true;
      }
      return false;
    }, "gate go");
    await remote.signals.reject("go", r);
    const rd = await remote.wait(r, { pollInterval: 50 });
    assertEquals(rd.phase, "FAILED");
    assertStringIncludes(rd.error?.message ?? "", "reject");
  });
});

Deno.test("remote+engine: terminate a running execution; metrics of a real run; relaunch", async () => {
  await withRemote(async (remote, program) => {
    await registerBasics(remote, program);
    const sleeper = await remote.fetchTask("sleep");
    const exec = await remote.execute(sleeper, { x: 60 });
    await waitForPhase(remote, exec, async () => {
      const e = await remote.syncExecution(exec, {
        nodes: true,
        taskExecutions: true,
      });
      return [...e.nodeExecutions.values()].some((n) =>
        n.taskExecutions.some((t) => t.phase === "RUNNING")
      );
    }, "task RUNNING");
    await remote.executions.terminate(exec, "no longer needed");
    const ended = await remote.wait(exec, {
      pollInterval: 50,
      timeout: 30_000,
    });
    assertEquals(ended.phase, "ABORTED");
    assertEquals(ended.abortCause, "no longer needed");
    // The engine's ABORTED event leaves admin's abort record in place.
    assertEquals(ended.raw.closure?.outputResult.case, "abortMetadata");

    const add = await remote.fetchTask("add");
    const ok = await remote.execute(add, { a: 1, b: 2 }, { wait: true });
    const metrics = await remote.monitor.getExecutionMetrics(ok);
    assertEquals(metrics.root.kind, "workflow");
    assert(metrics.root.durationMs > 0);
    assert(metrics.root.children.length > 0, "no spans under the execution");
    const text = metrics.explain();
    assertStringIncludes(text, ok.name);

    // Relaunch: same inputs, a new execution that runs for real.
    const again = await remote.executions.relaunch(ok, {
      executionName: "again",
      wait: true,
    });
    assertEquals(again.name, "again");
    assertEquals(again.phase, "SUCCEEDED");
    assertEquals(again.outputs, { o0: 3 });
    assertEquals(again.raw.spec?.metadata?.referenceExecution?.name, ok.name);
  });
});
