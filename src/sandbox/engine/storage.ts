/**
 * Reading and writing the metadata tree with flyteidl protobufs. URIs are
 * `s3://<bucket>/<key>` (what the sandbox hands out; the bucket is mounted
 * onto the blob store's folder, see {@link withMounts}), `file://` (older
 * data directories, tests) or plain absolute paths.
 *
 * @module
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  type DescMessage,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { StorageError } from "./errors.ts";

/**
 * Buckets served from local folders: bucket name -> absolute folder (the
 * sandbox mounts its bucket onto its blob store).
 *
 * @example
 * ```ts
 * import type { BucketMounts } from "./storage.ts";
 * const m: BucketMounts = { "my-s3-bucket": "/tmp/sandbox/blobs" };
 * ```
 */
export type BucketMounts = Readonly<Record<string, string>>;

const mounted = new AsyncLocalStorage<BucketMounts>();

/**
 * Runs `fn` (and everything it starts) with `mounts` in force, so
 * `s3://<bucket>/<key>` URIs of those buckets resolve to their folders.
 * Each engine runs its executions inside its own mounts, so sandboxes in
 * one process with the same bucket name never mix their files.
 *
 * @example
 * ```ts
 * import { localPath, withMounts } from "./storage.ts";
 * withMounts({ "my-s3-bucket": "/tmp/sb/blobs" }, () => localPath("s3://my-s3-bucket/a/b.pb")); // "/tmp/sb/blobs/a/b.pb"
 * ```
 */
export function withMounts<T>(mounts: BucketMounts, fn: () => T): T {
  return mounted.run(mounts, fn);
}

/**
 * The local path of an `s3://` URI of a mounted bucket, a `file://` URI or
 * a bare absolute path; anything else is a {@link StorageError} naming it.
 *
 * @example
 * ```ts
 * import { localPath } from "./storage.ts";
 * localPath("file:///tmp/x/inputs.pb"); // "/tmp/x/inputs.pb"
 * ```
 */
export function localPath(uri: string): string {
  if (uri.startsWith("/")) return uri;
  if (uri.startsWith("s3://")) {
    const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
    const root = m ? mounted.getStore()?.[m[1]] : undefined;
    if (!m || root === undefined) {
      throw new StorageError(
        uri,
        `bucket [${m?.[1] ?? ""}] is not mounted in this engine (mounted: ${
          Object.keys(mounted.getStore() ?? {}).join(", ") || "none"
        })`,
      );
    }
    const key = (m[2] ?? "").replace(/\/+$/, "");
    const abs = resolve(root, key);
    if (abs !== root && !abs.startsWith(root + sep)) {
      throw new StorageError(uri, "the key leaves its bucket");
    }
    return abs;
  }
  if (!uri.startsWith("file://")) {
    throw new StorageError(
      uri,
      "only s3:// URIs of the sandbox's bucket, file:// URIs and absolute paths are supported by the engine",
    );
  }
  return fileURLToPath(uri);
}

/**
 * A `file://` URI for a local path.
 *
 * @example
 * ```ts
 * import { fileUri } from "./storage.ts";
 * fileUri("/tmp/x"); // "file:///tmp/x"
 * ```
 */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * Joins URI path segments with `/`.
 *
 * @example
 * ```ts
 * import { joinUri } from "./storage.ts";
 * joinUri("file:///a/", "b", "c"); // "file:///a/b/c"
 * ```
 */
export function joinUri(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ""), ...parts].join("/");
}

/**
 * Whether the object at `uri` exists.
 *
 * @example
 * ```ts
 * import { exists } from "./storage.ts";
 * await exists("file:///nonexistent/x"); // false
 * ```
 */
export async function exists(uri: string): Promise<boolean> {
  try {
    await stat(localPath(uri));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a protobuf message from `uri`; a missing file or malformed bytes
 * raise {@link StorageError} naming the URI.
 *
 * @example
 * ```ts
 * import { readProto } from "./storage.ts";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * await readProto(LiteralMapSchema, "file:///nonexistent/x").catch((e) => e.name); // "StorageError"
 * ```
 */
export async function readProto<D extends DescMessage>(
  schema: D,
  uri: string,
): Promise<MessageShape<D>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(localPath(uri));
  } catch (e) {
    throw new StorageError(uri, "cannot read", { cause: e });
  }
  try {
    return fromBinary(schema, bytes);
  } catch (e) {
    throw new StorageError(
      uri,
      `not a valid ${schema.typeName}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/**
 * Writes bytes to `uri` atomically (temp file + rename), creating folders.
 *
 * @example
 * ```ts
 * import { writeBytes } from "./storage.ts";
 * await writeBytes("file:///tmp/engine-doc/x.bin", new Uint8Array([1]));
 * ```
 */
export async function writeBytes(
  uri: string,
  bytes: Uint8Array,
): Promise<void> {
  const path = localPath(uri);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/**
 * Writes a protobuf message to `uri` atomically.
 *
 * @example
 * ```ts
 * import { writeProto } from "./storage.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * await writeProto(LiteralMapSchema, "file:///tmp/engine-doc/m.pb", create(LiteralMapSchema));
 * ```
 */
export async function writeProto<D extends DescMessage>(
  schema: D,
  uri: string,
  message: MessageShape<D>,
): Promise<void> {
  await writeBytes(uri, toBinary(schema, message));
}
