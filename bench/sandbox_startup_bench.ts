/**
 * Sandbox start-up: from process spawn (or `startSandbox()` call) to the
 * first answered gRPC call.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../tests/helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { startSandbox } from "../src/sandbox/mod.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.bench({
  name:
    "sandbox: spawn `deno run src/sandbox/main.ts` -> first GetVersion over gRPC",
  n: 5,
  warmup: 1,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "sandbox-bench-" });
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${root}src/sandbox/main.ts`,
        "--port",
        "0",
        "--data-dir",
        dataDir,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let text = "";
    while (!/http:\/\/\S+:\d+/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error("sandbox exited");
      text += value;
    }
    const endpoint = /http:\/\/\S+:\d+/.exec(text)![0];
    const c = createClient(
      AdminService,
      createGrpcTransport({ baseUrl: endpoint }),
    );
    await c.getVersion({});
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel();
    await Deno.remove(dataDir, { recursive: true });
  },
});

Deno.bench({
  name: "sandbox: in-process startSandbox() -> first GetVersion over gRPC",
  n: 10,
  warmup: 2,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "sandbox-bench-" });
    const sb = await startSandbox({ port: 0, dataDir });
    const c = createClient(
      AdminService,
      createGrpcTransport({ baseUrl: sb.endpoint }),
    );
    await c.getVersion({});
    await sb.close();
    await Deno.remove(dataDir, { recursive: true });
  },
});
