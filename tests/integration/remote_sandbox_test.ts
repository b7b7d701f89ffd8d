/**
 * FlyteRemote against the embedded sandbox over real gRPC. The sandbox runs
 * with a recording launcher (no engine): progress is reported through the
 * sandbox's in-process event RPCs, exactly as the engine (or propeller)
 * reports it, so every node kind can be produced on demand.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { LaunchPlanCreateRequestSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { TaskCreateRequestSchema } from "@flyteidl/admin/task_pb.ts";
import { WorkflowCreateRequestSchema } from "@flyteidl/admin/workflow_pb.ts";
import type {
  ExecutionLauncher,
  LaunchRequest,
} from "../../src/sandbox/mod.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../../src/client/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { t } from "../../src/types/mod.ts";
import {
  chainLaunchPlan,
  chainWorkflow,
  DOMAIN,
  freshSandbox,
  ident,
  intLiteral,
  PROJECT,
  squareTask,
} from "./sandbox_fixtures.ts";

function recorder() {
  const launched: LaunchRequest[] = [];
  const terminated: string[] = [];
  const launcher: ExecutionLauncher = {
    launch: (r) => {
      launched.push(r);
      return Promise.resolve();
    },
    terminate: (id, cause) => {
      terminated.push(`${id.name}:${cause}`);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  return { launched, terminated, launcher };
}

async function setup() {
  const rec = recorder();
  const sb = await freshSandbox({ launcher: rec.launcher });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  const close = async () => {
    await remote.close();
    await sb.close();
  };
  return { rec, sb, remote, close };
}

async function registerChain(remote: FlyteRemote) {
  const t = squareTask();
  await remote.entities.registerTask(t.spec!);
  const w = chainWorkflow();
  await remote.entities.registerWorkflow(w.spec!, { defaultLaunchPlan: false });
  const lp = chainLaunchPlan();
  return await remote.entities.registerLaunchPlan(lp.id!, lp.spec!);
}

Deno.test("remote entities: register, fetch (latest/version/lazy), list, activate", async () => {
  const { remote, close } = await setup();
  try {
    const lp = await registerChain(remote);
    assertEquals(lp.id.name, "tests.chain");
    // Registering the same entity again is success.
    await remote.entities.registerTask(squareTask().spec!);
    await remote.entities.registerTask(squareTask("v2").spec!);
    // A workflow registered with its default launch plan.
    await remote.entities.registerWorkflow(chainWorkflow("v2").spec!);

    assertEquals((await remote.fetchTask("tests.square")).id.version, "v2");
    const t1 = await remote.fetchTask("tests.square", { version: "v1" });
    assertEquals(t1.id.version, "v1");
    assertEquals(t1.inputs.map((i) => i.name), ["x"]);
    await assertRejects(
      () => remote.fetchTask("no.such.task"),
      FlyteEntityNotExistError,
      "no.such.task",
    );
    await assertRejects(
      () => remote.fetchTask("tests.square", { version: "v9" }),
      FlyteEntityNotExistError,
    );
    const wf = await remote.fetchWorkflow("tests.chain", { version: "v1" });
    // The compiled template has admin's start and end nodes too.
    assertEquals(
      wf.template?.nodes.map((n) => n.id).filter((id) => !id.endsWith("-node")),
      ["n0", "n1", "n2"],
    );
    const fetchedLp = await remote.fetchLaunchPlan("tests.chain", {
      version: "v1",
    });
    // Default inputs survive the fetch.
    const x = fetchedLp.inputs.find((i) => i.name === "x")!;
    assertEquals(x.required, false);
    assert(x.default, "the default literal is kept");
    const defaultLp = await remote.fetchLaunchPlan("tests.chain", {
      version: "v2",
    });
    assertEquals(defaultLp.workflowId?.version, "v2");

    const lazy = remote.entities.fetchTaskLazy("tests.square", {
      version: "v1",
    });
    assertEquals(lazy.id.name, "tests.square");
    assertEquals((await lazy.get()).id.version, "v1");
    assert(lazy.get() === lazy.get(), "fetched once");
    const lazyWf = remote.entities.fetchWorkflowLazy("tests.chain");
    assertEquals((await lazyWf.get()).id.version, "v2");

    const v1Tasks = [];
    for await (const t of remote.entities.listTasksByVersion("v1")) {
      v1Tasks.push(t);
    }
    assertEquals(v1Tasks.map((t) => `${t.id.name}@${t.id.version}`), [
      "tests.square@v1",
    ]);
    const projects = [];
    for await (const p of remote.entities.listProjects({ limit: 50 })) {
      projects.push(p.id);
    }
    assert(projects.includes(PROJECT), `projects: ${projects}`);
    assert((await remote.entities.getDomains()).some((d) => d.id === DOMAIN));

    assertEquals(
      await remote.entities.fetchActiveLaunchPlan("tests.chain"),
      undefined,
    );
    await remote.entities.activateLaunchPlan(fetchedLp);
    assertEquals(
      (await remote.entities.fetchActiveLaunchPlan("tests.chain"))?.id.version,
      "v1",
    );
    await remote.entities.deactivateLaunchPlan("tests.chain", {
      version: "v1",
    });
    assertEquals(
      await remote.entities.fetchActiveLaunchPlan("tests.chain"),
      undefined,
    );
    assertStringIncludes(
      remote.generateConsoleUrl(fetchedLp),
      "/console/projects/flytesnacks/domains/development/launch_plan/tests.chain/version/v1",
    );
  } finally {
    await close();
  }
});

Deno.test("remote execute: tasks, workflows and launch plans; input checking; options; ALREADY_EXISTS", async () => {
  const { remote, rec, sb, close } = await setup();
  try {
    const lp = await registerChain(remote);
    const task = await remote.fetchTask("tests.square");
    const wf = await remote.fetchWorkflow("tests.chain");

    // Bad inputs fail before any call, listing the interface.
    const err = await assertRejects(
      () => remote.execute(lp, { x: "three", y: 1 }),
      FlyteInvalidInputError,
    );
    assertStringIncludes(err.message, 'unknown input "y"');
    assertStringIncludes(err.message, 'input "x" expects integer');
    assertStringIncludes(err.message, "expected interface:\n  x: integer = 3");
    await assertRejects(
      () => remote.execute(task, {}),
      FlyteInvalidInputError,
      'missing required input "x"',
    );
    assertEquals(rec.launched.length, 0);

    const e1 = await remote.execute(task, { x: 4 }, {
      executionName: "sq-one",
      labels: { team: "a" },
      envs: { MODE: "test" },
      tags: ["t1"],
      overwriteCache: true,
    });
    assertEquals(e1.name, "sq-one");
    assertEquals(e1.inputs, { x: 4 });
    assertEquals(e1.raw.spec?.labels?.values, { team: "a" });
    assertEquals(e1.raw.spec?.tags, ["t1"]);
    assertEquals(e1.raw.spec?.overwriteCache, true);
    assertEquals(rec.launched.length, 1);
    // The same name again returns the existing execution (no second launch).
    const again = await remote.execute(task, { x: 4 }, {
      executionName: "sq-one",
    });
    assertEquals(again.name, "sq-one");
    assertEquals(rec.launched.length, 1);

    const e2 = await remote.execute(wf, {}, { executionNamePrefix: "chain" });
    assertMatch(e2.name, /^chain-[0-9a-f]{19}$/);
    assertEquals(e2.launchPlanId?.resourceType, ResourceType.LAUNCH_PLAN);
    assertEquals(e2.inputs, { x: 3 }, "the launch plan default applies");
    const e3 = await remote.execute(lp, { x: 5 });
    assertMatch(e3.name, /^f[0-9a-f]{19}$/);
    assertEquals(rec.launched.length, 3);

    const recent = [];
    for await (const e of remote.executions.recentExecutions({ limit: 2 })) {
      recent.push(e.name);
    }
    assertEquals(recent, [e3.name, e2.name]);
    const fetched = await remote.fetchExecution("sq-one");
    assertEquals(fetched.inputs, { x: 4 });
    assertEquals(
      remote.generateConsoleUrl(fetched),
      `${remote.generateConsoleUrl(fetched.id)}`,
    );

    // execute(..., { wait }) returns once the execution is done.
    const finishLater = (async () => {
      while (rec.launched.length < 4) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const id = rec.launched[3].id;
      for (
        const phase of [
          WorkflowExecution_Phase.RUNNING,
          WorkflowExecution_Phase.SUCCEEDED,
        ]
      ) {
        await sb.services.admin.createWorkflowEvent({
          event: {
            executionId: id,
            phase,
            occurredAt: timestampFromDate(new Date()),
            outputResult: phase === WorkflowExecution_Phase.SUCCEEDED
              ? {
                case: "outputData",
                value: { literals: { o0: intLiteral(625) } },
              }
              : { case: undefined },
          },
        });
      }
    })();
    const waited = await remote.execute<{ o0: number }>(lp, { x: 5 }, {
      wait: { pollInterval: 20, timeout: 10_000 },
      notifications: "disable",
      executionClusterLabel: "local",
      maxParallelism: 2,
    });
    await finishLater;
    assertEquals(waited.phase, "SUCCEEDED");
    assertEquals(waited.outputs.o0, 625);
    assertEquals(waited.raw.spec?.notificationOverrides.case, "disableAll");
    assertEquals(waited.raw.spec?.maxParallelism, 2);

    await remote.executions.terminate(e3, "not needed");
    assertEquals(rec.terminated, [`${e3.name}:not needed`]);
    await assertRejects(
      () => remote.fetchExecution("never-was"),
      FlyteEntityNotExistError,
    );
    // A workflow without a launch plan of its own id cannot be run directly.
    await remote.entities.registerWorkflow(chainWorkflow("v3").spec!, {
      defaultLaunchPlan: false,
    });
    await assertRejects(
      async () =>
        remote.execute(
          await remote.fetchWorkflow("tests.chain", { version: "v3" }),
        ),
      FlyteEntityNotExistError,
      "has no launch plan of the same name and version",
    );
  } finally {
    await close();
  }
});

Deno.test("remote monitoring: wait, syncExecution with nodes (task, branch-style parent), typed outputs, signals, metrics", async () => {
  const { remote, sb, close } = await setup();
  try {
    const lp = await registerChain(remote);
    const exec = await remote.execute<{ o0: number }>(lp, { x: 2 });
    const admin = sb.services.admin;
    const execId = exec.id;
    let clock = Date.now() - 60_000;
    const at = () => timestampFromDate(new Date(clock += 100));
    const wfEvent = (phase: WorkflowExecution_Phase, extra = {}) =>
      admin.createWorkflowEvent({
        event: { executionId: execId, phase, occurredAt: at(), ...extra },
      });
    const node = (nodeId: string, phase: NodeExecution_Phase, extra = {}) =>
      admin.createNodeEvent({
        event: {
          id: { executionId: execId, nodeId },
          phase,
          occurredAt: at(),
          specNodeId: nodeId,
          ...extra,
        },
      });
    const taskId = ident(ResourceType.TASK, "tests.square");
    const task = (
      nodeId: string,
      phase: TaskExecution_Phase,
      attempt = 0,
      extra = {},
    ) =>
      admin.createTaskEvent({
        event: {
          taskId,
          parentNodeExecutionId: { executionId: execId, nodeId },
          retryAttempt: attempt,
          phase,
          occurredAt: at(),
          ...extra,
        },
      });

    await wfEvent(WorkflowExecution_Phase.RUNNING);
    const progress: string[] = [];
    const waiting = remote.wait(exec, {
      pollInterval: 20,
      timeout: 20_000,
      nodes: true,
      onProgress: (e) => void progress.push(e.phase),
    });

    await node("start-node", NodeExecution_Phase.SUCCEEDED);
    for (const [i, n] of ["n0", "n1", "n2"].entries()) {
      await node(n, NodeExecution_Phase.RUNNING);
      if (n === "n0") {
        await task(n, TaskExecution_Phase.RUNNING, 0);
        await task(n, TaskExecution_Phase.FAILED, 0, {
          outputResult: {
            case: "error",
            value: { code: "USER:Boom", message: "boom", kind: 1 },
          },
        });
      }
      await task(n, TaskExecution_Phase.RUNNING, n === "n0" ? 1 : 0);
      await task(n, TaskExecution_Phase.SUCCEEDED, n === "n0" ? 1 : 0, {
        outputResult: {
          case: "outputData",
          value: { literals: { o0: intLiteral(2 ** (2 ** (i + 1))) } },
        },
      });
      await node(n, NodeExecution_Phase.SUCCEEDED, {
        outputResult: {
          case: "outputData",
          value: { literals: { o0: intLiteral(2 ** (2 ** (i + 1))) } },
        },
      });
    }
    // A parent node with a child (how branches and sub-workflows report).
    await node("n9", NodeExecution_Phase.RUNNING, { isParent: true });
    await node("n9-0-n0", NodeExecution_Phase.SUCCEEDED, {
      parentNodeMetadata: { nodeId: "n9" },
      retryGroup: "0",
      specNodeId: "n0",
    });
    await node("n9", NodeExecution_Phase.SUCCEEDED);
    // A launch-plan node whose child execution is another execution.
    const child = await remote.execute(lp, { x: 1 }, {
      executionName: "child-of-n10",
    });
    await node("n10", NodeExecution_Phase.SUCCEEDED, {
      targetMetadata: {
        case: "workflowNodeMetadata",
        value: { executionId: child.id },
      },
    });
    // A dynamic node: the generated workflow rides on the node event.
    const dynWf = (await remote.fetchWorkflow("tests.chain")).closure!;
    await node("n11", NodeExecution_Phase.RUNNING, {
      isParent: true,
      isDynamic: true,
      targetMetadata: {
        case: "taskNodeMetadata",
        value: {
          dynamicWorkflow: {
            id: dynWf.primary!.template!.id,
            compiledWorkflow: dynWf,
          },
        },
      },
    });
    await node("n11-0-n1", NodeExecution_Phase.SUCCEEDED, {
      parentNodeMetadata: { nodeId: "n11" },
      retryGroup: "0",
      specNodeId: "n1",
    });
    await node("n11", NodeExecution_Phase.SUCCEEDED);
    // An array node with two sub-node executions.
    await node("n12", NodeExecution_Phase.RUNNING, {
      isParent: true,
      isArray: true,
    });
    for (const k of ["0", "1"]) {
      await node(`n12-0-${k}`, NodeExecution_Phase.SUCCEEDED, {
        parentNodeMetadata: { nodeId: "n12" },
        retryGroup: "0",
        specNodeId: "n0",
      });
    }
    await node("n12", NodeExecution_Phase.SUCCEEDED);
    await node("end-node", NodeExecution_Phase.SUCCEEDED);
    await wfEvent(WorkflowExecution_Phase.SUCCEEDED, {
      outputResult: {
        case: "outputData",
        value: { literals: { o0: intLiteral(256) } },
      },
    });

    const done = await waiting;
    assert(done === exec, "wait updates and returns the same object");
    assertEquals(done.phase, "SUCCEEDED");
    assertEquals(progress.at(-1), "SUCCEEDED");
    assertEquals(done.outputs.o0, 256);
    const top = [...done.nodeExecutions.keys()].sort();
    assertEquals(top, [
      "end-node",
      "n0",
      "n1",
      "n10",
      "n11",
      "n12",
      "n2",
      "n9",
      "start-node",
    ]);
    const nodes = done.nodeExecutions;
    assertEquals(nodes.get("n10")!.kind, "launchplan");
    assertEquals(nodes.get("n10")!.childExecution?.name, "child-of-n10");
    assertEquals(nodes.get("n11")!.kind, "dynamic");
    const dynChild = nodes.get("n11")!.children.get("n11-0-n1")!;
    assertEquals(dynChild.kind, "task", "classified from the dynamic workflow");
    assertEquals(nodes.get("n12")!.kind, "array");
    assertEquals([...nodes.get("n12")!.children.keys()], [
      "n12-0-0",
      "n12-0-1",
    ]);
    assertEquals(done.nodeExecutions.get("n0")!.kind, "task");
    assertEquals(
      [...done.nodeExecutions.get("n9")!.children.keys()],
      ["n9-0-n0"],
    );

    // Full detail for everything: attempts in order, typed node outputs.
    const full = await remote.syncExecution(exec, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    const n0 = full.nodeExecutions.get("n0")!;
    assertEquals(n0.taskExecutions.map((t) => t.phase), [
      "FAILED",
      "SUCCEEDED",
    ]);
    assertEquals(n0.taskExecutions[0].error?.message, "boom");
    assertEquals(n0.outputs, { o0: 4 });
    assertEquals(full.nodeExecutions.get("n2")!.outputs, { o0: 256 });
    // A single attempt shares its node's data (no second call).
    assertEquals(
      full.nodeExecutions.get("n2")!.taskExecutions[0].outputs,
      { o0: 256 },
    );
    assertEquals(n0.taskExecutions[1].outputs, { o0: 4 });
    const n1 = await remote.monitor.syncNodeExecution(
      full.nodeExecutions.get("n1")!,
    );
    assertEquals(n1.outputs, { o0: 16 });
    const attempt = await remote.monitor.syncTaskExecution(
      n0.taskExecutions[1],
    );
    assertEquals(attempt.phase, "SUCCEEDED");
    assertStringIncludes(
      remote.generateConsoleUrl(attempt),
      `/executions/${exec.name}?nodeId=n0&retryAttempt=1`,
    );

    const metrics = await remote.monitor.getExecutionMetrics(exec);
    assertEquals(metrics.root.kind, "workflow");
    assertStringIncludes(metrics.explain(), exec.name);
  } finally {
    await close();
  }
});

Deno.test("remote signals: list, approve, reject, setInput with the signal's type", async () => {
  const { remote, sb, close } = await setup();
  try {
    const lp = await registerChain(remote);
    const exec = await remote.execute(lp, {});
    const signals = sb.services.signals;
    const boolType = create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.BOOLEAN },
    });
    const intType = create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.INTEGER },
    });
    const declared = [
      ["ok", boolType],
      ["no", boolType],
      ["n", intType],
      ["m", intType],
    ] as const;
    for (const [id, type] of declared) {
      await signals.getOrCreateSignal({
        id: { signalId: id, executionId: exec.id },
        type,
      });
    }
    await remote.signals.approve("ok", exec);
    await remote.signals.reject("no", exec.id);
    await remote.signals.setInput("n", exec, 42);
    await remote.signals.setInput("m", exec, 7, t.int); // a `t` type converts too
    await assertRejects(
      () => remote.signals.setInput("n", exec, "forty-two"),
      FlyteInvalidInputError,
      "expects integer",
    );
    const seen: Record<string, unknown> = {};
    for await (const s of remote.signals.listSignals(exec)) {
      seen[s.signalId] = s.value;
    }
    assertEquals(seen, { ok: true, no: false, n: 42, m: 7 });
    await assertRejects(
      () => remote.signals.setInput("missing", exec, 1),
      FlyteEntityNotExistError,
      "missing",
    );
  } finally {
    await close();
  }
});

Deno.test("remote launchBackfill: ticks include both ends; serial workflow of launch-plan nodes is registered and run", async () => {
  const { remote, rec, close } = await setup();
  try {
    const dt = create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.DATETIME },
    });
    const tid = ident(ResourceType.TASK, "tests.stamp");
    await remote.entities.registerTask(
      create(TaskCreateRequestSchema, {
        id: tid,
        spec: {
          template: {
            id: tid,
            type: "python-task",
            metadata: { runtime: { type: 1, version: "1.16.0" } },
            interface: {
              inputs: { variables: { t: { type: dt } } },
              outputs: { variables: {} },
            },
            target: {
              case: "container",
              value: { image: "python:3.12", args: ["true"] },
            },
          },
        },
      }).spec!,
    );
    const wid = ident(ResourceType.WORKFLOW, "tests.daily");
    await remote.entities.registerWorkflow(
      create(WorkflowCreateRequestSchema, {
        id: wid,
        spec: {
          template: {
            id: wid,
            metadata: {},
            interface: {
              inputs: { variables: { t: { type: dt } } },
              outputs: { variables: {} },
            },
            nodes: [{
              id: "n0",
              metadata: { name: "n0" },
              inputs: [{
                var: "t",
                binding: {
                  value: {
                    case: "promise",
                    value: { nodeId: "start-node", var: "t" },
                  },
                },
              }],
              target: {
                case: "taskNode",
                value: { reference: { case: "referenceId", value: tid } },
              },
            }],
            outputs: [],
          },
        },
      }).spec!,
      { defaultLaunchPlan: false },
    );
    const lpReq = create(LaunchPlanCreateRequestSchema, {
      id: ident(ResourceType.LAUNCH_PLAN, "tests.daily"),
      spec: {
        workflowId: wid,
        defaultInputs: {
          parameters: {
            t: {
              var: { type: dt },
              behavior: { case: "required", value: true },
            },
          },
        },
        entityMetadata: {
          schedule: {
            ScheduleExpression: {
              case: "cronSchedule",
              value: { schedule: "0 0 * * *" },
            },
            kickoffTimeInputArg: "t",
          },
        },
      },
    });
    const lp = await remote.entities.registerLaunchPlan(lpReq.id!, lpReq.spec!);
    const from = new Date("2024-03-01T00:00:00Z");
    const to = new Date("2024-03-05T00:00:00Z");
    const dry = await remote.executions.launchBackfill(lp, from, to, {
      dryRun: true,
    });
    assertEquals(
      dry.ticks.map((d) => d.toISOString().slice(0, 10)),
      ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"],
    );
    assertEquals(rec.launched.length, 0, "dry run runs nothing");
    await assertRejects(
      () => remote.fetchWorkflow(dry.workflowId.name),
      FlyteEntityNotExistError,
    );

    const run = await remote.executions.launchBackfill(
      "tests.daily",
      from,
      to,
      {
        version: "v1",
      },
    );
    assertEquals(run.workflowId.name, "backfill-tests.daily");
    const wf = await remote.fetchWorkflow("backfill-tests.daily", {
      version: "v1",
    });
    const nodes = wf.template!.nodes.filter((n) => !n.id.endsWith("-node"));
    assertEquals(nodes.length, 5);
    assertEquals(
      nodes.map((n) => n.target.case),
      Array(5).fill("workflowNode"),
    );
    assertEquals(
      nodes.map((n) => n.inputs[0].binding?.value.case),
      Array(5).fill("scalar"),
    );
    assertEquals(
      nodes.map((n) => n.upstreamNodeIds.filter((u) => u !== "start-node")),
      [
        [],
        ["n0"],
        ["n1"],
        ["n2"],
        ["n3"],
      ],
    );
    assertEquals(run.execution?.launchPlanId?.name, "backfill-tests.daily");
    assertEquals(rec.launched.length, 1);
    const par = await remote.executions.launchBackfill(lp, from, to, {
      parallel: true,
      execute: false,
    });
    assertEquals(par.execution, undefined);
    assertEquals(
      par.workflow.template!.nodes.every((n) => n.upstreamNodeIds.length === 0),
      true,
    );
    await assertRejects(
      () => remote.executions.launchBackfill(lp, to, from),
      FlyteInvalidInputError,
      "before its start",
    );
  } finally {
    await close();
  }
});

Deno.test("remote construction: forEndpoint and auto (flytectl YAML config) reach the same server", async () => {
  const { sb, close } = await setup();
  const dir = await Deno.makeTempDir({ prefix: "remote-config-" });
  try {
    const hostPort = sb.endpoint.replace(/^http:\/\//, "");
    const direct = await FlyteRemote.forEndpoint(`dns:///${hostPort}`, {
      insecure: true,
      defaultProject: PROJECT,
      defaultDomain: DOMAIN,
    });
    assert((await direct.getDomains()).length > 0);
    assertEquals(
      direct.generateConsoleUrl(ident(ResourceType.TASK, "t", "v")),
      `http://${hostPort}/console/projects/${PROJECT}/domains/${DOMAIN}/task/t/version/v`,
    );
    await direct.close();

    const file = `${dir}/config.yaml`;
    await Deno.writeTextFile(
      file,
      `admin:\n  endpoint: dns:///${hostPort}\n  insecure: true\nconsole:\n  endpoint: http://console.example:8080\n`,
    );
    const auto = await FlyteRemote.auto({
      configFile: file,
      defaultProject: PROJECT,
      defaultDomain: DOMAIN,
    });
    assert((await auto.getDomains()).some((d) => d.id === DOMAIN));
    assertStringIncludes(
      auto.generateConsoleUrl(ident(ResourceType.WORKFLOW, "w", "v")),
      "http://console.example:8080/console/projects/",
    );
    await auto.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
    await close();
  }
});
