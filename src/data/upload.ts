/**
 * Uploads: local files and directories, in-memory values and directories
 * of named values, streamed to signed URLs with their Content-Length and
 * md5, a bounded number of files at a time.
 *
 * @module
 */
import { base32 as rfc4648Base32 } from "rfc4648";
import type { Client } from "@connectrpc/connect";
import type { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { FlyteInvalidInputError, toFlyteError } from "../client/errors.ts";
import { FlyteDirectory, FlyteFile } from "../types/values.ts";
import { FlyteIntegrityError, FlyteTransferError, redact } from "./errors.ts";
import type { PutFn } from "./http.ts";
import { Progress, type ProgressCallback } from "./progress.ts";
import { base64, fileSource, newMd5, type Source } from "./source.ts";
import { checkName, InlineDirectory, inlineSource } from "./inline.ts";

/**
 * What uploads need from their DataTransfer.
 *
 * @example
 * ```ts
 * import type { UploadContext } from "./upload.ts";
 * declare const ctx: UploadContext;
 * console.log(ctx.concurrency);
 * ```
 */
export interface UploadContext {
  dataProxy: Client<typeof DataProxyService>;
  put: PutFn;
  /** location key → native URL of what this process already sent. */
  sent: Map<string, string>;
  concurrency: number;
}

/**
 * Where and how to upload.
 *
 * @example
 * ```ts
 * import type { SendOptions } from "./upload.ts";
 * const o: SendOptions = { project: "p", domain: "d" };
 * ```
 */
export interface SendOptions {
  project: string;
  domain: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Runs `fn` over `items`, at most `n` at once, keeping order of results.
 * After a failure no new item starts, and the first error is thrown once
 * every running item has settled (so callers can clean up safely).
 *
 * @example
 * ```ts
 * import { pool } from "./upload.ts";
 * const doubled = await pool([1, 2, 3], 2, async (x) => x * 2); // [2, 4, 6]
 * ```
 */
export async function pool<T, R>(
  items: T[],
  n: number,
  fn: (t: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let error: { e: unknown } | undefined;
  const worker = async () => {
    while (!error && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        error ??= { e };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker),
  );
  if (error) throw error.e;
  return out;
}

/**
 * Sends one source; returns its native URL (once per location).
 *
 * @example
 * ```ts
 * import { send } from "./upload.ts";
 * import { bytesSource } from "./source.ts";
 * import { Progress } from "./progress.ts";
 * declare const ctx: import("./upload.ts").UploadContext;
 * const { uri } = await send(ctx, await bytesSource(new Uint8Array(1), "a.bin"), { project: "p", domain: "d" }, new Progress("upload"));
 * ```
 */
export async function send(
  ctx: UploadContext,
  src: Source,
  o: SendOptions,
  progress: Progress,
  root = "",
): Promise<{ uri: string; reused: boolean }> {
  const key = `${o.project}/${o.domain}/${
    root || rfc4648Base32.stringify(src.md5)
  }/${src.name}`;
  const known = ctx.sent.get(key);
  if (known) {
    progress.add(src.size);
    progress.file();
    return { uri: known, reused: true };
  }
  let loc;
  try {
    loc = await ctx.dataProxy.createUploadLocation({
      project: o.project,
      domain: o.domain,
      contentMd5: src.md5,
      filename: src.name,
      filenameRoot: root,
    }, { signal: o.signal });
  } catch (e) {
    throw toFlyteError(e, `create upload location for [${src.label}]`);
  }
  const headers = new Headers(loc.headers);
  if (!headers.has("Content-MD5")) headers.set("Content-MD5", base64(src.md5));
  const where = redact(loc.signedUrl);
  async function* counted() {
    for await (const c of src.open()) {
      progress.add(c.length);
      yield c;
    }
  }
  let res;
  try {
    res = await ctx.put(loc.signedUrl, headers, src.size, counted(), o.signal);
  } catch (e) {
    if (e instanceof FlyteIntegrityError) throw e;
    throw new FlyteTransferError(
      `upload of [${src.label}] to [${where}] failed: ${(e as Error).message}`,
      { cause: e, target: src.label },
    );
  }
  if (res.status < 200 || res.status > 299) {
    const msg =
      `upload of [${src.label}] to [${where}] failed: HTTP ${res.status} ${
        res.text.slice(0, 500)
      }`.trim();
    if (res.status === 400 && /md5|digest/i.test(res.text)) {
      throw new FlyteIntegrityError(
        `${msg} (the server refused the md5)`,
        { target: src.label },
      );
    }
    throw new FlyteTransferError(msg, {
      status: res.status,
      target: src.label,
    });
  }
  progress.file();
  ctx.sent.set(key, loc.nativeUrl);
  return { uri: loc.nativeUrl, reused: false };
}

/**
 * Sends several sources under one folder named by their names and md5s.
 *
 * @example
 * ```ts
 * import { sendAll } from "./upload.ts";
 * import { Progress } from "./progress.ts";
 * declare const ctx: import("./upload.ts").UploadContext;
 * declare const sources: import("./source.ts").Source[];
 * const { uri } = await sendAll(ctx, sources, { project: "p", domain: "d" }, new Progress("upload"), "my dir");
 * ```
 */
export async function sendAll(
  ctx: UploadContext,
  sources: Source[],
  o: SendOptions,
  progress: Progress,
  label: string,
): Promise<{ uri: string; bytes: number }> {
  if (sources.length === 0) {
    throw new FlyteInvalidInputError(
      `[${label}] is empty: nothing to upload`,
    );
  }
  const manifest = (await newMd5())();
  for (const s of [...sources].sort((a, b) => a.name < b.name ? -1 : 1)) {
    manifest.update(s.name).update("\0").update(s.md5);
  }
  const root = rfc4648Base32.stringify(new Uint8Array(manifest.digest()));
  progress.expect(sources.reduce((n, s) => n + s.size, 0), sources.length);
  const uris = await pool(
    sources,
    ctx.concurrency,
    (s) => send(ctx, s, o, progress, root),
  );
  let prefix = "";
  uris.forEach(({ uri }, i) => {
    const rel = sources[i].name;
    if (!uri.endsWith(`/${rel}`)) {
      throw new FlyteTransferError(
        `upload of [${label}]: the server placed [${rel}] at [${uri}], not under one directory prefix`,
        { target: label },
      );
    }
    const p = uri.slice(0, uri.length - rel.length);
    if (prefix && p !== prefix) {
      throw new FlyteTransferError(
        `upload of [${label}]: the server placed its files under different prefixes ([${prefix}], [${p}])`,
        { target: label },
      );
    }
    prefix = p;
  });
  return {
    uri: prefix.replace(/\/$/, ""),
    bytes: sources.reduce((n, s) => n + s.size, 0),
  };
}

/**
 * Files of a directory, recursively, as sorted relative `/`-paths.
 *
 * @example
 * ```ts
 * import { listFiles } from "./upload.ts";
 * const rels = await listFiles("/tmp/inputs"); // ["a.txt", "sub/b.csv"]
 * ```
 */
export async function listFiles(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await listFiles(root, r));
    else if (e.isFile) out.push(r);
    else if (e.isSymlink) {
      const s = await Deno.stat(`${root}/${r}`);
      if (s.isDirectory) out.push(...await listFiles(root, r));
      else out.push(r);
    }
  }
  return out.sort();
}

/**
 * Uploads a local directory, hashing and sending a few files at a time.
 *
 * @example
 * ```ts
 * import { sendDirectory } from "./upload.ts";
 * declare const ctx: import("./upload.ts").UploadContext;
 * const { uri, files } = await sendDirectory(ctx, "/tmp/inputs", { project: "p", domain: "d" });
 * ```
 */
export async function sendDirectory(
  ctx: UploadContext,
  dir: string,
  o: SendOptions,
): Promise<{ uri: string; files: number; bytes: number }> {
  const progress = new Progress("upload", o.onProgress);
  let rels: string[];
  try {
    rels = await listFiles(dir);
  } catch (e) {
    throw new FlyteInvalidInputError(
      `local directory [${dir}] cannot be listed: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const sources = await pool(
    rels,
    ctx.concurrency,
    (r) => fileSource(`${dir}/${r}`, r),
  );
  const r = await sendAll(ctx, sources, o, progress, dir);
  progress.finish();
  return { ...r, files: sources.length };
}

/**
 * Uploads one in-memory value as a file; returns it as a FlyteFile.
 *
 * @example
 * ```ts
 * import { sendValue } from "./upload.ts";
 * declare const ctx: import("./upload.ts").UploadContext;
 * const f = await sendValue(ctx, { a: 1 }, { project: "p", domain: "d", name: "a.json" });
 * ```
 */
export async function sendValue(
  ctx: UploadContext,
  value: unknown,
  o: SendOptions & { name: string; format?: string },
): Promise<FlyteFile> {
  checkName(o.name, `value of kind ${value === null ? "null" : typeof value}`);
  const src = await inlineSource(value, o.name);
  try {
    const progress = new Progress("upload", o.onProgress, {
      bytes: src.size,
      files: 1,
    });
    const { uri } = await send(ctx, src, o, progress);
    progress.finish();
    return new FlyteFile(uri, { format: o.format });
  } finally {
    await src.cleanup();
  }
}

/**
 * Uploads named values as one directory; returns it as a FlyteDirectory.
 *
 * @example
 * ```ts
 * import { sendEntries } from "./upload.ts";
 * declare const ctx: import("./upload.ts").UploadContext;
 * const d = await sendEntries(ctx, { "a.txt": "alpha" }, { project: "p", domain: "d" });
 * ```
 */
export async function sendEntries(
  ctx: UploadContext,
  dir: InlineDirectory | Record<string, unknown>,
  o: SendOptions & { format?: string },
): Promise<FlyteDirectory> {
  const entries = Object.entries(
    dir instanceof InlineDirectory ? dir.entries : dir,
  );
  for (const [n] of entries) checkName(n, "directory entry");
  const sources: Source[] = [];
  try {
    for (const [n, v] of entries) sources.push(await inlineSource(v, n));
    const progress = new Progress("upload", o.onProgress);
    const { uri } = await sendAll(
      ctx,
      sources,
      o,
      progress,
      "directory of values",
    );
    progress.finish();
    return new FlyteDirectory(uri, { format: o.format });
  } finally {
    for (const s of sources) await s.cleanup();
  }
}
