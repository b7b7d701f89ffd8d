/**
 * Values that live in the notebook, uploaded as files: bytes, strings,
 * JSON-serialisable objects, Blobs/Files, ReadableStreams and async
 * iterables of bytes; and directories made of named values.
 *
 * @module
 */
import { FlyteInvalidInputError } from "../client/errors.ts";
import {
  blobSource,
  bytesSource,
  describe,
  type Source,
  streamSource,
} from "./source.ts";

/**
 * What can be uploaded as a file's contents. A plain object or array is
 * sent as JSON; a string as UTF-8 text.
 *
 * @example
 * ```ts
 * import type { InlineValue } from "./inline.ts";
 * const v: InlineValue = { rows: [1, 2, 3] };
 * ```
 */
export type InlineValue =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | string
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | JsonValue;

/**
 * A JSON-serialisable value.
 *
 * @example
 * ```ts
 * import type { JsonValue } from "./inline.ts";
 * const j: JsonValue = { a: [1, "b", null] };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [k: string]: JsonValue };

/**
 * An in-memory value to pass as a FlyteFile input: uploaded (once per
 * content) when the execution is created. See {@link fileOf}.
 *
 * @example
 * ```ts
 * import { InlineFile } from "./inline.ts";
 * const f = new InlineFile("a,b\n1,2\n", "table.csv", "csv");
 * ```
 */
export class InlineFile {
  /** The contents. */
  readonly value: InlineValue;
  /** The remote file name. */
  readonly name: string;
  /** The blob format ("" when not given). */
  readonly format: string;

  /** Wraps a value with its file name (and format). */
  constructor(value: InlineValue, name: string, format = "") {
    this.value = value;
    this.name = name;
    this.format = format;
  }
}

/**
 * A directory made of named values (relative paths, `/` for subfolders),
 * to pass as a FlyteDirectory input or to upload. See {@link directoryOf}.
 *
 * @example
 * ```ts
 * import { InlineDirectory } from "./inline.ts";
 * const d = new InlineDirectory({ "a.txt": "alpha", "sub/b.json": { b: 1 } });
 * ```
 */
export class InlineDirectory {
  /** Relative path → contents. */
  readonly entries: Readonly<Record<string, InlineValue>>;

  /** Wraps the entries (checked when uploaded). */
  constructor(entries: Record<string, InlineValue>) {
    this.entries = entries;
  }
}

/**
 * An in-memory value as a file input: `execute(task, { f: fileOf(text, { name: "a.csv" }) })`.
 *
 * @example
 * ```ts
 * import { fileOf } from "./inline.ts";
 * const f = fileOf({ threshold: 0.5 }, { name: "config.json" });
 * ```
 */
export function fileOf(
  value: InlineValue,
  options: { name: string; format?: string },
): InlineFile {
  checkName(options?.name, describe(value));
  return new InlineFile(value, options.name, options.format);
}

/**
 * A directory of named values (relative paths, subfolders with `/`):
 * passed as a FlyteDirectory input, or uploaded with `remote.upload`.
 *
 * @example
 * ```ts
 * import { directoryOf } from "./inline.ts";
 * const d = directoryOf({ "train.csv": "x,y\n1,2\n", "meta/info.json": { n: 1 } });
 * ```
 */
export function directoryOf(
  entries: Record<string, InlineValue>,
): InlineDirectory {
  if (typeof entries !== "object" || entries === null) {
    throw new FlyteInvalidInputError(
      `directoryOf: expected an object of named values, got ${
        describe(entries)
      }`,
    );
  }
  for (const name of Object.keys(entries)) checkName(name, "directory entry");
  return new InlineDirectory(entries);
}

/**
 * Checks a remote file name (relative, no empty, `.` or `..` parts).
 *
 * @example
 * ```ts
 * import { checkName } from "./inline.ts";
 * checkName("sub/a.csv", "value"); // passes; "../a" throws
 * ```
 */
export function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== "string" || name === "") {
    throw new FlyteInvalidInputError(
      `upload of a ${what}: a file name is required (options.name)`,
    );
  }
  if (
    name.startsWith("/") ||
    name.split("/").some((p) => p === "" || p === "." || p === "..") ||
    /[\\\0]/.test(name)
  ) {
    throw new FlyteInvalidInputError(
      `upload of a ${what}: invalid file name [${name}] (a relative path without empty, "." or ".." parts)`,
    );
  }
}

/** Whether `v` is a stream or async iterable of bytes. */
function isStreamish(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null &&
    (v instanceof ReadableStream ||
      typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] ===
        "function");
}

/**
 * Whether `v` is an in-memory value that a file input can take directly
 * (bytes, Blob/File, stream, InlineFile); strings are local paths there.
 *
 * @example
 * ```ts
 * import { isInlineFileInput } from "./inline.ts";
 * isInlineFileInput(new Uint8Array(2)); // true
 * isInlineFileInput("./a.csv"); // false
 * ```
 */
export function isInlineFileInput(v: unknown): boolean {
  return v instanceof InlineFile || v instanceof Uint8Array ||
    v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof Blob ||
    isStreamish(v);
}

/**
 * Whether `v` is an in-memory directory (an InlineDirectory or a plain
 * object of inline values) that a directory input can take directly.
 *
 * @example
 * ```ts
 * import { isInlineDirectoryInput } from "./inline.ts";
 * isInlineDirectoryInput({ "a.txt": "hi" }); // true
 * ```
 */
export function isInlineDirectoryInput(v: unknown): boolean {
  if (v instanceof InlineDirectory) return true;
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) &&
    Object.keys(v).length > 0 && !("$typeName" in v) &&
    !("uri" in v);
}

/** Finds what JSON cannot carry faithfully, with its path inside the value. */
function unserialisable(v: unknown, at: string, seen: Set<object>): string {
  switch (typeof v) {
    case "string":
    case "boolean":
      return "";
    case "number":
      return Number.isFinite(v) ? "" : `${at} is ${v}`;
    case "object": {
      if (v === null) return "";
      if (seen.has(v)) return `${at} is a circular reference`;
      if (typeof (v as { toJSON?: unknown }).toJSON === "function") return "";
      const proto = Object.getPrototypeOf(v);
      if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
        return `${at} is a ${describe(v)}`;
      }
      seen.add(v);
      for (const [k, x] of Object.entries(v)) {
        const r = unserialisable(
          x,
          Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`,
          seen,
        );
        if (r) return r;
      }
      seen.delete(v);
      return "";
    }
    default:
      return `${at} is a ${typeof v}`;
  }
}

/**
 * The upload source of an in-memory value; unserialisable values are a
 * FlyteInvalidInputError naming the value and the offending part.
 *
 * @example
 * ```ts
 * import { inlineSource } from "./inline.ts";
 * const src = await inlineSource({ a: 1 }, "a.json");
 * ```
 */
export async function inlineSource(
  value: unknown,
  name: string,
): Promise<Source> {
  if (value instanceof InlineFile) return await inlineSource(value.value, name);
  if (typeof value === "string") {
    return await bytesSource(new TextEncoder().encode(value), name);
  }
  if (value instanceof Uint8Array) return await bytesSource(value, name);
  if (value instanceof ArrayBuffer) {
    return await bytesSource(new Uint8Array(value), name);
  }
  if (ArrayBuffer.isView(value)) {
    return await bytesSource(
      new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
      name,
    );
  }
  if (value instanceof Blob) return await blobSource(value, name);
  if (isStreamish(value)) return await streamSource(value, name);
  const why = unserialisable(value, "value", new Set());
  if (why || value === undefined) {
    throw new FlyteInvalidInputError(
      `value "${name}" cannot be serialised as JSON: ${
        why || "it is undefined"
      }`,
    );
  }
  return await bytesSource(
    new TextEncoder().encode(JSON.stringify(value)),
    name,
  );
}
