/**
 * Helpers shared by the type engine's unit tests (tests/unit/types_*):
 * round trips through protobuf bytes, and literals built by hand from
 * flytekit 1.16's documented encodings.
 *
 * @module
 */
import { assertEquals } from "./assert.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
  type SimpleType,
} from "@flyteidl/core/types_pb.ts";
import {
  type AnyFlyteType,
  fromLiteral,
  toLiteral,
} from "../../src/types/mod.ts";

/** A literal through protobuf bytes and back; fails unless it comes back the same. */
export function viaBytes(lit: Literal): Literal {
  const back = fromBinary(LiteralSchema, toBinary(LiteralSchema, lit));
  // Our plain builders must make exactly the messages protobuf-es makes.
  assertEquals(back, lit);
  return back;
}

/**
 * value -> literal -> bytes -> literal -> value with `type`; fails unless
 * the value read back is `expected` and the LiteralType survives the wire.
 */
export function roundTrip<T extends AnyFlyteType>(
  type: T,
  value: unknown,
  expected: unknown = value,
): Literal {
  const lit = toLiteral(value as never, type);
  const back = viaBytes(lit);
  assertEquals(fromLiteral(back, type), expected);
  // The LiteralType itself survives the wire too.
  const lt = fromBinary(
    LiteralTypeSchema,
    toBinary(LiteralTypeSchema, type.literalType),
  );
  assertEquals(lt, type.literalType);
  return back;
}

/** Bytes as space-separated hex ("0a 02"). */
export const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

/** Bytes from space-separated hex. */
export const bytes = (h: string): Uint8Array =>
  new Uint8Array(h.trim().split(/\s+/).map((x) => parseInt(x, 16)));

/** A scalar literal of `value` (a Scalar's oneof), with optional metadata. */
export function scalar(
  value: unknown,
  metadata?: Record<string, string>,
): Literal {
  return create(LiteralSchema, {
    value: { case: "scalar", value: { value: value as never } },
    ...(metadata ? { metadata } : {}),
  });
}

/** A primitive literal of `value` (a Primitive's oneof). */
export const prim = (value: unknown): Literal =>
  scalar({ case: "primitive", value: { value: value as never } });

/** A LiteralType of one SimpleType. */
export const simple = (s: SimpleType): LiteralType =>
  create(LiteralTypeSchema, { type: { case: "simple", value: s } });

/** A msgpack Binary literal of the bytes in hex `h`. */
export const msgpack = (h: string): Literal =>
  scalar({ case: "binary", value: { value: bytes(h), tag: "msgpack" } });

/** Fails unless the two literals are the same messages, also after the wire. */
export function same(ours: Literal, theirs: Literal): void {
  assertEquals(ours, theirs);
  assertEquals(
    fromBinary(LiteralSchema, toBinary(LiteralSchema, ours)),
    fromBinary(LiteralSchema, toBinary(LiteralSchema, theirs)),
  );
}
