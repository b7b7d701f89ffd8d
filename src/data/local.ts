/**
 * Cheap checks for local paths (no hashing, no transfer code), so callers
 * load the upload machinery only when an input names a local file.
 *
 * @module
 */
import {
  BlobType_BlobDimensionality,
  type LiteralType,
} from "@flyteidl/core/types_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { FlyteDirectory, FlyteFile } from "../types/values.ts";
import { isInlineDirectoryInput, isInlineFileInput } from "./inline.ts";

/**
 * Whether `uri` names something on this machine that `execute` should
 * upload: a path without a scheme (`data/a.csv`, `/tmp/x`) or a `file://`
 * URL, as flytekit treats them.
 *
 * @example
 * ```ts
 * import { isLocalPath } from "./local.ts";
 * isLocalPath("./a.csv"); // true
 * isLocalPath("s3://bucket/a.csv"); // false
 * ```
 */
export function isLocalPath(uri: string): boolean {
  if (uri.startsWith("file://")) return true;
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(uri);
}

/**
 * The filesystem path of a local path or `file://` URL.
 *
 * @example
 * ```ts
 * import { localPathOf } from "./local.ts";
 * localPathOf("file:///tmp/a%20b.txt"); // "/tmp/a b.txt"
 * ```
 */
export function localPathOf(uri: string): string {
  if (!uri.startsWith("file://")) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    throw new FlyteInvalidInputError(`invalid file URL [${uri}]`);
  }
}

/**
 * A value's local path when it names one (a string, `URL`, FlyteFile or
 * FlyteDirectory with a local path or `file://` URL), else undefined.
 *
 * @example
 * ```ts
 * import { localPathIn } from "./local.ts";
 * localPathIn("./a.csv"); // "./a.csv"
 * localPathIn("s3://b/a.csv"); // undefined
 * ```
 */
export function localPathIn(value: unknown): string | undefined {
  let uri: string | undefined;
  if (typeof value === "string") uri = value;
  else if (value instanceof URL) uri = value.href;
  else if (value instanceof FlyteFile || value instanceof FlyteDirectory) {
    uri = value.uri;
  }
  return uri !== undefined && uri !== "" && isLocalPath(uri) ? uri : undefined;
}

/** Whether `v` is a flyteidl message (sent as is). */
export function isLiteralObject(v: unknown): boolean {
  return typeof v === "object" && v !== null &&
    typeof (v as { $typeName?: unknown }).$typeName === "string";
}

/** Whether `v`, given for a blob type of dimensionality `multipart`, must be uploaded. */
function needsUpload(v: unknown, multipart: boolean): boolean {
  return localPathIn(v) !== undefined ||
    (multipart ? isInlineDirectoryInput(v) : isInlineFileInput(v));
}

/**
 * Whether any input (by the types of `expected`) names a local file or
 * directory, or is an in-memory value for a file/directory input; cheap,
 * so callers load the upload code only when needed.
 *
 * @example
 * ```ts
 * import { hasLocalBlobs } from "./local.ts";
 * hasLocalBlobs({ n: 1 }, []); // false
 * ```
 */
export function hasLocalBlobs(
  inputs: Record<string, unknown>,
  expected: { name: string; type: LiteralType }[],
): boolean {
  let found = false;
  mapBlobs(inputs, expected, (v) => {
    found = true;
    return v;
  });
  return found;
}

/**
 * A copy of `inputs` where each in-memory file/directory value is replaced
 * by a FlyteFile/FlyteDirectory placeholder, so the inputs can be
 * type-checked before anything is uploaded.
 *
 * @example
 * ```ts
 * import { withPlaceholders } from "./local.ts";
 * withPlaceholders({ n: 1 }, []); // { n: 1 }
 * ```
 */
export function withPlaceholders(
  inputs: Record<string, unknown>,
  expected: { name: string; type: LiteralType }[],
): Record<string, unknown> {
  return mapBlobs(
    inputs,
    expected,
    (v, multipart) =>
      localPathIn(v) !== undefined
        ? v
        : multipart
        ? new FlyteDirectory("inline://directory")
        : new FlyteFile("inline://file"),
  );
}

function mapBlobs(
  inputs: Record<string, unknown>,
  expected: { name: string; type: LiteralType }[],
  fn: (v: unknown, multipart: boolean) => unknown,
): Record<string, unknown> {
  const walk = (v: unknown, t: LiteralType | undefined): unknown => {
    if (!t || v === undefined || v === null || isLiteralObject(v)) return v;
    switch (t.type.case) {
      case "blob": {
        const multipart = t.type.value.dimensionality ===
          BlobType_BlobDimensionality.MULTIPART;
        return needsUpload(v, multipart) ? fn(v, multipart) : v;
      }
      case "collectionType": {
        const inner = t.type.value;
        return Array.isArray(v) ? v.map((x) => walk(x, inner)) : v;
      }
      case "mapValueType": {
        const inner = t.type.value;
        if (typeof v !== "object" || v instanceof Map) return v;
        return Object.fromEntries(
          Object.entries(v as object).map(([k, x]) => [k, walk(x, inner)]),
        );
      }
      case "unionType": {
        for (const u of t.type.value.variants) {
          if (u.type.case === "blob") {
            const r = walk(v, u);
            if (r !== v) return r;
          }
        }
        return v;
      }
      default:
        return v;
    }
  };
  const out: Record<string, unknown> = { ...inputs };
  for (const e of expected) {
    if (e.name in inputs) out[e.name] = walk(inputs[e.name], e.type);
  }
  return out;
}
