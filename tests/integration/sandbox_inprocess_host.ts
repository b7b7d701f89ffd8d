/**
 * Child process of sandbox_inprocess_test.ts: hammers the sandbox's
 * in-process services (Connect's router transport, no network) with calls
 * that carry AbortSignals (shared and aborted mid-flight, already aborted,
 * with deadlines), as the engine's gate loop and FlyteRemote's waits would.
 * Prints one JSON line of counts. A native crash shows as its exit code.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { startSandbox } from "../../src/sandbox/mod.ts";

// Runs until enough calls of each kind have been seen (so a slow, loaded
// machine only takes longer), or at most this many milliseconds.
const ms = Number(Deno.args[0] ?? 60_000);
const enough = () =>
  counts.ok > 1500 && counts.canceled > 200 && counts.refused > 200;
const sb = await startSandbox({
  port: 0,
  dataDir: await Deno.makeTempDir({ prefix: "sandbox-inprocess-" }),
  launcher: null,
});
const { admin, signals } = sb.services;
const counts = { ok: 0, canceled: 0, refused: 0, other: 0, rounds: 0 };
const other: string[] = [];
const t0 = Date.now();
while (!enough() && Date.now() - t0 < ms) {
  counts.rounds++;
  const ac = new AbortController();
  const loops = Array.from({ length: 16 }, async (_, k) => {
    while (!ac.signal.aborted) {
      try {
        if (k % 4 === 0) {
          await signals.getOrCreateSignal({
            id: {
              executionId: {
                project: "flytesnacks",
                domain: "development",
                name: "nosuchexec",
              },
              signalId: `s${k}`,
            },
          }, { signal: ac.signal });
        } else if (k % 4 === 1) {
          await admin.listProjects({}, { signal: ac.signal, timeoutMs: 5000 });
        } else if (k % 4 === 2) {
          const pre = new AbortController();
          pre.abort(new Error("already aborted"));
          await admin.getVersion({}, { signal: pre.signal });
        } else {
          await admin.getVersion({}, { signal: AbortSignal.timeout(5000) });
        }
        counts.ok++;
      } catch (e) {
        const c = ConnectError.from(e).code;
        if (c === Code.Canceled || ac.signal.aborted) counts.canceled++;
        else if (c === Code.NotFound || c === Code.InvalidArgument) {
          counts.refused++; // answered by the service with an error
        } else if (k % 4 === 2) counts.canceled++;
        else {
          counts.other++;
          if (other.length < 3) other.push(String(e));
        }
      }
      // Poll like the engine does (and let the abort timer run).
      await new Promise((r) => setTimeout(r, 0));
    }
  });
  await new Promise((r) => setTimeout(r, 5 + counts.rounds % 20));
  ac.abort(new Error("terminated"));
  await Promise.all(loops);
}
await sb.close();
console.log(JSON.stringify({ ...counts, otherErrors: other }));
