/**
 * Riding out an outage while waiting: a poll that fails because the backend
 * is unreachable (UNAVAILABLE, a vanished connection, a call deadline) is
 * retried with backoff — the transport recreates its connection on each
 * attempt — until the wait's own deadline or abort, instead of ending the
 * wait on the first outage longer than the transport's few retries.
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import { FlyteError } from "../client/errors.ts";
import { sleep } from "../client/sleep.ts";

/**
 * What a wait reports while it cannot reach the backend.
 *
 * @example
 * ```ts
 * import type { Reconnecting } from "./retry_wait.ts";
 * const show = (r: Reconnecting) => `reconnecting (attempt ${r.attempt}, ${r.downForMs} ms): ${r.error.message}`;
 * console.log(show.length);
 * ```
 */
export interface Reconnecting {
  /** 1 for the first retry. */
  attempt: number;
  /** Since the first failure of this outage, ms. */
  downForMs: number;
  /** The failure just seen. */
  error: Error;
  /** Delay before the next attempt, ms. */
  nextInMs: number;
}

/**
 * True for failures that say "the backend is not reachable right now"
 * rather than "the request is wrong".
 *
 * @example
 * ```ts
 * import { isTransient } from "./retry_wait.ts";
 * import { FlyteSystemUnavailableError } from "../client/errors.ts";
 * console.log(isTransient(new FlyteSystemUnavailableError("down"))); // true
 * ```
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof FlyteError)) return false;
  return e.code === Code.Unavailable || e.code === Code.DeadlineExceeded ||
    e.code === Code.Aborted;
}

/**
 * A CANCELLED that the caller did not ask for (its own abort is ruled out
 * first): the server reset the stream, as an HTTP/2 peer does with CANCEL
 * when its process goes away mid-call; for a read it is connection loss.
 */
function peerCancelled(e: unknown): boolean {
  return e instanceof FlyteError && e.code === Code.Canceled;
}

/**
 * Runs `call`, retrying transient failures with exponential backoff (250 ms
 * doubling to 5 s) until `deadline` (epoch ms) or abort; then the last
 * failure is thrown. A CANCELLED not caused by `signal` (the server reset
 * the stream as it went away) is retried too. `onRetry` hears about each
 * retry.
 *
 * @example
 * ```ts
 * import { retryTransient } from "./retry_wait.ts";
 * const v = await retryTransient(() => Promise.resolve(42), { deadline: Date.now() + 1000 });
 * console.log(v); // 42
 * ```
 */
export async function retryTransient<T>(
  call: () => Promise<T>,
  options: {
    deadline: number;
    signal?: AbortSignal;
    onRetry?: (r: Reconnecting) => void | Promise<void>;
  },
): Promise<T> {
  let attempt = 0;
  let since = 0;
  for (;;) {
    try {
      return await call();
    } catch (e) {
      options.signal?.throwIfAborted();
      const left = options.deadline - Date.now();
      if (!(isTransient(e) || peerCancelled(e)) || left <= 0) throw e;
      attempt++;
      since ||= Date.now();
      const nextInMs = Math.min(250 * 2 ** (attempt - 1), 5_000, left);
      await options.onRetry?.({
        attempt,
        downForMs: Date.now() - since,
        error: e as Error,
        nextInMs,
      });
      await sleep(nextInMs, options.signal);
    }
  }
}
