import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { equals, fromBinary, fromJson, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { deferGoawayEvents } from "../helpers/grpc.ts";

// The Connect transport over HTTP/2 uses node:http2 too.
deferGoawayEvents();
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
import { WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  LaunchPlanSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { ObjectGetRequestSchema } from "@flyteidl/admin/common_pb.ts";
import {
  adminClient,
  chainLaunchPlan,
  chainWorkflow,
  DOMAIN,
  freshSandbox,
  ident,
  PROJECT,
  registerChain,
  squareTask,
} from "./sandbox_fixtures.ts";

Deno.test("sandbox: register over gRPC, read back identically over gRPC, Connect, gRPC-web and REST", async () => {
  const sb = await freshSandbox();
  try {
    const grpc = adminClient(sb);
    await registerChain(grpc);

    const taskId = ident(ResourceType.TASK, "tests.square");
    const wfId = ident(ResourceType.WORKFLOW, "tests.chain");
    const lpId = ident(ResourceType.LAUNCH_PLAN, "tests.chain");
    const task = await grpc.getTask({ id: taskId });
    const wf = await grpc.getWorkflow({ id: wfId });
    const lp = await grpc.getLaunchPlan({ id: lpId });
    assertEquals(task.closure?.compiledTask?.template?.type, "python-task");
    const nodeIds = wf.closure?.compiledWorkflow?.primary?.template?.nodes.map((
      n,
    ) => n.id);
    for (const n of ["n0", "n1", "n2"]) assert(nodeIds?.includes(n), n);
    assertEquals(lp.closure?.state, LaunchPlanState.INACTIVE);
    assertEquals(
      lp.closure?.expectedInputs?.parameters.x.behavior.case,
      "default",
    );

    for (
      const transport of [
        createConnectTransport({ baseUrl: sb.endpoint, httpVersion: "1.1" }),
        createConnectTransport({ baseUrl: sb.endpoint, httpVersion: "2" }),
        createGrpcWebTransport({ baseUrl: sb.endpoint, httpVersion: "1.1" }),
      ]
    ) {
      const c = createClient(AdminService, transport);
      assert(equals(TaskSchema, await c.getTask({ id: taskId }), task));
      assert(equals(WorkflowSchema, await c.getWorkflow({ id: wfId }), wf));
      assert(equals(LaunchPlanSchema, await c.getLaunchPlan({ id: lpId }), lp));
    }

    // REST, binary protobuf both ways (as the Flyte console uses it).
    const bin = await fetch(
      `${sb.endpoint}/api/v1/tasks/${PROJECT}/${DOMAIN}/tests.square/v1`,
      { headers: { accept: "application/octet-stream" } },
    );
    assertEquals(bin.status, 200);
    assert(equals(
      TaskSchema,
      fromBinary(TaskSchema, new Uint8Array(await bin.arrayBuffer())),
      task,
    ));
    // REST, snake_case JSON.
    const json = await fetch(
      `${sb.endpoint}/api/v1/workflows/${PROJECT}/${DOMAIN}/tests.chain/v1`,
    );
    assertEquals(json.status, 200);
    const body = await json.json();
    assert("short_description" in body, "snake_case names");
    assert(equals(WorkflowSchema, fromJson(WorkflowSchema, body), wf));
    const lpJson = await fetch(
      `${sb.endpoint}/api/v1/launch_plans/${PROJECT}/${DOMAIN}/tests.chain/v1`,
    );
    assert(
      equals(
        LaunchPlanSchema,
        fromJson(LaunchPlanSchema, await lpJson.json()),
        lp,
      ),
    );
    // REST POST with a binary body.
    const post = await fetch(`${sb.endpoint}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: toBinary(
        (await import("@flyteidl/admin/task_pb.ts")).TaskCreateRequestSchema,
        squareTask("v2"),
      ),
    });
    assertEquals(post.status, 200);
    await post.arrayBuffer();
    const v2 = await grpc.getTask({
      id: ident(ResourceType.TASK, "tests.square", "v2"),
    });
    assertEquals(v2.id?.version, "v2");
    // ObjectGetRequest decoded from the path only.
    assertEquals(
      ObjectGetRequestSchema.typeName,
      "flyteidl.admin.ObjectGetRequest",
    );
  } finally {
    await sb.close();
  }
});

Deno.test("sandbox: re-registration is ALREADY_EXISTS when identical, INVALID_ARGUMENT when different", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    await c.createTask(squareTask());
    const same = await assertRejects(
      () => c.createTask(squareTask()),
      ConnectError,
    );
    assertEquals(same.code, Code.AlreadyExists);
    const diff = await assertRejects(
      () => c.createTask(squareTask("v1", "python:3.11")),
      ConnectError,
    );
    assertEquals(diff.code, Code.InvalidArgument);
    assert(diff.rawMessage.includes("different structure"), diff.rawMessage);
    await c.createWorkflow(chainWorkflow());
    const wfSame = await assertRejects(
      () => c.createWorkflow(chainWorkflow()),
      ConnectError,
    );
    assertEquals(wfSame.code, Code.AlreadyExists);
    const changed = chainWorkflow();
    changed.spec!.template!.nodes.pop();
    changed.spec!.template!.outputs[0].binding!.value = {
      case: "promise",
      value: {
        $typeName: "flyteidl.core.OutputReference",
        nodeId: "n1",
        var: "o0",
        attrPath: [],
      },
    };
    const wfDiff = await assertRejects(
      () => c.createWorkflow(changed),
      ConnectError,
    );
    assertEquals(wfDiff.code, Code.InvalidArgument);
    assert(
      wfDiff.rawMessage.includes("different structure"),
      wfDiff.rawMessage,
    );
    assert(wfDiff.rawMessage.includes("nodes"), wfDiff.rawMessage);
    await c.createLaunchPlan(chainLaunchPlan());
    const lpSame = await assertRejects(
      () => c.createLaunchPlan(chainLaunchPlan()),
      ConnectError,
    );
    assertEquals(lpSame.code, Code.AlreadyExists);
  } finally {
    await sb.close();
  }
});

Deno.test("sandbox: a workflow that does not compile is INVALID_ARGUMENT naming the node and variable, and is not stored", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    await c.createTask(squareTask());
    const bad = chainWorkflow("bad");
    // n1 takes x from a string workflow input instead of an int.
    bad.spec!.template!.interface!.inputs!.variables.s = {
      ...bad.spec!.template!.interface!.inputs!.variables.x,
      type: {
        $typeName: "flyteidl.core.LiteralType",
        type: { case: "simple", value: 3 },
        annotation: undefined,
        structure: undefined,
        metadata: undefined,
      } as never,
    };
    bad.spec!.template!.nodes[1].inputs[0].binding = {
      $typeName: "flyteidl.core.BindingData",
      value: {
        case: "promise",
        value: {
          $typeName: "flyteidl.core.OutputReference",
          nodeId: "start-node",
          var: "s",
          attrPath: [],
        },
      },
    };
    const err = await assertRejects(() => c.createWorkflow(bad), ConnectError);
    assertEquals(err.code, Code.InvalidArgument);
    assert(err.rawMessage.includes("node [n1] variable [x]"), err.rawMessage);
    const gone = await assertRejects(
      () =>
        c.getWorkflow({
          id: ident(ResourceType.WORKFLOW, "tests.chain", "bad"),
        }),
      ConnectError,
    );
    assertEquals(gone.code, Code.NotFound);
    // A task the workflow refers to must exist.
    const orphan = chainWorkflow("orphan");
    orphan.spec!.template!.nodes[0].target = {
      case: "taskNode",
      value: {
        $typeName: "flyteidl.core.TaskNode",
        reference: {
          case: "referenceId",
          value: ident(ResourceType.TASK, "tests.nothere"),
        },
      },
    };
    const nf = await assertRejects(
      () => c.createWorkflow(orphan),
      ConnectError,
    );
    assertEquals(nf.code, Code.NotFound);
    assert(nf.rawMessage.includes("tests.nothere"), nf.rawMessage);
  } finally {
    await sb.close();
  }
});
