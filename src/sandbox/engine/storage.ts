/**
 * Reading and writing the metadata tree (`file://` URIs) with flyteidl
 * protobufs.
 *
 * @module
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type DescMessage,
  fromBinary,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { StorageError } from "./errors.ts";

/**
 * The local path of a `file://` URI (or a bare absolute path).
 *
 * @example
 * ```ts
 * import { localPath } from "./storage.ts";
 * localPath("file:///tmp/x/inputs.pb"); // "/tmp/x/inputs.pb"
 * ```
 */
export function localPath(uri: string): string {
  if (uri.startsWith("/")) return uri;
  if (!uri.startsWith("file://")) {
    throw new StorageError(
      uri,
      "only file:// URIs are supported by the engine",
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
