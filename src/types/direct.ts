/**
 * Direct codec: named JS values straight to binary LiteralMap bytes and
 * back, without building the Literal message tree when the type allows it.
 *
 * `encodeValues(values, vars)` gives exactly the bytes of
 * `encodeLiteralMap(toLiteralMap(values, vars))`, and
 * `decodeValues(bytes, vars)` exactly the values (and errors) of
 * `fromLiteralMap(decodeLiteralMap(bytes), vars)`. Lists of ints, floats,
 * strings and booleans — where one protobuf-es Literal per item (seven
 * objects and a bigint) is most of the cost — are written and read element
 * by element as bytes, and lists of records have their msgpack packed
 * straight into the output and unpacked straight from the input; an element in any other form (a hash, metadata, an
 * unsafe int64, ...) goes through the Literal path for that element, and
 * every other type through `toLiteral` / `fromLiteral` for its variable.
 *
 * @module
 */
import {
  decodeLiteral,
  decodeLiteralMap,
  encodeLiteral,
  encodeLiteralMap,
} from "./wire.ts";
import {
  checkAllPresent,
  fromLiteralMap,
  type FromLiteralMapOptions,
  type InputsOf,
  type OutputsOf,
  type RemoteVariables,
  resolveVariable,
  rooted,
  toLiteralMap,
  type ToLiteralMapOptions,
  typeToEncode,
  type Variables,
} from "./convert.ts";
import { rethrowWithin } from "./errors.ts";
import { valueFromLiteral } from "./guess.ts";
import { t } from "./vocabulary.ts";
import { looseInt } from "./vocabulary/scalars.ts";
import { listItems } from "./vocabulary/collections.ts";
import { msgpackRecords } from "./vocabulary/records.ts";
import { packMsgpackShared, unpackMsgpack } from "./msgpack.ts";
import type { AnyFlyteType } from "./type.ts";

const enum Kind {
  Int = 1,
  Float,
  String,
  Bool,
  Record,
}

/**
 * How often the direct paths gave way (for tests: plain data must take
 * them): elements written or read as Literals, and variables whose direct
 * decoding failed and were read again by the Literal path.
 *
 * @example
 * ```ts
 * import { directCounters } from "./direct.ts";
 * console.log(directCounters.reruns >= 0); // true
 * ```
 */
export const directCounters = { literalElements: 0, reruns: 0 };

function kindOf(item: AnyFlyteType | undefined): Kind | 0 {
  if (item === undefined) return 0;
  if (item === t.int || item === looseInt) return Kind.Int;
  if (item === t.float) return Kind.Float;
  if (item === t.string) return Kind.String;
  if (item === t.bool) return Kind.Bool;
  if (msgpackRecords.has(item)) return Kind.Record;
  return 0;
}

// ------------------------------------------------------------------ encoding

const TWO32 = 4294967296;
/** Binary.tag (field 2) = "msgpack". */
const MSGPACK_TAG = new Uint8Array([
  0x12,
  7,
  ...new TextEncoder().encode("msgpack"),
]);
const utf8 = new TextEncoder();

/** A growable byte buffer. */
class Out {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  pos = 0;
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  /** Writes a uint32 varint (the caller reserved 5 bytes). */
  varint32(v: number) {
    const b = this.buf;
    while (v > 0x7f) {
      b[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }
  bytes(src: Uint8Array) {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }
}

function varint32Length(v: number): number {
  return v < 0x80
    ? 1
    : v < 0x4000
    ? 2
    : v < 0x200000
    ? 3
    : v < 0x10000000
    ? 4
    : 5;
}

/** int64 varint of a safe integer at `p`; returns its length (1-10). */
function writeInt64(b: Uint8Array, p: number, x: number): number {
  const start = p;
  if (x >= 0 && x < 0x80000000) {
    while (x > 0x7f) {
      b[p++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    b[p++] = x;
    return p - start;
  }
  // Two's complement in two 32-bit halves, as protobuf writes int64.
  const hiS = Math.floor(x / TWO32);
  let lo = (x - hiS * TWO32) >>> 0;
  let hi = hiS >>> 0;
  for (let i = 0; i < 4; i++) {
    if (hi === 0 && lo < 0x80) {
      b[p++] = lo;
      return p - start;
    }
    b[p++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  // 28 bits written; the 5th byte holds 4 bits of lo and 3 of hi.
  const split = lo | ((hi & 0x07) << 4);
  hi >>>= 3;
  if (hi === 0) {
    b[p++] = split;
    return p - start;
  }
  b[p++] = split | 0x80;
  while (hi > 0x7f) {
    b[p++] = (hi & 0x7f) | 0x80;
    hi >>>= 7;
  }
  b[p++] = hi;
  return p - start;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (
      c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
      (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      n += 4;
      i++;
    } else n += 3; // lone surrogates become U+FFFD
  }
  return n;
}

/** An element given as a Literal (the general path). */
function writeElementLiteral(o: Out, item: AnyFlyteType, x: unknown) {
  directCounters.literalElements++;
  const bytes = encodeLiteral(item.toLiteral(x));
  o.ensure(6);
  o.buf[o.pos++] = 0x0a;
  o.varint32(bytes.length);
  o.bytes(bytes);
}

/** The Literal bytes of a list whose items are of a direct kind. */
function encodeList(kind: Kind, item: AnyFlyteType, arr: readonly unknown[]) {
  const o = new Out();
  const n = arr.length;
  // Room for the Literal.collection tag and length, filled in at the end.
  o.ensure(6 + n * 8);
  o.pos = 6;
  let i = 0;
  try {
    for (; i < n; i++) {
      const x = arr[i];
      switch (kind) {
        case Kind.Int: {
          if (typeof x !== "number" || !Number.isSafeInteger(x)) break;
          o.ensure(17);
          const b = o.buf, p = o.pos;
          const len = writeInt64(b, p + 7, x);
          // Literal{scalar{primitive{integer}}}, each length one byte.
          b[p] = 0x0a;
          b[p + 1] = 5 + len;
          b[p + 2] = 0x0a;
          b[p + 3] = 3 + len;
          b[p + 4] = 0x0a;
          b[p + 5] = 1 + len;
          b[p + 6] = 0x08;
          o.pos = p + 7 + len;
          continue;
        }
        case Kind.Float: {
          if (typeof x !== "number") break;
          o.ensure(15);
          const b = o.buf, p = o.pos;
          b[p] = 0x0a;
          b[p + 1] = 13;
          b[p + 2] = 0x0a;
          b[p + 3] = 11;
          b[p + 4] = 0x0a;
          b[p + 5] = 9;
          b[p + 6] = 0x11;
          o.view.setFloat64(p + 7, x, true);
          o.pos = p + 15;
          continue;
        }
        case Kind.Bool: {
          if (typeof x !== "boolean") break;
          o.ensure(8);
          const b = o.buf, p = o.pos;
          b[p] = 0x0a;
          b[p + 1] = 6;
          b[p + 2] = 0x0a;
          b[p + 3] = 4;
          b[p + 4] = 0x0a;
          b[p + 5] = 2;
          b[p + 6] = 0x20;
          b[p + 7] = x ? 1 : 0;
          o.pos = p + 8;
          continue;
        }
        case Kind.String: {
          if (typeof x !== "string") break;
          const len = utf8Length(x);
          const prim = 1 + varint32Length(len) + len;
          const scalar = 1 + varint32Length(prim) + prim;
          const lit = 1 + varint32Length(scalar) + scalar;
          o.ensure(1 + varint32Length(lit) + lit);
          o.buf[o.pos++] = 0x0a;
          o.varint32(lit);
          o.buf[o.pos++] = 0x0a;
          o.varint32(scalar);
          o.buf[o.pos++] = 0x0a;
          o.varint32(prim);
          o.buf[o.pos++] = 0x1a;
          o.varint32(len);
          const { written } = utf8.encodeInto(
            x,
            o.buf.subarray(o.pos, o.pos + len),
          );
          if (written !== len) throw new Error("utf8 length mismatch");
          o.pos += len;
          continue;
        }
        case Kind.Record: {
          // What record.toLiteral packs, written in place (no Literal, no
          // copy): Literal{scalar{binary{value, tag: "msgpack"}}}.
          const m = packMsgpackShared(item.toMsgpack(x));
          const bin = 1 + varint32Length(m.length) + m.length + 9;
          const scalar = 1 + varint32Length(bin) + bin;
          const lit = 1 + varint32Length(scalar) + scalar;
          o.ensure(1 + varint32Length(lit) + lit);
          o.buf[o.pos++] = 0x0a;
          o.varint32(lit);
          o.buf[o.pos++] = 0x0a;
          o.varint32(scalar);
          o.buf[o.pos++] = 0x1a;
          o.varint32(bin);
          o.buf[o.pos++] = 0x0a;
          o.varint32(m.length);
          o.buf.set(m, o.pos);
          o.pos += m.length;
          o.buf.set(MSGPACK_TAG, o.pos);
          o.pos += MSGPACK_TAG.length;
          continue;
        }
      }
      writeElementLiteral(o, item, x);
    }
  } catch (e) {
    rethrowWithin(e, i);
  }
  // Literal.collection (field 2): tag and length right before the body.
  const body = o.pos - 6;
  const head = 1 + varint32Length(body);
  const end = o.pos;
  o.pos = 6 - head;
  const start = o.pos;
  o.buf[o.pos++] = 0x12;
  o.varint32(body);
  return o.buf.subarray(start, end);
}

function encodeValue(type: AnyFlyteType, value: unknown): Uint8Array {
  const item = listItems.get(type);
  const kind = kindOf(item);
  if (kind && Array.isArray(value)) return encodeList(kind, item!, value);
  return encodeLiteral(type.toLiteral(value));
}

/**
 * Converts named values straight to binary LiteralMap bytes (inputs.pb):
 * exactly `encodeLiteralMap(toLiteralMap(values, variables, options))`,
 * with the same checks and errors, but lists of ints, floats, strings and
 * booleans are written without building a Literal per item (several times
 * faster for large lists).
 *
 * @example
 * ```ts
 * import { decodeValues, encodeValues, t } from "./mod.ts";
 * const vars = { xs: t.list(t.int) };
 * const bytes = encodeValues({ xs: [1, 2, 3] }, vars);
 * console.log(decodeValues(bytes, vars).xs); // [1, 2, 3]
 * ```
 */
export function encodeValues<V extends Record<string, AnyFlyteType>>(
  values: InputsOf<V>,
  variables: V,
  options?: ToLiteralMapOptions,
): Uint8Array;
/** Converts named values for a VariableMap's variables (or LiteralTypes). */
export function encodeValues(
  values: Readonly<Record<string, unknown>>,
  variables: RemoteVariables,
  options?: ToLiteralMapOptions,
): Uint8Array;
export function encodeValues(
  values: Readonly<Record<string, unknown>>,
  variables: Variables,
  options: ToLiteralMapOptions = {},
): Uint8Array {
  const names = Object.keys(variables);
  if (
    typeof values !== "object" || values === null ||
    names.includes("__proto__")
  ) {
    return viaLiterals(values, variables, options);
  }
  const root = options.root ?? "inputs";
  for (const k of Object.keys(values)) {
    if (!(k in variables) && values[k] !== undefined) {
      // toLiteralMap words this error.
      return viaLiterals(values, variables, options);
    }
  }
  const chunks: Record<string, Uint8Array> = {};
  for (const name of names) {
    const value = values[name];
    const type = typeToEncode(variables, name, value, root, options.partial);
    if (type === undefined) continue;
    chunks[name] = rooted(root, name, () => encodeValue(type, value));
  }
  // LiteralMap entries in the order encodeLiteralMap writes them.
  const o = new Out();
  for (const k in chunks) {
    const key = utf8.encode(k);
    const lit = chunks[k];
    const entry = 1 + varint32Length(key.length) + key.length + 1 +
      varint32Length(lit.length) + lit.length;
    o.ensure(16 + key.length);
    o.buf[o.pos++] = 0x0a;
    o.varint32(entry);
    o.buf[o.pos++] = 0x0a;
    o.varint32(key.length);
    o.bytes(key);
    o.ensure(6);
    o.buf[o.pos++] = 0x12;
    o.varint32(lit.length);
    o.bytes(lit);
  }
  return o.buf.slice(0, o.pos);
}

function viaLiterals(
  values: Readonly<Record<string, unknown>>,
  variables: Variables,
  options: ToLiteralMapOptions,
): Uint8Array {
  // The general path (kept for its exact error wording and edge cases).
  return encodeLiteralMap(toLiteralMap(values, variables as never, options));
}

// ------------------------------------------------------------------ decoding

class Structure extends Error {}
const STRUCTURE = new Structure("unexpected structure");

const utf8d = new TextDecoder();
let vpos = 0;

/** A uint32 varint at `p` (up to 5 bytes); the next position in `vpos`. */
function readVarint32(b: Uint8Array, p: number, end: number): number {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (p >= end) throw STRUCTURE;
    const c = b[p++];
    v += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) {
      if (v > 0xffffffff) throw STRUCTURE;
      vpos = p;
      return v;
    }
  }
  throw STRUCTURE;
}

/**
 * The int64 varint exactly filling [p, end) as a safe-integer number, or
 * undefined (other encodings or unsafe values take the Literal path).
 */
function readSafeInt64(b: Uint8Array, p: number, end: number) {
  const n = end - p;
  if (n < 1 || n > 10) return undefined;
  let lo = 0, hi = 0;
  for (let i = 0; i < n; i++) {
    const c = b[p + i];
    if ((c < 0x80) !== (i === n - 1)) return undefined;
    const bits = c & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= (bits & 0x0f) << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (7 * i - 32);
  }
  if (n === 10 && b[p + 9] > 1) return undefined;
  const hs = hi | 0; // signed high half
  if (hs < -0x200000 || hs >= 0x200000) return undefined;
  const v = hs * TWO32 + (lo >>> 0);
  return Number.isSafeInteger(v) ? v : undefined;
}

function decodeRange(b: Uint8Array, s: number, e: number) {
  return decodeLiteral(b.subarray(s, e));
}

/** A list of a direct kind from the Literal bytes [s, e). */
function decodeList(
  kind: Kind,
  item: AnyFlyteType,
  b: Uint8Array,
  s: number,
  e: number,
): unknown[] {
  // Only a Literal that is exactly one `collection` field.
  if (b[s] !== 0x12) throw STRUCTURE;
  const len = readVarint32(b, s + 1, e);
  if (vpos + len !== e) throw STRUCTURE;
  const out: unknown[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = vpos;
  while (p < e) {
    if (b[p] !== 0x0a) throw STRUCTURE;
    const elen = readVarint32(b, p + 1, e);
    const a = vpos, z = a + elen;
    if (z > e) throw STRUCTURE;
    p = z;
    let v: unknown = undefined;
    switch (kind) {
      case Kind.Int:
        if (
          b[a] === 0x0a && b[a + 1] === elen - 2 && b[a + 2] === 0x0a &&
          b[a + 3] === elen - 4 && b[a + 4] === 0x08
        ) v = readSafeInt64(b, a + 5, z);
        break;
      case Kind.Float:
        if (
          elen === 13 && b[a] === 0x0a && b[a + 1] === 11 &&
          b[a + 2] === 0x0a && b[a + 3] === 9 && b[a + 4] === 0x11
        ) v = view.getFloat64(a + 5, true);
        break;
      case Kind.Bool:
        if (
          elen === 6 && b[a] === 0x0a && b[a + 1] === 4 && b[a + 2] === 0x0a &&
          b[a + 3] === 2 && b[a + 4] === 0x20 && b[a + 5] <= 1
        ) v = b[a + 5] === 1;
        break;
      case Kind.String: {
        if (b[a] !== 0x0a) break;
        const l1 = readVarint32(b, a + 1, z);
        if (vpos + l1 !== z || b[vpos] !== 0x0a) break;
        const l2 = readVarint32(b, vpos + 1, z);
        if (vpos + l2 !== z || b[vpos] !== 0x1a) break;
        const l3 = readVarint32(b, vpos + 1, z);
        if (vpos + l3 !== z) break;
        v = utf8d.decode(b.subarray(vpos, z));
        break;
      }
      case Kind.Record: {
        if (b[a] !== 0x0a) break;
        const l1 = readVarint32(b, a + 1, z);
        if (vpos + l1 !== z || b[vpos] !== 0x1a) break;
        const l2 = readVarint32(b, vpos + 1, z);
        if (vpos + l2 !== z || b[vpos] !== 0x0a) break;
        const lm = readVarint32(b, vpos + 1, z);
        const m0 = vpos, m1 = m0 + lm;
        if (m1 + MSGPACK_TAG.length !== z) break;
        let tagged = true;
        for (let k = 0; k < MSGPACK_TAG.length; k++) {
          if (b[m1 + k] !== MSGPACK_TAG[k]) tagged = false;
        }
        // What record.fromLiteral does with a msgpack binary.
        if (tagged) v = item.fromMsgpack(unpackMsgpack(b.subarray(m0, m1)));
        break;
      }
    }
    if (v === undefined) {
      directCounters.literalElements++;
      v = item.fromLiteral(decodeRange(b, a, z));
    }
    out.push(v);
  }
  return out;
}

function decodeValue(
  type: AnyFlyteType,
  b: Uint8Array,
  s: number,
  e: number,
): unknown {
  const item = listItems.get(type);
  const kind = kindOf(item);
  if (kind) {
    try {
      return decodeList(kind, item!, b, s, e);
    } catch {
      directCounters.reruns++;
      // Another form (or a bad value): the Literal path decides, and
      // throws its own error with the element's path.
    }
  }
  return type.fromLiteral(decodeRange(b, s, e));
}

/**
 * Decodes binary LiteralMap bytes (outputs.pb) straight to named values:
 * exactly `fromLiteralMap(decodeLiteralMap(bytes), variables, options)`,
 * with the same values and errors, but lists of ints, floats, strings and
 * booleans are read without building a Literal per item.
 *
 * @example
 * ```ts
 * import { decodeValues, encodeValues, t } from "./mod.ts";
 * const vars = { xs: t.list(t.float), s: t.string };
 * const bytes = encodeValues({ xs: [0.5], s: "a" }, vars);
 * console.log(decodeValues(bytes, vars)); // { xs: [0.5], s: "a" }
 * ```
 */
export function decodeValues<V extends Record<string, AnyFlyteType>>(
  bytes: Uint8Array,
  variables: V,
  options?: FromLiteralMapOptions,
): OutputsOf<V>;
/** Decodes with a VariableMap's variables (or LiteralTypes), or none. */
export function decodeValues(
  bytes: Uint8Array,
  variables?: RemoteVariables,
  options?: FromLiteralMapOptions,
): Record<string, unknown>;
export function decodeValues(
  bytes: Uint8Array,
  variables?: Variables,
  options: FromLiteralMapOptions = {},
): Record<string, unknown> {
  const ranges: Record<string, [number, number]> = {};
  try {
    const end = bytes.length;
    let p = 0;
    while (p < end) {
      if (bytes[p] !== 0x0a) throw STRUCTURE;
      const len = readVarint32(bytes, p + 1, end);
      const eend = vpos + len;
      if (eend > end) throw STRUCTURE;
      // Exactly a key then a value, each once.
      if (bytes[vpos] !== 0x0a) throw STRUCTURE;
      const klen = readVarint32(bytes, vpos + 1, eend);
      const k0 = vpos, k1 = k0 + klen;
      if (k1 >= eend || bytes[k1] !== 0x12) throw STRUCTURE;
      const llen = readVarint32(bytes, k1 + 1, eend);
      if (vpos + llen !== eend) throw STRUCTURE;
      const key = utf8d.decode(bytes.subarray(k0, k1));
      if (key === "__proto__") throw STRUCTURE;
      ranges[key] = [vpos, eend];
      p = eend;
    }
  } catch (e) {
    if (e !== STRUCTURE) throw e;
    return fromLiteralMap(
      decodeLiteralMap(bytes),
      variables as never,
      options,
    );
  }
  const root = options.root ?? "outputs";
  checkAllPresent(variables, ranges, root, options.partial);
  const out: Record<string, unknown> = {};
  for (const [name, [s, e]] of Object.entries(ranges)) {
    const v = variables?.[name];
    out[name] = rooted(
      root,
      name,
      () =>
        v === undefined
          ? valueFromLiteral(decodeRange(bytes, s, e))
          : decodeValue(resolveVariable(v, name), bytes, s, e),
    );
  }
  return out;
}
