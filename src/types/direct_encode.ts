/**
 * The encoding half of the direct codec (see direct.ts): named values
 * straight to LiteralMap bytes.
 *
 * @module
 */
import { encodeLiteral, encodeLiteralMap } from "./wire.ts";
import {
  type InputsOf,
  type RemoteVariables,
  rooted,
  toLiteralMap,
  type ToLiteralMapOptions,
  typeToEncode,
  type Variables,
} from "./convert.ts";
import { rethrowWithin } from "./errors.ts";
import { listItems } from "./vocabulary/collections.ts";
import { packMsgpackShared } from "./msgpack.ts";
import type { AnyFlyteType } from "./type.ts";

import {
  directCounters,
  Kind,
  kindOf,
  MSGPACK_TAG,
  TWO32,
} from "./direct_kind.ts";

// ------------------------------------------------------------------ encoding

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
