/**
 * Deterministic zip archives with fflate's synchronous streaming API:
 * entries sorted by path, a fixed timestamp (1980-01-01 00:00, whatever the
 * time zone), fixed Unix permissions (0644), no extra fields. Also a reader
 * of a zip's central directory (names, sizes, Unix modes), which fflate's
 * unzip does not expose, so symlinks and odd entries can be refused.
 *
 * @module
 */
import { unzipSync, Zip, ZipDeflate, ZipPassThrough } from "fflate";

/**
 * One file to put in a zip.
 *
 * @example
 * ```ts
 * import type { ZipEntry } from "./zip.ts";
 * const e: ZipEntry = { path: "main.js", data: new TextEncoder().encode("1") };
 * ```
 */
export interface ZipEntry {
  /** `/`-separated relative path. */
  path: string;
  /** The bytes. */
  data: Uint8Array;
  /** Store without compression (for already compressed or large binary data). */
  store?: boolean;
}

// fflate writes DOS times from the local-time getters: build the date from
// local components so every time zone writes the same bytes.
const EPOCH = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

/**
 * Writes a zip: same entries give the same bytes on every machine.
 *
 * @example
 * ```ts
 * import { writeZip } from "./zip.ts";
 * const a = writeZip([{ path: "b", data: new Uint8Array([1]) }, { path: "a", data: new Uint8Array([2]) }]);
 * const b = writeZip([{ path: "a", data: new Uint8Array([2]) }, { path: "b", data: new Uint8Array([1]) }]);
 * console.log(a.length === b.length); // true
 * ```
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const sorted = [...entries].sort((x, y) =>
    x.path < y.path ? -1 : x.path > y.path ? 1 : 0
  );
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].path === sorted[i - 1].path) {
      throw new Error(`zip: entry [${sorted[i].path}] is given twice`);
    }
  }
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else chunks.push(chunk);
  });
  for (const e of sorted) {
    const attrs = { mtime: EPOCH, os: 3, attrs: FILE_MODE << 16 };
    const file = e.store || e.data.length === 0
      ? new ZipPassThrough(e.path)
      : new ZipDeflate(e.path, { level: 6 });
    Object.assign(file, attrs);
    zip.add(file);
    file.push(e.data, true);
  }
  zip.end();
  if (failure) throw failure;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * One entry of a zip's central directory.
 *
 * @example
 * ```ts
 * import type { ZipListing } from "./zip.ts";
 * const show = (l: ZipListing) => `${l.path} ${l.mode.toString(8)}`;
 * ```
 */
export interface ZipListing {
  /** The stored name. */
  path: string;
  /** The Unix mode from the external attributes (0 when not written by Unix). */
  mode: number;
  /** Compressed size. */
  compressedSize: number;
  /** Uncompressed size. */
  size: number;
}

/**
 * Lists a zip's central directory; throws when it is not a readable zip.
 *
 * @example
 * ```ts
 * import { listZip, writeZip } from "./zip.ts";
 * const z = writeZip([{ path: "a.txt", data: new Uint8Array([1, 2]) }]);
 * console.log(listZip(z)[0].path); // "a.txt"
 * ```
 */
export function listZip(bytes: Uint8Array): ZipListing[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error("not a zip archive (no end of central directory)");
  }
  const count = v.getUint16(eocd + 10, true);
  let at = v.getUint32(eocd + 16, true);
  const out: ZipListing[] = [];
  const dec = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== 0x02014b50) {
      throw new Error("corrupt zip central directory");
    }
    const madeBy = v.getUint16(at + 4, true) >> 8;
    const compressedSize = v.getUint32(at + 20, true);
    const size = v.getUint32(at + 24, true);
    const nameLen = v.getUint16(at + 28, true);
    const extraLen = v.getUint16(at + 30, true);
    const commentLen = v.getUint16(at + 32, true);
    const external = v.getUint32(at + 38, true);
    const path = dec.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    out.push({
      path,
      mode: madeBy === 3 ? external >>> 16 : 0,
      compressedSize,
      size,
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * Extracts every entry of a zip into memory (fflate `unzipSync`).
 *
 * @example
 * ```ts
 * import { readZip, writeZip } from "./zip.ts";
 * const z = writeZip([{ path: "a.txt", data: new Uint8Array([7]) }]);
 * console.log(readZip(z)["a.txt"][0]); // 7
 * ```
 */
export function readZip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}
