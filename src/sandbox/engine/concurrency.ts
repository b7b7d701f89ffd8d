/**
 * Small concurrency helpers of the engine: an abortable sleep and a counting
 * semaphore with abortable waits.
 *
 * @module
 */

/**
 * Sleeps `ms`, rejecting with the signal's reason when it aborts.
 *
 * @example
 * ```ts
 * import { abortable } from "./concurrency.ts";
 * await abortable(1, new AbortController().signal);
 * ```
 */
export function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A counting semaphore whose waits end early when `signal` aborts.
 *
 * @example
 * ```ts
 * import { Semaphore } from "./concurrency.ts";
 * const sem = new Semaphore(1);
 * const release = await sem.acquire();
 * release();
 * ```
 */
export class Semaphore {
  #free: number;
  #waiters: Array<() => void> = [];
  /** A semaphore with `n` slots. */
  constructor(n: number) {
    this.#free = n;
  }
  /** Waits for a slot; returns its release function. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#waiters.indexOf(wake);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal!.reason);
        };
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#waiters.push(wake);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
