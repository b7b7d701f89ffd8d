/**
 * Upload sources: a local file or an in-memory value, each with its size
 * and md5 known before it is sent (a first streaming pass) and a body that
 * can be read again as a stream. Streams and async iterables are spooled
 * to a temporary file while they are hashed, so nothing is held whole.
 *
 * @module
 */
import { FlyteInvalidInputError } from "../client/errors.ts";
import { FlyteIntegrityError } from "./errors.ts";

type Hash = { update(d: Uint8Array | string): Hash; digest(): Uint8Array };
let hasher: Promise<() => Hash> | undefined;
/**
 * An md5 hasher factory (node:crypto, loaded on first use).
 *
 * @example
 * ```ts
 * import { newMd5 } from "./source.ts";
 * const md5 = (await newMd5())().update("abc").digest();
 * ```
 */
export function newMd5(): Promise<() => Hash> {
  hasher ??= import("node:crypto").then((c) => () =>
    c.createHash("md5") as unknown as Hash
  );
  return hasher;
}

/**
 * Base64 of bytes.
 *
 * @example
 * ```ts
 * import { base64 } from "./source.ts";
 * base64(new Uint8Array([1, 2])); // "AQI="
 * ```
 */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * Something to upload, hashed and sized.
 *
 * @example
 * ```ts
 * import type { Source } from "./source.ts";
 * const show = (s: Source) => console.log(s.label, s.size);
 * ```
 */
export interface Source {
  /** What error messages call it (a path or `value "name"`). */
  label: string;
  /** The file name to give it remotely. */
  name: string;
  /** Its size in bytes. */
  size: number;
  /** Its md5 (raw 16 bytes). */
  md5: Uint8Array;
  /** Its bytes, as a fresh stream each call; checks they did not change. */
  open(): AsyncIterable<Uint8Array>;
  /** Removes any temporary file. */
  cleanup(): Promise<void>;
}

const CHUNK = 4 << 20;

/**
 * Reads a file in chunks of up to 4 MiB into one reused buffer: each chunk
 * is valid until the next is pulled (hashing and the PUT consume it first).
 */
async function* readChunks(
  path: string,
  size: number,
): AsyncGenerator<Uint8Array> {
  using f = await Deno.open(path);
  // No larger than the file (directories hold many small ones).
  const buf = new Uint8Array(Math.min(CHUNK, Math.max(size + 1, 1)));
  while (true) {
    let n = 0;
    while (n < buf.length) {
      const r = await f.read(buf.subarray(n));
      if (r === null) break;
      n += r;
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
    if (n < buf.length) return;
  }
}

function unreadable(path: string, e: unknown): FlyteInvalidInputError {
  if (e instanceof Deno.errors.NotFound) {
    return new FlyteInvalidInputError(`local path [${path}] does not exist`, {
      cause: e,
    });
  }
  return new FlyteInvalidInputError(
    `local path [${path}] cannot be read: ${(e as Error).message}`,
    { cause: e },
  );
}

/**
 * A local file: stat and md5 now (streamed); `open` streams it again and
 * fails with FlyteIntegrityError if its size or mtime changed (a change
 * that keeps both is caught by the server's md5 check).
 *
 * @example
 * ```ts
 * import { fileSource } from "./source.ts";
 * const src = await fileSource("./data.csv", "data.csv");
 * ```
 */
export async function fileSource(
  path: string,
  name: string,
  temp = false,
): Promise<Source> {
  let st: Deno.FileInfo;
  try {
    st = await Deno.stat(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  if (!st.isFile) {
    throw new FlyteInvalidInputError(
      `local path [${path}] is a directory, not a file`,
    );
  }
  const h = (await newMd5())();
  let size = 0;
  try {
    for await (const c of readChunks(path, st.size)) {
      h.update(c);
      size += c.length;
    }
  } catch (e) {
    throw unreadable(path, e);
  }
  const md5 = new Uint8Array(h.digest());
  const label = temp ? name : path;
  const changed = () =>
    new FlyteIntegrityError(
      `[${label}] changed while it was being uploaded`,
      { target: label },
    );
  return {
    label,
    name,
    size,
    md5,
    // The bytes are not hashed again while sent (the server checks the
    // md5); a change shows in the size or the modification time.
    async *open() {
      let n = 0;
      for await (const c of readChunks(path, size)) {
        n += c.length;
        if (n > size) throw changed();
        yield c;
      }
      const now = await Deno.stat(path);
      if (n !== size || now.mtime?.getTime() !== st.mtime?.getTime()) {
        throw changed();
      }
    },
    cleanup: temp ? () => Deno.remove(path).catch(() => {}) : async () => {},
  };
}

/**
 * Bytes in memory.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./source.ts";
 * const src = await bytesSource(new Uint8Array([1]), "one.bin");
 * ```
 */
export async function bytesSource(
  data: Uint8Array,
  name: string,
): Promise<Source> {
  return {
    label: `value "${name}"`,
    name,
    size: data.length,
    md5: new Uint8Array((await newMd5())().update(data).digest()),
    async *open() {
      for (let i = 0; i < data.length; i += CHUNK) {
        yield data.subarray(i, i + CHUNK);
      }
    },
    cleanup: async () => {},
  };
}

/**
 * A Blob (or File): hashed and sent as streams, never read whole.
 *
 * @example
 * ```ts
 * import { blobSource } from "./source.ts";
 * const src = await blobSource(new Blob(["hi"]), "hi.txt");
 * ```
 */
export async function blobSource(blob: Blob, name: string): Promise<Source> {
  const h = (await newMd5())();
  for await (const c of blob.stream()) h.update(c);
  return {
    label: `value "${name}"`,
    name,
    size: blob.size,
    md5: new Uint8Array(h.digest()),
    open: () => blob.stream(),
    cleanup: async () => {},
  };
}

/**
 * A stream or async iterable of bytes, spooled to a temporary file.
 *
 * @example
 * ```ts
 * import { streamSource } from "./source.ts";
 * const src = await streamSource(ReadableStream.from([new Uint8Array([1])]), "s.bin");
 * await src.cleanup();
 * ```
 */
export async function streamSource(
  stream: AsyncIterable<unknown>,
  name: string,
): Promise<Source> {
  const tmp = await Deno.makeTempFile({ prefix: "flyte-upload-" });
  try {
    const f = await Deno.open(tmp, { write: true, truncate: true });
    try {
      for await (const c of stream) {
        const bytes = c instanceof Uint8Array
          ? c
          : typeof c === "string"
          ? new TextEncoder().encode(c)
          : c instanceof ArrayBuffer
          ? new Uint8Array(c)
          : undefined;
        if (!bytes) {
          throw new FlyteInvalidInputError(
            `value "${name}": its stream yielded a ${describe(c)}, not bytes`,
          );
        }
        let off = 0;
        while (off < bytes.length) off += await f.write(bytes.subarray(off));
      }
    } finally {
      f.close();
    }
    const src = await fileSource(tmp, name, true);
    return { ...src, label: `value "${name}"` };
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * A short description of a value's kind for messages.
 *
 * @example
 * ```ts
 * import { describe } from "./source.ts";
 * describe(new Map()); // "Map"
 * ```
 */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return (v as object).constructor?.name ?? "object";
}
