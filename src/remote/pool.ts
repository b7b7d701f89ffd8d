/**
 * Bounded concurrency for fan-out RPCs (node data, child executions).
 *
 * @module
 */

/**
 * Maps `fn` over `items` with at most `concurrency` calls in flight; results
 * keep the input order. The first rejection rejects the whole map (calls
 * already started are left to settle).
 *
 * @example
 * ```ts
 * import { mapConcurrent } from "./pool.ts";
 * const doubled = await mapConcurrent([1, 2, 3], 2, async (n) => n * 2);
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!(concurrency >= 1)) {
    throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const workers = Array.from(
    { length: Math.min(concurrency, items.length) },
    worker,
  );
  await Promise.all(workers);
  return results;
}

/**
 * A counting semaphore shared by nested fan-outs so that the total number of
 * in-flight calls stays bounded however deep the recursion goes.
 *
 * @example
 * ```ts
 * import { Limiter } from "./pool.ts";
 * const limit = new Limiter(8);
 * const v = await limit.run(() => Promise.resolve(42));
 * ```
 */
export class Limiter {
  #active = 0;
  #queue: (() => void)[] = [];
  /** Creates a limiter allowing `max` concurrent runs. */
  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`max must be >= 1, got ${max}`);
  }
  /** Runs `fn` once a slot is free. */
  async run<R>(fn: () => Promise<R>): Promise<R> {
    if (this.#active >= this.max) {
      await new Promise<void>((r) => this.#queue.push(r));
    } else {
      this.#active++;
    }
    try {
      return await fn();
    } finally {
      const wake = this.#queue.shift();
      if (wake) wake();
      else this.#active--;
    }
  }
}
