/**
 * Fast builders for flyteidl Literal messages. They make the same plain
 * objects that protobuf-es `create()` makes (every field present, with
 * `$typeName`), without its per-call reflection, because the engine builds
 * millions of them. Also small readers shared by the types.
 *
 * @module
 */
import type {
  Binary,
  Literal,
  LiteralCollection,
  LiteralMap,
  Primitive,
  Scalar,
} from "@flyteidl/core/literals_pb.ts";
import type { BlobType, LiteralType } from "@flyteidl/core/types_pb.ts";
import type { JsonObject } from "@bufbuild/protobuf";
import { TypeTransformError } from "./errors.ts";
import { unpackMsgpack } from "./msgpack.ts";

/**
 * A Literal holding `value`, with an empty hash and metadata.
 *
 * @example
 * ```ts
 * import { literal } from "./literals.ts";
 * console.log(literal({ case: undefined }).hash); // ""
 * ```
 */
export function literal(
  value: Literal["value"],
  metadata: Record<string, string> = {},
): Literal {
  return { $typeName: "flyteidl.core.Literal", value, hash: "", metadata };
}

/**
 * A scalar Literal.
 *
 * @example
 * ```ts
 * import { scalarLiteral } from "./literals.ts";
 * const lit = scalarLiteral({ case: "noneType", value: { $typeName: "flyteidl.core.Void" } });
 * console.log(lit.value.case); // "scalar"
 * ```
 */
export function scalarLiteral(
  value: Scalar["value"],
  metadata?: Record<string, string>,
): Literal {
  return literal({
    case: "scalar",
    value: { $typeName: "flyteidl.core.Scalar", value },
  }, metadata);
}

/**
 * A primitive Literal.
 *
 * @example
 * ```ts
 * import { primitiveLiteral } from "./literals.ts";
 * console.log(primitiveLiteral({ case: "stringValue", value: "x" }).value.case); // "scalar"
 * ```
 */
export function primitiveLiteral(value: Primitive["value"]): Literal {
  return {
    $typeName: "flyteidl.core.Literal",
    value: {
      case: "scalar",
      value: {
        $typeName: "flyteidl.core.Scalar",
        value: {
          case: "primitive",
          value: { $typeName: "flyteidl.core.Primitive", value },
        },
      },
    },
    hash: "",
    metadata: {},
  };
}

/**
 * An int64 Literal.
 *
 * @example
 * ```ts
 * import { integerLiteral } from "./literals.ts";
 * console.log(integerLiteral(5n).value.case); // "scalar"
 * ```
 */
export function integerLiteral(value: bigint): Literal {
  return primitiveLiteral({ case: "integer", value });
}

/**
 * The none Literal (`scalar.none_type {}`).
 *
 * @example
 * ```ts
 * import { noneLiteral } from "./literals.ts";
 * console.log(noneLiteral().value.case); // "scalar"
 * ```
 */
export function noneLiteral(): Literal {
  return scalarLiteral({
    case: "noneType",
    value: { $typeName: "flyteidl.core.Void" },
  });
}

/**
 * A Binary tagged "msgpack".
 *
 * @example
 * ```ts
 * import { msgpackLiteral } from "./literals.ts";
 * console.log(msgpackLiteral(new Uint8Array([0xc0])).value.case); // "scalar"
 * ```
 */
export function msgpackLiteral(bytes: Uint8Array): Literal {
  const binary: Binary = {
    $typeName: "flyteidl.core.Binary",
    value: bytes,
    tag: "msgpack",
  };
  return scalarLiteral({ case: "binary", value: binary });
}

/**
 * A collection Literal.
 *
 * @example
 * ```ts
 * import { collectionLiteral, integerLiteral } from "./literals.ts";
 * console.log(collectionLiteral([integerLiteral(1n)]).value.case); // "collection"
 * ```
 */
export function collectionLiteral(literals: Literal[]): Literal {
  const value: LiteralCollection = {
    $typeName: "flyteidl.core.LiteralCollection",
    literals,
  };
  return literal({ case: "collection", value });
}

/**
 * A LiteralMap message.
 *
 * @example
 * ```ts
 * import { integerLiteral, literalMap } from "./literals.ts";
 * console.log(Object.keys(literalMap({ n: integerLiteral(1n) }).literals)); // ["n"]
 * ```
 */
export function literalMap(literals: Record<string, Literal>): LiteralMap {
  return { $typeName: "flyteidl.core.LiteralMap", literals };
}

/**
 * A map Literal.
 *
 * @example
 * ```ts
 * import { integerLiteral, mapLiteral } from "./literals.ts";
 * console.log(mapLiteral({ n: integerLiteral(1n) }).value.case); // "map"
 * ```
 */
export function mapLiteral(literals: Record<string, Literal>): Literal {
  return literal({ case: "map", value: literalMap(literals) });
}

/**
 * A blob Literal.
 *
 * @example
 * ```ts
 * import { blobLiteral } from "./literals.ts";
 * import { t } from "./mod.ts";
 * const lt = t.file("csv").literalType;
 * if (lt.type.case === "blob") {
 *   console.log(blobLiteral("s3://b/f.csv", lt.type.value).value.case); // "scalar"
 * }
 * ```
 */
export function blobLiteral(
  uri: string,
  type: BlobType,
  metadata?: Record<string, string>,
): Literal {
  return scalarLiteral({
    case: "blob",
    value: {
      $typeName: "flyteidl.core.Blob",
      metadata: { $typeName: "flyteidl.core.BlobMetadata", type },
      uri,
    },
  }, metadata);
}

/**
 * A union Literal wrapping `value` with its variant type.
 *
 * @example
 * ```ts
 * import { integerLiteral, unionLiteral } from "./literals.ts";
 * import { t } from "./mod.ts";
 * console.log(unionLiteral(integerLiteral(1n), t.int.literalType).value.case); // "scalar"
 * ```
 */
export function unionLiteral(value: Literal, type: LiteralType): Literal {
  return scalarLiteral({
    case: "union",
    value: { $typeName: "flyteidl.core.Union", value, type },
  });
}

/**
 * Names what a literal holds, for error messages.
 *
 * @example
 * ```ts
 * import { describeLiteral, integerLiteral } from "./literals.ts";
 * console.log(describeLiteral(integerLiteral(1n))); // "a integer primitive"
 * ```
 */
export function describeLiteral(lit: Literal | undefined): string {
  if (!lit) return "no literal";
  const v = lit.value;
  if (v.case === "scalar") {
    const s = v.value.value;
    if (s.case === "primitive") {
      return `a ${s.value.value.case ?? "empty"} primitive`;
    }
    if (s.case === "binary") return `a binary (tag "${s.value.tag}")`;
    if (s.case === "noneType") return "none";
    return s.case ? `a ${s.case} scalar` : "an empty scalar";
  }
  if (v.case === "offloadedMetadata") return "an offloaded literal";
  return v.case ? `a ${v.case}` : "an empty literal";
}

/**
 * The scalar of a literal, or undefined.
 *
 * @example
 * ```ts
 * import { integerLiteral, scalarOf } from "./literals.ts";
 * console.log(scalarOf(integerLiteral(1n))?.case); // "primitive"
 * ```
 */
export function scalarOf(lit: Literal): Scalar["value"] | undefined {
  return lit.value.case === "scalar" ? lit.value.value.value : undefined;
}

/**
 * The decoded content of a `scalar.binary` tagged "msgpack", or `NOT_MSGPACK`.
 * Throws for a binary with another tag.
 *
 * @example
 * ```ts
 * import { msgpackLiteral, msgpackOf } from "./literals.ts";
 * console.log(msgpackOf(msgpackLiteral(new Uint8Array([0x01])))); // 1
 * ```
 */
export function msgpackOf(lit: Literal): unknown {
  const s = scalarOf(lit);
  if (s?.case !== "binary") return NOT_MSGPACK;
  if (s.value.tag !== "msgpack") {
    throw new TypeTransformError(
      `binary literal with tag "${s.value.tag}" cannot be read (only "msgpack")`,
    );
  }
  try {
    return unpackMsgpack(s.value.value);
  } catch (e) {
    throw new TypeTransformError(`bad msgpack in binary literal: ${e}`, {
      cause: e,
    });
  }
}

/**
 * Marker: the literal is not a msgpack binary.
 *
 * @example
 * ```ts
 * import { integerLiteral, msgpackOf, NOT_MSGPACK } from "./literals.ts";
 * console.log(msgpackOf(integerLiteral(1n)) === NOT_MSGPACK); // true
 * ```
 */
export const NOT_MSGPACK: unique symbol = Symbol("not msgpack");

/**
 * The JSON content of a `scalar.generic` Struct, or undefined.
 *
 * @example
 * ```ts
 * import { genericOf, integerLiteral } from "./literals.ts";
 * console.log(genericOf(integerLiteral(1n))); // undefined
 * ```
 */
export function genericOf(lit: Literal): JsonObject | undefined {
  const s = scalarOf(lit);
  if (s?.case !== "generic") return undefined;
  if (lit.metadata?.["format"] === "pickle") {
    throw new TypeTransformError(
      `the value was pickled by Python (${
        JSON.stringify(s.value)
      }); pickles cannot be read in TypeScript`,
    );
  }
  return s.value;
}

/**
 * Throws for literals that must be fetched first (offloaded).
 *
 * @example
 * ```ts
 * import { integerLiteral, refuseOffloaded } from "./literals.ts";
 * refuseOffloaded(integerLiteral(1n)); // fine: not offloaded
 * ```
 */
export function refuseOffloaded(lit: Literal): void {
  if (lit.value.case === "offloadedMetadata") {
    throw new TypeTransformError(
      `the literal is offloaded to ${lit.value.value.uri}; download it first (the data layer resolves offloaded literals)`,
    );
  }
}
