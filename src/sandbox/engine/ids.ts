/**
 * Identifiers and names computed exactly as propeller computes them:
 * node unique ids, generated (pod) names, raw-output shards, child
 * execution names (propeller-contract.md §1, §5, §6).
 *
 * @module
 */
import { codec } from "rfc4648";

/** Flyte's base32 alphabet (lowercase letters, then 1-6). */
const FLYTE_BASE32 = { chars: "abcdefghijklmnopqrstuvwxyz123456", bits: 5 };
const SHARD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `s`, as big-endian bytes (Go's `Sum`).
 *
 * @example
 * ```ts
 * import { fnv32a } from "./ids.ts";
 * fnv32a("abc").length; // 4
 * ```
 */
export function fnv32a(s: string): Uint8Array {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, h);
  return out;
}

/**
 * 64-bit FNV-1a of the UTF-8 bytes of `s`, as big-endian bytes.
 *
 * @example
 * ```ts
 * import { fnv64a } from "./ids.ts";
 * fnv64a("abc").length; // 8
 * ```
 */
export function fnv64a(s: string): Uint8Array {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const b of encoder.encode(s)) {
    h ^= BigInt(b);
    h = (h * prime) & 0xffffffffffffffffn;
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, h);
  return out;
}

/**
 * Base32 with Flyte's lowercase alphabet `a-z1-6`, no padding.
 *
 * @example
 * ```ts
 * import { base32 } from "./ids.ts";
 * base32(new Uint8Array([0])); // "aa"
 * ```
 */
export function base32(bytes: Uint8Array): string {
  return codec.stringify(bytes, FLYTE_BASE32, { pad: false });
}

/**
 * Joins `parts` with `-`; when longer than `max`, returns `"f"` + base32 of
 * the FNV hash (32-bit, or 64-bit when `wide`) of the joined string.
 *
 * @example
 * ```ts
 * import { fixedLengthId } from "./ids.ts";
 * fixedLengthId(["n0", "0", "n1"], 20); // "n0-0-n1"
 * ```
 */
export function fixedLengthId(
  parts: string[],
  max: number,
  wide = false,
): string {
  const joined = parts.join("-");
  if (joined.length <= max) return joined;
  return "f" + base32(wide ? fnv64a(joined) : fnv32a(joined));
}

/**
 * A child node's unique id: `<parentUniqueId>-<parentAttempt>-<specId>`,
 * hashed when over 20 characters; top-level nodes keep their spec id.
 *
 * @example
 * ```ts
 * import { childUniqueId } from "./ids.ts";
 * childUniqueId("n1", 0, "n0"); // "n1-0-n0"
 * ```
 */
export function childUniqueId(
  parentUniqueId: string | undefined,
  parentAttempt: number,
  specId: string,
): string {
  if (parentUniqueId === undefined) return specId;
  return fixedLengthId([parentUniqueId, String(parentAttempt), specId], 20);
}

/**
 * The generated name of a task attempt (pod name, cache owner id):
 * `<execName>-<nodeUniqueId>-<attempt>`, hashed when over 50 characters.
 *
 * @example
 * ```ts
 * import { generatedName } from "./ids.ts";
 * generatedName("abc", "n0", 1); // "abc-n0-1"
 * ```
 */
export function generatedName(
  execName: string,
  nodeUniqueId: string,
  attempt: number,
): string {
  return fixedLengthId([execName, nodeUniqueId, String(attempt)], 50);
}

/**
 * The 2-character raw-output shard of a generated name.
 *
 * @example
 * ```ts
 * import { shardOf } from "./ids.ts";
 * shardOf("abc-n0-0").length; // 2
 * ```
 */
export function shardOf(uniqueId: string): string {
  const h = new DataView(fnv32a(uniqueId).buffer).getUint32(0);
  const i = h % (SHARD_CHARS.length * SHARD_CHARS.length);
  return SHARD_CHARS[Math.floor(i / SHARD_CHARS.length)] +
    SHARD_CHARS[i % SHARD_CHARS.length];
}

/**
 * `{{.PerRetryUniqueKey}}`: leading non-letters become `a`, runs of
 * characters outside `[A-Za-z0-9_]` become `_`.
 *
 * @example
 * ```ts
 * import { perRetryUniqueKey } from "./ids.ts";
 * perRetryUniqueKey("0abc-n0-1"); // "aabc_n0_1"
 * ```
 */
export function perRetryUniqueKey(name: string): string {
  return name.replace(/^[^A-Za-z]+/, "a").replace(/[^A-Za-z0-9_]+/g, "_");
}

/**
 * The name of a child execution started by a launch-plan node:
 * `<execName>-<nodeUniqueId>-<attempt>` if at most 20 characters, else
 * `"f"` + base32(fnv64a).
 *
 * @example
 * ```ts
 * import { childExecutionName } from "./ids.ts";
 * childExecutionName("abc", "n0", 0); // "abc-n0-0"
 * ```
 */
export function childExecutionName(
  execName: string,
  nodeUniqueId: string,
  attempt: number,
): string {
  return fixedLengthId([execName, nodeUniqueId, String(attempt)], 20, true);
}
