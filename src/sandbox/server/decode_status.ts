/**
 * Client mistakes answered as client mistakes. Connect's handlers report a
 * request body that does not decode as protobuf ("parse binary: ..."), and a
 * compressed frame sent without `grpc-encoding`, as INTERNAL: a server fault
 * to every client, which then retries or reports a bug. FlyteAdmin (grpc-go)
 * answers an undecodable request with INVALID_ARGUMENT... so the sandbox
 * rewrites exactly those statuses on their way out, for gRPC (status in
 * headers or trailers) and Connect (the JSON error body), and nothing else.
 *
 * @module
 */
import type * as http from "node:http";
import type * as http2 from "node:http2";
import { Buffer } from "node:buffer";

type NodeRes = http.ServerResponse | http2.Http2ServerResponse;

/** Connect's messages for requests that cannot be decoded. */
const DECODE_FAILURE =
  /^(parse binary|received compressed envelope, but do not know how to decompress|invalid envelope)/;

const INTERNAL = "13";
const INVALID_ARGUMENT = "3";

function rewriteGrpc(headers: Record<string, unknown> | undefined): void {
  if (!headers || String(headers["grpc-status"]) !== INTERNAL) return;
  const message = decodeURIComponent(String(headers["grpc-message"] ?? ""));
  if (DECODE_FAILURE.test(message)) {
    headers["grpc-status"] = INVALID_ARGUMENT;
    headers["grpc-message"] = encodeURIComponent(
      `invalid request: ${message}`,
    );
  }
}

/**
 * Wraps a response so that decode failures leave it as INVALID_ARGUMENT
 * (gRPC `grpc-status: 3`, Connect `invalid_argument` with HTTP 400).
 *
 * @example
 * ```ts
 * import { reportDecodeFailuresAsInvalid } from "./decode_status.ts";
 * import type { ServerResponse } from "node:http";
 * declare const res: ServerResponse;
 * reportDecodeFailuresAsInvalid(res);
 * ```
 */
export function reportDecodeFailuresAsInvalid(res: NodeRes): void {
  const r = res as unknown as {
    writeHead: (status: number, headers?: Record<string, unknown>) => unknown;
    addTrailers: (headers: Record<string, unknown>) => void;
    write: (chunk: unknown, ...rest: unknown[]) => boolean;
    end: (chunk?: unknown, ...rest: unknown[]) => unknown;
  };
  const writeHead = r.writeHead.bind(r);
  const addTrailers = r.addTrailers.bind(r);
  const write = r.write.bind(r);
  const end = r.end.bind(r);
  r.addTrailers = (headers) => {
    rewriteGrpc(headers);
    addTrailers(headers);
  };
  let holding = false;
  r.writeHead = (status, headers) => {
    // Asked again while the body is held (headersSent is still false).
    if (holding) return res;
    rewriteGrpc(headers);
    const type = String(headers?.["content-type"] ?? "");
    if (status !== 500 || !type.startsWith("application/json")) {
      return writeHead(status, headers);
    }
    // A Connect error body: hold it until it is complete, then decide.
    holding = true;
    const held: Buffer[] = [];
    r.write = (chunk, ...rest) => {
      held.push(Buffer.from(chunk as Uint8Array));
      const done = rest.find((x) => typeof x === "function");
      if (done) queueMicrotask(() => (done as () => void)());
      return true;
    };
    r.end = (chunk?: unknown) => {
      if (chunk !== undefined && typeof chunk !== "function") {
        held.push(Buffer.from(chunk as Uint8Array));
      }
      let body = Buffer.concat(held);
      let code = status;
      try {
        const err = JSON.parse(body.toString("utf8"));
        if (err?.code === "internal" && DECODE_FAILURE.test(err.message)) {
          code = 400;
          body = Buffer.from(JSON.stringify({
            code: "invalid_argument",
            message: `invalid request: ${err.message}`,
          }));
          if (headers) delete headers["content-length"];
        }
      } catch { /* not JSON: leave it */ }
      writeHead(code, headers);
      write(body);
      return end();
    };
    return res;
  };
}
