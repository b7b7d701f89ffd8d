/**
 * A MessagePack reader that walks encoded bytes without rebuilding them:
 * it finds where each value starts and ends, so a value found inside a
 * dataclass can be handed on byte for byte (a float stays a float64, an
 * int keeps its width) — what propeller's decode-and-re-encode keeps too.
 *
 * @module
 */

/** What one msgpack value is. */
type Kind =
  | "nil"
  | "bool"
  | "int"
  | "float"
  | "str"
  | "bin"
  | "array"
  | "map"
  | "ext";

/**
 * One value's header: its kind, where it starts and ends, and its scalar
 * value (bool, int as bigint, float, str) or item count (array, map).
 *
 * @example
 * ```ts
 * import { msgpackItem } from "./msgpack_walk.ts";
 * const item = msgpackItem(new Uint8Array([0x92, 0x01, 0x02]), 0);
 * console.log(item.kind, item.count, item.end); // "array" 2 3
 * ```
 */
export interface MsgpackItem {
  /** The value's kind. */
  kind: Kind;
  /** Offset of its first byte. */
  start: number;
  /** Offset just past the whole value (children included). */
  end: number;
  /** Offset of the first child (arrays, maps). */
  body: number;
  /** Number of items (arrays) or pairs (maps). */
  count: number;
  /** The value of a nil, bool, int, float or str. */
  value?: null | boolean | bigint | number | string;
}

/** A malformed or truncated msgpack value. */
export class MsgpackWalkError extends Error {
  /** @param message what is wrong, with the offset */
  constructor(message: string) {
    super(message);
    this.name = "MsgpackWalkError";
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface Head {
  kind: Kind;
  /** Offset past the header (and past the payload of non-containers). */
  next: number;
  count: number;
  value?: MsgpackItem["value"];
}

function need(bytes: Uint8Array, off: number, n: number): void {
  if (off + n > bytes.length) {
    throw new MsgpackWalkError(
      `msgpack value truncated at byte ${off} (needs ${n} more)`,
    );
  }
}

function uint(view: DataView, off: number, n: 1 | 2 | 4 | 8): bigint {
  if (n === 1) return BigInt(view.getUint8(off));
  if (n === 2) return BigInt(view.getUint16(off));
  if (n === 4) return BigInt(view.getUint32(off));
  return view.getBigUint64(off);
}

function sint(view: DataView, off: number, n: 1 | 2 | 4 | 8): bigint {
  if (n === 1) return BigInt(view.getInt8(off));
  if (n === 2) return BigInt(view.getInt16(off));
  if (n === 4) return BigInt(view.getInt32(off));
  return view.getBigInt64(off);
}

/** Reads the header at `off`; payloads of strings, bins and exts skipped. */
function head(bytes: Uint8Array, view: DataView, off: number): Head {
  need(bytes, off, 1);
  const b = bytes[off];
  const p = off + 1;
  const sized = (kind: Kind, n: 1 | 2 | 4, extra = 0): Head => {
    need(bytes, p, n);
    const len = Number(uint(view, p, n));
    const start = p + n + extra;
    need(bytes, start, len);
    const h: Head = { kind, next: start + len, count: 0 };
    if (kind === "str") h.value = utf8.decode(bytes.subarray(start, h.next));
    return h;
  };
  const counted = (kind: Kind, n: 2 | 4): Head => {
    need(bytes, p, n);
    return { kind, next: p + n, count: Number(uint(view, p, n)) };
  };
  const str = (len: number): Head => {
    need(bytes, p, len);
    return {
      kind: "str",
      next: p + len,
      count: 0,
      value: utf8.decode(bytes.subarray(p, p + len)),
    };
  };
  if (b <= 0x7f) return { kind: "int", next: p, count: 0, value: BigInt(b) };
  if (b <= 0x8f) return { kind: "map", next: p, count: b & 0x0f };
  if (b <= 0x9f) return { kind: "array", next: p, count: b & 0x0f };
  if (b <= 0xbf) return str(b & 0x1f);
  if (b >= 0xe0) {
    return { kind: "int", next: p, count: 0, value: BigInt(b - 0x100) };
  }
  switch (b) {
    case 0xc0:
      return { kind: "nil", next: p, count: 0, value: null };
    case 0xc2:
    case 0xc3:
      return { kind: "bool", next: p, count: 0, value: b === 0xc3 };
    case 0xc4:
      return sized("bin", 1);
    case 0xc5:
      return sized("bin", 2);
    case 0xc6:
      return sized("bin", 4);
    case 0xc7:
      return sized("ext", 1, 1);
    case 0xc8:
      return sized("ext", 2, 1);
    case 0xc9:
      return sized("ext", 4, 1);
    case 0xca:
      need(bytes, p, 4);
      return {
        kind: "float",
        next: p + 4,
        count: 0,
        value: view.getFloat32(p),
      };
    case 0xcb:
      need(bytes, p, 8);
      return {
        kind: "float",
        next: p + 8,
        count: 0,
        value: view.getFloat64(p),
      };
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
      const n = (1 << (b - 0xcc)) as 1 | 2 | 4 | 8;
      need(bytes, p, n);
      return { kind: "int", next: p + n, count: 0, value: uint(view, p, n) };
    }
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
      const n = (1 << (b - 0xd0)) as 1 | 2 | 4 | 8;
      need(bytes, p, n);
      return { kind: "int", next: p + n, count: 0, value: sint(view, p, n) };
    }
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8: {
      const n = 1 + (1 << (b - 0xd4));
      need(bytes, p, n);
      return { kind: "ext", next: p + n, count: 0 };
    }
    case 0xd9:
      return sized("str", 1);
    case 0xda:
      return sized("str", 2);
    case 0xdb:
      return sized("str", 4);
    case 0xdc:
      return counted("array", 2);
    case 0xdd:
      return counted("array", 4);
    case 0xde:
      return counted("map", 2);
    case 0xdf:
      return counted("map", 4);
  }
  throw new MsgpackWalkError(
    `byte 0x${b.toString(16)} at ${off} starts no msgpack value`,
  );
}

/**
 * The value at `off`: its header and where it ends.
 *
 * @example
 * ```ts
 * import { msgpackItem } from "./msgpack_walk.ts";
 * console.log(msgpackItem(new Uint8Array([0xa1, 0x61]), 0).value); // "a"
 * ```
 */
export function msgpackItem(bytes: Uint8Array, off: number): MsgpackItem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = head(bytes, view, off);
  // Skip the children without recursion: count what is still to be read.
  let pending = h.kind === "array"
    ? h.count
    : h.kind === "map"
    ? 2 * h.count
    : 0;
  let end = h.next;
  while (pending > 0) {
    const c = head(bytes, view, end);
    pending--;
    if (c.kind === "array") pending += c.count;
    else if (c.kind === "map") pending += 2 * c.count;
    end = c.next;
  }
  return {
    kind: h.kind,
    start: off,
    end,
    body: h.next,
    count: h.count,
    value: h.value,
  };
}

/**
 * The items of an array value, in order.
 *
 * @example
 * ```ts
 * import { msgpackArrayItems } from "./msgpack_walk.ts";
 * console.log(msgpackArrayItems(new Uint8Array([0x92, 0x01, 0x02]), 0).length); // 2
 * ```
 */
export function msgpackArrayItems(
  bytes: Uint8Array,
  off: number,
): MsgpackItem[] {
  const arr = msgpackItem(bytes, off);
  if (arr.kind !== "array") {
    throw new MsgpackWalkError(
      `value at ${off} is a ${arr.kind}, not an array`,
    );
  }
  const out: MsgpackItem[] = [];
  let at = arr.body;
  for (let i = 0; i < arr.count; i++) {
    const item = msgpackItem(bytes, at);
    out.push(item);
    at = item.end;
  }
  return out;
}

/**
 * The value stored under a string key of a map value, or undefined.
 *
 * @example
 * ```ts
 * import { msgpackMapGet } from "./msgpack_walk.ts";
 * const m = new Uint8Array([0x81, 0xa1, 0x61, 0x07]); // {a: 7}
 * console.log(msgpackMapGet(m, 0, "a")?.value); // 7n
 * ```
 */
export function msgpackMapGet(
  bytes: Uint8Array,
  off: number,
  key: string,
): MsgpackItem | undefined {
  const map = msgpackItem(bytes, off);
  if (map.kind !== "map") {
    throw new MsgpackWalkError(`value at ${off} is a ${map.kind}, not a map`);
  }
  let at = map.body;
  for (let i = 0; i < map.count; i++) {
    const k = msgpackItem(bytes, at);
    const v = msgpackItem(bytes, k.end);
    if (k.kind === "str" && k.value === key) return v;
    at = v.end;
  }
  return undefined;
}
