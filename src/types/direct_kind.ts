/**
 * What the direct codec (direct.ts) shares between its two halves: the
 * element kinds that have direct paths and the counters tests read.
 *
 * @module
 */
import { t } from "./vocabulary.ts";
import { looseInt } from "./vocabulary/scalars.ts";
import { msgpackRecords } from "./vocabulary/records.ts";
import type { AnyFlyteType } from "./type.ts";

/** The element kinds lists have direct paths for. */
export const enum Kind {
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
 * import { directCounters } from "./direct_kind.ts";
 * console.log(directCounters.reruns >= 0); // true
 * ```
 */
export const directCounters = { literalElements: 0, reruns: 0 };

/** The direct-path kind of a list's item type, or 0 when it has none. */
export function kindOf(item: AnyFlyteType | undefined): Kind | 0 {
  if (item === undefined) return 0;
  if (item === t.int || item === looseInt) return Kind.Int;
  if (item === t.float) return Kind.Float;
  if (item === t.string) return Kind.String;
  if (item === t.bool) return Kind.Bool;
  if (msgpackRecords.has(item)) return Kind.Record;
  return 0;
}

/** 2^32, to split and join int64 halves. */
export const TWO32 = 4294967296;

/** Binary.tag (field 2) = "msgpack", as bytes. */
export const MSGPACK_TAG: Uint8Array = new Uint8Array([
  0x12,
  7,
  ...new TextEncoder().encode("msgpack"),
]);
