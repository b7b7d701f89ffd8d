/**
 * The decoding half of the direct codec (see direct.ts): LiteralMap bytes
 * straight to named values.
 *
 * @module
 */
import { decodeLiteral, decodeLiteralMap } from "./wire.ts";
import {
  checkAllPresent,
  fromLiteralMap,
  type FromLiteralMapOptions,
  type OutputsOf,
  type RemoteVariables,
  resolveVariable,
  rooted,
  type Variables,
} from "./convert.ts";
import { valueFromLiteral } from "./guess.ts";
import { listItems } from "./vocabulary/collections.ts";
import { unpackMsgpack } from "./msgpack.ts";
import type { AnyFlyteType } from "./type.ts";

import {
  directCounters,
  Kind,
  kindOf,
  MSGPACK_TAG,
  TWO32,
} from "./direct_kind.ts";

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
