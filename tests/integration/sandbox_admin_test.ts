import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import * as http2 from "node:http2";
import { Buffer } from "node:buffer";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { AuthMetadataService } from "@flyteidl/service/auth_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { LaunchPlanState } from "@flyteidl/admin/launch_plan_pb.ts";
import { NamedEntityState } from "@flyteidl/admin/common_pb.ts";
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

Deno.test("sandbox: health checks, version, and auth metadata UNIMPLEMENTED as with auth off", async () => {
  const sb = await freshSandbox();
  try {
    const h = await fetch(`${sb.endpoint}/healthcheck`);
    assertEquals(h.status, 200);
    await h.body?.cancel();
    // grpc.health.v1.Health/Check over raw HTTP/2.
    const session = http2.connect(sb.endpoint);
    const stream = session.request({
      ":method": "POST",
      ":path": "/grpc.health.v1.Health/Check",
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
    const chunks: Buffer[] = [];
    let trailers: http2.IncomingHttpHeaders = {};
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("trailers", (t) => trailers = t);
    await new Promise((r) => stream.on("close", r));
    session.close();
    assertEquals(trailers["grpc-status"], "0");
    assertEquals([...Buffer.concat(chunks)], [0, 0, 0, 0, 2, 0x08, 0x01]);

    const t = createGrpcTransport({ baseUrl: sb.endpoint });
    const v = await createClient(AdminService, t).getVersion({});
    // As FlyteAdmin answers: a v<semver> version, the build beside it.
    assert(/^v\d+\.\d+\.\d+$/.test(v.controlPlaneVersion?.Version ?? ""));
    assert(v.controlPlaneVersion?.Build.includes("flyte-deno-sandbox"));
    const auth = createClient(AuthMetadataService, t);
    const err = await assertRejects(
      () => auth.getPublicClientConfig({}),
      ConnectError,
    );
    assertEquals(err.code, Code.Unimplemented);
    const rest = await fetch(`${sb.endpoint}/config/v1/flyte_client`);
    assertEquals(rest.status, 501);
    await rest.body?.cancel();
    const wk = await fetch(
      `${sb.endpoint}/.well-known/oauth-authorization-server`,
    );
    assertEquals(wk.status, 501);
    await wk.body?.cancel();
    const nothing = await fetch(`${sb.endpoint}/api/v1/nothing`);
    assertEquals(nothing.status, 404);
    await nothing.body?.cancel();
  } finally {
    await sb.close();
  }
});

Deno.test("sandbox: projects, domains, named entities, ids and launch plan activation", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    const domains = await c.getDomains({});
    assertEquals(domains.domains.map((d) => d.id), [
      "development",
      "staging",
      "production",
    ]);
    const p = await c.getProject({ id: PROJECT });
    assertEquals(p.domains.length, 3);
    await c.registerProject({ project: { id: "other", name: "Other" } });
    const dupe = await assertRejects(
      () => c.registerProject({ project: { id: "other", name: "Other" } }),
      ConnectError,
    );
    assertEquals(dupe.code, Code.AlreadyExists);
    const badId = await assertRejects(
      () => c.registerProject({ project: { id: "Not Valid", name: "x" } }),
      ConnectError,
    );
    assertEquals(badId.code, Code.InvalidArgument);
    const unknownProject = await assertRejects(
      () =>
        c.createTask({
          ...squareTask(),
          id: { ...squareTask().id!, project: "ghost" },
        }),
      ConnectError,
    );
    assertEquals(unknownProject.code, Code.InvalidArgument);
    assert(unknownProject.rawMessage.includes("ghost"));

    await c.createTask(squareTask());
    await c.createTask(squareTask("v2"));
    await c.createWorkflow(chainWorkflow());
    await c.createLaunchPlan(chainLaunchPlan());
    await c.createWorkflow(chainWorkflow("v2"));
    await c.createLaunchPlan(chainLaunchPlan("v2"));

    const ids = await c.listTaskIds({
      project: PROJECT,
      domain: DOMAIN,
      limit: 10,
    });
    assertEquals(ids.entities.map((e) => e.name), ["tests.square"]);
    const tasks = await c.listTasks({
      id: { project: PROJECT, domain: DOMAIN, name: "tests.square" },
      limit: 10,
    });
    assertEquals(tasks.tasks.map((t) => t.id?.version), ["v2", "v1"]);
    const filtered = await c.listTasks({
      id: { project: PROJECT, domain: DOMAIN, name: "tests.square" },
      limit: 10,
      filters: "eq(version,v1)",
    });
    assertEquals(filtered.tasks.map((t) => t.id?.version), ["v1"]);

    const none = await assertRejects(
      () =>
        c.getActiveLaunchPlan({
          id: { project: PROJECT, domain: DOMAIN, name: "tests.chain" },
        }),
      ConnectError,
    );
    assertEquals(none.code, Code.NotFound);
    const v1 = ident(ResourceType.LAUNCH_PLAN, "tests.chain", "v1");
    const v2 = ident(ResourceType.LAUNCH_PLAN, "tests.chain", "v2");
    await c.updateLaunchPlan({ id: v1, state: LaunchPlanState.ACTIVE });
    await c.updateLaunchPlan({ id: v2, state: LaunchPlanState.ACTIVE });
    const active = await c.getActiveLaunchPlan({
      id: { project: PROJECT, domain: DOMAIN, name: "tests.chain" },
    });
    assertEquals(active.id?.version, "v2");
    assertEquals(
      (await c.getLaunchPlan({ id: v1 })).closure?.state,
      LaunchPlanState.INACTIVE,
    );
    const actives = await c.listActiveLaunchPlans({
      project: PROJECT,
      domain: DOMAIN,
      limit: 10,
    });
    assertEquals(actives.launchPlans.map((l) => l.id?.version), ["v2"]);

    const entities = await c.listNamedEntities({
      resourceType: ResourceType.WORKFLOW,
      project: PROJECT,
      domain: DOMAIN,
      limit: 10,
    });
    assertEquals(entities.entities.map((e) => e.id?.name), ["tests.chain"]);
    await c.updateNamedEntity({
      resourceType: ResourceType.WORKFLOW,
      id: { project: PROJECT, domain: DOMAIN, name: "tests.chain" },
      metadata: {
        description: "chains",
        state: NamedEntityState.NAMED_ENTITY_ARCHIVED,
      },
    });
    const ne = await c.getNamedEntity({
      resourceType: ResourceType.WORKFLOW,
      id: { project: PROJECT, domain: DOMAIN, name: "tests.chain" },
    });
    assertEquals(ne.metadata?.description, "chains");
    const archived = await c.listNamedEntities({
      resourceType: ResourceType.WORKFLOW,
      project: PROJECT,
      domain: DOMAIN,
      limit: 10,
      filters: "eq(state,1)",
    });
    assertEquals(archived.entities.length, 1);

    // Launch plan whose fixed input is not a workflow input.
    const badLp = chainLaunchPlan("v3");
    badLp.spec!.workflowId = ident(ResourceType.WORKFLOW, "tests.chain", "v1");
    badLp.spec!.fixedInputs = {
      $typeName: "flyteidl.core.LiteralMap",
      literals: {
        nope: badLp.spec!.defaultInputs!.parameters.x.behavior.value as never,
      },
    };
    const lpErr = await assertRejects(
      () => c.createLaunchPlan(badLp),
      ConnectError,
    );
    assertEquals(lpErr.code, Code.InvalidArgument);
    assert(lpErr.rawMessage.includes("nope"));
    const missingWf = chainLaunchPlan("v4");
    missingWf.spec!.workflowId = ident(
      ResourceType.WORKFLOW,
      "tests.chain",
      "v9",
    );
    const wfErr = await assertRejects(
      () => c.createLaunchPlan(missingWf),
      ConnectError,
    );
    assertEquals(wfErr.code, Code.NotFound);
  } finally {
    await sb.close();
  }
});

Deno.test("REST: errors carry the gRPC code and message with the gateway's HTTP status; path and body merge", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    await registerChain(c);
    const badJson = await fetch(`${sb.endpoint}/api/v1/executions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    assertEquals(badJson.status, 400);
    assertEquals((await badJson.json()).code, Code.InvalidArgument);
    const unknownField = await fetch(`${sb.endpoint}/api/v1/executions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ project: PROJECT, domain: DOMAIN, colour: "red" }),
    });
    assertEquals(unknownField.status, 400);
    assert((await unknownField.json()).message.includes("colour"));
    const missing = await fetch(
      `${sb.endpoint}/api/v1/executions/${PROJECT}/${DOMAIN}/nothere`,
    );
    assertEquals(missing.status, 404);
    const body = await missing.json();
    assertEquals(body.code, Code.NotFound);
    assert(body.message.includes("nothere"));
    // PUT /api/v1/launch_plans/{id...}: id from the path, state from the body.
    const put = await fetch(
      `${sb.endpoint}/api/v1/launch_plans/${PROJECT}/${DOMAIN}/tests.chain/v1`,
      {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          state: "ACTIVE",
          id: { resource_type: "LAUNCH_PLAN" },
        }),
      },
    );
    assertEquals(put.status, 200);
    await put.body?.cancel();
    const lp = await c.getLaunchPlan({
      id: ident(ResourceType.LAUNCH_PLAN, "tests.chain"),
    });
    assertEquals(lp.closure?.state, LaunchPlanState.ACTIVE);
    // A JSON execution create over REST.
    const created = await fetch(`${sb.endpoint}/api/v1/executions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        project: PROJECT,
        domain: DOMAIN,
        name: "viarest",
        spec: {
          launch_plan: {
            resource_type: "LAUNCH_PLAN",
            project: PROJECT,
            domain: DOMAIN,
            name: "tests.chain",
            version: "v1",
          },
        },
        inputs: {
          literals: { x: { scalar: { primitive: { integer: "9" } } } },
        },
      }),
    });
    assertEquals(created.status, 200);
    assertEquals((await created.json()).id.name, "viarest");
    const data = await c.getExecutionData({
      id: { project: PROJECT, domain: DOMAIN, name: "viarest" },
    });
    const x = data.fullInputs?.literals.x.value;
    assert(x?.case === "scalar" && x.value.value.case === "primitive");
    assertEquals(x.value.value.value.value.value, 9n);
  } finally {
    await sb.close();
  }
});

Deno.test("sandbox: a taken port is a clear error; concurrent creates of one execution name store one", async () => {
  const sb = await freshSandbox();
  try {
    const err = await assertRejects(
      () => freshSandbox({ port: sb.port }),
      Error,
    );
    assert(err.message.includes("already in use"), err.message);
    const c = adminClient(sb);
    await registerChain(c);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        c.createExecution({
          project: PROJECT,
          domain: DOMAIN,
          name: "racer",
          spec: { launchPlan: ident(ResourceType.LAUNCH_PLAN, "tests.chain") },
        })),
    );
    assertEquals(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) {
      if (r.status === "rejected") {
        assertEquals(ConnectError.from(r.reason).code, Code.AlreadyExists);
      }
    }
  } finally {
    await sb.close();
  }
});

Deno.test("matchable attributes: project, project-domain and workflow levels; list; NOT_FOUND after delete", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    const queue = (tag: string) => ({
      target: {
        case: "executionQueueAttributes" as const,
        value: { tags: [tag] },
      },
    });
    await c.updateProjectAttributes({
      attributes: { project: PROJECT, matchingAttributes: queue("p") },
    });
    await c.updateProjectDomainAttributes({
      attributes: {
        project: PROJECT,
        domain: DOMAIN,
        matchingAttributes: queue("pd"),
      },
    });
    await c.updateWorkflowAttributes({
      attributes: {
        project: PROJECT,
        domain: DOMAIN,
        workflow: "tests.chain",
        matchingAttributes: queue("wf"),
      },
    });
    const pd = await c.getProjectDomainAttributes({
      project: PROJECT,
      domain: DOMAIN,
      resourceType: 2,
    });
    const t = pd.attributes?.matchingAttributes?.target;
    assert(t?.case === "executionQueueAttributes");
    assertEquals(t.value.tags, ["pd"]);
    const list = await c.listMatchableAttributes({ resourceType: 2 });
    assertEquals(list.configurations.length, 3);
    const other = await assertRejects(
      () => c.getProjectAttributes({ project: PROJECT, resourceType: 0 }),
      ConnectError,
    );
    assertEquals(other.code, Code.NotFound);
    await c.deleteWorkflowAttributes({
      project: PROJECT,
      domain: DOMAIN,
      workflow: "tests.chain",
      resourceType: 2,
    });
    const gone = await assertRejects(
      () =>
        c.getWorkflowAttributes({
          project: PROJECT,
          domain: DOMAIN,
          workflow: "tests.chain",
          resourceType: 2,
        }),
      ConnectError,
    );
    assertEquals(gone.code, Code.NotFound);
    const empty = await assertRejects(
      () => c.updateProjectAttributes({ attributes: { project: PROJECT } }),
      ConnectError,
    );
    assertEquals(empty.code, Code.InvalidArgument);
    assert(empty.rawMessage.includes("matching_attributes"));
    // REST route of the project-domain level.
    const rest = await fetch(
      `${sb.endpoint}/api/v1/project_domain_attributes/${PROJECT}/${DOMAIN}?resource_type=EXECUTION_QUEUE`,
    );
    const body = await rest.json();
    assertEquals(
      body.attributes.matching_attributes.execution_queue_attributes.tags,
      ["pd"],
    );
  } finally {
    await sb.close();
  }
});

Deno.test("description entities: kept from registration, read back by id and listed", async () => {
  const sb = await freshSandbox();
  try {
    const c = adminClient(sb);
    const req = squareTask();
    req.spec!.description = {
      $typeName: "flyteidl.admin.DescriptionEntity",
      shortDescription: "squares x",
      longDescription: {
        $typeName: "flyteidl.admin.Description",
        content: { case: "value", value: "Squares an integer." },
        format: 1,
        iconLink: "",
      },
      tags: ["math"],
    };
    await c.createTask(req);
    const id = ident(ResourceType.TASK, "tests.square");
    const d = await c.getDescriptionEntity({ id });
    assertEquals(d.shortDescription, "squares x");
    assertEquals(d.id?.name, "tests.square");
    assertEquals((await c.getTask({ id })).shortDescription, "squares x");
    const list = await c.listDescriptionEntities({
      resourceType: ResourceType.TASK,
      id: { project: PROJECT, domain: DOMAIN, name: "tests.square" },
      limit: 10,
    });
    assertEquals(list.descriptionEntities.length, 1);
    const none = await assertRejects(
      () =>
        c.getDescriptionEntity({
          id: ident(ResourceType.WORKFLOW, "tests.chain"),
        }),
      ConnectError,
    );
    assertEquals(none.code, Code.NotFound);
  } finally {
    await sb.close();
  }
});
