/**
 * Shapes shared by the transports.
 *
 * @module
 */
import type { Transport } from "@connectrpc/connect";

/**
 * A Connect transport that owns connections and can release them.
 *
 * @example
 * ```ts
 * import type { ClosableTransport } from "./types.ts";
 * function shutdown(t: ClosableTransport) {
 *   t.close();
 * }
 * console.log(typeof shutdown);
 * ```
 */
export interface ClosableTransport extends Transport {
  /**
   * Closes the transport's connections; later calls may reopen them. Calls
   * still in flight fail with `reason` (default: CANCELED).
   */
  close(reason?: Error): void;
}

/**
 * What every transport is built from.
 *
 * @example
 * ```ts
 * import type { TransportParams } from "./types.ts";
 * const p: TransportParams = { baseUrl: "https://flyte.example.com:443", deadlineMs: 60_000 };
 * console.log(p.baseUrl);
 * ```
 */
export interface TransportParams {
  /** `http(s)://host:port` (no trailing slash). */
  baseUrl: string;
  /** PEM text of extra trusted CA certificates (replaces the default store). */
  caCert?: string;
  /** Accept any server certificate (gRPC only). */
  insecureSkipVerify?: boolean;
  /** Deadline applied to calls that do not set `timeoutMs`. */
  deadlineMs?: number;
  /** Largest response message accepted, in bytes. */
  maxReceiveMessageBytes?: number;
  /** HTTP/2 keep-alive ping interval (gRPC only). */
  keepAliveMs?: number;
  /** How long to wait for a ping answer before dropping the connection. */
  keepAliveTimeoutMs?: number;
  /** Close a connection unused for this long (gRPC only). */
  idleConnectionTimeoutMs?: number;
}
