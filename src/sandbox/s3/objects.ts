/**
 * Objects of the S3 face over the blob store's files: S3 keys are blob keys
 * (files under `<dataDir>/blobs`), folders are only where keys share a
 * prefix. Listing walks the tree in S3's order (UTF-8 byte order of whole
 * keys) without reading it all first; deleting removes folders left empty.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BlobStore } from "../blobs/store.ts";
import { BlobKeyError } from "../blobs/store.ts";
import { S3Error } from "./errors.ts";
import { etagFromMd5 } from "./respond.ts";

/**
 * A stored object's metadata.
 *
 * @example
 * ```ts
 * import type { ObjectInfo } from "./objects.ts";
 * const size = (o: ObjectInfo) => o.size;
 * ```
 */
export interface ObjectInfo {
  /** The key. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last modification. */
  mtime: Date;
  /** Absolute path of its file. */
  path: string;
}

/** Files up to this size get their md5 computed for an ETag when it is not known. */
const MD5_ETAG_LIMIT = 64 * 1024 ** 2;

/**
 * The absolute path of `key`, as an S3 error when the key cannot be stored
 * (InvalidArgument naming the key).
 *
 * @example
 * ```ts ignore
 * const abs = objectPath(blobs, "a/b.txt");
 * ```
 */
export function objectPath(blobs: BlobStore, key: string): string {
  try {
    return blobs.pathOf(key);
  } catch (e) {
    if (e instanceof BlobKeyError) {
      throw new S3Error(400, "InvalidArgument", e.message, {
        ArgumentName: "key",
        ArgumentValue: key,
      });
    }
    throw e;
  }
}

/**
 * The object at `key`, or undefined when there is none (a folder is none).
 *
 * @example
 * ```ts ignore
 * const info = statObject(blobs, "a/b.txt");
 * ```
 */
export function statObject(
  blobs: BlobStore,
  key: string,
): ObjectInfo | undefined {
  const abs = objectPath(blobs, key);
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) return undefined;
    return { key, size: st.size, mtime: st.mtime, path: abs };
  } catch {
    return undefined;
  }
}

/**
 * The object's ETag: the quoted hex md5 when known (or, with `compute`,
 * when the file is small enough to hash), else a value from its size and
 * modification time. Listings pass `compute = false` and read no files.
 *
 * @example
 * ```ts ignore
 * etagOf(blobs, info); // "\"5d41402abc4b2a76b9719d911017c592\""
 * ```
 */
export function etagOf(
  blobs: BlobStore,
  o: ObjectInfo,
  compute = true,
): string {
  // md5Of answers from the known md5 first, so one call does both.
  const md5 = compute && o.size <= MD5_ETAG_LIMIT
    ? blobs.md5Of(o.key)
    : blobs.knownMd5(o.key);
  if (md5) return etagFromMd5(md5);
  return `"${o.size.toString(16)}-${
    Math.floor(o.mtime.getTime()).toString(16)
  }"`;
}

import { Buffer } from "node:buffer";

/**
 * Deletes the object at `key` (nothing when absent) and the folders it
 * leaves empty.
 *
 * @example
 * ```ts ignore
 * deleteObject(blobs, "a/b.txt");
 * ```
 */
export function deleteObject(blobs: BlobStore, key: string): void {
  const abs = objectPath(blobs, key);
  try {
    if (!fs.statSync(abs).isFile()) return;
  } catch {
    return;
  }
  fs.rmSync(abs, { force: true });
  let dir = path.dirname(abs);
  while (dir.startsWith(blobs.root + path.sep)) {
    try {
      fs.rmdirSync(dir); // fails unless empty
    } catch {
      break;
    }
    dir = path.dirname(dir);
  }
}

/**
 * Temporary files of writes in progress: the blob store's
 * (`<name>.<12 hex>.tmp`) and the engine's (`<name>.tmp-<uuid>`).
 */
const IN_PROGRESS = /\.[0-9a-f]{12}\.tmp$|\.tmp-[0-9a-f-]{36}$/;

/** A folder's entries as keys, in S3 order (a folder sorts as `name/`). */
function entries(
  root: string,
  rel: string,
): { key: string; dir: boolean }[] {
  let list: fs.Dirent[];
  try {
    list = fs.readdirSync(rel ? path.join(root, rel) : root, {
      withFileTypes: true,
    });
  } catch {
    return [];
  }
  const out: { key: string; dir: boolean; sort: string }[] = [];
  for (const e of list) {
    if (IN_PROGRESS.test(e.name)) continue; // writes in progress
    const key = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push({ key, dir: true, sort: `${key}/` });
    else if (e.isFile()) out.push({ key, dir: false, sort: key });
  }
  const enc = (s: string) => Buffer.from(s, "utf8");
  return out.sort((a, b) => Buffer.compare(enc(a.sort), enc(b.sort)));
}

/** Whether a folder holds any file, at any depth. */
function holdsFiles(root: string, rel: string): boolean {
  for (const e of entries(root, rel)) {
    if (!e.dir || holdsFiles(root, e.key)) return true;
  }
  return false;
}

/**
 * One listing entry: an object key, or a common prefix rolled up at the
 * delimiter.
 *
 * @example
 * ```ts
 * import type { ListEntry } from "./objects.ts";
 * const name = (e: ListEntry) => e.kind === "key" ? e.key : e.prefix;
 * ```
 */
export type ListEntry =
  | { kind: "key"; key: string }
  | { kind: "prefix"; prefix: string };

const before = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")) < 0;

/**
 * Lists keys under `prefix` after `after` (exclusive), in S3 order, rolling
 * keys with `delimiter` after the prefix up into common prefixes.
 *
 * @example
 * ```ts ignore
 * for (const e of listObjects(blobs, { prefix: "a/", delimiter: "/", after: "" })) console.log(e);
 * ```
 */
export function* listObjects(
  blobs: BlobStore,
  opts: { prefix: string; delimiter: string; after: string },
): Generator<ListEntry> {
  const { prefix, delimiter, after } = opts;
  let lastPrefix = "";
  function* walk(rel: string): Generator<ListEntry> {
    for (const e of entries(blobs.root, rel)) {
      if (e.dir) {
        const dirKey = `${e.key}/`;
        // Folder entirely outside the prefix?
        if (!dirKey.startsWith(prefix) && !prefix.startsWith(dirKey)) continue;
        // Folder entirely at or before `after`?
        if (after && !after.startsWith(dirKey) && !before(after, dirKey)) {
          continue;
        }
        if (delimiter === "/" && dirKey.length > prefix.length) {
          const cut = dirKey.indexOf("/", prefix.length);
          const common = dirKey.slice(0, cut + 1);
          if (common === lastPrefix) continue;
          if (after && !before(after, common)) continue;
          if (!holdsFiles(blobs.root, e.key)) continue;
          lastPrefix = common;
          yield { kind: "prefix", prefix: common };
          continue;
        }
        yield* walk(e.key);
        continue;
      }
      const key = e.key;
      if (!key.startsWith(prefix)) continue;
      if (after && !before(after, key)) continue;
      if (delimiter) {
        const cut = key.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          const common = key.slice(0, cut + delimiter.length);
          if (common === lastPrefix) continue;
          if (after && !before(after, common)) continue;
          lastPrefix = common;
          yield { kind: "prefix", prefix: common };
          continue;
        }
      }
      yield { kind: "key", key };
    }
  }
  yield* walk("");
}
