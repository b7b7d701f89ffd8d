/**
 * Reading and writing whole objects by URI, for the task runtime: `file://`
 * (and plain absolute paths), signed `http(s)://` URLs (GET, and PUT for
 * writes), and `s3://bucket/key` on any S3-compatible store (the AWS SDK,
 * loaded on first use, with the standard AWS environment variables;
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` or `FLYTE_AWS_ENDPOINT` override
 * the endpoint).
 *
 * @module
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A read or write of a URI failed; the message names the URI.
 *
 * @example
 * ```ts
 * import { StorageError } from "./storage.ts";
 * const e = new StorageError("s3://b/k", "not found");
 * console.log(e.uri); // "s3://b/k"
 * ```
 */
export class StorageError extends Error {
  /** The URI. */
  readonly uri: string;
  /** Builds the message from the URI and the reason. */
  constructor(uri: string, reason: string, options?: ErrorOptions) {
    super(`[${redact(uri)}]: ${reason}`, options);
    this.name = "StorageError";
    this.uri = redact(uri);
  }
}

function redact(uri: string): string {
  if (!/^https?:/.test(uri)) return uri;
  try {
    const u = new URL(uri);
    return `${u.origin}${u.pathname}`;
  } catch {
    return uri;
  }
}

function localOf(uri: string): string | undefined {
  if (uri.startsWith("/")) return uri;
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  return undefined;
}

/**
 * Joins a prefix URI and a name with one `/`.
 *
 * @example
 * ```ts
 * import { joinUri } from "./storage.ts";
 * console.log(joinUri("s3://b/out/", "outputs.pb")); // "s3://b/out/outputs.pb"
 * ```
 */
export function joinUri(prefix: string, name: string): string {
  return `${prefix.replace(/\/+$/, "")}/${name}`;
}

/**
 * Reads a whole object.
 *
 * @example
 * ```ts
 * import { readUri } from "./storage.ts";
 * const bytes = await readUri(import.meta.url);
 * console.log(bytes.length > 0); // true
 * ```
 */
export async function readUri(uri: string): Promise<Uint8Array> {
  const local = localOf(uri);
  try {
    if (local) return new Uint8Array(await readFile(local));
    if (/^https?:\/\//.test(uri)) {
      const res = await fetch(uri);
      if (!res.ok) {
        await res.body?.cancel();
        throw new StorageError(uri, `HTTP ${res.status} on GET`);
      }
      return new Uint8Array(await res.arrayBuffer());
    }
    if (uri.startsWith("s3://")) {
      const { s3Read } = await import("./s3.ts");
      return await s3Read(uri);
    }
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(uri, `cannot be read: ${(e as Error).message}`, {
      cause: e,
    });
  }
  throw new StorageError(
    uri,
    "unsupported scheme (file://, http(s):// and s3:// are)",
  );
}

/**
 * Writes a whole object (a local file via a temporary file and a rename).
 *
 * @example
 * ```ts
 * import { readUri, writeUri } from "./storage.ts";
 * const p = `${await Deno.makeTempDir()}/x/y.bin`;
 * await writeUri(p, new Uint8Array([1]));
 * console.log((await readUri(p))[0]); // 1
 * ```
 */
export async function writeUri(uri: string, data: Uint8Array): Promise<void> {
  const local = localOf(uri);
  try {
    if (local) {
      await mkdir(dirname(local), { recursive: true });
      const tmp = `${local}.tmp-${crypto.randomUUID()}`;
      await writeFile(tmp, data);
      await rename(tmp, local);
      return;
    }
    if (/^https?:\/\//.test(uri)) {
      const res = await fetch(uri, {
        method: "PUT",
        body: data as Uint8Array<ArrayBuffer>,
      });
      await res.body?.cancel();
      if (!res.ok) throw new StorageError(uri, `HTTP ${res.status} on PUT`);
      return;
    }
    if (uri.startsWith("s3://")) {
      const { s3Write } = await import("./s3.ts");
      return await s3Write(uri, data);
    }
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(uri, `cannot be written: ${(e as Error).message}`, {
      cause: e,
    });
  }
  throw new StorageError(
    uri,
    "unsupported scheme (file://, http(s):// and s3:// are)",
  );
}
