/**
 * HTTP PUT of a streamed body with its Content-Length, through node:http /
 * node:https (Deno's fetch sends a streamed body chunked, which signed-URL
 * stores such as S3 refuse).
 *
 * @module
 */

/**
 * What a PUT answered.
 *
 * @example
 * ```ts
 * import type { PutResult } from "./http.ts";
 * const ok = (r: PutResult) => r.status >= 200 && r.status < 300;
 * ```
 */
export interface PutResult {
  /** HTTP status. */
  status: number;
  /** The start of the response body (for error messages). */
  text: string;
}

/**
 * Sends `body` (exactly `length` bytes) to `url`; the function type lets
 * tests and callers replace the HTTP client. A chunk must be consumed
 * before the next is pulled (bodies may reuse their buffer).
 *
 * @example
 * ```ts
 * import type { PutFn } from "./http.ts";
 * const put: PutFn = async () => ({ status: 200, text: "" });
 * ```
 */
export type PutFn = (
  url: string,
  headers: Headers,
  length: number,
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
) => Promise<PutResult>;

/**
 * PUTs a streamed body with a Content-Length, one chunk at a time: a
 * chunk is written out before the next is pulled, so the body may reuse
 * its buffer. A body that throws aborts the request
 * and rejects with that error.
 *
 * @example
 * ```ts
 * import { putStream } from "./http.ts";
 * async function* body() { yield new TextEncoder().encode("hi"); }
 * // await putStream("http://127.0.0.1:8080/x", new Headers(), 2, body());
 * ```
 */
export const putStream: PutFn = async (url, headers, length, body, signal) => {
  const mod = url.startsWith("https:")
    ? await import("node:https")
    : await import("node:http");
  const h: Record<string, string> = {};
  headers.forEach((v, k) => (h[k] = v));
  h["content-length"] = String(length);
  return await new Promise<PutResult>((resolve, reject) => {
    let settled = false;
    const done = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    const req = mod.request(url, { method: "PUT", headers: h, signal });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        if (text.length < 2000) text += c;
      });
      res.on(
        "end",
        () => done(() => resolve({ status: res.statusCode ?? 0, text })),
      );
      res.on("error", (e) => done(() => reject(e)));
    });
    req.on("error", (e) => done(() => reject(e)));
    (async () => {
      // Each chunk is handed over before the next is asked for, so a body
      // may reuse one buffer (memory stays flat).
      for await (const chunk of body) {
        if (settled) return;
        await new Promise<void>((ok, ko) =>
          req.write(chunk, (e) => e ? ko(e) : ok())
        );
      }
      req.end();
    })().catch((e) => {
      done(() => reject(e));
      req.destroy();
    });
  });
};
