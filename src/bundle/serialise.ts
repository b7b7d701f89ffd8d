/**
 * Constants a notebook task refers to, written back as JavaScript source:
 * JSON values (plain objects and arrays, strings, numbers, booleans,
 * null), `undefined`, bigints, dates, typed arrays, Maps and Sets of those,
 * and the `t` types (rebuilt from their LiteralType). Anything else (class
 * instances, sockets, functions inside values, symbols) is refused with a
 * description of what it is.
 *
 * @module
 */
import { toJsonString } from "@bufbuild/protobuf";
import { LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import type { LiteralType } from "../types/mod.ts";

/**
 * A value that cannot be written as source; `what` describes it.
 *
 * @example
 * ```ts
 * import { NotSerialisable } from "./serialise.ts";
 * console.log(new NotSerialisable("a Socket instance", "conn").what);
 * ```
 */
export class NotSerialisable extends Error {
  /** What the value is. */
  readonly what: string;
  /** Where in the value (e.g. `cfg.pool`). */
  readonly path: string;
  /** Describes the value and where it is. */
  constructor(what: string, path: string) {
    super(`${path} is ${what}`);
    this.what = what;
    this.path = path;
  }
}

const TYPED = [
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  Uint8ClampedArray,
];

/**
 * Whether a value is a Flyte type from the `t` vocabulary (duck-typed, so a
 * type from another copy of the module counts).
 *
 * @example
 * ```ts
 * import { isFlyteType } from "./serialise.ts";
 * import { t } from "../types/mod.ts";
 * console.log(isFlyteType(t.int)); // true
 * ```
 */
export function isFlyteType(v: unknown): v is { literalType: LiteralType } {
  const o = v as Record<string, unknown>;
  return typeof v === "object" && v !== null &&
    typeof o.literalType === "object" && typeof o.toLiteral === "function" &&
    typeof o.fromLiteral === "function" && typeof o.kind === "string";
}

/**
 * Source code for a Flyte type: a call of `typeFn` (the program's import
 * of `typeFromJson`) with the LiteralType's JSON.
 *
 * @example
 * ```ts
 * import { typeSource } from "./serialise.ts";
 * import { t } from "../types/mod.ts";
 * console.log(typeSource(t.int, "__t")); // __t("{\"simple\":\"INTEGER\"}")
 * ```
 */
export function typeSource(
  type: { literalType: LiteralType },
  typeFn: string,
): string {
  return `${typeFn}(${
    JSON.stringify(toJsonString(LiteralTypeSchema, type.literalType))
  })`;
}

function describe(v: unknown): string {
  if (typeof v === "function") {
    return v.toString().includes("[native code]")
      ? `a built-in function (${v.name || "anonymous"})`
      : `a function inside a value`;
  }
  if (typeof v === "symbol") return "a symbol";
  const ctor = (v as object)?.constructor?.name;
  return ctor
    ? `a ${ctor} instance (a value with hidden state)`
    : "an object with a null prototype and hidden state";
}

/**
 * Writes a value as source; throws {@link NotSerialisable}.
 *
 * @example
 * ```ts
 * import { valueSource } from "./serialise.ts";
 * console.log(valueSource({ a: [1, new Date(0)] }, "cfg", "__t")); // {"a":[1,new Date(0)]}
 * ```
 */
export function valueSource(
  v: unknown,
  path: string,
  typeFn: string,
  seen: Set<unknown> = new Set(),
): string {
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "string":
    case "boolean":
      return JSON.stringify(v);
    case "number":
      if (Number.isNaN(v)) return "NaN";
      if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "function":
    case "symbol":
      throw new NotSerialisable(describe(v), path);
  }
  if (v === null) return "null";
  if (seen.has(v)) {
    throw new NotSerialisable("a value that contains itself", path);
  }
  seen.add(v);
  try {
    if (isFlyteType(v)) return typeSource(v, typeFn);
    if (v instanceof Date) return `new Date(${v.getTime()})`;
    for (const T of TYPED) {
      if (v instanceof T) {
        return `new ${T.name}([${
          Array.from(v as ArrayLike<number | bigint>, (x) =>
            typeof x === "bigint" ? `${x}n` : String(x)).join(",")
        }])`;
      }
    }
    if (Array.isArray(v)) {
      return `[${
        v.map((x, i) => valueSource(x, `${path}[${i}]`, typeFn, seen)).join(",")
      }]`;
    }
    if (v instanceof Map) {
      return `new Map([${
        [...v].map(([k, x], i) =>
          `[${valueSource(k, `${path}.key${i}`, typeFn, seen)},${
            valueSource(x, `${path}.get(${String(k)})`, typeFn, seen)
          }]`
        ).join(",")
      }])`;
    }
    if (v instanceof Set) {
      return `new Set([${
        [...v].map((x, i) => valueSource(x, `${path}[${i}]`, typeFn, seen))
          .join(",")
      }])`;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotSerialisable(describe(v), path);
    }
    if (Object.getOwnPropertySymbols(v).length) {
      throw new NotSerialisable("an object with symbol keys", path);
    }
    const parts: string[] = [];
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
      if (d.get || d.set) {
        throw new NotSerialisable(
          "an object with getters or setters",
          `${path}.${k}`,
        );
      }
      parts.push(
        `${JSON.stringify(k)}:${
          valueSource(d.value, `${path}.${k}`, typeFn, seen)
        }`,
      );
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(v);
  }
}
