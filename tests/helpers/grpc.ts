/**
 * Connect's node:http2 gRPC transport for tests, with the Deno GOAWAY crash
 * workaround of src/http2/goaway.ts installed first.
 *
 * `deno test --parallel` runs every test module in one process. Under Deno
 * 2.9.6 an unpatched node:http2 session, client or server, that receives a
 * GOAWAY can take the whole test run down with a segmentation fault
 * (denoland/deno#36788). Every test or bench module that makes HTTP/2
 * sessions of its own imports this module (tests/unit/test_hygiene_test.ts
 * checks it), for the transport or just for the workaround.
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
