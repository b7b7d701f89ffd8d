/**
 * A server's GOAWAY must not kill a process using our gRPC client. Under
 * Deno 2.9.6 without the workaround in src/http2/goaway.ts, about
 * one client run in five dies (nghttp2 assertion, exit 134, or a segfault,
 * exit 139), so the eight client runs here (two per mode) catch it in most runs of
 * this file; see
 * src/client/README.md.
 */
import { assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

const HOST = `${repoRoot}/tests/integration/client_goaway_host.ts`;
const MODES = ["close", "goaway0", "two-phase", "drain-inflight"];
const CLIENT_RUNS = 2;
const ROUNDS = 4;

async function until(file: string): Promise<string> {
  for (;;) {
    try {
      return await Deno.readTextFile(file);
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

for (const mode of MODES) {
  Deno.test(`GOAWAY (${mode}): a client process making calls survives and every call succeeds`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "client-goaway-test-" });
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", HOST, "server", mode, `${dir}/port`],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const port = await until(`${dir}/port`);
      for (let run = 0; run < CLIENT_RUNS; run++) {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", HOST, "client", port, String(ROUNDS)],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const dec = new TextDecoder();
        assertEquals(
          [out.code, out.signal],
          [0, null],
          `${mode}, client run ${run}:\n${dec.decode(out.stdout)}${
            dec.decode(out.stderr)
          }`,
        );
      }
    } finally {
      server.kill();
      const s = await server.output();
      await Deno.remove(dir, { recursive: true });
      // the server must have been alive until killed (no crash of its own)
      assertEquals(s.signal, "SIGTERM", new TextDecoder().decode(s.stderr));
    }
  });
}
