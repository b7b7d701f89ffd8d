/**
 * Retries and reconnects. A unary call that fails with UNAVAILABLE, or
 * because its connection vanished (the server restarted, sent GOAWAY, or the
 * socket was reset), is retried with exponential backoff after the
 * underlying transport is thrown away and created afresh — under Deno a
 * node:http2 session does not notice a GOAWAY by itself. Nothing else is
 * retried. Streaming calls are never retried.
 *
 * @module
 */
import type {
  DescMessage,
  DescMethodStreaming,
  DescMethodUnary,
  MessageInitShape,
} from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  type StreamResponse,
  type UnaryResponse,
} from "@connectrpc/connect";
import { sleep } from "../sleep.ts";
import type { ClosableTransport } from "./types.ts";

/**
 * Retry policy.
 *
 * @example
 * ```ts
 * import type { RetryOptions } from "./retry.ts";
 * const r: RetryOptions = { maxRetries: 5, initialBackoffMs: 100 };
 * console.log(r.maxRetries);
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables retries). */
  maxRetries?: number;
  /** First backoff delay in ms (default 200), doubled each retry. */
  initialBackoffMs?: number;
  /** Largest backoff delay in ms (default 5000). */
  maxBackoffMs?: number;
}

const VANISHED =
  /GOAWAY|ECONNRESET|ECONNREFUSED|EPIPE|ERR_HTTP2|NGHTTP2|socket hang up|session (closed|destroyed)|stream (closed|reset)|connection (closed|reset|refused)|premature close|closed before/i;

/**
 * Whether a failed call may be retried: UNAVAILABLE, or an INTERNAL, UNKNOWN
 * or ABORTED error whose message says the connection went away.
 *
 * @example
 * ```ts
 * import { Code, ConnectError } from "@connectrpc/connect";
 * import { isRetryable } from "./retry.ts";
 * console.log(isRetryable(new ConnectError("x", Code.Unavailable))); // true
 * ```
 */
export function isRetryable(err: unknown): boolean {
  const ce = ConnectError.from(err);
  if (ce.code === Code.Unavailable) return true;
  if (
    ce.code !== Code.Internal && ce.code !== Code.Unknown &&
    ce.code !== Code.Aborted
  ) return false;
  const texts = [ce.rawMessage];
  for (let c: unknown = ce.cause; c instanceof Error; c = c.cause) {
    texts.push(c.message, (c as { code?: string }).code ?? "");
  }
  return texts.some((t) => VANISHED.test(t));
}

/**
 * A transport that delegates to one created by `factory`, recreating it when
 * its connection is gone, and retrying unary calls as described above.
 *
 * @example
 * ```ts
 * import { RetryingTransport } from "./retry.ts";
 * import { createGrpcTransportFor } from "./grpc.ts";
 * const t = new RetryingTransport(
 *   () => createGrpcTransportFor({ baseUrl: "http://localhost:30080", interceptors: [] }),
 *   { maxRetries: 3 },
 * );
 * t.close();
 * ```
 */
export class RetryingTransport implements ClosableTransport {
  #factory: () => ClosableTransport;
  #current: ClosableTransport | undefined;
  #maxRetries: number;
  #initialBackoffMs: number;
  #maxBackoffMs: number;
  /** How many times the underlying transport was recreated. */
  reconnects = 0;

  /** Wraps the transports `factory` makes. */
  constructor(factory: () => ClosableTransport, options: RetryOptions = {}) {
    this.#factory = factory;
    this.#maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.#initialBackoffMs = options.initialBackoffMs ?? 200;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  #transport(): ClosableTransport {
    return this.#current ??= this.#factory();
  }

  #reset(failed: ClosableTransport): void {
    if (this.#current !== failed) return; // someone else already reconnected
    this.#current = undefined;
    this.reconnects++;
    try {
      // Other calls may still be on the failed transport: they fail as
      // UNAVAILABLE, so their own retry loops take them to the new one.
      failed.close(
        new ConnectError("connection lost; reconnecting", Code.Unavailable),
      );
    } catch {
      // the transport is being discarded; a failing close changes nothing
    }
  }

  /** Runs a unary call with retries. */
  async unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    header: HeadersInit | undefined,
    input: MessageInitShape<I>,
    contextValues?: ContextValues,
  ): Promise<UnaryResponse<I, O>> {
    for (let attempt = 0;; attempt++) {
      const t = this.#transport();
      try {
        return await t.unary(
          method,
          signal,
          timeoutMs,
          header,
          input,
          contextValues,
        );
      } catch (err) {
        if (!isRetryable(err) || signal?.aborted) throw err;
        this.#reset(t);
        if (attempt >= this.#maxRetries) {
          const ce = ConnectError.from(err);
          if (ce.code === Code.Unavailable) throw err;
          // A connection that keeps vanishing means the server is unavailable.
          throw new ConnectError(
            `connection lost (${attempt + 1} attempts): ${ce.rawMessage}`,
            Code.Unavailable,
            ce.metadata,
            undefined,
            err,
          );
        }
        const base = Math.min(
          this.#maxBackoffMs,
          this.#initialBackoffMs * 2 ** attempt,
        );
        await sleep(base / 2 + Math.random() * base / 2, signal);
      }
    }
  }

  /** Runs a streaming call (no retries; a vanished connection is reset). */
  async stream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodStreaming<I, O>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    header: HeadersInit | undefined,
    input: AsyncIterable<MessageInitShape<I>>,
    contextValues?: ContextValues,
  ): Promise<StreamResponse<I, O>> {
    const t = this.#transport();
    try {
      return await t.stream(
        method,
        signal,
        timeoutMs,
        header,
        input,
        contextValues,
      );
    } catch (err) {
      if (isRetryable(err)) this.#reset(t);
      throw err;
    }
  }

  /** Closes the current underlying transport. */
  close(): void {
    const t = this.#current;
    this.#current = undefined;
    t?.close();
  }
}
