/**
 * Native gRPC over HTTP/2 (Connect's node:http2 transport), with TLS from
 * the default trust store or a CA file, HTTP/2 keep-alive pings and a raised
 * receive-size limit. The HTTP/2 session is owned here so it can be closed.
 * Creating one installs the GOAWAY crash workaround of `src/http2/goaway.ts`.
 *
 * @module
 */
import type { Interceptor } from "@connectrpc/connect";
import {
  createGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { deferGoawayEvents } from "../../http2/goaway.ts";
import type { ClosableTransport, TransportParams } from "./types.ts";

/**
 * Creates a gRPC transport for one endpoint.
 *
 * @example
 * ```ts
 * import { createGrpcTransportFor } from "./grpc.ts";
 * const t = createGrpcTransportFor({
 *   baseUrl: "http://localhost:30080",
 *   interceptors: [],
 * });
 * t.close();
 * ```
 */
export function createGrpcTransportFor(
  params: TransportParams & { interceptors: Interceptor[] },
): ClosableTransport {
  deferGoawayEvents();
  const nodeOptions = {
    ...(params.caCert ? { ca: params.caCert } : {}),
    ...(params.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
  };
  const sessionManager = new Http2SessionManager(
    params.baseUrl,
    {
      pingIntervalMs: params.keepAliveMs ?? 300_000,
      pingTimeoutMs: params.keepAliveTimeoutMs ?? 20_000,
      pingIdleConnection: false,
      idleConnectionTimeoutMs: params.idleConnectionTimeoutMs ?? 900_000,
    },
    nodeOptions,
  );
  const transport = createGrpcTransport({
    baseUrl: params.baseUrl,
    sessionManager,
    interceptors: params.interceptors,
    readMaxBytes: params.maxReceiveMessageBytes,
    defaultTimeoutMs: params.deadlineMs,
  });
  return {
    unary: transport.unary.bind(transport),
    stream: transport.stream.bind(transport),
    close(reason?: Error) {
      sessionManager.abort(reason);
    },
  };
}
