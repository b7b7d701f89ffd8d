// A Node.js gRPC client that sends one raw frame (any bytes, any flags) and
// prints what the server answered, for tests/integration/sandbox_protocol_errors_test.ts.
// Node's own node:http2, so nothing in the Deno test process speaks HTTP/2.
// Usage: node grpc_raw_client.mjs <endpoint> <path> <flag 0|1> <payload hex | @size> [header=value ...]
import http2 from "node:http2";

const [endpoint, path, flag, payloadArg, ...extra] = process.argv.slice(2);
const payload = payloadArg.startsWith("@")
  ? Buffer.alloc(Number(payloadArg.slice(1)), 7)
  : Buffer.from(payloadArg, "hex");
const frame = Buffer.alloc(5 + payload.length);
frame[0] = Number(flag);
frame.writeUInt32BE(payload.length, 1);
payload.copy(frame, 5);
const headers = {
  ":method": "POST",
  ":path": path,
  "content-type": "application/grpc",
  te: "trailers",
};
for (const kv of extra) {
  const i = kv.indexOf("=");
  headers[kv.slice(0, i)] = kv.slice(i + 1);
}
const session = http2.connect(endpoint);
session.on("error", (e) => {
  console.log(JSON.stringify({ error: String(e) }));
  process.exit(1);
});
const req = session.request(headers);
const out = {};
req.on("response", (h) => {
  out.httpStatus = h[":status"];
  if (h["grpc-status"] !== undefined) {
    out.grpcStatus = Number(h["grpc-status"]);
    out.grpcMessage = decodeURIComponent(h["grpc-message"] ?? "");
  }
});
req.on("trailers", (t) => {
  if (t["grpc-status"] !== undefined) {
    out.grpcStatus = Number(t["grpc-status"]);
    out.grpcMessage = decodeURIComponent(t["grpc-message"] ?? "");
  }
});
req.on("data", () => {});
req.on("error", (e) => (out.error = String(e)));
req.on("close", () => {
  console.log(JSON.stringify(out));
  session.close();
});
req.end(frame);
