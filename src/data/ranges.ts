/**
 * Random access to remote files (HTTP Range requests through signed URLs,
 * offsets for local files), e.g. to read a Parquet footer and row group.
 *
 * @module
 */
import { FlyteEntityNotExistError } from "../client/errors.ts";
import { FlyteIntegrityError, FlyteTransferError, redact } from "./errors.ts";
import {
  LISTING_TYPE,
  NotAFileError,
  type ReadContext,
  resolve,
} from "./download.ts";

/**
 * Random access to a remote file: its length and byte ranges.
 *
 * @example
 * ```ts
 * import type { RangeReader } from "./ranges.ts";
 * declare const r: RangeReader;
 * const footer = await r.slice(r.byteLength - 8);
 * ```
 */
export interface RangeReader {
  /** Size of the file. */
  byteLength: number;
  /** Bytes `start` to `end` (exclusive; the end of the file by default). */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  /** Bytes fetched so far (what a partial read saved). */
  readonly fetched: number;
}

/**
 * A RangeReader of the file at `uri`: local files are read at offsets,
 * signed URLs with HTTP Range requests; a server that ignores Range has the
 * whole file read once into memory.
 *
 * @example
 * ```ts
 * import { openRanges } from "./ranges.ts";
 * declare const ctx: import("./download.ts").ReadContext;
 * const r = await openRanges(ctx, "s3://bucket/df.parquet");
 * const footer = await r.slice(r.byteLength - 8);
 * ```
 */
export async function openRanges(
  ctx: ReadContext,
  uri: string,
): Promise<RangeReader> {
  const r = await resolve(ctx, uri);
  const name = redact(uri);
  let fetched = 0;
  if (r.kind === "local") {
    const st = await Deno.stat(r.path);
    if (st.isDirectory) {
      throw new NotAFileError(`[${name}] is a directory, not a file`);
    }
    return {
      byteLength: st.size,
      get fetched() {
        return fetched;
      },
      async slice(start, end = st.size) {
        using f = await Deno.open(r.path);
        await f.seek(start, Deno.SeekMode.Start);
        const buf = new Uint8Array(Math.max(0, end - start));
        let off = 0;
        while (off < buf.length) {
          const n = await f.read(buf.subarray(off));
          if (n === null) break;
          off += n;
        }
        fetched += off;
        return buf.buffer.slice(0, off);
      },
    };
  }
  const ranged = async (start: number, end: number) => {
    let res: Response;
    try {
      res = await ctx.fetch(r.url, {
        headers: { range: `bytes=${start}-${end - 1}` },
      });
    } catch (e) {
      throw new FlyteTransferError(
        `read of [${name}] bytes ${start}-${end} failed: ${
          (e as Error).message
        }`,
        { cause: e, target: name },
      );
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new FlyteEntityNotExistError(`no file at [${name}]`);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => "")).slice(0, 300);
      throw new FlyteTransferError(
        `read of [${name}] failed: HTTP ${res.status} ${text}`.trim(),
        { status: res.status, target: name },
      );
    }
    return res;
  };
  const first = await ranged(0, 1);
  if (first.headers.get("content-type") === LISTING_TYPE) {
    await first.body?.cancel();
    throw new NotAFileError(`[${name}] is a directory, not a file`);
  }
  const total = /\/(\d+)$/.exec(first.headers.get("content-range") ?? "");
  if (first.status !== 206 || !total) {
    // No Range support: the whole file, once.
    const all = await first.arrayBuffer();
    fetched = all.byteLength;
    return {
      byteLength: all.byteLength,
      fetched,
      slice: (start, end) => Promise.resolve(all.slice(start, end)),
    };
  }
  await first.body?.cancel();
  const size = Number(total[1]);
  return {
    byteLength: size,
    get fetched() {
      return fetched;
    },
    async slice(start, end = size) {
      if (end <= start) return new ArrayBuffer(0);
      const res = await ranged(start, end);
      const buf = await res.arrayBuffer();
      if (buf.byteLength !== end - start) {
        throw new FlyteIntegrityError(
          `read of [${name}] bytes ${start}-${end}: got ${buf.byteLength} bytes`,
          { target: name },
        );
      }
      fetched += buf.byteLength;
      return buf;
    },
  };
}
