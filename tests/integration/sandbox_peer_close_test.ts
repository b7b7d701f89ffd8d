/**
 * Clients that end their HTTP/2 sessions (politely with GOAWAY, abruptly,
 * or with an error code) must not take the sandbox down. Under Deno 2.9.6 a
 * node:http2 server that receives a GOAWAY can crash (denoland/deno#36788);
 * without the workaround in src/http2/goaway.ts the sandbox died within
 * 15 s of such traffic in 5 runs of 6, and this test (420 sessions, every
 * third ending with calls in flight) caught it in 5 runs of 5. The client is a Node.js process, so
 * only the sandbox's side is exercised.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";
import { spawnSandboxProcess } from "../helpers/sandbox_process.ts";

const CLIENT = `${repoRoot}/tests/integration/h2_peer_client.mjs`;
const SESSIONS = 420;

Deno.test("sandbox: survives clients ending their HTTP/2 sessions in every way, and still answers", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sandbox-peer-close-" });
  const sb = await spawnSandboxProcess(dataDir);
  try {
    const out = await new Deno.Command("node", {
      args: [CLIENT, sb.endpoint, String(SESSIONS)],
      stdout: "piped",
      stderr: "piped",
    }).output().catch((e) => {
      throw new Error(
        `this test needs Node.js ("node" on PATH; .ci/run installs Deno with it): ${e}`,
      );
    });
    const dec = new TextDecoder();
    assertEquals(out.code, 0, dec.decode(out.stderr));
    const { sessions, answered } = JSON.parse(dec.decode(out.stdout));
    // The sandbox is still running, and answers a fresh client.
    const alive = await Promise.race([
      sb.child.status.then((s) => `exited: ${JSON.stringify(s)}`),
      new Promise<string>((r) => setTimeout(() => r("running"), 200)),
    ]);
    assertEquals(alive, "running", `after ${sessions} sessions`);
    const health = await fetch(`${sb.endpoint}/healthcheck`);
    assertEquals(health.status, 200);
    await health.body?.cancel();
    assert(sessions >= SESSIONS, `only ${sessions} sessions were made`);
    assert(answered > sessions, `only ${answered} calls were answered`);
  } finally {
    try {
      sb.child.kill("SIGTERM");
    } catch { /* already gone */ }
    await sb.child.status;
    await Deno.remove(dataDir, { recursive: true });
  }
});
