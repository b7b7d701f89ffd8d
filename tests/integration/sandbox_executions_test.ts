import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { create, fromBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  ExecutionMetadata_ExecutionMode,
  ExecutionState,
} from "@flyteidl/admin/execution_pb.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { Sort_Direction } from "@flyteidl/admin/common_pb.ts";
import type {
  ExecutionLauncher,
  LaunchRequest,
} from "../../src/sandbox/mod.ts";
import {
  adminClient,
  DOMAIN,
  freshSandbox,
  ident,
  intLiteral,
  PROJECT,
  registerChain,
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

async function setup(launcher?: ExecutionLauncher) {
  const sb = await freshSandbox({ launcher });
  const c = adminClient(sb);
  await registerChain(c);
  return { sb, c };
}

const lpId = ident(ResourceType.LAUNCH_PLAN, "tests.chain");

Deno.test("executions: create from a launch plan writes inputs.pb and hands the execution to the launcher", async () => {
  const rec = recorder();
  const { sb, c } = await setup(rec.launcher);
  try {
    const res = await c.createExecution({
      project: PROJECT,
      domain: DOMAIN,
      name: "exec-one",
      spec: { launchPlan: lpId, labels: { values: { team: "a" } } },
      inputs: { literals: {} },
    });
    assertEquals(res.id?.name, "exec-one");
    assertEquals(rec.launched.length, 1);
    const req = rec.launched[0];
    assertEquals(req.id.name, "exec-one");
    assertEquals(
      req.closure.primary?.template?.id?.name,
      "tests.chain",
    );
    const inputs = fromBinary(
      LiteralMapSchema,
      Deno.readFileSync(
        `${sb.services.blobRoot}/${
          req.inputsUri.replace("s3://my-s3-bucket/", "")
        }`,
      ),
    );
    // The launch plan's default (3) filled the missing input.
    const x = inputs.literals.x.value;
    assert(x.case === "scalar" && x.value.value.case === "primitive");
    assertEquals(x.value.value.value.value.value, 3n);
    assert(req.inputsUri.startsWith("s3://my-s3-bucket/"), req.inputsUri);
    assert(req.metadataPrefix.startsWith("s3://my-s3-bucket/"));
    assertEquals(req.rawOutputPrefix, "s3://my-s3-bucket/raw");
    assert(req.metadataPrefix.endsWith(`/${PROJECT}-${DOMAIN}-exec-one`));

    const e = await c.getExecution({
      id: { project: PROJECT, domain: DOMAIN, name: "exec-one" },
    });
    assertEquals(e.closure?.phase, WorkflowExecution_Phase.UNDEFINED);
    assertEquals(e.spec?.labels?.values.team, "a");
    assertEquals(e.closure?.workflowId?.name, "tests.chain");
    const data = await c.getExecutionData({ id: e.id });
    assertEquals(Object.keys(data.fullInputs?.literals ?? {}), ["x"]);

    const dup = await assertRejects(
      () =>
        c.createExecution({
          project: PROJECT,
          domain: DOMAIN,
          name: "exec-one",
          spec: { launchPlan: lpId },
        }),
      ConnectError,
    );
    assertEquals(dup.code, Code.AlreadyExists);

    // Terminate: ABORTING until the engine reports ABORTED.
    await c.terminateExecution({ id: e.id, cause: "enough" });
    assertEquals(rec.terminated, ["exec-one:enough"]);
    const t = await c.getExecution({ id: e.id });
    assertEquals(t.closure?.phase, WorkflowExecution_Phase.ABORTING);
    const again = await assertRejects(
      () => c.terminateExecution({ id: e.id, cause: "x" }),
      ConnectError,
    );
    assertEquals(again.code, Code.FailedPrecondition);

    // Relaunch and recover reference the original.
    const r = await c.relaunchExecution({ id: e.id, name: "exec-two" });
    const relaunched = await c.getExecution({ id: r.id });
    assertEquals(
      relaunched.spec?.metadata?.mode,
      ExecutionMetadata_ExecutionMode.RELAUNCH,
    );
    assertEquals(
      relaunched.spec?.metadata?.referenceExecution?.name,
      "exec-one",
    );
    const rc = await c.recoverExecution({ id: e.id });
    const recovered = await c.getExecution({ id: rc.id });
    assertEquals(
      recovered.spec?.metadata?.mode,
      ExecutionMetadata_ExecutionMode.RECOVERED,
    );
    assert(/^a[a-z0-9]{19}$/.test(rc.id!.name), rc.id!.name);
    assertEquals(rec.launched.length, 3);

    await c.updateExecution({
      id: e.id,
      state: ExecutionState.EXECUTION_ARCHIVED,
    });
    const archived = await c.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 10,
      filters: "eq(state,1)",
    });
    assertEquals(archived.executions.map((x) => x.id?.name), ["exec-one"]);
    const visible = await c.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 10,
    });
    assertEquals(
      visible.executions.length,
      2,
      "archived ones are hidden by default",
    );
    assert(!visible.executions.some((x) => x.id?.name === "exec-one"));
  } finally {
    await sb.close();
  }
});

Deno.test("executions: bad input is refused with the offending field and stores nothing", async () => {
  const { sb, c } = await setup();
  try {
    const cases: [() => Promise<unknown>, Code, string][] = [
      [
        () =>
          c.createExecution({
            project: PROJECT,
            domain: DOMAIN,
            name: "Bad_Name",
            spec: { launchPlan: lpId },
          }),
        Code.InvalidArgument,
        "invalid name",
      ],
      [
        () =>
          c.createExecution({
            project: PROJECT,
            domain: DOMAIN,
            name: "ok",
            spec: {},
          }),
        Code.InvalidArgument,
        "spec.launch_plan",
      ],
      [
        () =>
          c.createExecution({
            project: PROJECT,
            domain: "nope",
            name: "ok",
            spec: { launchPlan: lpId },
          }),
        Code.InvalidArgument,
        "domain [nope]",
      ],
      [
        () =>
          c.createExecution({
            project: PROJECT,
            domain: DOMAIN,
            name: "ok",
            spec: { launchPlan: { ...lpId, name: "missing" } },
          }),
        Code.NotFound,
        "missing",
      ],
      [
        () =>
          c.createExecution({
            project: PROJECT,
            domain: DOMAIN,
            name: "ok",
            spec: { launchPlan: lpId },
            inputs: { literals: { y: intLiteral(1) } },
          }),
        Code.InvalidArgument,
        "invalid input y",
      ],
      [
        () =>
          c.getExecution({
            id: { project: PROJECT, domain: DOMAIN, name: "nothere" },
          }),
        Code.NotFound,
        "nothere",
      ],
      [
        () =>
          c.getTask({
            id: { ...ident(ResourceType.TASK, "tests.square"), version: "" },
          }),
        Code.InvalidArgument,
        "missing id.version",
      ],
      [
        () =>
          c.listExecutions({
            id: { project: PROJECT, domain: DOMAIN },
            limit: 0,
          }),
        Code.InvalidArgument,
        "limit",
      ],
      [
        () =>
          c.listExecutions({
            id: { project: PROJECT, domain: DOMAIN },
            limit: 5,
            filters: "eq(bogus,1)",
          }),
        Code.InvalidArgument,
        "bogus",
      ],
    ];
    for (const [call, code, text] of cases) {
      const err = await assertRejects(call, ConnectError);
      assertEquals(err.code, code, err.message);
      assert(err.rawMessage.includes(text), `${err.rawMessage} lacks ${text}`);
    }
    const list = await c.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 10,
    });
    assertEquals(list.executions.length, 0);
  } finally {
    await sb.close();
  }
});

Deno.test("executions: single-task execution uses a generated wrapper workflow", async () => {
  const rec = recorder();
  const { sb, c } = await setup(rec.launcher);
  try {
    const taskId = ident(ResourceType.TASK, "tests.square");
    const res = await c.createExecution({
      project: PROJECT,
      domain: DOMAIN,
      spec: { launchPlan: taskId },
      inputs: { literals: { x: intLiteral(4) } },
    });
    const req = rec.launched[0];
    assertEquals(req.id.name, res.id?.name);
    const tpl = req.closure.primary?.template;
    assertEquals(tpl?.id?.name, ".flytegen.tests.square");
    // As FlyteAdmin names it: the task name with only letters, digits and '-'.
    assert(
      tpl?.nodes.some((n) =>
        n.id === "testssquare" && n.target.case === "taskNode"
      ),
    );
    assertEquals(req.launchPlanId?.name, ".flytegen.tests.square");
    const generated = await c.getNamedEntity({
      resourceType: ResourceType.WORKFLOW,
      id: { project: PROJECT, domain: DOMAIN, name: ".flytegen.tests.square" },
    });
    assertEquals(generated.metadata?.state, 2, "SYSTEM_GENERATED");
    const e = await c.getExecution({ id: res.id });
    assertEquals(e.spec?.launchPlan?.resourceType, ResourceType.TASK);
    const byTask = await c.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 10,
      filters: "eq(task.name,tests.square)",
    });
    assertEquals(byTask.executions.length, 1);
    const missing = await assertRejects(
      () =>
        c.createExecution({
          project: PROJECT,
          domain: DOMAIN,
          spec: { launchPlan: taskId },
          inputs: { literals: {} },
        }),
      ConnectError,
    );
    assertEquals(missing.code, Code.InvalidArgument);
    assert(missing.rawMessage.includes("x"));
  } finally {
    await sb.close();
  }
});

Deno.test("executions: list filters, sort_by and paging", async () => {
  const { sb, c } = await setup();
  try {
    for (let i = 0; i < 7; i++) {
      await c.createExecution({
        project: PROJECT,
        domain: DOMAIN,
        name: `e${i}`,
        spec: { launchPlan: lpId },
      });
    }
    const id = { project: PROJECT, domain: DOMAIN };
    const names: string[] = [];
    let token = "";
    do {
      const page = await c.listExecutions({
        id,
        limit: 3,
        token,
        sortBy: { key: "name", direction: Sort_Direction.ASCENDING },
      });
      names.push(...page.executions.map((e) => e.id!.name));
      token = page.token;
    } while (token);
    assertEquals(names, ["e0", "e1", "e2", "e3", "e4", "e5", "e6"]);
    const some = await c.listExecutions({
      id,
      limit: 10,
      filters: "value_in(name,e1;e3)+ne(name,e3)",
    });
    assertEquals(some.executions.map((e) => e.id!.name), ["e1"]);
    const cont = await c.listExecutions({
      id,
      limit: 10,
      filters:
        "contains(name,5)+eq(phase,UNDEFINED)+eq(launch_plan.name,tests.chain)",
    });
    assertEquals(cont.executions.map((e) => e.id!.name), ["e5"]);
    const gt = await c.listExecutions({
      id,
      limit: 10,
      filters: "gte(name,e5)",
      sortBy: { key: "name", direction: Sort_Direction.DESCENDING },
    });
    assertEquals(gt.executions.map((e) => e.id!.name), ["e6", "e5"]);
    const early = await c.listExecutions({
      id,
      limit: 10,
      filters: `lt(created_at,2000-01-01T00:00:00Z)`,
    });
    assertEquals(early.executions.length, 0);
    // REST carries the same filters in the query string.
    const rest = await fetch(
      `${sb.endpoint}/api/v1/executions/${PROJECT}/${DOMAIN}?limit=2&sort_by.key=name&sort_by.direction=ASCENDING&filters=${
        encodeURIComponent("gt(name,e2)")
      }`,
    );
    const body = await rest.json();
    assertEquals(
      body.executions.map((e: { id: { name: string } }) => e.id.name),
      ["e3", "e4"],
    );
    assertEquals(body.token, "2");
    // A literal '+' in the query (form-decoded to a space) still joins conditions.
    const plus = await fetch(
      `${sb.endpoint}/api/v1/executions/${PROJECT}/${DOMAIN}?limit=10&filters=gt(name,e2)+lt(name,e5)`,
    );
    assertEquals(
      (await plus.json()).executions.map((e: { id: { name: string } }) =>
        e.id.name
      ).sort(),
      ["e3", "e4"],
    );
  } finally {
    await sb.close();
  }
});

Deno.test("events: workflow, node and task events are recorded as FlyteAdmin records them", async () => {
  const rec = recorder();
  const { sb, c } = await setup(rec.launcher);
  try {
    const admin = sb.services.admin; // in-process, as the engine uses it
    await c.createExecution({
      project: PROJECT,
      domain: DOMAIN,
      name: "ev",
      spec: { launchPlan: lpId },
    });
    const execId = { project: PROJECT, domain: DOMAIN, name: "ev" };
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const at = () => timestampFromDate(new Date(clock += 1000));
    await admin.createWorkflowEvent({
      event: {
        executionId: execId,
        phase: WorkflowExecution_Phase.RUNNING,
        occurredAt: at(),
      },
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
    await node("start-node", NodeExecution_Phase.SUCCEEDED);
    await node("n0", NodeExecution_Phase.QUEUED, {
      inputValue: { case: "inputUri", value: "file:///nowhere/inputs.pb" },
    });
    await node("n0", NodeExecution_Phase.RUNNING);
    const taskId = ident(ResourceType.TASK, "tests.square");
    const task = (phase: TaskExecution_Phase, attempt: number, extra = {}) =>
      admin.createTaskEvent({
        event: {
          taskId,
          parentNodeExecutionId: { executionId: execId, nodeId: "n0" },
          retryAttempt: attempt,
          phase,
          occurredAt: at(),
          ...extra,
        },
      });
    await task(TaskExecution_Phase.QUEUED, 0);
    await task(TaskExecution_Phase.RUNNING, 0, {
      logs: [{ name: "stdout", uri: "file:///logs/0.txt" }],
    });
    const dupTask = await assertRejects(
      () => task(TaskExecution_Phase.RUNNING, 0),
      ConnectError,
    );
    assertEquals(dupTask.code, Code.AlreadyExists);
    await task(TaskExecution_Phase.RUNNING, 0, {
      phaseVersion: 1,
      reason: "still going",
    });
    await task(TaskExecution_Phase.FAILED, 0, {
      outputResult: {
        case: "error",
        value: { code: "USER:Boom", message: "boom", kind: 1 },
      },
    });
    await task(TaskExecution_Phase.RUNNING, 1);
    await task(TaskExecution_Phase.SUCCEEDED, 1, {
      outputResult: { case: "outputUri", value: "file:///o/outputs.pb" },
    });
    await node("n0", NodeExecution_Phase.SUCCEEDED, {
      outputResult: { case: "outputUri", value: "file:///o/outputs.pb" },
    });
    // A child node under a parent (branch/subworkflow style).
    await node("n1", NodeExecution_Phase.RUNNING, { isParent: true });
    await node("n1-0-n0", NodeExecution_Phase.RUNNING, {
      parentNodeMetadata: { nodeId: "n1" },
      retryGroup: "0",
      specNodeId: "n0",
    });
    const orphan = await assertRejects(
      () =>
        node("x-0-y", NodeExecution_Phase.RUNNING, {
          parentNodeMetadata: { nodeId: "nope" },
        }),
      ConnectError,
    );
    assertEquals(orphan.code, Code.InvalidArgument);

    const top = await c.listNodeExecutions({
      workflowExecutionId: execId,
      limit: 10,
    });
    assertEquals(top.nodeExecutions.map((n) => n.id?.nodeId), [
      "start-node",
      "n0",
      "n1",
    ]);
    const kids = await c.listNodeExecutions({
      workflowExecutionId: execId,
      limit: 10,
      uniqueParentId: "n1",
    });
    assertEquals(kids.nodeExecutions.map((n) => n.id?.nodeId), ["n1-0-n0"]);
    assertEquals(kids.nodeExecutions[0].metadata?.specNodeId, "n0");
    // A node spawned by n0's task (dynamic): listed for that task execution.
    await node("n0-0-d0", NodeExecution_Phase.RUNNING, {
      parentTaskMetadata: {
        id: {
          taskId,
          nodeExecutionId: { executionId: execId, nodeId: "n0" },
          retryAttempt: 1,
        },
      },
      specNodeId: "d0",
    });
    const spawned = await c.listNodeExecutionsForTask({
      taskExecutionId: {
        taskId,
        nodeExecutionId: { executionId: execId, nodeId: "n0" },
        retryAttempt: 1,
      },
      limit: 10,
    });
    assertEquals(spawned.nodeExecutions.map((n) => n.id?.nodeId), ["n0-0-d0"]);
    const n1 = await c.getNodeExecution({
      id: { executionId: execId, nodeId: "n1" },
    });
    assertEquals(n1.metadata?.isParentNode, true);

    const n0 = await c.getNodeExecution({
      id: { executionId: execId, nodeId: "n0" },
    });
    assertEquals(n0.closure?.phase, NodeExecution_Phase.SUCCEEDED);
    assertEquals(n0.inputUri, "file:///nowhere/inputs.pb");
    assertEquals(Number(n0.closure?.duration?.seconds), 8);
    const tasks = await c.listTaskExecutions({
      nodeExecutionId: { executionId: execId, nodeId: "n0" },
      limit: 10,
    });
    assertEquals(tasks.taskExecutions.map((t) => t.closure?.phase), [
      TaskExecution_Phase.FAILED,
      TaskExecution_Phase.SUCCEEDED,
    ]);
    const t0 = tasks.taskExecutions[0].closure!;
    assertEquals(t0.logs.map((l) => l.name), ["stdout"]);
    assertEquals(t0.reason, "still going");
    assertEquals(t0.outputResult.case, "error");
    const failedAgain = await assertRejects(
      () => task(TaskExecution_Phase.RUNNING, 0, { phaseVersion: 5 }),
      ConnectError,
    );
    assertEquals(failedAgain.code, Code.FailedPrecondition);

    await admin.createWorkflowEvent({
      event: {
        executionId: execId,
        phase: WorkflowExecution_Phase.SUCCEEDED,
        occurredAt: at(),
        outputResult: { case: "outputUri", value: "file:///o/outputs.pb" },
      },
    });
    const done = await c.getExecution({ id: execId });
    assertEquals(done.closure?.phase, WorkflowExecution_Phase.SUCCEEDED);
    assert(done.closure?.startedAt);
    assertEquals(done.closure?.outputResult.case, "outputs");
    const late = await assertRejects(
      () =>
        admin.createWorkflowEvent({
          event: {
            executionId: execId,
            phase: WorkflowExecution_Phase.FAILED,
            occurredAt: at(),
          },
        }),
      ConnectError,
    );
    assertEquals(late.code, Code.FailedPrecondition);
    const succeeded = await c.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 5,
      filters: "eq(phase,SUCCEEDED)",
    });
    assertEquals(succeeded.executions.map((e) => e.id?.name), ["ev"]);

    const metrics = await c.getExecutionMetrics({ id: execId, depth: 5 });
    const span = metrics.span!;
    assertEquals(span.id.case, "workflowId");
    const ops = span.spans.map((s) =>
      s.id.case === "operationId" ? s.id.value : s.id.case
    );
    assertEquals(ops[0], "WORKFLOW_SETUP");
    assert(ops.includes("nodeId"));
    const n0Span = span.spans.find((s) =>
      s.id.case === "nodeId" && s.id.value.nodeId === "n0"
    )!;
    const inner = n0Span.spans.map((s) =>
      s.id.case === "operationId" ? s.id.value : s.id.case
    );
    assertEquals(inner, [
      "NODE_SETUP",
      "taskId",
      "NODE_RESET",
      "taskId",
      "NODE_TEARDOWN",
    ]);
    const taskSpan = n0Span.spans[3];
    assertEquals(
      taskSpan.spans.map((s) => s.id.case === "operationId" ? s.id.value : ""),
      ["TASK_SETUP", "TASK_RUNTIME", "TASK_TEARDOWN"],
    );
    assertEquals(create(LiteralMapSchema).literals, {});
  } finally {
    await sb.close();
  }
});
