/**
 * Paging: turns admin's token-paged list RPCs into async iterators.
 *
 * @module
 */

/** One page as the list RPCs return it: items plus a continuation token ("" at the end).  *
 * @example
 * ```ts
 * import type { Page } from "./paging.ts";
 * const last: Page<number> = { items: [1, 2], token: "" };
 * ```
 */
export interface Page<T> {
  /** The items of this page. */
  items: T[];
  /** The token for the next page; empty when there is none. */
  token: string;
}

/**
 * Options every listing method takes.
 *
 * @example
 * ```ts
 * import type { ListOptions } from "./paging.ts";
 * const opts: ListOptions = { limit: 500, pageSize: 100 };
 * ```
 */
export interface ListOptions {
  /** Stop after this many items in total. Default: no limit (every page is read). */
  limit?: number;
  /** Items requested per RPC. Default 100 (flytekit's page size), capped by `limit`. */
  pageSize?: number;
  /** Aborts the listing between or during page requests. */
  signal?: AbortSignal;
}

/**
 * Iterates over every item of a token-paged listing, requesting the next
 * page only when the consumer gets there, and stopping at `limit`.
 *
 * @example
 * ```ts
 * import { paginate } from "./paging.ts";
 * const pages = [[1, 2], [3]];
 * const all: number[] = [];
 * for await (const n of paginate(async (token) => ({
 *   items: pages[Number(token || 0)],
 *   token: token ? "" : "1",
 * }))) all.push(n);
 * ```
 */
export async function* paginate<T>(
  fetchPage: (token: string, pageSize: number) => Promise<Page<T>>,
  options: ListOptions = {},
): AsyncGenerator<T, void, undefined> {
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new RangeError(`limit must be >= 0, got ${limit}`);
  const size = options.pageSize ?? 100;
  if (!(size >= 1)) {
    throw new RangeError(`pageSize must be >= 1, got ${size}`);
  }
  let token = "";
  let seen = 0;
  while (seen < limit) {
    options.signal?.throwIfAborted();
    const page = await fetchPage(token, Math.min(size, limit - seen));
    for (const item of page.items) {
      if (seen >= limit) return;
      seen++;
      yield item;
    }
    if (!page.token || page.items.length === 0) return;
    token = page.token;
  }
}

/**
 * Collects an async iterable into an array.
 *
 * @example
 * ```ts
 * import { collect, paginate } from "./paging.ts";
 * const xs = await collect(paginate(async () => ({ items: [1], token: "" })));
 * ```
 */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
