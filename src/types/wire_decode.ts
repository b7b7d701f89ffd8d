/**
 * The decoding half of the fast literal codec (see wire.ts): bytes to
 * LiteralMap / Literal messages, exactly what protobuf-es `fromBinary`
 * gives, falling back to it for anything unexpected.
 *
 * @module
 */
import {
  type DescMessage,
  fromBinary,
  type JsonObject,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

// Tags are read as one uint32 (field << 3 | wire type) rather than with
// BinaryReader.tag(), which allocates an array per field.
import {
  BlobSchema,
  type LiteralCollection,
  LiteralMapSchema,
  LiteralOffloadedMetadataSchema,
  LiteralSchema,
  type Primitive,
  type Scalar,
  SchemaSchema,
  StructuredDatasetSchema,
  type Union,
} from "@flyteidl/core/literals_pb.ts";
import { ErrorSchema, LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import type { Literal, LiteralMap } from "./idl.ts";
import { integerLiteral } from "./literals.ts";

/**
 * The bytes being decoded (the BinaryReader's own buffer, which it keeps
 * private); set by decodeLiteralMap / decodeLiteral before walking.
 */
let input: Uint8Array = new Uint8Array(0);

class Fallback extends Error {}
const FALLBACK = new Fallback("fallback");

// ------------------------------------------------------------------ decoding

function sub<D extends DescMessage>(
  r: BinaryReader,
  schema: D,
): MessageShape<D> {
  return fromBinary(schema, r.bytes());
}

function readTimeLike(r: BinaryReader): { seconds: bigint; nanos: number } {
  const end = r.uint32() + r.pos;
  let seconds = 0n, nanos = 0;
  while (r.pos < end) {
    const noKey = r.uint32(), no = noKey >>> 3, wt = noKey & 7;
    if (no === 1 && wt === WireType.Varint) seconds = r.int64() as bigint;
    else if (no === 2 && wt === WireType.Varint) nanos = r.int32();
    else throw FALLBACK;
  }
  return { seconds, nanos };
}

function readPrimitive(r: BinaryReader): Primitive {
  const end = r.uint32() + r.pos;
  let value: Primitive["value"] = { case: undefined };
  while (r.pos < end) {
    const noKey = r.uint32(), no = noKey >>> 3, wt = noKey & 7;
    switch (no) {
      case 1:
        if (wt !== WireType.Varint) throw FALLBACK;
        value = { case: "integer", value: r.int64() as bigint };
        break;
      case 2:
        if (wt !== WireType.Bit64) throw FALLBACK;
        value = { case: "floatValue", value: r.double() };
        break;
      case 3:
        if (wt !== WireType.LengthDelimited) throw FALLBACK;
        value = { case: "stringValue", value: r.string() };
        break;
      case 4:
        if (wt !== WireType.Varint) throw FALLBACK;
        value = { case: "boolean", value: r.bool() };
        break;
      case 5:
        if (wt !== WireType.LengthDelimited || value.case) throw FALLBACK;
        value = {
          case: "datetime",
          value: { $typeName: "google.protobuf.Timestamp", ...readTimeLike(r) },
        };
        break;
      case 6:
        if (wt !== WireType.LengthDelimited || value.case) throw FALLBACK;
        value = {
          case: "duration",
          value: { $typeName: "google.protobuf.Duration", ...readTimeLike(r) },
        };
        break;
      default:
        throw FALLBACK;
    }
  }
  return { $typeName: "flyteidl.core.Primitive", value };
}

function readScalar(r: BinaryReader): Scalar {
  const end = r.uint32() + r.pos;
  let value: Scalar["value"] = { case: undefined };
  while (r.pos < end) {
    const noKey = r.uint32(), no = noKey >>> 3, wt = noKey & 7;
    if (wt !== WireType.LengthDelimited || value.case) throw FALLBACK;
    switch (no) {
      case 1:
        value = { case: "primitive", value: readPrimitive(r) };
        break;
      case 2:
        value = { case: "blob", value: sub(r, BlobSchema) };
        break;
      case 3: {
        const bend = r.uint32() + r.pos;
        let bytes: Uint8Array = new Uint8Array(0), tag = "";
        while (r.pos < bend) {
          const bnoKey = r.uint32(), bno = bnoKey >>> 3, bwt = bnoKey & 7;
          if (bwt !== WireType.LengthDelimited) throw FALLBACK;
          if (bno === 1) bytes = r.bytes();
          else if (bno === 2) tag = r.string();
          else throw FALLBACK;
        }
        value = {
          case: "binary",
          value: { $typeName: "flyteidl.core.Binary", value: bytes, tag },
        };
        break;
      }
      case 4:
        value = { case: "schema", value: sub(r, SchemaSchema) };
        break;
      case 5:
        if (r.uint32() !== 0) throw FALLBACK;
        value = {
          case: "noneType",
          value: { $typeName: "flyteidl.core.Void" },
        };
        break;
      case 6:
        value = { case: "error", value: sub(r, ErrorSchema) };
        break;
      case 7:
        // Struct fields are JsonObjects in protobuf-es messages.
        value = {
          case: "generic",
          value: toJson(StructSchema, sub(r, StructSchema)) as JsonObject,
        };
        break;
      case 8:
        value = {
          case: "structuredDataset",
          value: sub(r, StructuredDatasetSchema),
        };
        break;
      case 9: {
        const uend = r.uint32() + r.pos;
        let inner: Literal | undefined;
        let type;
        while (r.pos < uend) {
          const unoKey = r.uint32(), uno = unoKey >>> 3, uwt = unoKey & 7;
          if (uwt !== WireType.LengthDelimited) throw FALLBACK;
          if (uno === 1 && !inner) inner = readLiteral(r);
          else if (uno === 2 && !type) type = sub(r, LiteralTypeSchema);
          else throw FALLBACK;
        }
        const union: Union = { $typeName: "flyteidl.core.Union" };
        if (inner) union.value = inner;
        if (type) union.type = type;
        value = { case: "union", value: union };
        break;
      }
      default:
        throw FALLBACK;
    }
  }
  return { $typeName: "flyteidl.core.Scalar", value };
}

function readLiteral(r: BinaryReader): Literal {
  return readLiteralBody(r, r.uint32() + r.pos);
}

function readLiteralBody(r: BinaryReader, end: number): Literal {
  let value: Literal["value"] = { case: undefined };
  let hash = "";
  let metadata: Record<string, string> | undefined;
  while (r.pos < end) {
    const noKey = r.uint32(), no = noKey >>> 3, wt = noKey & 7;
    if (wt !== WireType.LengthDelimited) throw FALLBACK;
    switch (no) {
      case 1:
        if (value.case) throw FALLBACK;
        value = { case: "scalar", value: readScalar(r) };
        break;
      case 2: {
        if (value.case) throw FALLBACK;
        const cend = r.uint32() + r.pos;
        const literals: Literal[] = [];
        const b = input;
        while (r.pos < cend) {
          const cnoKey = r.uint32(), cno = cnoKey >>> 3, cwt = cnoKey & 7;
          if (cno !== 1 || cwt !== WireType.LengthDelimited) throw FALLBACK;
          // Lists of ints are the bulk case: an element that is exactly
          // Literal{scalar{primitive{integer}}} is read without the
          // general walk (same message).
          const p = r.pos, elen = b[p];
          if (
            elen < 0x80 && b[p + 1] === 0x0a && b[p + 2] === elen - 2 &&
            b[p + 3] === 0x0a && b[p + 4] === elen - 4 && b[p + 5] === 0x08 &&
            p + 1 + elen <= cend
          ) {
            r.pos = p + 6;
            const v = r.int64() as bigint;
            if (r.pos === p + 1 + elen) {
              literals.push(integerLiteral(v));
              continue;
            }
            r.pos = p;
          }
          literals.push(readLiteral(r));
        }
        const c: LiteralCollection = {
          $typeName: "flyteidl.core.LiteralCollection",
          literals,
        };
        value = { case: "collection", value: c };
        break;
      }
      case 3: {
        if (value.case) throw FALLBACK;
        const mend = r.uint32() + r.pos;
        value = { case: "map", value: readMapBody(r, mend) };
        break;
      }
      case 4:
        hash = r.string();
        break;
      case 5: {
        metadata ??= {};
        const eend = r.uint32() + r.pos;
        let k = "", v = "";
        while (r.pos < eend) {
          const enoKey = r.uint32(), eno = enoKey >>> 3, ewt = enoKey & 7;
          if (ewt !== WireType.LengthDelimited) throw FALLBACK;
          if (eno === 1) k = r.string();
          else if (eno === 2) v = r.string();
          else throw FALLBACK;
        }
        metadata[k] = v;
        break;
      }
      case 8:
        if (value.case) throw FALLBACK;
        value = {
          case: "offloadedMetadata",
          value: sub(r, LiteralOffloadedMetadataSchema),
        };
        break;
      default:
        throw FALLBACK;
    }
  }
  return {
    $typeName: "flyteidl.core.Literal",
    value,
    hash,
    metadata: metadata ?? {},
  };
}

function readMapBody(r: BinaryReader, end: number): LiteralMap {
  const literals: Record<string, Literal> = {};
  while (r.pos < end) {
    const noKey = r.uint32(), no = noKey >>> 3, wt = noKey & 7;
    if (no !== 1 || wt !== WireType.LengthDelimited) throw FALLBACK;
    const eend = r.uint32() + r.pos;
    let key = "";
    let lit: Literal | undefined;
    while (r.pos < eend) {
      const enoKey = r.uint32(), eno = enoKey >>> 3, ewt = enoKey & 7;
      if (ewt !== WireType.LengthDelimited) throw FALLBACK;
      if (eno === 1) key = r.string();
      else if (eno === 2) lit = readLiteral(r);
      else throw FALLBACK;
    }
    if (key === "__proto__") throw FALLBACK;
    literals[key] = lit ?? {
      $typeName: "flyteidl.core.Literal",
      value: { case: undefined },
      hash: "",
      metadata: {},
    };
  }
  return { $typeName: "flyteidl.core.LiteralMap", literals };
}

/**
 * Decodes a binary LiteralMap (e.g. inputs.pb or outputs.pb); the same
 * message `fromBinary(LiteralMapSchema, bytes)` gives, faster.
 *
 * @example
 * ```ts
 * import { decodeLiteralMap, encodeLiteralMap } from "./wire.ts";
 * import { t, toLiteralMap } from "./mod.ts";
 * const bytes = encodeLiteralMap(toLiteralMap({ n: 1 }, { n: t.int }));
 * console.log(Object.keys(decodeLiteralMap(bytes).literals)); // ["n"]
 * ```
 */
export function decodeLiteralMap(bytes: Uint8Array): LiteralMap {
  try {
    input = bytes;
    const r = new BinaryReader(bytes);
    return readMapBody(r, r.len);
  } catch (e) {
    if (e === FALLBACK || e instanceof RangeError) {
      return fromBinary(LiteralMapSchema, bytes);
    }
    throw e;
  }
}

/**
 * Decodes a binary Literal; the same as `fromBinary(LiteralSchema, bytes)`.
 *
 * @example
 * ```ts
 * import { decodeLiteral, encodeLiteral } from "./wire.ts";
 * import { t, toLiteral } from "./mod.ts";
 * const lit = decodeLiteral(encodeLiteral(toLiteral([1, 2], t.list(t.int))));
 * console.log(lit.value.case); // "collection"
 * ```
 */
export function decodeLiteral(bytes: Uint8Array): Literal {
  try {
    input = bytes;
    const r = new BinaryReader(bytes);
    return readLiteralBody(r, r.len);
  } catch (e) {
    if (e === FALLBACK || e instanceof RangeError) {
      return fromBinary(LiteralSchema, bytes);
    }
    throw e;
  }
}
