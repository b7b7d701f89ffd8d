/**
 * Child process of sandbox_close_test.ts, in two roles.
 *
 * `server <goFile>`: starts a sandbox, writes its port to `<goFile>.port`,
 * keeps three gRPC
 * clients of its own connected (as a FlyteRemote in the same notebook
 * would be), waits until `<goFile>` exists, closes the sandbox and exits 0.
 *
 * `client <port> <goFile>`: opens four gRPC sessions to the sandbox, makes
 * calls on each, creates `<goFile>`, keeps the sessions open while the
 * sandbox closes, and exits 0.
 *
 * Either process dying (an nghttp2 assertion, a segfault) fails the test.
 *
 * @module
 */
import { type Client, createClient } from "@connectrpc/connect";
import {
  createGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";

function clients(endpoint: string, n: number): Client<typeof AdminService>[] {
  return Array.from({ length: n }, () =>
    createClient(
      AdminService,
      createGrpcTransport({
        baseUrl: endpoint,
        sessionManager: new Http2SessionManager(endpoint),
      }),
    ));
}

async function busy(cs: Client<typeof AdminService>[], calls: number) {
  await Promise.all(cs.map(async (c) => {
    for (let i = 0; i < calls; i++) await c.listProjects({});
  }));
}

/** Resolves once `file` exists. */
export async function until(file: string): Promise<void> {
  for (;;) {
    try {
      await Deno.stat(file);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const [role, ...args] = Deno.args;
if (!import.meta.main) {
  // imported for until()
} else if (role === "server") {
  const sb = await startSandbox({
    port: 0,
    dataDir: await Deno.makeTempDir({ prefix: "sandbox-close-" }),
    launcher: null,
  });
  await Deno.writeTextFile(`${args[0]}.port.tmp`, String(sb.port));
  await Deno.rename(`${args[0]}.port.tmp`, `${args[0]}.port`);
  const own = clients(sb.endpoint, 3);
  await busy(own, 15);
  await until(args[0]);
  await sb.close();
  await new Promise((r) => setTimeout(r, 300));
  console.log("server closed");
  Deno.exit(0);
} else if (role === "client") {
  const cs = clients(`http://127.0.0.1:${args[0]}`, 4);
  await busy(cs, 15);
  await Deno.writeTextFile(`${args[1]}.tmp`, "go");
  await Deno.rename(`${args[1]}.tmp`, args[1]);
  await new Promise((r) => setTimeout(r, 800));
  console.log("client done");
  Deno.exit(0);
} else {
  throw new Error(`unknown role ${role}`);
}
