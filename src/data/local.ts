/**
 * Cheap checks for local paths (no hashing, no transfer code), so callers
 * load the upload machinery only when an input names a local file.
 *
 * @module
 */
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { FlyteDirectory, FlyteFile } from "../types/values.ts";

/**
 * Whether `uri` names something on this machine that `execute` should
 * upload: a path without a scheme (`data/a.csv`, `/tmp/x`) or a `file://`
 * URL, as flytekit treats them.
 *
 * @example
 * ```ts
 * import { isLocalPath } from "./transfer.ts";
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
 * import { localPathOf } from "./transfer.ts";
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
 * import { localPathIn } from "./inputs.ts";
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

/**
 * Whether any input (by the types of `expected`) names a local file or
 * directory; cheap, so callers load the upload code only when needed.
 *
 * @example
 * ```ts
 * import { hasLocalBlobs } from "./inputs.ts";
 * hasLocalBlobs({ n: 1 }, []); // false
 * ```
 */
export function hasLocalBlobs(
  inputs: Record<string, unknown>,
  expected: { name: string; type: LiteralType }[],
): boolean {
  const walk = (v: unknown, t: LiteralType | undefined): boolean => {
    if (!t || v === undefined || v === null || isLiteralObject(v)) return false;
    switch (t.type.case) {
      case "blob":
        return localPathIn(v) !== undefined;
      case "collectionType":
        return Array.isArray(v) &&
          v.some((x) => walk(x, t.type.value as LiteralType));
      case "mapValueType":
        return typeof v === "object" &&
          Object.values(v as object).some((x) =>
            walk(x, t.type.value as LiteralType)
          );
      case "unionType":
        return t.type.value.variants.some((u) => walk(v, u));
      default:
        return false;
    }
  };
  return expected.some((e) => walk(inputs[e.name], e.type));
}
