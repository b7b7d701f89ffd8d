/**
 * Connect's node:http2 gRPC transport for tests, with the Deno GOAWAY crash
 * workaround of src/http2/goaway.ts installed first.
 *
 * `deno test --parallel` runs every test module in one process. A test whose
 * server destroys its sessions sends a GOAWAY to the client side of the same
 * process, and under Deno 2.9.6 an unpatched node:http2 client can then take
 * the whole test run down with a segmentation fault (denoland/deno#36788).
 * Every test that builds a gRPC client without going through src/client
 * imports it from here.
 *
 * @module
 */
import { createGrpcTransport as connectGrpcTransport } from "@connectrpc/connect-node";
import { deferGoawayEvents } from "../../src/http2/goaway.ts";

deferGoawayEvents();

/** Connect's `createGrpcTransport`, after the GOAWAY workaround is in place. */
export const createGrpcTransport: typeof connectGrpcTransport = (options) => {
  deferGoawayEvents();
  return connectGrpcTransport(options);
};

export { deferGoawayEvents };
