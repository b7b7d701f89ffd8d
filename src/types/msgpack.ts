/**
 * MessagePack as flytekit writes it (msgpack-python `packb(use_bin_type=True)`
 * through mashumaro), on top of `@msgpack/msgpack`:
 * - integers in the smallest encoding, and 64-bit ints (`uint 64` / `int 64`)
 *   beyond the 32-bit ranges, as msgpack-python does; bigints too;
 * - floats as float64, and a value wrapped in {@link F64} as float64 even
 *   when integral (flytekit float fields must stay floats);
 * - 64-bit integers are read as bigint, so nothing is rounded.
 *
 * @module
 */
// The package's ESM build: its "main" is CommonJS, and loading it as such
// starts Node's CommonJS loader (~50 ms on a cold process) for nothing.
import { Decoder, Encoder } from "@msgpack/msgpack/dist.esm/index.mjs";

/**
 * A number to be written as a msgpack float64 even when it is integral.
 *
 * @example
 * ```ts
 * import { F64, packMsgpack } from "./msgpack.ts";
 * console.log(packMsgpack(new F64(1))); // Uint8Array [0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]
 * ```
 */
export class F64 {
  /** The number. */
  readonly value: number;
  /** @param value the number */
  constructor(value: number) {
    this.value = value;
  }
}

type EncoderInternals = {
  doEncode(object: unknown, depth: number): void;
  encodeNumberAsFloat(object: number): void;
};

const baseProto = Encoder.prototype as unknown as EncoderInternals;
if (
  typeof baseProto.doEncode !== "function" ||
  typeof baseProto.encodeNumberAsFloat !== "function"
) {
  // The hook below relies on two methods of the pinned @msgpack/msgpack.
  throw new Error(
    "@msgpack/msgpack changed: Encoder.doEncode/encodeNumberAsFloat are missing",
  );
}
const baseDoEncode = baseProto.doEncode;

/** The library's encoder plus two rules: {@link F64} and 64-bit ints. */
class FlytekitEncoder extends Encoder {}
Object.defineProperty(FlytekitEncoder.prototype, "doEncode", {
  value: function (this: EncoderInternals, object: unknown, depth: number) {
    if (typeof object === "number") {
      // Safe integers outside int32/uint32: write int64/uint64 like
      // msgpack-python (with useBigInt64 the library would write a float).
      if (
        (object >= 0x1_0000_0000 || object < -0x8000_0000) &&
        Number.isSafeInteger(object)
      ) {
        return baseDoEncode.call(this, BigInt(object), depth);
      }
    } else if (typeof object === "bigint") {
      // Small bigints in the smallest encoding, as Python ints are.
      if (object < 0x1_0000_0000n && object >= -0x8000_0000n) {
        return baseDoEncode.call(this, Number(object), depth);
      }
      if (object >= 1n << 64n || object < -(1n << 63n)) {
        throw new RangeError(
          `integer ${object} does not fit msgpack (64 bits)`,
        );
      }
    } else if (object instanceof F64) {
      return this.encodeNumberAsFloat(object.value);
    }
    return baseDoEncode.call(this, object, depth);
  },
});

const encoder = new FlytekitEncoder({ useBigInt64: true, maxDepth: 512 });
const decoder = new Decoder({ useBigInt64: true });

/**
 * Encodes a value as flytekit does. Strings are str, Uint8Arrays are bin,
 * numbers are ints when integral and float64 otherwise, {@link F64} always
 * float64, null is nil, plain objects are maps and arrays are arrays.
 *
 * @example
 * ```ts
 * import { packMsgpack } from "./msgpack.ts";
 * console.log(packMsgpack({ a: 1 })); // Uint8Array [0x81, 0xa1, 0x61, 0x01]
 * ```
 */
export function packMsgpack(value: unknown): Uint8Array {
  const view = encoder.encodeSharedRef(value);
  const n = view.length;
  // Small results are copied into a shared arena: one ArrayBuffer per
  // 64 KiB instead of one per value (allocating ArrayBuffers dominates when
  // encoding many small records). The result is a view; use byteOffset.
  if (n > ARENA_SIZE / 8) return view.slice();
  if (arenaOffset + n > ARENA_SIZE) {
    arena = new Uint8Array(ARENA_SIZE);
    arenaOffset = 0;
  }
  const out = arena.subarray(arenaOffset, arenaOffset + n);
  out.set(view);
  arenaOffset += n;
  return out;
}

/**
 * Like {@link packMsgpack}, but the result is a view of the encoder's own
 * buffer, valid only until the next call (copy it or write it out first).
 *
 * @example
 * ```ts
 * import { packMsgpackShared } from "./msgpack.ts";
 * console.log(packMsgpackShared(1).slice()); // Uint8Array [1]
 * ```
 */
export function packMsgpackShared(value: unknown): Uint8Array {
  return encoder.encodeSharedRef(value);
}

const ARENA_SIZE = 64 * 1024;
let arena = new Uint8Array(ARENA_SIZE);
let arenaOffset = 0;

/**
 * Decodes msgpack; 64-bit integers come back as bigint.
 *
 * @example
 * ```ts
 * import { packMsgpack, unpackMsgpack } from "./msgpack.ts";
 * console.log(unpackMsgpack(packMsgpack([1, "a"]))); // [1, "a"]
 * ```
 */
export function unpackMsgpack(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}
