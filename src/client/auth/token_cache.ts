/**
 * A token cache file readable only by its owner (mode 0600), shared by
 * processes on one machine. Written atomically (temporary file + rename).
 * Deno's own file APIs, not node:fs: a connection reads this file on its
 * first call, and node:fs's error path (no file yet) is slower to fail.
 *
 * @module
 */
import * as path from "node:path";
import * as os from "node:os";
import type { Token } from "./types.ts";

/**
 * Where tokens are cached unless told otherwise.
 *
 * @example
 * ```ts
 * import { defaultTokenCacheFile } from "./token_cache.ts";
 * console.log(defaultTokenCacheFile()); // e.g. /home/me/.flyte/deno-token-cache.json
 * ```
 */
export function defaultTokenCacheFile(): string {
  return path.join(os.homedir(), ".flyte", "deno-token-cache.json");
}

/**
 * One cached entry.
 *
 * @example
 * ```ts
 * import type { CachedToken } from "./token_cache.ts";
 * const t: CachedToken = { accessToken: "a", headerName: "flyte-authorization" };
 * console.log(t.headerName);
 * ```
 */
export interface CachedToken extends Token {
  /** Header the token goes in. */
  headerName: string;
}

/**
 * A JSON file of tokens keyed by endpoint, client and flow.
 *
 * @example
 * ```ts
 * import { TokenCache } from "./token_cache.ts";
 * const file = await Deno.makeTempFile();
 * const cache = new TokenCache(file);
 * await cache.set("k", { accessToken: "a", headerName: "flyte-authorization" });
 * console.log((await cache.get("k"))?.accessToken); // "a"
 * ```
 */
export class TokenCache {
  /** Path of the cache file. */
  readonly file: string;

  /** Uses `file` (created on first write). */
  constructor(file: string) {
    this.file = file;
  }

  async #readAll(): Promise<Record<string, CachedToken>> {
    let text: string;
    try {
      const st = await Deno.stat(this.file);
      // Refuse a file others can read or write: its tokens may be stolen or planted.
      if (Deno.build.os !== "windows" && ((st.mode ?? 0) & 0o077) !== 0) {
        return {};
      }
      text = await Deno.readTextFile(this.file);
    } catch {
      return {};
    }
    try {
      const data = JSON.parse(text);
      return data && typeof data === "object" ? data : {};
    } catch {
      return {};
    }
  }

  /** The cached token for `key`, if any. */
  async get(key: string): Promise<CachedToken | undefined> {
    const all = await this.#readAll();
    const t = all[key];
    return t && typeof t.accessToken === "string" ? t : undefined;
  }

  /** Stores (or with `undefined`, removes) the token for `key`. */
  async set(key: string, token: CachedToken | undefined): Promise<void> {
    const all = await this.#readAll();
    if (token) all[key] = token;
    else delete all[key];
    await Deno.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(all, null, 2), {
      mode: 0o600,
    });
    if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o600);
    await Deno.rename(tmp, this.file);
  }
}
