/**
 * The encoding half of the fast literal codec (see wire.ts): LiteralMap /
 * Literal messages to bytes, exactly what protobuf-es `toBinary` gives,
 * falling back to it for anything unexpected.
 *
 * @module
 */
import {
  type DescMessage,
  fromJson,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

import {
  BlobSchema,
  LiteralMapSchema,
  LiteralOffloadedMetadataSchema,
  LiteralSchema,
  type Primitive,
  type Scalar,
  SchemaSchema,
  StructuredDatasetSchema,
} from "@flyteidl/core/literals_pb.ts";
import { ErrorSchema, LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import type { Literal, LiteralMap } from "./idl.ts";

class Fallback extends Error {}
const FALLBACK = new Fallback("fallback");

// ------------------------------------------------------------------ encoding

function hasUnknown(m: object): boolean {
  const u = (m as { $unknown?: unknown[] }).$unknown;
  return u !== undefined && u.length > 0;
}

function writeTime(
  w: BinaryWriter,
  field: number,
  t: { seconds: bigint; nanos: number },
) {
  if (hasUnknown(t)) throw FALLBACK;
  w.tag(field, WireType.LengthDelimited).fork();
  if (t.seconds !== 0n) w.tag(1, WireType.Varint).int64(t.seconds);
  if (t.nanos !== 0) w.tag(2, WireType.Varint).int32(t.nanos);
  w.join();
}

function writePrimitive(w: BinaryWriter, p: Primitive) {
  if (hasUnknown(p)) throw FALLBACK;
  const v = p.value;
  switch (v.case) {
    case "integer":
      w.tag(1, WireType.Varint).int64(v.value);
      break;
    case "floatValue":
      w.tag(2, WireType.Bit64).double(v.value);
      break;
    case "stringValue":
      w.tag(3, WireType.LengthDelimited).string(v.value);
      break;
    case "boolean":
      w.tag(4, WireType.Varint).bool(v.value);
      break;
    case "datetime":
      writeTime(w, 5, v.value);
      break;
    case "duration":
      writeTime(w, 6, v.value);
      break;
  }
}

function writeSub<D extends DescMessage>(
  w: BinaryWriter,
  field: number,
  schema: D,
  m: MessageShape<D>,
) {
  w.tag(field, WireType.LengthDelimited).bytes(toBinary(schema, m));
}

function writeScalar(w: BinaryWriter, s: Scalar) {
  if (hasUnknown(s)) throw FALLBACK;
  const v = s.value;
  switch (v.case) {
    case "primitive":
      w.tag(1, WireType.LengthDelimited).fork();
      writePrimitive(w, v.value);
      w.join();
      break;
    case "blob":
      writeSub(w, 2, BlobSchema, v.value);
      break;
    case "binary": {
      const b = v.value;
      if (hasUnknown(b)) throw FALLBACK;
      w.tag(3, WireType.LengthDelimited).fork();
      if (b.value.length) w.tag(1, WireType.LengthDelimited).bytes(b.value);
      if (b.tag) w.tag(2, WireType.LengthDelimited).string(b.tag);
      w.join();
      break;
    }
    case "schema":
      writeSub(w, 4, SchemaSchema, v.value);
      break;
    case "noneType":
      if (hasUnknown(v.value)) throw FALLBACK;
      w.tag(5, WireType.LengthDelimited).uint32(0);
      break;
    case "error":
      writeSub(w, 6, ErrorSchema, v.value);
      break;
    case "generic":
      writeSub(w, 7, StructSchema, fromJson(StructSchema, v.value));
      break;
    case "structuredDataset":
      writeSub(w, 8, StructuredDatasetSchema, v.value);
      break;
    case "union": {
      const u = v.value;
      if (hasUnknown(u)) throw FALLBACK;
      w.tag(9, WireType.LengthDelimited).fork();
      if (u.value) {
        w.tag(1, WireType.LengthDelimited).fork();
        writeLiteral(w, u.value);
        w.join();
      }
      if (u.type) writeSub(w, 2, LiteralTypeSchema, u.type);
      w.join();
      break;
    }
  }
}

/** Bytes of an int64 varint. */
function int64Length(x: bigint): number {
  if (x < 0n) return 10;
  const d = Number(x);
  if (d < 2 ** 49) {
    let n = 1;
    for (let lim = 128; d >= lim; lim *= 128) n++;
    return n;
  }
  return x < 1n << 56n ? 8 : 9;
}

/**
 * The collection element headers of an int literal whose varint has n
 * bytes: element, Literal.scalar, Scalar.primitive, Primitive.integer.
 */
const INT_ELEMENT_HEADS = Array.from(
  { length: 11 },
  (_, n) => new Uint8Array([0x0a, 5 + n, 0x0a, 3 + n, 0x0a, 1 + n, 0x08]),
);

/**
 * Writes a collection element that is a plain int literal (no hash,
 * metadata or unknown fields) without forks, the lengths being known;
 * false for any other literal.
 */
function writeIntElement(w: BinaryWriter, lit: Literal): boolean {
  const v = lit.value;
  if (v.case !== "scalar" || lit.hash || hasUnknown(lit)) return false;
  const s = v.value;
  if (s.value.case !== "primitive" || hasUnknown(s)) return false;
  const p = s.value.value;
  if (p.value.case !== "integer" || hasUnknown(p)) return false;
  for (const _ in lit.metadata) return false;
  const x = p.value.value;
  w.raw(INT_ELEMENT_HEADS[int64Length(x)]).int64(x);
  return true;
}

function writeLiteral(w: BinaryWriter, lit: Literal) {
  if (hasUnknown(lit)) throw FALLBACK;
  const v = lit.value;
  switch (v.case) {
    case "scalar":
      w.tag(1, WireType.LengthDelimited).fork();
      writeScalar(w, v.value);
      w.join();
      break;
    case "collection": {
      if (hasUnknown(v.value)) throw FALLBACK;
      w.tag(2, WireType.LengthDelimited).fork();
      const ls = v.value.literals;
      for (let i = 0; i < ls.length; i++) {
        if (writeIntElement(w, ls[i])) continue;
        w.tag(1, WireType.LengthDelimited).fork();
        writeLiteral(w, ls[i]);
        w.join();
      }
      w.join();
      break;
    }
    case "map":
      w.tag(3, WireType.LengthDelimited).fork();
      writeMapBody(w, v.value);
      w.join();
      break;
  }
  if (lit.hash) w.tag(4, WireType.LengthDelimited).string(lit.hash);
  for (const k in lit.metadata) {
    w.tag(5, WireType.LengthDelimited).fork()
      .tag(1, WireType.LengthDelimited).string(k)
      .tag(2, WireType.LengthDelimited).string(lit.metadata[k])
      .join();
  }
  if (v.case === "offloadedMetadata") {
    writeSub(w, 8, LiteralOffloadedMetadataSchema, v.value);
  }
}

function writeMapBody(w: BinaryWriter, m: LiteralMap) {
  if (hasUnknown(m)) throw FALLBACK;
  for (const k in m.literals) {
    w.tag(1, WireType.LengthDelimited).fork()
      .tag(1, WireType.LengthDelimited).string(k)
      .tag(2, WireType.LengthDelimited).fork();
    writeLiteral(w, m.literals[k]);
    w.join().join();
  }
}

/**
 * Encodes a LiteralMap; the same bytes as `toBinary(LiteralMapSchema, map)`,
 * faster.
 *
 * @example
 * ```ts
 * import { encodeLiteralMap } from "./wire.ts";
 * import { t, toLiteralMap } from "./mod.ts";
 * const bytes = encodeLiteralMap(toLiteralMap({ s: "x" }, { s: t.string }));
 * console.log(bytes.length > 0); // true
 * ```
 */
export function encodeLiteralMap(map: LiteralMap): Uint8Array {
  try {
    const w = new BinaryWriter();
    writeMapBody(w, map);
    return w.finish();
  } catch (e) {
    if (e === FALLBACK) return toBinary(LiteralMapSchema, map);
    throw e;
  }
}

/**
 * Encodes a Literal; the same bytes as `toBinary(LiteralSchema, literal)`.
 *
 * @example
 * ```ts
 * import { encodeLiteral } from "./wire.ts";
 * import { t, toLiteral } from "./mod.ts";
 * console.log(encodeLiteral(toLiteral(0, t.int))); // Uint8Array [10, 4, 10, 2, 8, 0]
 * ```
 */
export function encodeLiteral(literal: Literal): Uint8Array {
  try {
    const w = new BinaryWriter();
    writeLiteral(w, literal);
    return w.finish();
  } catch (e) {
    if (e === FALLBACK) return toBinary(LiteralSchema, literal);
    throw e;
  }
}
