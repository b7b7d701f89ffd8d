/**
 * Reading remote data: resolving `flyte://`, signed `http(s)://`, local and
 * object-store URIs to a stream (checked against the length and md5 the
 * server reports), listing directories, and downloads to a temporary file
 * renamed into place.
 *
 * @module
 */
import type { Client } from "@connectrpc/connect";
import type { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import type { Literal } from "@flyteidl/core/literals_pb.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
  toFlyteError,
} from "../client/errors.ts";
import { FlyteIntegrityError, FlyteTransferError, redact } from "./errors.ts";
import { isLocalPath, localPathOf } from "./local.ts";
import { Progress, type ProgressCallback } from "./progress.ts";
import { base64, newMd5 } from "./source.ts";
import { listFiles, pool } from "./upload.ts";

/**
 * What reads need from their DataTransfer.
 *
 * @example
 * ```ts
 * import type { ReadContext } from "./download.ts";
 * declare const ctx: ReadContext;
 * console.log(ctx.readLocal);
 * ```
 */
export interface ReadContext {
  dataProxy: Client<typeof DataProxyService>;
  fetch: typeof fetch;
  /** Read `file://` URIs from this machine's disk when they exist here. */
  readLocal: boolean;
  concurrency: number;
}

/**
 * Content type of the directory listings the embedded sandbox serves.
 *
 * @example
 * ```ts
 * import { LISTING_TYPE } from "./download.ts";
 * declare const res: Response;
 * const isDir = res.headers.get("content-type") === LISTING_TYPE;
 * ```
 */
export const LISTING_TYPE = "application/vnd.flyte-deno.listing+json";

/**
 * A file of a directory: its path relative to the directory, URI, size.
 *
 * @example
 * ```ts
 * import type { RemoteEntry } from "./download.ts";
 * const show = (e: RemoteEntry) => console.log(e.path, e.size);
 * ```
 */
export interface RemoteEntry {
  /** `/`-separated path relative to the directory. */
  path: string;
  /** The file's URI. */
  uri: string;
  /** Size in bytes (-1 when unknown). */
  size: number;
}

/**
 * Where a URI's bytes can be read.
 *
 * @example
 * ```ts
 * import type { Resolved } from "./download.ts";
 * const r: Resolved = { kind: "http", url: "https://x/y", uri: "s3://b/y" };
 * ```
 */
export type Resolved =
  | { kind: "local"; path: string; uri: string }
  | { kind: "http"; url: string; uri: string };

const FLYTE_URL =
  /^flyte:\/\/v1\/[\w-]+\/[\w-]+\/[\w-]+\/[\w-]+(?:\/\d+)?\/[iod](?:\/[^/]+)?$/;

/**
 * Checks the shape of a flyte:// URI, naming it.
 *
 * @example
 * ```ts
 * import { checkFlyteUrl } from "./download.ts";
 * checkFlyteUrl("flyte://v1/p/d/f123/n0/o/out"); // passes
 * ```
 */
export function checkFlyteUrl(uri: string): void {
  if (!FLYTE_URL.test(uri)) {
    throw new FlyteInvalidInputError(
      `[${uri}] is not a flyte:// URI of the form flyte://v1/{project}/{domain}/{execution}/{node}[/{attempt}]/{i|o|d}[/{name}]`,
    );
  }
}

function blobOf(l: Literal): string | undefined {
  if (l.value.case === "scalar" && l.value.value.value.case === "blob") {
    return l.value.value.value.value.uri;
  }
  if (
    l.value.case === "scalar" &&
    l.value.value.value.case === "structuredDataset"
  ) {
    return l.value.value.value.value.uri;
  }
  return undefined;
}

/**
 * Resolves a flyte:// URI to the storage URI (or signed URL) it names.
 *
 * @example
 * ```ts
 * import { fromFlyteUrl } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * const uri = await fromFlyteUrl(ctx, "flyte://v1/p/d/f123/n0/o/report");
 * ```
 */
export async function fromFlyteUrl(
  ctx: ReadContext,
  uri: string,
): Promise<string> {
  checkFlyteUrl(uri);
  let r;
  try {
    r = await ctx.dataProxy.getData({ flyteUrl: uri });
  } catch (e) {
    throw toFlyteError(e, `get data of [${uri}]`);
  }
  if (r.data.case === "preSignedUrls") {
    const u = r.data.value.signedUrl[0];
    if (!u) throw new FlyteEntityNotExistError(`no data at [${uri}]`);
    return u;
  }
  const blob = r.data.case === "literal" ? blobOf(r.data.value) : undefined;
  if (!blob) {
    throw new FlyteInvalidInputError(
      `[${uri}] is not a file, directory or dataset (${
        r.data.case === "literalMap"
          ? "a map of all values; name one"
          : "a plain value; read it with getData"
      })`,
    );
  }
  return blob;
}

/**
 * Where to read `uri` from (flyte:// resolved; local when readable here).
 *
 * @example
 * ```ts
 * import { resolve } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * const r = await resolve(ctx, "s3://bucket/a.csv");
 * ```
 */
export async function resolve(
  ctx: ReadContext,
  uri: string,
): Promise<Resolved> {
  if (!uri) throw new FlyteInvalidInputError("the URI is empty");
  if (uri.startsWith("flyte://")) uri = await fromFlyteUrl(ctx, uri);
  if (/^https?:\/\//.test(uri)) return { kind: "http", url: uri, uri };
  if (isLocalPath(uri)) {
    const path = localPathOf(uri);
    if (ctx.readLocal && await Deno.stat(path).then(() => true, () => false)) {
      return { kind: "local", path, uri };
    }
    if (!uri.startsWith("file://") && !uri.startsWith("/")) {
      throw new FlyteInvalidInputError(
        `[${uri}] does not exist on this machine`,
      );
    }
  }
  let loc;
  try {
    loc = await ctx.dataProxy.createDownloadLocation({ nativeUrl: uri });
  } catch (e) {
    const err = toFlyteError(e, `create download location for [${uri}]`);
    if (isLocalPath(uri) && err instanceof FlyteInvalidInputError) {
      throw new FlyteInvalidInputError(
        `[${uri}] does not exist on this machine, and the server cannot serve it: ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
  return { kind: "http", url: loc.signedUrl, uri };
}

async function get(
  ctx: ReadContext,
  url: string,
  uri: string,
  signal?: AbortSignal,
) {
  const what = redact(uri);
  let res: Response;
  try {
    res = await ctx.fetch(url, signal ? { signal } : undefined);
  } catch (e) {
    throw new FlyteTransferError(
      `download of [${what}] from [${redact(url)}] failed: ${
        (e as Error).message
      }`,
      { cause: e, target: what },
    );
  }
  if (!res.ok || !res.body) {
    const body = (await res.text().catch(() => "")).slice(0, 500);
    const msg = `download of [${what}] from [${
      redact(url)
    }] failed: HTTP ${res.status} ${body}`.trim();
    if (res.status === 404) throw new FlyteEntityNotExistError(msg);
    throw new FlyteTransferError(msg, { status: res.status, target: what });
  }
  return res;
}

/**
 * A directory was opened as a file.
 *
 * @example
 * ```ts
 * import { NotAFileError } from "./download.ts";
 * throw new NotAFileError("[s3://b/dir] is a directory, not a file");
 * ```
 */
export class NotAFileError extends FlyteInvalidInputError {}

/**
 * Counts and hashes bytes as they arrive; `finish` checks them.
 *
 * @example
 * ```ts
 * import type { Checker } from "./download.ts";
 * declare const check: Checker;
 * check.update(new Uint8Array(1));
 * check.finish();
 * ```
 */
export interface Checker {
  /** Takes the next chunk. */
  update(c: Uint8Array): void;
  /** Throws FlyteIntegrityError unless length and md5 match. */
  finish(): void;
}

/**
 * The raw body of the file at `uri` with the checker of the length and md5
 * the server reported (a no-op for local files).
 *
 * @example
 * ```ts
 * import { openRaw } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * const { body, check } = await openRaw(ctx, "s3://bucket/a.csv");
 * ```
 */
export async function openRaw(
  ctx: ReadContext,
  uri: string,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<{ body: ReadableStream<Uint8Array>; size: number; check: Checker }> {
  const r = await resolve(ctx, uri);
  const name = redact(uri);
  const isDir = () =>
    new NotAFileError(
      `[${name}] is a directory, not a file: list it with files()/ls`,
    );
  if (r.kind === "local") {
    const st = await Deno.stat(r.path);
    if (st.isDirectory) throw isDir();
    const f = await Deno.open(r.path);
    const check = {
      update: (c: Uint8Array) => onBytes?.(c.length),
      finish: () => {},
    };
    return { body: f.readable, size: st.size, check };
  }
  const res = await get(ctx, r.url, uri, signal);
  if (res.headers.get("content-type") === LISTING_TYPE) {
    await res.body?.cancel();
    throw isDir();
  }
  const encoded = !!res.headers.get("content-encoding");
  const len = encoded ? -1 : Number(res.headers.get("content-length") ?? -1);
  const md5 = res.headers.get("content-md5") ?? "";
  const h = md5 ? (await newMd5())() : undefined;
  let n = 0;
  const check: Checker = {
    update(c) {
      n += c.length;
      h?.update(c);
      onBytes?.(c.length);
    },
    finish() {
      if (len >= 0 && n !== len) {
        throw new FlyteIntegrityError(
          `download of [${name}]: got ${n} bytes, the server announced ${len}`,
          { target: name },
        );
      }
      if (h) {
        const got = base64(new Uint8Array(h.digest()));
        if (got !== md5) {
          throw new FlyteIntegrityError(
            `download of [${name}]: md5 [${got}] differs from the server's [${md5}]`,
            { target: name },
          );
        }
      }
    },
  };
  return { body: res.body!, size: len, check };
}

/**
 * A stream of the file at `uri`; errors (at its end) with
 * FlyteIntegrityError when the bytes do not match the length or md5 the
 * server reported.
 *
 * @example
 * ```ts
 * import { openRead } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * const { stream } = await openRead(ctx, "s3://bucket/a.csv");
 * ```
 */
export async function openRead(
  ctx: ReadContext,
  uri: string,
  onBytes?: (n: number) => void,
): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  const { body, size, check } = await openRaw(ctx, uri, onBytes);
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(c, ctl) {
        check.update(c);
        ctl.enqueue(c);
      },
      flush: () => check.finish(),
    }),
  );
  return { stream, size };
}

/**
 * Writes a checked body to a new file through one reused buffer (a BYOB
 * read when the body is a byte stream), so memory stays flat.
 */
async function writeChecked(
  body: ReadableStream<Uint8Array>,
  check: Checker,
  path: string,
  size: number,
  signal?: AbortSignal,
): Promise<void> {
  using f = await Deno.open(path, { write: true, createNew: true });
  const put = async (c: Uint8Array) => {
    signal?.throwIfAborted();
    check.update(c);
    let off = 0;
    while (off < c.length) off += await f.write(c.subarray(off));
  };
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    // not a byte stream
  }
  if (byob) {
    // One buffer per file, no larger than the file (small files are many).
    let buf = new ArrayBuffer(size >= 0 && size < 1 << 20 ? size + 1 : 1 << 20);
    while (true) {
      const { value, done } = await byob.read(new Uint8Array(buf));
      if (done || !value) break;
      await put(value);
      buf = value.buffer as ArrayBuffer;
    }
  } else {
    for await (const c of body) await put(c);
  }
  check.finish();
}

/**
 * Lists the files under a directory URI (recursively).
 *
 * @example
 * ```ts
 * import { list } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * for (const e of await list(ctx, "file:///tmp/d")) console.log(e.path);
 * ```
 */
export async function list(
  ctx: ReadContext,
  uri: string,
): Promise<RemoteEntry[]> {
  const r = await resolve(ctx, uri);
  const base = r.uri.replace(/\/+$/, "");
  if (r.kind === "local") {
    const st = await Deno.stat(r.path);
    if (!st.isDirectory) {
      throw new FlyteInvalidInputError(`[${uri}] is a file, not a directory`);
    }
    const rels = await listFiles(r.path);
    return await Promise.all(rels.map(async (rel) => ({
      path: rel,
      uri: `${base}/${rel}`,
      size: (await Deno.stat(`${r.path}/${rel}`)).size,
    })));
  }
  let res: Response;
  try {
    res = await get(ctx, r.url, uri);
  } catch (e) {
    // Object stores answer a GET of a prefix with 404/403: no listing there.
    if (
      e instanceof FlyteEntityNotExistError || e instanceof FlyteTransferError
    ) {
      throw new FlyteEntityNotExistError(
        `[${
          redact(uri)
        }] cannot be listed through a signed URL (the backend offers no directory listing, or nothing is there): ${
          (e as Error).message
        }`,
        { cause: e },
      );
    }
    throw e;
  }
  if (res.headers.get("content-type") !== LISTING_TYPE) {
    await res.body?.cancel();
    throw new FlyteInvalidInputError(
      `[${redact(uri)}] cannot be listed: the backend serves it as a file`,
    );
  }
  const body = await res.json() as { files: { name: string; size: number }[] };
  return body.files.map((f) => ({
    path: f.name,
    uri: `${base}/${f.name}`,
    size: f.size,
  }));
}

/**
 * Options of a download.
 *
 * @example
 * ```ts
 * import type { DownloadOptions } from "./download.ts";
 * const o: DownloadOptions = { overwrite: true, onProgress: (p) => console.log(p.bytes) };
 * ```
 */
export interface DownloadOptions {
  /** Replace an existing target [false: an existing target is an error]. */
  overwrite?: boolean;
  /** Progress reports. */
  onProgress?: ProgressCallback;
  /** Aborts the download (nothing is left behind). */
  signal?: AbortSignal;
}

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * Downloads a file or directory to `localPath` through a temporary
 * sibling renamed into place: a failure leaves nothing behind.
 *
 * @example
 * ```ts
 * import { downloadTo } from "./download.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * await downloadTo(ctx, "s3://bucket/a.csv", "./a.csv", { overwrite: true });
 * ```
 */
export async function downloadTo(
  ctx: ReadContext,
  uri: string,
  localPath: string,
  o: DownloadOptions = {},
): Promise<string> {
  const name = redact(uri);
  if (!localPath) {
    throw new FlyteInvalidInputError(
      `download of [${name}]: the local path is empty`,
    );
  }
  if (!o.overwrite && await exists(localPath)) {
    throw new FlyteEntityAlreadyExistsError(
      `download of [${name}]: [${localPath}] already exists (pass overwrite: true to replace it)`,
    );
  }
  await Deno.mkdir(parentOf(localPath), { recursive: true });
  const tmp = `${localPath}.${crypto.randomUUID().slice(0, 8)}.part`;
  const progress = new Progress("download", o.onProgress);
  try {
    let raw;
    try {
      raw = await openRaw(ctx, uri, (n) => progress.add(n), o.signal);
    } catch (e) {
      if (!(e instanceof NotAFileError)) throw e;
    }
    if (raw) {
      progress.expect(Math.max(0, raw.size), 1);
      await writeChecked(raw.body, raw.check, tmp, raw.size, o.signal);
      progress.file();
    } else {
      const entries = await list(ctx, uri);
      progress.expect(
        entries.reduce((n, e) => n + Math.max(0, e.size), 0),
        entries.length,
      );
      await Deno.mkdir(tmp);
      const dirs = new Set(entries.map((e) => parentOf(`${tmp}/${e.path}`)));
      for (const d of dirs) await Deno.mkdir(d, { recursive: true });
      await pool(entries, ctx.concurrency, async (e) => {
        o.signal?.throwIfAborted();
        const r = await openRaw(ctx, e.uri, (n) => progress.add(n), o.signal);
        await writeChecked(
          r.body,
          r.check,
          `${tmp}/${e.path}`,
          r.size,
          o.signal,
        );
        progress.file();
      });
    }
    if (o.overwrite) {
      await Deno.remove(localPath, { recursive: true }).catch(() => {});
    }
    await Deno.rename(tmp, localPath);
    progress.finish();
    return localPath;
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    if (
      e instanceof Error && "code" in e &&
      typeof (e as { code: unknown }).code === "number"
    ) throw e;
    throw new FlyteTransferError(
      `download of [${name}] to [${localPath}] failed: ${(e as Error).message}`,
      { cause: e, target: name },
    );
  }
}
