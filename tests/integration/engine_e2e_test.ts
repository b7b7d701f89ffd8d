/**
 * End-to-end: the sandbox (admin + engine) observed only through its public
 * gRPC API, as any Flyte client sees it. Tasks are small Deno programs
 * (container command `deno`) that read inputs.pb and write outputs.pb.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { Http2SessionManager } from "@connectrpc/connect-node";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type Node,
  NodeSchema,
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import {
  NodeExecution_Phase as NodePhase,
  TaskExecution_Phase as TaskPhase,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import { ExecutionMetadata_ExecutionMode } from "@flyteidl/admin/execution_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { engineLauncher } from "../../src/sandbox/engine/mod.ts";
import { LaunchPlanState } from "@flyteidl/admin/launch_plan_pb.ts";
import { FixedRateUnit } from "@flyteidl/admin/schedule_pb.ts";
import { spawnSandboxProcess } from "../helpers/sandbox_process.ts";
import {
  greaterThanBranch,
  int,
  intOf,
  ints,
  lmap,
  taskTemplate,
  writeProgram,
} from "./engine_harness.ts";

const PROJECT = "flytesnacks";
const DOMAIN = "development";

function id(type: ResourceType, name: string, version = "v1"): Identifier {
  return create(IdentifierSchema, {
    resourceType: type,
    project: PROJECT,
    domain: DOMAIN,
    name,
    version,
  });
}

type Admin = Client<typeof AdminService>;

/** A task template from the engine tests' program, with sandbox ids. */
function task(
  program: string,
  spec: Parameters<typeof taskTemplate>[1],
): TaskTemplate {
  const t = taskTemplate(program, spec);
  t.id = id(ResourceType.TASK, spec.name);
  return t;
}

function promise(nodeId: string, v: string) {
  return { value: { case: "promise" as const, value: { nodeId, var: v } } };
}

function tnode(
  nid: string,
  taskName: string,
  inputs: Record<string, string | number>,
  extra = {},
) {
  return create(NodeSchema, {
    id: nid,
    metadata: { name: taskName },
    upstreamNodeIds: Object.values(inputs).filter((v) => typeof v === "string")
      .map((v) => (v as string).split(".")[0]).filter((n) =>
        n !== "start-node"
      ),
    inputs: Object.entries(inputs).map(([k, v]) => ({
      var: k,
      binding: typeof v === "string"
        ? promise(v.split(".")[0], v.split(".")[1])
        : {
          value: {
            case: "scalar" as const,
            value: int(v).value.value as never,
          },
        },
    })),
    target: {
      case: "taskNode",
      value: {
        reference: {
          case: "referenceId",
          value: id(ResourceType.TASK, taskName),
        },
      },
    },
    ...extra,
  });
}

const INT = { type: { case: "simple" as const, value: SimpleType.INTEGER } };
const LIST = { type: { case: "collectionType" as const, value: INT } };

function wfTemplate(
  name: string,
  nodes: Node[],
  outputs: Record<string, string>,
  inputs: Record<string, "int" | "list"> = {},
  listOutputs: string[] = [],
): WorkflowTemplate {
  return create(WorkflowTemplateSchema, {
    id: id(ResourceType.WORKFLOW, name),
    metadata: {},
    metadataDefaults: {},
    interface: {
      inputs: {
        variables: Object.fromEntries(
          Object.entries(inputs).map((
            [k, t],
          ) => [k, { type: t === "int" ? INT : LIST }]),
        ),
      },
      outputs: {
        variables: Object.fromEntries(
          Object.keys(outputs).map((
            k,
          ) => [k, { type: listOutputs.includes(k) ? LIST : INT }]),
        ),
      },
    },
    nodes,
    outputs: Object.entries(outputs).map(([k, v]) => ({
      var: k,
      binding: promise(v.split(".")[0], v.split(".")[1]),
    })),
  });
}

class E2E {
  admin: Admin;
  signals: Client<typeof SignalService>;
  sessions: Http2SessionManager;
  constructor(endpoint: string) {
    this.sessions = new Http2SessionManager(endpoint);
    const transport = createGrpcTransport({
      baseUrl: endpoint,
      sessionManager: this.sessions,
    });
    this.admin = createClient(AdminService, transport);
    this.signals = createClient(SignalService, transport);
  }

  async registerTasks(tasks: TaskTemplate[]) {
    for (const t of tasks) {
      await this.admin.createTask({ id: t.id, spec: { template: t } }).catch(
        (e) => {
          if (!String(e).includes("already exists")) throw e;
        },
      );
    }
  }

  /** Registers a workflow and its default launch plan (same name). */
  async registerWorkflow(
    tpl: WorkflowTemplate,
    subWorkflows: WorkflowTemplate[] = [],
  ) {
    await this.admin.createWorkflow({
      id: tpl.id,
      spec: { template: tpl, subWorkflows },
    });
    const lpId = id(ResourceType.LAUNCH_PLAN, tpl.id!.name);
    await this.admin.createLaunchPlan({
      id: lpId,
      spec: { workflowId: tpl.id, entityMetadata: {} },
    });
    return lpId;
  }

  async run(name: string, lp: Identifier, inputs: LiteralMap, spec = {}) {
    await this.admin.createExecution({
      project: PROJECT,
      domain: DOMAIN,
      name,
      spec: { launchPlan: lp, ...spec },
      inputs,
    });
    return {
      project: PROJECT,
      domain: DOMAIN,
      name,
    } as WorkflowExecutionIdentifier;
  }

  async wait(execId: WorkflowExecutionIdentifier, ms = 90_000) {
    const terminal = [
      WfPhase.SUCCEEDED,
      WfPhase.FAILED,
      WfPhase.ABORTED,
      WfPhase.TIMED_OUT,
    ];
    const end = Date.now() + ms;
    while (true) {
      const e = await this.admin.getExecution({ id: execId });
      if (terminal.includes(e.closure!.phase)) return e;
      if (Date.now() > end) {
        throw new Error(
          `${execId.name} still ${WfPhase[e.closure!.phase]} after ${ms} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async succeeded(execId: WorkflowExecutionIdentifier) {
    const e = await this.wait(execId);
    const c = e.closure!;
    assertEquals(
      WfPhase[c.phase],
      "SUCCEEDED",
      c.outputResult.case === "error" ? c.outputResult.value.message : "",
    );
    return (await this.admin.getExecutionData({ id: execId })).fullOutputs!;
  }

  async nodes(execId: WorkflowExecutionIdentifier, uniqueParentId = "") {
    return (await this.admin.listNodeExecutions({
      workflowExecutionId: execId,
      limit: 100,
      uniqueParentId,
    }))
      .nodeExecutions;
  }

  async tasks(execId: WorkflowExecutionIdentifier, nodeId: string) {
    return (await this.admin.listTaskExecutions({
      nodeExecutionId: { executionId: execId, nodeId },
      limit: 100,
    })).taskExecutions;
  }
}

async function withSandbox(
  fn: (e: E2E, program: string, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "engine-e2e-" });
  const program = await writeProgram(dir);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const e = new E2E(sb.endpoint);
  try {
    await fn(e, program, dir);
  } finally {
    // Close the client's HTTP/2 session before the server goes away.
    e.sessions.abort();
    await sb.close();
  }
}

Deno.test("e2e: three-node workflow", async () => {
  await withSandbox(async (e, program) => {
    await e.registerTasks([
      task(program, { name: "add", op: "add", inputs: ["a", "b"] }),
      task(program, { name: "double", op: "double", inputs: ["x"] }),
    ]);
    const lp = await e.registerWorkflow(wfTemplate(
      "three",
      [
        tnode("n0", "add", { a: "start-node.a", b: 2 }),
        tnode("n1", "double", { x: "n0.o0" }),
        tnode("n2", "add", { a: "n0.o0", b: "n1.o0" }),
      ],
      { out: "n2.o0" },
      { a: "int" },
    ));
    const ex = await e.run("three", lp, lmap({ a: int(5) }));
    const out = await e.succeeded(ex);
    assertEquals(intOf(out.literals.out), 21);
    const nodes = await e.nodes(ex);
    const byId = Object.fromEntries(nodes.map((n) => [n.id!.nodeId, n]));
    for (const n of ["start-node", "n0", "n1", "n2", "end-node"]) {
      assertEquals(NodePhase[byId[n]?.closure?.phase ?? 0], "SUCCEEDED", n);
    }
    const t = await e.tasks(ex, "n1");
    assertEquals(t.length, 1);
    assertEquals(TaskPhase[t[0].closure!.phase], "SUCCEEDED");
    assert(t[0].closure!.logs.some((l) => l.name === "stdout"));
    const log = await fetch(
      t[0].closure!.logs.find((l) => l.name === "stderr")!.uri,
    );
    assertEquals(log.status, 200);
    await log.body?.cancel();
    // A single-task execution runs the wrapper workflow admin generates.
    const single = await e.run(
      "single",
      id(ResourceType.TASK, "double"),
      lmap({ x: int(8) }),
    );
    assertEquals(intOf((await e.succeeded(single)).literals.o0), 16);
  });
});

Deno.test("e2e: branch, sub-workflow and launch-plan node", async () => {
  await withSandbox(async (e, program) => {
    await e.registerTasks([
      task(program, { name: "double", op: "double", inputs: ["x"] }),
      task(program, { name: "inc", op: "inc", inputs: ["x"] }),
    ]);
    const sub = wfTemplate(
      "sub",
      [tnode("s0", "double", { x: "start-node.x" })],
      { o0: "s0.o0" },
      {
        x: "int",
      },
    );
    const lpChild = await e.registerWorkflow(
      wfTemplate("child", [tnode("c0", "inc", { x: "start-node.x" })], {
        o0: "c0.o0",
      }, { x: "int" }),
    );
    const branch = create(NodeSchema, {
      id: "n1",
      upstreamNodeIds: ["n0"],
      inputs: [{ var: "x", binding: promise("n0", "o0") }],
      target: {
        case: "branchNode",
        value: greaterThanBranch(
          10,
          tnode("big", "double", { x: "n0.o0" }),
          tnode("small", "inc", { x: "n0.o0" }),
        ),
      },
    });
    const lp = await e.registerWorkflow(
      wfTemplate(
        "mixed",
        [
          tnode("n0", "inc", { x: "start-node.a" }),
          branch,
          create(NodeSchema, {
            id: "n2",
            upstreamNodeIds: ["n1"],
            inputs: [{ var: "x", binding: promise("n1", "o0") }],
            target: {
              case: "workflowNode",
              value: { reference: { case: "subWorkflowRef", value: sub.id! } },
            },
          }),
          create(NodeSchema, {
            id: "n3",
            upstreamNodeIds: ["n2"],
            inputs: [{ var: "x", binding: promise("n2", "o0") }],
            target: {
              case: "workflowNode",
              value: { reference: { case: "launchplanRef", value: lpChild } },
            },
          }),
        ],
        { out: "n3.o0" },
        { a: "int" },
      ),
      [sub],
    );
    const ex = await e.run("mixed", lp, lmap({ a: int(2) }));
    // inc(2)=3; 3 > 10? no → inc → 4; sub doubles → 8; child lp inc → 9
    assertEquals(intOf((await e.succeeded(ex)).literals.out), 9);
    const top = await e.nodes(ex);
    const n1 = top.find((n) => n.id!.nodeId === "n1")!;
    assert(n1.metadata?.isParentNode);
    const branchChildren = await e.nodes(ex, "n1");
    assertEquals(branchChildren.length, 1);
    assertStringIncludes(branchChildren[0].metadata!.specNodeId, "small");
    const subChildren = await e.nodes(ex, "n2");
    assert(subChildren.some((n) => n.metadata?.specNodeId === "s0"));
    const n3 = top.find((n) => n.id!.nodeId === "n3")!;
    assert(n3.closure?.targetMetadata.case === "workflowNodeMetadata");
    const childId = n3.closure.targetMetadata.value.executionId!;
    const child = await e.admin.getExecution({ id: childId });
    assertEquals(WfPhase[child.closure!.phase], "SUCCEEDED");
    assertEquals(
      child.spec?.metadata?.mode,
      ExecutionMetadata_ExecutionMode.CHILD_WORKFLOW,
    );
    assertEquals(child.spec?.metadata?.parentNodeExecution?.nodeId, "n3");
  });
});

Deno.test("e2e: map over 50 items", async () => {
  await withSandbox(async (e, program) => {
    // A map task's template declares the list interface (flytekit's ArrayNodeMapTask).
    await e.registerTasks([task(program, {
      name: "double_map",
      op: "double",
      inputs: ["x"],
      listInputs: ["x"],
      listOutputs: ["o0"],
    })]);
    const lp = await e.registerWorkflow(
      wfTemplate(
        "map50",
        [create(NodeSchema, {
          id: "n0",
          inputs: [{ var: "x", binding: promise("start-node", "xs") }],
          target: {
            case: "arrayNode",
            value: {
              node: tnode("n0-sub", "double_map", { x: "start-node.xs" }),
              parallelismOption: { case: "parallelism", value: 6 },
            },
          },
        })],
        { out: "n0.o0" },
        { xs: "list" },
        ["out"],
      ),
    );
    const items = Array.from({ length: 50 }, (_, i) => i);
    const ex = await e.run("map50", lp, lmap({ xs: ints(items) }));
    const out = (await e.succeeded(ex)).literals.out;
    assert(out.value.case === "collection");
    assertEquals(out.value.value.literals.map(intOf), items.map((i) => i * 2));
  });
});

Deno.test("e2e: gate answered through SetSignal", async () => {
  await withSandbox(async (e, program) => {
    await e.registerTasks([
      task(program, { name: "double", op: "double", inputs: ["x"] }),
    ]);
    const lp = await e.registerWorkflow(wfTemplate("gated", [
      create(NodeSchema, {
        id: "g",
        target: {
          case: "gateNode",
          value: {
            condition: {
              case: "signal",
              value: {
                signalId: "my-number",
                type: INT,
                outputVariableName: "o0",
              },
            },
          },
        },
      }),
      tnode("n1", "double", { x: "g.o0" }),
    ], { out: "n1.o0" }));
    const ex = await e.run("gated", lp, lmap({}));
    const end = Date.now() + 30_000;
    while (true) {
      const list = await e.signals.listSignals({
        workflowExecutionId: ex,
        limit: 10,
      });
      if (list.signals.some((s) => s.id?.signalId === "my-number")) break;
      if (Date.now() > end) throw new Error("signal never created");
      await new Promise((r) => setTimeout(r, 100));
    }
    assertEquals(
      WfPhase[(await e.admin.getExecution({ id: ex })).closure!.phase],
      "RUNNING",
    );
    await e.signals.setSignal({
      id: { executionId: ex, signalId: "my-number" },
      value: int(21),
    });
    assertEquals(intOf((await e.succeeded(ex)).literals.out), 42);
  });
});

Deno.test("e2e: retry succeeds on the second attempt; cached task hits on the second run", async () => {
  await withSandbox(async (e, program, dir) => {
    await e.registerTasks([
      task(program, { name: "flaky", op: "flaky", inputs: ["x"], retries: 2 }),
      task(program, {
        name: "count",
        op: "count",
        inputs: ["x"],
        cache: "1.0",
      }),
    ]);
    const retryLp = await e.registerWorkflow(
      wfTemplate("retry", [tnode("n0", "flaky", { x: 1 })], { out: "n0.o0" }),
    );
    const ex = await e.run("retry", retryLp, lmap({}));
    assertEquals(intOf((await e.succeeded(ex)).literals.out), 101);
    const attempts = await e.tasks(ex, "n0");
    assertEquals(
      attempts.map((t) => [t.id!.retryAttempt, TaskPhase[t.closure!.phase]])
        .sort(),
      [[0, "FAILED"], [1, "SUCCEEDED"]],
    );

    const countFile = `${dir}/count`;
    const cacheLp = await e.registerWorkflow(
      wfTemplate("cached", [tnode("n0", "count", { x: "start-node.x" })], {
        out: "n0.o0",
      }, {
        x: "int",
      }),
    );
    const envs = {
      envs: { values: [{ key: "COUNT_FILE", value: countFile }] },
    };
    const c1 = await e.run("c1", cacheLp, lmap({ x: int(7) }), envs);
    assertEquals(intOf((await e.succeeded(c1)).literals.out), 8);
    const c2 = await e.run("c2", cacheLp, lmap({ x: int(7) }), envs);
    assertEquals(intOf((await e.succeeded(c2)).literals.out), 8);
    assertEquals(await Deno.readTextFile(countFile), "x");
    const status = async (ex: WorkflowExecutionIdentifier) => {
      const n = await e.admin.getNodeExecution({
        id: { executionId: ex, nodeId: "n0" },
      });
      return n.closure?.targetMetadata.case === "taskNodeMetadata"
        ? n.closure.targetMetadata.value.cacheStatus
        : undefined;
    };
    assertEquals(await status(c1), CatalogCacheStatus.CACHE_POPULATED);
    assertEquals(await status(c2), CatalogCacheStatus.CACHE_HIT);
    assertEquals((await e.tasks(c2, "n0")).length, 0);
  });
});

Deno.test("e2e: terminate stops the running task and ends ABORTED", async () => {
  await withSandbox(async (e, program) => {
    await e.registerTasks([
      task(program, { name: "sleep", op: "sleep", inputs: ["x"] }),
    ]);
    const lp = await e.registerWorkflow(
      wfTemplate("sleepy", [tnode("n0", "sleep", { x: 60 })], { out: "n0.o0" }),
    );
    const ex = await e.run("sleepy", lp, lmap({}));
    const end = Date.now() + 30_000;
    while (true) {
      const t = await e.tasks(ex, "n0").catch(() => []);
      if (t.some((x) => x.closure?.phase === TaskPhase.RUNNING)) break;
      if (Date.now() > end) throw new Error("task never ran");
      await new Promise((r) => setTimeout(r, 100));
    }
    await e.admin.terminateExecution({ id: ex, cause: "enough" });
    const done = await e.wait(ex, 20_000);
    assertEquals(WfPhase[done.closure!.phase], "ABORTED");
    const n0 = (await e.nodes(ex)).find((n) => n.id!.nodeId === "n0")!;
    assertEquals(NodePhase[n0.closure!.phase], "ABORTED");
    const t = await e.tasks(ex, "n0");
    assertEquals(TaskPhase[t[0].closure!.phase], "ABORTED");
  });
});

Deno.test("e2e: SIGKILL of the sandbox mid-run, restart, the execution resumes and succeeds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-e2e-crash-" });
  const program = await writeProgram(dir);
  const dataDir = `${dir}/data`;
  const first = await spawnSandboxProcess(dataDir);
  let ex: WorkflowExecutionIdentifier;
  const e1 = new E2E(first.endpoint);
  try {
    const e = e1;
    await e.registerTasks([
      task(program, { name: "inc", op: "inc", inputs: ["x"] }),
      task(program, { name: "sleepfirst", op: "sleepfirst", inputs: ["x"] }),
    ]);
    const lp = await e.registerWorkflow(wfTemplate(
      "crashy",
      [
        tnode("n0", "inc", { x: "start-node.a" }),
        tnode("n1", "sleepfirst", { x: "n0.o0" }),
        tnode("n2", "inc", { x: "n1.o0" }),
      ],
      { out: "n2.o0" },
      { a: "int" },
    ));
    ex = await e.run("crashy", lp, lmap({ a: int(1) }), {
      envs: { values: [{ key: "PID_FILE", value: `${dir}/pid` }] },
    });
    const end = Date.now() + 60_000;
    while (true) {
      const t = await e.tasks(ex, "n1").catch(() => []);
      if (t.some((x) => x.closure?.phase === TaskPhase.RUNNING)) break;
      if (Date.now() > end) throw new Error("n1 never ran");
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    e1.sessions.abort();
    first.child.kill("SIGKILL");
    await first.child.status;
  }
  const second = await spawnSandboxProcess(dataDir);
  const e2 = new E2E(second.endpoint);
  try {
    const e = e2;
    assertEquals(intOf((await e.succeeded(ex)).literals.out), 7);
    const attempts = await e.tasks(ex, "n1");
    const lost = attempts.find((t) => t.id!.retryAttempt === 0)!;
    assertEquals(TaskPhase[lost.closure!.phase], "FAILED");
    const r = lost.closure!.outputResult;
    assertStringIncludes(
      r.case === "error" ? r.value.message : "",
      "sandbox stopped",
    );
    // The log link recorded before the crash still opens after the restart.
    const before = lost.closure!.logs.find((l) => l.name === "stdout")!.uri;
    const res = await fetch(before);
    assertEquals(res.status, 200);
    await res.body?.cancel();
    assertEquals(
      TaskPhase[attempts.find((t) => t.id!.retryAttempt === 1)!.closure!.phase],
      "SUCCEEDED",
    );
    assertEquals((await e.tasks(ex, "n0")).length, 1);
  } finally {
    e2.sessions.abort();
    second.child.kill("SIGTERM");
    await second.child.status;
  }
});

Deno.test("e2e: an execution admin stored but no engine ever took ends FAILED, saying why", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-e2e-orphan-" });
  const program = await writeProgram(dir);
  const dataDir = `${dir}/data`;
  // First without an engine: the execution stays in its created phase.
  const bare = await startSandbox({ port: 0, dataDir, launcher: null });
  let ex: WorkflowExecutionIdentifier;
  const e1 = new E2E(bare.endpoint);
  try {
    await e1.registerTasks([
      task(program, { name: "inc", op: "inc", inputs: ["x"] }),
    ]);
    const lp = await e1.registerWorkflow(
      wfTemplate("orphan", [tnode("n0", "inc", { x: 1 })], { out: "n0.o0" }),
    );
    ex = await e1.run("orphan", lp, lmap({}));
    assertEquals(
      WfPhase[(await e1.admin.getExecution({ id: ex })).closure!.phase],
      "UNDEFINED",
    );
  } finally {
    e1.sessions.abort();
    await bare.close();
  }
  const sb = await startSandbox({ port: 0, dataDir });
  const e = new E2E(sb.endpoint);
  try {
    const done = await e.wait(ex, 20_000);
    assertEquals(WfPhase[done.closure!.phase], "FAILED");
    const r = done.closure!.outputResult;
    assert(r.case === "error");
    assertEquals(r.value.code, "SandboxRestarted");
    assertStringIncludes(r.value.message, "never ran");
  } finally {
    e.sessions.abort();
    await sb.close();
  }
});

Deno.test("e2e: an active fixed-rate launch plan fires (scheduler clock advanced)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-e2e-sched-" });
  const program = await writeProgram(dir);
  let skew = 0;
  const sb = await startSandbox({
    port: 0,
    dataDir: `${dir}/data`,
    launcher: engineLauncher({
      scheduler: { intervalMs: 100, now: () => Date.now() + skew },
    }),
  });
  const e = new E2E(sb.endpoint);
  try {
    await e.registerTasks([
      task(program, { name: "inc", op: "inc", inputs: ["x"] }),
    ]);
    const tpl = wfTemplate("ticking", [tnode("n0", "inc", { x: 1 })], {
      out: "n0.o0",
    });
    await e.admin.createWorkflow({ id: tpl.id, spec: { template: tpl } });
    const lpId = id(ResourceType.LAUNCH_PLAN, "ticking");
    await e.admin.createLaunchPlan({
      id: lpId,
      spec: {
        workflowId: tpl.id,
        entityMetadata: {
          schedule: {
            ScheduleExpression: {
              case: "rate",
              value: { value: 1, unit: FixedRateUnit.MINUTE },
            },
          },
        },
      },
    });
    await e.admin.updateLaunchPlan({ id: lpId, state: LaunchPlanState.ACTIVE });
    await new Promise((r) => setTimeout(r, 500));
    const list = () =>
      e.admin.listExecutions({
        id: { project: PROJECT, domain: DOMAIN },
        limit: 100,
      });
    assertEquals((await list()).executions.length, 0, "nothing due yet");
    skew = 2.5 * 60_000; // two ticks are now due
    const end = Date.now() + 30_000;
    let execs = (await list()).executions;
    while (execs.length < 2 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      execs = (await list()).executions;
    }
    assertEquals(execs.length, 2);
    for (const x of execs) {
      assertEquals(
        x.spec?.metadata?.mode,
        ExecutionMetadata_ExecutionMode.SCHEDULED,
      );
      assert(x.spec?.metadata?.scheduledAt);
      assertEquals(intOf((await e.succeeded(x.id!)).literals.out), 2);
    }
  } finally {
    e.sessions.abort();
    await sb.close();
  }
});
