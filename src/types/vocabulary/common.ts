/**
 * Helpers shared by the families of the type vocabulary (errors, simple
 * LiteralTypes, the msgpack annotation).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { JsonObject, Literal, LiteralType } from "../idl.ts";
import { LiteralTypeSchema, type SimpleType } from "@flyteidl/core/types_pb.ts";
import { TypeTransformError } from "../errors.ts";
import {
  describeLiteral,
  msgpackOf,
  NOT_MSGPACK,
  refuseOffloaded,
} from "../literals.ts";
import { F64 } from "../msgpack.ts";

/** Throws a TypeTransformError with `reason` (the caller adds the path). */
export function fail(reason: string): never {
  throw new TypeTransformError(reason);
}

/** A LiteralType of one SimpleType. */
export function simpleType(simple: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value: simple } });
}

/** flytekit's annotation of msgpack-encoded types (records, dicts). */
export const MSGPACK_ANNOTATION: JsonObject = {
  "cache-key-metadata": { "serialization-format": "msgpack" },
};

/** Throws: `want` was expected, the literal is something else (or offloaded). */
export function wrongLiteral(lit: Literal, want: string): never {
  refuseOffloaded(lit);
  return fail(`expected ${want}, got ${describeLiteral(lit)}`);
}

/** Reads a msgpack binary through the type's msgpack reader, if it is one. */
export function viaMsgpack<T>(
  lit: Literal,
  type: { fromMsgpack(raw: unknown): T },
): T | typeof NOT_MSGPACK {
  const raw = msgpackOf(lit);
  return raw === NOT_MSGPACK ? NOT_MSGPACK : type.fromMsgpack(raw);
}

/**
 * A number that msgpack must write as float64. Only integral values need
 * the F64 wrapper (others are floats to the encoder anyway), which saves an
 * allocation per value.
 */
export function asFloat64(v: number): number | F64 {
  return Number.isInteger(v) ? new F64(v) : v;
}

/** The int64 range (INTEGER literals). */
export const INT64_MIN = -(1n << 63n);
/** The int64 range's top (INTEGER literals). */
export const INT64_MAX = (1n << 63n) - 1n;
