// The connection layer against the real embedded sandbox (native gRPC and
// grpc-gateway REST on one port): the same calls over both transports must
// give the same answers and the same typed errors.
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  type Connection,
  createConnection,
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
  toFlyteError,
} from "../../src/client/mod.ts";
import {
  chainLaunchPlan,
  chainWorkflow,
  DOMAIN,
  freshSandbox,
  ident,
  PROJECT,
  squareTask,
} from "./sandbox_fixtures.ts";

async function exercise(conn: Connection, version: string) {
  // Discovery: the sandbox has auth off.
  assertEquals(await conn.authenticator.metadata(), null);

  // Registration; a second identical registration is ALREADY_EXISTS.
  await conn.admin.createTask(squareTask(version));
  const again = toFlyteError(
    await assertRejects(() => conn.admin.createTask(squareTask(version))),
    `register task tests.square@${version}`,
  );
  assert(again instanceof FlyteEntityAlreadyExistsError, again.message);

  // Get with every id field in the path.
  const task = await conn.admin.getTask({
    id: ident(ResourceType.TASK, "tests.square", version),
  });
  assertEquals(task.id?.version, version);
  assertEquals(task.closure?.compiledTask?.template?.type, "python-task");

  // List with filters, sort and limit (query parameters over REST).
  const list = await conn.admin.listTasks({
    id: { project: PROJECT, domain: DOMAIN, name: "tests.square" },
    limit: 10,
    filters: `eq(version,${version})`,
    sortBy: { key: "created_at" },
  });
  assertEquals(list.tasks.map((t) => t.id?.version), [version]);

  // Missing entity.
  const missing = toFlyteError(
    await assertRejects(() =>
      conn.admin.getTask({
        id: ident(ResourceType.TASK, "tests.nope", version),
      })
    ),
    "fetch task tests.nope",
  );
  assert(missing instanceof FlyteEntityNotExistError, missing.message);
  assertStringIncludes(missing.message, "fetch task tests.nope: NOT_FOUND");

  // Invalid input: an execution name admin refuses.
  const bad = toFlyteError(
    await assertRejects(() =>
      conn.admin.createExecution({
        project: PROJECT,
        domain: DOMAIN,
        name: "Not_Valid",
        spec: {},
      })
    ),
  );
  assert(bad instanceof FlyteInvalidInputError, bad.message);

  // Data proxy: bytes in the body (content_md5), a signed URL back.
  const md5 = new Uint8Array(16).fill(7);
  const up = await conn.dataProxy.createUploadLocation({
    project: PROJECT,
    domain: DOMAIN,
    filename: `f-${version}.txt`,
    contentMd5: md5,
  });
  assert(up.signedUrl.startsWith("http"), up.signedUrl);
  assert(up.nativeUrl.length > 0);

  const projects = await conn.admin.listProjects({});
  assert(projects.projects.some((p) => p.id === PROJECT));
  const domains = await conn.admin.getDomains({});
  assert(domains.domains.some((d) => d.id === DOMAIN));
}

Deno.test("client against the sandbox: gRPC and REST give the same answers", async () => {
  const sandbox = await freshSandbox();
  const grpc = createConnection({ endpoint: sandbox.endpoint });
  const rest = createConnection({
    endpoint: sandbox.endpoint,
    transport: "rest",
  });
  try {
    await exercise(grpc, "g1");
    await exercise(rest, "r1");
    // Entities registered over one transport are visible over the other
    // (the chain workflow references tests.square@v1).
    await rest.admin.createTask(squareTask("v1"));
    await grpc.admin.createWorkflow(chainWorkflow("g1"));
    await rest.admin.createLaunchPlan(chainLaunchPlan("g1"));
    const lp = await rest.admin.getLaunchPlan({
      id: ident(ResourceType.LAUNCH_PLAN, "tests.chain", "g1"),
    });
    assertEquals(lp.spec?.workflowId?.version, "g1");
    const viaGrpc = await grpc.admin.getLaunchPlan({
      id: ident(ResourceType.LAUNCH_PLAN, "tests.chain", "g1"),
    });
    assertEquals(viaGrpc.id?.name, lp.id?.name);

    // Executions: create over REST (POST, body *), read over gRPC,
    // terminate over REST (DELETE with a body), ALREADY_EXISTS on reuse.
    const created = await rest.admin.createExecution({
      project: PROJECT,
      domain: DOMAIN,
      name: "client-x1",
      spec: { launchPlan: lp.id, metadata: { mode: 0 } },
      inputs: {},
    });
    assertEquals(created.id?.name, "client-x1");
    const ex = await grpc.admin.getExecution({ id: created.id });
    assertEquals(ex.spec?.launchPlan?.version, "g1");
    const dup = toFlyteError(
      await assertRejects(() =>
        grpc.admin.createExecution({
          project: PROJECT,
          domain: DOMAIN,
          name: "client-x1",
          spec: { launchPlan: lp.id },
        })
      ),
    );
    assert(dup instanceof FlyteEntityAlreadyExistsError, dup.message);
    let terminated = true;
    await rest.admin.terminateExecution({ id: created.id, cause: "test over" })
      .catch((err) => {
        // Only an execution that already finished may refuse.
        const fe = toFlyteError(err);
        assert(fe instanceof FlyteInvalidInputError, fe.message);
        terminated = false;
      });
    if (terminated) {
      const after = await grpc.admin.getExecution({ id: created.id });
      assertEquals(after.closure?.phase, WorkflowExecution_Phase.ABORTED);
      assertEquals(after.closure?.outputResult.case, "abortMetadata");
      assertEquals(
        after.closure?.outputResult.case === "abortMetadata" &&
          after.closure.outputResult.value.cause,
        "test over",
      );
    }
    await rest.admin.getExecutionData({ id: created.id });
    // Signals of the execution over REST (GET with path variables).
    const signals = await rest.signal.listSignals({
      workflowExecutionId: created.id,
      limit: 10,
    });
    assertEquals(signals.signals, []);
  } finally {
    grpc.close();
    rest.close();
    await sandbox.close();
  }
});
