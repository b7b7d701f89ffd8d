// A Node.js HTTP/2 client for tests/integration/sandbox_peer_close_test.ts:
// opens sessions to the sandbox, makes gRPC calls on them and ends them in
// the ways real clients do, a given number of sessions (a fixed amount of
// work, however loaded the machine is). Node's node:http2 is not affected by
// denoland/deno#36788, so only the server side is exercised.
// Usage: node h2_peer_client.mjs <endpoint> <sessions>
import http2 from "node:http2";

const [endpoint, sessionsArg] = process.argv.slice(2);
const total = Number(sessionsArg ?? 300);
// GetVersion with an empty request: one gRPC frame of length 0.
const EMPTY_FRAME = new Uint8Array(5);
let sessions = 0;
let answered = 0;

function call(session, cancel) {
  return new Promise((resolve) => {
    let req;
    try {
      req = session.request({
        ":method": "POST",
        ":path": "/flyteidl.service.AdminService/GetVersion",
        "content-type": "application/grpc",
        te: "trailers",
      });
    } catch {
      return resolve();
    }
    req.on("error", () => resolve());
    req.on("trailers", (t) => {
      if (t["grpc-status"] === "0") answered++;
    });
    req.on("data", () => {});
    req.on("close", () => resolve());
    req.end(EMPTY_FRAME);
    if (cancel) setTimeout(() => req.close(http2.constants.NGHTTP2_CANCEL), 1);
  });
}

async function oneSession(i) {
  const session = http2.connect(endpoint);
  sessions++;
  session.on("error", () => {});
  const calls = 1 + (i % 7) * 10;
  for (let k = 0; k < calls; k += 4) {
    const batch = [0, 1, 2, 3].map((j) =>
      call(session, i % 5 === 0 && j === 3)
    );
    // Every third session ends with its last calls still in flight.
    if (i % 3 === 0 && k + 4 >= calls) break;
    await Promise.all(batch);
  }
  // A session the server already dropped cannot be ended again: ignore that
  // here, the test then reports what became of the server.
  try {
    end(session, i);
  } catch { /* already gone */ }
}

function end(session, i) {
  switch (i % 4) {
    case 0: // polite close: GOAWAY(NO_ERROR), as grpc clients do on shutdown
      session.close();
      break;
    case 1: // abrupt
      session.destroy();
      break;
    case 2: // GOAWAY first, then gone
      session.goaway(0);
      setTimeout(() => session.destroy(), 5);
      break;
    default: // destroyed with an error code (GOAWAY(PROTOCOL_ERROR))
      session.destroy(new Error("client gives up"), 1);
  }
}

let i = 0;
while (i < total) {
  await Promise.all(Array.from({ length: 6 }, () => oneSession(i++)));
}
console.log(JSON.stringify({ sessions, answered }));
