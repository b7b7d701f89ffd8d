// Connection layer latency against an in-process AdminService (h2c gRPC and
// a REST stand-in): connection creation + first call, a warm call, and a
// fresh `deno` process that imports src/client/mod.ts, connects and makes
// one call (the notebook cold-start path).
import * as http2 from "node:http2";
// Its servers get the GOAWAY workaround before any session exists.
import "../tests/helpers/grpc.ts";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import { createConnection } from "../src/client/mod.ts";

const version = create(GetVersionResponseSchema, {
  controlPlaneVersion: { Version: "bench" },
});
const routes = (router: ConnectRouter) =>
  router.service(AdminService, { getVersion: () => version });
const server = http2.createServer(connectNodeAdapter({ routes }));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
const endpoint = `127.0.0.1:${port}`;

const rest = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () =>
    new Response(
      toBinary(GetVersionResponseSchema, version) as Uint8Array<ArrayBuffer>,
      { headers: { "content-type": "application/octet-stream" } },
    ),
);

const warm = createConnection({ endpoint, insecure: true });
await warm.admin.getVersion({});

const modUrl = new URL("../src/client/mod.ts", import.meta.url).href;
const script = `
const { createConnection } = await import(${JSON.stringify(modUrl)});
const conn = createConnection({ endpoint: Deno.args[0], insecure: true });
await conn.admin.getVersion({});
conn.close();
`;

Deno.bench("gRPC: createConnection + first call", async () => {
  const conn = createConnection({ endpoint, insecure: true });
  await conn.admin.getVersion({});
  conn.close();
});

Deno.bench("gRPC: call on a warm connection", async () => {
  await warm.admin.getVersion({});
});

Deno.bench("REST: createConnection + first call", async () => {
  const conn = createConnection({
    endpoint: `127.0.0.1:${rest.addr.port}`,
    insecure: true,
    transport: "rest",
  });
  await conn.admin.getVersion({});
  conn.close();
});

Deno.bench(
  "fresh process: deno run + import client + connect + first call",
  { n: 10, warmup: 1 },
  async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script, endpoint],
      cwd: path.resolve(import.meta.dirname!, ".."),
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(new TextDecoder().decode(out.stderr));
    }
  },
);

globalThis.addEventListener("unload", () => {
  warm.close();
  server.close();
  rest.shutdown();
});
