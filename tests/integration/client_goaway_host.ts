/**
 * Child processes of client_goaway_test.ts, so that a native crash shows as
 * an exit code instead of ending the test run.
 *
 * `server <mode> <portFile>`: a plain node:http2 gRPC server answering
 * `AdminService.GetVersion` with an empty response; after every third call
 * on a session it ends the session with a GOAWAY, the way grpc-go
 * (MaxConnectionAge/Idle, GracefulStop) or a draining proxy does:
 * - `close`: `session.close()` shortly after the answer (GOAWAY, NO_ERROR,
 *   last stream id = the last one processed);
 * - `goaway0`: `session.goaway(NO_ERROR, 0)`, then `close()`;
 * - `two-phase`: GOAWAY with last stream id 2^31-1 first, the real one 50 ms
 *   later (grpc-go's graceful drain);
 * - `drain-inflight`: `session.close()` while the third call is still being
 *   answered (it is answered 30 ms later).
 * Writes its port to `<portFile>` and runs until killed.
 *
 * `client <port> <rounds>`: per round, four connections made with
 * `createConnection` each make 12 calls, pausing 25 ms after every third one,
 * so most GOAWAYs reach an idle session (the case that crashed) and some a
 * busy one. Prints `ok` and exits 0 when every call
 * succeeded; exits 1 listing the failed calls.
 *
 * @module
 */
import * as http2 from "node:http2";
import { createConnection } from "../../src/client/connection.ts";

function answer(stream: http2.ServerHttp2Stream, delayMs: number) {
  stream.on("error", () => {});
  stream.resume();
  stream.on("end", () => {
    setTimeout(() => {
      if (stream.closed || stream.destroyed) return;
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, {
        waitForTrailers: true,
      });
      stream.on(
        "wantTrailers",
        () => stream.sendTrailers({ "grpc-status": "0" }),
      );
      stream.end(new Uint8Array([0, 0, 0, 0, 0]));
    }, delayMs);
  });
}

function serve(mode: string, portFile: string) {
  const counts = new WeakMap<http2.Http2Session, number>();
  const server = http2.createServer();
  server.on("session", (s) => s.on("error", () => {}));
  server.on("stream", (stream) => {
    const s = stream.session!;
    const n = (counts.get(s) ?? 0) + 1;
    counts.set(s, n);
    const third = n % 3 === 0;
    answer(stream, third && mode === "drain-inflight" ? 30 : 0);
    if (!third) return;
    const later = (ms: number, f: () => void) =>
      setTimeout(() => !s.closed && !s.destroyed && f(), ms);
    switch (mode) {
      case "close":
        later(5, () => s.close());
        break;
      case "goaway0":
        later(5, () => {
          s.goaway(http2.constants.NGHTTP2_NO_ERROR, 0);
          s.close();
        });
        break;
      case "two-phase":
        later(5, () => s.goaway(http2.constants.NGHTTP2_NO_ERROR, 2 ** 31 - 1));
        later(55, () => s.close());
        break;
      case "drain-inflight":
        s.close();
        break;
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  });
  server.listen(0, "127.0.0.1", async () => {
    const { port } = server.address() as { port: number };
    await Deno.writeTextFile(`${portFile}.tmp`, String(port));
    await Deno.rename(`${portFile}.tmp`, portFile);
  });
}

async function call(port: string, rounds: number) {
  const errors: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const conns = Array.from({ length: 4 }, () =>
      createConnection({
        endpoint: `127.0.0.1:${port}`,
        insecure: true,
        deadlineMs: 10_000,
      }));
    await Promise.all(conns.map(async (c, k) => {
      for (let i = 0; i < 12; i++) {
        try {
          await c.admin.getVersion({});
        } catch (e) {
          errors.push(`round ${r} conn ${k} call ${i}: ${e}`);
        }
        // idle after every third call, when the server's GOAWAY comes
        if (i % 3 === 2) await new Promise((res) => setTimeout(res, 25));
      }
    }));
    await new Promise((res) => setTimeout(res, 100));
    for (const c of conns) c.close();
  }
  if (errors.length) {
    console.error(errors.join("\n"));
    Deno.exit(1);
  }
  console.log("ok");
}

if (import.meta.main) {
  const [role, a, b] = Deno.args;
  if (role === "server") serve(a, b);
  else if (role === "client") await call(a, Number(b));
  else throw new Error(`unknown role ${role}`);
}
