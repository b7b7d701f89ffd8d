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

/** A Literal holding `value`, with an empty hash and metadata. */
export function literal(
  value: Literal["value"],
  metadata: Record<string, string> = {},
): Literal {
  return { $typeName: "flyteidl.core.Literal", value, hash: "", metadata };
}

/** A scalar Literal. */
export function scalarLiteral(
  value: Scalar["value"],
  metadata?: Record<string, string>,
): Literal {
  return literal({
    case: "scalar",
    value: { $typeName: "flyteidl.core.Scalar", value },
  }, metadata);
}

/** A primitive Literal. */
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

/** An int64 Literal. */
export function integerLiteral(value: bigint): Literal {
  return primitiveLiteral({ case: "integer", value });
}

/** The none Literal (`scalar.none_type {}`). */
export function noneLiteral(): Literal {
  return scalarLiteral({
    case: "noneType",
    value: { $typeName: "flyteidl.core.Void" },
  });
}

/** A Binary tagged "msgpack". */
export function msgpackLiteral(bytes: Uint8Array): Literal {
  const binary: Binary = {
    $typeName: "flyteidl.core.Binary",
    value: bytes,
    tag: "msgpack",
  };
  return scalarLiteral({ case: "binary", value: binary });
}

/** A collection Literal. */
export function collectionLiteral(literals: Literal[]): Literal {
  const value: LiteralCollection = {
    $typeName: "flyteidl.core.LiteralCollection",
    literals,
  };
  return literal({ case: "collection", value });
}

/** A LiteralMap message. */
export function literalMap(literals: Record<string, Literal>): LiteralMap {
  return { $typeName: "flyteidl.core.LiteralMap", literals };
}

/** A map Literal. */
export function mapLiteral(literals: Record<string, Literal>): Literal {
  return literal({ case: "map", value: literalMap(literals) });
}

/** A blob Literal. */
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

/** A union Literal wrapping `value` with its variant type. */
export function unionLiteral(value: Literal, type: LiteralType): Literal {
  return scalarLiteral({
    case: "union",
    value: { $typeName: "flyteidl.core.Union", value, type },
  });
}

/** Names what a literal holds, for error messages. */
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

/** The scalar of a literal, or undefined. */
export function scalarOf(lit: Literal): Scalar["value"] | undefined {
  return lit.value.case === "scalar" ? lit.value.value.value : undefined;
}

/**
 * The decoded content of a `scalar.binary` tagged "msgpack", or `NOT_MSGPACK`.
 * Throws for a binary with another tag.
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

/** Marker: the literal is not a msgpack binary. */
export const NOT_MSGPACK: unique symbol = Symbol("not msgpack");

/** The JSON content of a `scalar.generic` Struct, or undefined. */
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

/** Throws for literals that must be fetched first (offloaded). */
export function refuseOffloaded(lit: Literal): void {
  if (lit.value.case === "offloadedMetadata") {
    throw new TypeTransformError(
      `the literal is offloaded to ${lit.value.value.uri}; download it first (the data layer resolves offloaded literals)`,
    );
  }
}
