/**
 * An abortable delay, shared by the retry backoff (`transport/retry.ts`) and
 * the execution wait loop (`src/remote/wait.ts`).
 *
 * @module
 */

/**
 * Resolves after `ms` milliseconds; rejects with the signal's reason as soon
 * as `signal` aborts (at once when it already has), clearing the timer.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * await sleep(10);
 * const ac = new AbortController();
 * ac.abort(new Error("stop"));
 * await sleep(1_000, ac.signal).catch((e) => console.log(e.message)); // "stop"
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
