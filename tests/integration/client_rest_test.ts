// The REST transport against an in-test grpc-gateway stand-in whose routes
// are written out by hand (not derived from the descriptors), so a routing
// mistake in the transport shows up as a failure here.
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import { TaskListSchema, TaskSchema } from "@flyteidl/admin/task_pb.ts";
import {
  ExecutionCreateRequestSchema,
  ExecutionCreateResponseSchema,
  ExecutionTerminateRequestSchema,
  ExecutionTerminateResponseSchema,
} from "@flyteidl/admin/execution_pb.ts";
import {
  GetDomainsResponseSchema,
  ProjectsSchema,
} from "@flyteidl/admin/project_pb.ts";
import {
  Code,
  createConnection,
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  FlyteSystemError,
  FlyteTimeoutError,
  toFlyteError,
} from "../../src/client/mod.ts";

const OCTET = { "content-type": "application/octet-stream" };

function status(code: number, message: string): Uint8Array {
  return new BinaryWriter().uint32(8).int32(code).uint32(18).string(message)
    .finish();
}

function startRestAdmin() {
  const seen: { method: string; url: string; headers: Headers }[] = [];
  const ok = (bytes: Uint8Array) =>
    new Response(bytes as Uint8Array<ArrayBuffer>, { headers: OCTET });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      seen.push({
        method: req.method,
        url: url.pathname + url.search,
        headers: req.headers,
      });
      const p = url.pathname.split("/").slice(1).map(decodeURIComponent);
      if (req.headers.get("accept") !== "application/octet-stream") {
        return new Response("want octet-stream", { status: 406 });
      }
      // GET /api/v1/version
      if (req.method === "GET" && url.pathname === "/api/v1/version") {
        return ok(toBinary(
          GetVersionResponseSchema,
          create(GetVersionResponseSchema, {
            controlPlaneVersion: { Version: "rest" },
          }),
        ));
      }
      // GET /api/v1/tasks/{project}/{domain}/{name}/{version}
      if (req.method === "GET" && p[2] === "tasks" && p.length === 7) {
        if (p[5] !== "t1") {
          return new Response(
            status(5, `task ${p[5]} not found`) as Uint8Array<ArrayBuffer>,
            {
              status: 404,
              headers: OCTET,
            },
          );
        }
        return ok(toBinary(
          TaskSchema,
          create(TaskSchema, {
            id: { project: p[3], domain: p[4], name: p[5], version: p[6] },
          }),
        ));
      }
      // GET /api/v1/tasks/{project}/{domain}?limit=..
      if (req.method === "GET" && p[2] === "tasks" && p.length === 5) {
        const n = Number(url.searchParams.get("limit"));
        return ok(toBinary(
          TaskListSchema,
          create(TaskListSchema, {
            tasks: Array.from({ length: n }, (_, i) => ({
              id: { project: p[3], domain: p[4], name: `t${i}`, version: "v" },
            })),
            token: url.searchParams.get("sort_by.key") ?? "",
          }),
        ));
      }
      // POST /api/v1/executions
      if (req.method === "POST" && url.pathname === "/api/v1/executions") {
        if (req.headers.get("content-type") !== "application/octet-stream") {
          return new Response("want octet-stream", { status: 415 });
        }
        const body = fromBinary(
          ExecutionCreateRequestSchema,
          new Uint8Array(await req.arrayBuffer()),
        );
        if (body.name === "exists") {
          // grpc-gateway with a JSON marshaler answers like this.
          return Response.json({
            code: 6,
            message: "execution exists",
            details: [],
          }, { status: 409 });
        }
        return ok(
          toBinary(
            ExecutionCreateResponseSchema,
            create(ExecutionCreateResponseSchema, {
              id: {
                project: body.project,
                domain: body.domain,
                name: body.name,
              },
            }),
          ),
        );
      }
      // DELETE /api/v1/executions/{project}/{domain}/{name} with a body
      if (req.method === "DELETE" && p[2] === "executions") {
        const body = fromBinary(
          ExecutionTerminateRequestSchema,
          new Uint8Array(await req.arrayBuffer()),
        );
        if (body.id?.name !== p[5] || body.cause !== "stop") {
          return new Response(
            status(3, "bad body") as Uint8Array<ArrayBuffer>,
            { status: 400, headers: OCTET },
          );
        }
        return ok(
          toBinary(
            ExecutionTerminateResponseSchema,
            create(ExecutionTerminateResponseSchema),
          ),
        );
      }
      // GET /api/v1/projects: slow, to exercise the deadline
      if (req.method === "GET" && url.pathname === "/api/v1/projects") {
        await new Promise((r) => setTimeout(r, 300));
        return ok(toBinary(ProjectsSchema, create(ProjectsSchema)));
      }
      // GET /api/v1/domains demands a token.
      if (req.method === "GET" && url.pathname === "/api/v1/domains") {
        if (req.headers.get("flyte-authorization") !== "Bearer rest-token") {
          return new Response(
            status(16, "token required") as Uint8Array<ArrayBuffer>,
            {
              status: 401,
              headers: OCTET,
            },
          );
        }
        return ok(
          toBinary(
            GetDomainsResponseSchema,
            create(GetDomainsResponseSchema, {
              domains: [{ id: "development", name: "development" }],
            }),
          ),
        );
      }
      // Auth is off: discovery answers 501.
      if (url.pathname === "/config/v1/flyte_client") {
        return Response.json({ code: 12, message: "not implemented" }, {
          status: 501,
        });
      }
      return new Response("Not Found", { status: 404 });
    },
  );
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    seen,
    close: () => server.shutdown(),
  };
}

Deno.test("REST transport: unary calls map to grpc-gateway routes with binary protobuf", async () => {
  const s = startRestAdmin();
  const conn = createConnection({
    endpoint: s.endpoint,
    transport: "rest",
    headers: { "x-extra": "1" },
  });
  try {
    assertEquals(conn.transportKind, "rest");
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "rest");
    assertEquals(s.seen.at(-1)!.headers.get("x-extra"), "1");
    assertEquals(s.seen.at(-1)!.headers.get("grpc-timeout"), "60000m");

    const t = await conn.admin.getTask({
      id: { project: "p", domain: "d", name: "t1", version: "v 1" },
    });
    assertEquals(t.id?.version, "v 1");
    assertEquals(s.seen.at(-1)!.url, "/api/v1/tasks/p/d/t1/v%201");

    const list = await conn.admin.listTasks({
      id: { project: "p", domain: "d" },
      limit: 3,
      sortBy: { key: "created_at" },
    });
    assertEquals(list.tasks.map((x) => x.id?.name), ["t0", "t1", "t2"]);
    assertEquals(list.token, "created_at");

    const created = await conn.admin.createExecution({
      project: "p",
      domain: "d",
      name: "e1",
    });
    assertEquals(created.id?.name, "e1");
    await conn.admin.terminateExecution({
      id: { project: "p", domain: "d", name: "e1" },
      cause: "stop",
    });
    assertEquals(s.seen.at(-1)!.method, "DELETE");
  } finally {
    conn.close();
    await s.close();
  }
});

Deno.test("REST transport: errors keep code and server message (binary and JSON bodies)", async () => {
  const s = startRestAdmin();
  const conn = createConnection({
    endpoint: s.endpoint,
    transport: "rest",
    deadlineMs: 100,
  });
  try {
    const nf = toFlyteError(
      await assertRejects(() =>
        conn.admin.getTask({
          id: { project: "p", domain: "d", name: "zz", version: "v" },
        })
      ),
      "fetch task p/d/zz@v",
    );
    assert(nf instanceof FlyteEntityNotExistError);
    assertEquals(nf.serverMessage, "task zz not found");
    assertEquals(
      nf.message,
      "fetch task p/d/zz@v: NOT_FOUND: task zz not found",
    );

    const ae = toFlyteError(
      await assertRejects(() =>
        conn.admin.createExecution({
          project: "p",
          domain: "d",
          name: "exists",
        })
      ),
    );
    assert(ae instanceof FlyteEntityAlreadyExistsError);
    assertEquals(ae.serverMessage, "execution exists");

    const slow = toFlyteError(
      await assertRejects(() => conn.admin.listProjects({})),
    );
    assert(slow instanceof FlyteTimeoutError, slow.message);

    // gRPC-only methods say so.
    const un = toFlyteError(
      await assertRejects(() => conn.signal.getOrCreateSignal({})),
    );
    assert(un instanceof FlyteSystemError);
    assertEquals(un.code, Code.Unimplemented);
    assertStringIncludes(un.message, "has no REST route");

    // Auth discovery over REST: 501 means auth is off.
    assertEquals(await conn.authenticator.metadata(), null);
  } finally {
    conn.close();
    await s.close();
  }
});

Deno.test("REST transport: an unreachable server is FlyteSystemUnavailableError after retries", async () => {
  const s = startRestAdmin();
  const endpoint = s.endpoint;
  await s.close();
  const conn = createConnection({ endpoint, transport: "rest", maxRetries: 1 });
  try {
    const err = toFlyteError(
      await assertRejects(() => conn.admin.getVersion({})),
    );
    assertEquals(err.code, Code.Unavailable);
    assertStringIncludes(err.message, "GET http://127.0.0.1");
  } finally {
    conn.close();
  }
});

Deno.test("REST transport: auth on UNAUTHENTICATED (HTTP 401) with a static token", async () => {
  const s = startRestAdmin();
  const conn = createConnection({
    endpoint: s.endpoint,
    transport: "rest",
    auth: { type: "staticToken", token: "rest-token" },
  });
  try {
    const d = await conn.admin.getDomains({});
    assertEquals(d.domains.map((x) => x.id), ["development"]);
    const domainCalls = s.seen.filter((x) => x.url === "/api/v1/domains");
    assertEquals(domainCalls.length, 2); // anonymous, then with the token
  } finally {
    conn.close();
    await s.close();
  }
});
