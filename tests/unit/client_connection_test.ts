import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import * as http2 from "node:http2";
// Its servers get the GOAWAY workaround before any session exists.
import "../helpers/grpc.ts";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { AuthMetadataService } from "@flyteidl/service/auth_pb.ts";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
import { ProjectsSchema } from "@flyteidl/admin/project_pb.ts";
import {
  createConnection,
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
  FlyteSystemUnavailableError,
  FlyteTimeoutError,
  loadConfig,
  toFlyteError,
} from "../../src/client/mod.ts";
import type { RetryingTransport } from "../../src/client/transport/retry.ts";

async function startAdmin(port = 0) {
  const seen: { method: string; headers: Headers }[] = [];
  const routes = (router: ConnectRouter) => {
    router.service(AdminService, {
      getVersion(_req, ctx) {
        seen.push({ method: "getVersion", headers: ctx.requestHeader });
        return create(GetVersionResponseSchema, {
          controlPlaneVersion: { Version: "v-test" },
        });
      },
      async listProjects() {
        await new Promise((r) => setTimeout(r, 300));
        return create(ProjectsSchema, {});
      },
      getTask(req) {
        if (req.id?.name !== "t1") {
          throw new ConnectError(
            `missing entity of type TASK with identifier ${req.id?.name}`,
            Code.NotFound,
          );
        }
        return create(TaskSchema, { id: req.id });
      },
    });
    router.service(AuthMetadataService, {});
  };
  const server = http2.createServer(connectNodeAdapter({ routes }));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const p = (server.address() as AddressInfo).port;
  return {
    port: p,
    seen,
    /** Stops like a restarting server: GOAWAY on open sessions, then close. */
    close: (how: "goaway" | "destroy" = "destroy") =>
      new Promise<void>((r) => {
        for (const s of sessions) {
          if (how === "goaway") s.goaway(http2.constants.NGHTTP2_NO_ERROR);
          else s.destroy();
        }
        server.close(() => r());
        if (how === "goaway") {
          setTimeout(() => sessions.forEach((s) => s.destroy()), 50);
        }
      }),
  };
}

Deno.test("createConnection: gRPC call with extra headers, typed errors", async () => {
  const s = await startAdmin();
  const conn = createConnection({
    endpoint: `dns:///127.0.0.1:${s.port}`,
    insecure: true,
    headers: { "x-flyte-test": "yes" },
  });
  try {
    assertEquals(conn.endpoint, `127.0.0.1:${s.port}`);
    assertEquals(conn.insecure, true);
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "v-test");
    assertEquals(s.seen[0].headers.get("x-flyte-test"), "yes");
    const t = await conn.admin.getTask({
      id: { project: "p", domain: "d", name: "t1", version: "v1" },
    });
    assertEquals(t.id?.name, "t1");
    const err = await assertRejects(() =>
      conn.admin.getTask({ id: { project: "p", domain: "d", name: "nope" } })
    );
    const fe = toFlyteError(err, "fetch task p/d/nope");
    assert(fe instanceof FlyteEntityNotExistError);
    assertEquals(fe.code, Code.NotFound);
    assertEquals(
      fe.message,
      "fetch task p/d/nope: NOT_FOUND: missing entity of type TASK with identifier nope",
    );
  } finally {
    conn.close();
    await s.close();
  }
});

Deno.test("createConnection: reconnects after the server restarts", async () => {
  let s = await startAdmin();
  const port = s.port;
  const conn = createConnection({
    endpoint: `127.0.0.1:${port}`,
    insecure: true,
  });
  try {
    await conn.admin.getVersion({});
    await s.close("goaway");
    s = await startAdmin(port);
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "v-test");
  } finally {
    conn.close();
    await s.close();
  }
});

/** A TCP proxy that resets the first `drop` connections once they send data. */
async function startDroppingProxy(target: number, drop: number) {
  let n = 0;
  const server = net.createServer((sock) => {
    if (n++ < drop) {
      sock.once("data", () => sock.resetAndDestroy());
      return;
    }
    const up = net.connect(target, "127.0.0.1");
    sock.pipe(up).pipe(sock);
    sock.on("error", () => up.destroy());
    up.on("error", () => sock.destroy());
    sock.on("close", () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

Deno.test("createConnection: a reset connection is recreated and the call retried", async () => {
  const s = await startAdmin();
  const proxy = await startDroppingProxy(s.port, 2);
  const conn = createConnection({
    endpoint: `http://127.0.0.1:${proxy.port}`,
  });
  try {
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "v-test");
    assertEquals((conn.transport as RetryingTransport).reconnects, 2);
    assertEquals(proxy.connections(), 3);
  } finally {
    conn.close();
    await proxy.close();
    await s.close();
  }
});

Deno.test("createConnection: gives up after maxRetries with FlyteSystemUnavailableError", async () => {
  const s = await startAdmin();
  const proxy = await startDroppingProxy(s.port, 10);
  const conn = createConnection({
    endpoint: `http://127.0.0.1:${proxy.port}`,
    maxRetries: 1,
  });
  try {
    const err = await assertRejects(() => conn.admin.getVersion({}));
    const fe = toFlyteError(err, "get version");
    assertEquals(proxy.connections(), 2);
    assert(fe instanceof FlyteSystemUnavailableError, fe.message);
    assertStringIncludes(
      fe.message,
      "get version: UNAVAILABLE: connection lost (2 attempts)",
    );
  } finally {
    conn.close();
    await proxy.close();
    await s.close();
  }
});

Deno.test("createConnection: rejects bad options with the field named", () => {
  let err = null;
  try {
    createConnection({ endpoint: "" });
  } catch (e) {
    err = e;
  }
  assert(err instanceof FlyteInvalidInputError);
  assert(err.message.startsWith("endpoint"));
  try {
    createConnection({ endpoint: "x:1", caCertFile: "/nonexistent/ca.pem" });
    err = null;
  } catch (e) {
    err = e;
  }
  assert(err instanceof FlyteInvalidInputError);
  assert(err.message.includes("/nonexistent/ca.pem"));
});

Deno.test("createConnection: deadline per call, overridable per call", async () => {
  const s = await startAdmin();
  const conn = createConnection({
    endpoint: `http://127.0.0.1:${s.port}`,
    deadlineMs: 100,
  });
  try {
    const err = toFlyteError(
      await assertRejects(() => conn.admin.listProjects({})),
      "list projects",
    );
    assert(err instanceof FlyteTimeoutError, err.message);
    // DEADLINE_EXCEEDED is not retried.
    assertEquals((conn.transport as RetryingTransport).reconnects, 0);
    await conn.admin.listProjects({}, { timeoutMs: 5000 });
  } finally {
    conn.close();
    await s.close();
  }
});

Deno.test("createConnection accepts a loaded PlatformConfig as it is", async () => {
  const s = await startAdmin();
  const config = await loadConfig({
    env: {
      FLYTE_PLATFORM_URL: `dns:///127.0.0.1:${s.port}`,
      FLYTE_PLATFORM_INSECURE: "True",
    },
    cwd: "/nonexistent",
    home: "/nonexistent",
  });
  const conn = createConnection(config);
  try {
    assertEquals(conn.endpoint, `127.0.0.1:${s.port}`);
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "v-test");
  } finally {
    conn.close();
    await s.close();
  }
});

Deno.test("createConnection: maxReceiveMessageBytes bounds responses", async () => {
  const s = await startAdmin();
  try {
    using small = createConnection({
      endpoint: `http://127.0.0.1:${s.port}`,
      maxReceiveMessageBytes: 4,
    });
    const err = toFlyteError(
      await assertRejects(() => small.admin.getVersion({})),
    );
    assertEquals(err.code, Code.ResourceExhausted);
  } finally {
    await s.close();
  }
});
