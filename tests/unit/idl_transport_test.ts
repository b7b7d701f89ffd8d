import { assertEquals, assertRejects } from "../helpers/assert.ts";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  type Transport,
} from "@connectrpc/connect";
import {
  connectNodeAdapter,
  createConnectTransport,
} from "@connectrpc/connect-node";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import { TaskCreateResponseSchema } from "@flyteidl/admin/task_pb.ts";

/** A tiny in-test AdminService answering two methods over one h2c port. */
async function startServer() {
  const seen: string[] = [];
  const routes = (router: ConnectRouter) =>
    router.service(AdminService, {
      getVersion() {
        return create(GetVersionResponseSchema, {
          controlPlaneVersion: {
            Version: "test",
            Build: "b1",
            BuildTime: "now",
          },
        });
      },
      createTask(req) {
        if (!req.id?.name) {
          throw new ConnectError("missing id.name", Code.InvalidArgument);
        }
        seen.push(req.id.name);
        return create(TaskCreateResponseSchema, {});
      },
    });
  const server = http2.createServer(connectNodeAdapter({ routes }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function exercise(transport: Transport, seen: string[]) {
  const client = createClient(AdminService, transport);
  const v = await client.getVersion({});
  assertEquals(v.controlPlaneVersion?.Version, "test");
  await client.createTask({
    id: {
      project: "flytesnacks",
      domain: "development",
      name: "t1",
      version: "v1",
    },
  });
  assertEquals(seen.at(-1), "t1");
  const err = await assertRejects(() => client.createTask({}), ConnectError);
  assertEquals(err.code, Code.InvalidArgument);
}

Deno.test("AdminService client over native gRPC (HTTP/2)", async () => {
  const s = await startServer();
  try {
    await exercise(
      createGrpcTransport({ baseUrl: s.url }),
      s.seen,
    );
  } finally {
    await s.close();
  }
});

Deno.test("AdminService client over the Connect protocol", async () => {
  const s = await startServer();
  try {
    await exercise(
      createConnectTransport({ baseUrl: s.url, httpVersion: "2" }),
      s.seen,
    );
  } finally {
    await s.close();
  }
});
