/**
 * Collections in the type vocabulary: `t.list(T)` (collection literals)
 * and `t.map(T)` (map literals).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { Literal } from "../idl.ts";
import { LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import { describe, rethrowWithin } from "../errors.ts";
import { collectionLiteral, mapLiteral, NOT_MSGPACK } from "../literals.ts";
import type { AnyFlyteType, FlyteType, Infer, InferInput } from "../type.ts";
import { fail, viaMsgpack, wrongLiteral } from "./common.ts";

// ---------------------------------------------------------------- containers

/**
 * The item type of every `t.list(T)` (for the direct codec in direct.ts).
 *
 * @example
 * ```ts
 * import { listItems } from "./collections.ts";
 * import { t } from "../mod.ts";
 * console.log(listItems.get(t.list(t.int)) === t.int); // true
 * ```
 */
export const listItems: WeakMap<AnyFlyteType, AnyFlyteType> = new WeakMap();

/** `t.list(T)`: a collection literal of T, as a T[]. */
export function list<T extends AnyFlyteType>(
  item: T,
): FlyteType<Infer<T>[], readonly InferInput<T>[]> {
  const lt = create(LiteralTypeSchema, {
    type: { case: "collectionType", value: item.literalType },
  });
  const checkArray = (v: unknown): readonly unknown[] =>
    Array.isArray(v) ? v : fail(`expected an array, got ${describe(v)}`);
  const type: FlyteType<Infer<T>[], readonly InferInput<T>[]> = {
    kind: "list",
    name: `list<${item.name}>`,
    literalType: lt,
    tag: "Typed List",
    toLiteral(value) {
      const arr = checkArray(value);
      const n = arr.length;
      const out = new Array<Literal>(n);
      let i = 0;
      try {
        for (; i < n; i++) out[i] = item.toLiteral(arr[i]);
      } catch (e) {
        rethrowWithin(e, i);
      }
      return collectionLiteral(out);
    },
    fromLiteral(lit) {
      if (lit.value.case !== "collection") {
        const m = viaMsgpack(lit, this);
        if (m !== NOT_MSGPACK) return m;
        return wrongLiteral(lit, "a collection literal");
      }
      const lits = lit.value.value.literals;
      const n = lits.length;
      const out = new Array(n);
      let i = 0;
      try {
        for (; i < n; i++) out[i] = item.fromLiteral(lits[i]);
      } catch (e) {
        rethrowWithin(e, i);
      }
      return out;
    },
    match(v) {
      if (!Array.isArray(v)) return 0;
      let score = 2;
      for (const x of v) {
        score = Math.min(score, item.match(x));
        if (score === 0) break;
      }
      return score;
    },
    toMsgpack(value) {
      const arr = checkArray(value);
      const out = new Array(arr.length);
      let i = 0;
      try {
        for (; i < arr.length; i++) out[i] = item.toMsgpack(arr[i]);
      } catch (e) {
        rethrowWithin(e, i);
      }
      return out;
    },
    fromMsgpack(raw) {
      const arr = checkArray(raw);
      const out = new Array(arr.length);
      let i = 0;
      try {
        for (; i < arr.length; i++) out[i] = item.fromMsgpack(arr[i]);
      } catch (e) {
        rethrowWithin(e, i);
      }
      return out;
    },
    jsonSchema: () => ({ type: "array", items: item.jsonSchema() }),
  };
  listItems.set(type, item);
  return type;
}

/** Whether `v` is a plain object (not null, an array, a class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Sets `obj[key]`, safely also for the key "__proto__". */
export function setKey(
  obj: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}

function entriesOf(v: unknown): [string, unknown][] {
  if (v instanceof Map) {
    const out: [string, unknown][] = [];
    for (const [k, x] of v) {
      if (typeof k !== "string") {
        fail(`map keys must be strings, got ${describe(k)}`);
      }
      out.push([k, x]);
    }
    return out;
  }
  if (isPlainObject(v)) return Object.entries(v);
  return fail(`expected an object with string keys, got ${describe(v)}`);
}

/** `t.map(T)`: a map literal with string keys, as a Record<string, T>. */
export function map<T extends AnyFlyteType>(
  value: T,
): FlyteType<
  Record<string, Infer<T>>,
  Readonly<Record<string, InferInput<T>>> | ReadonlyMap<string, InferInput<T>>
> {
  const lt = create(LiteralTypeSchema, {
    type: { case: "mapValueType", value: value.literalType },
  });
  return {
    kind: "map",
    name: `map<${value.name}>`,
    literalType: lt,
    tag: "Typed Dict",
    toLiteral(v) {
      const out: Record<string, Literal> = {};
      for (const [k, x] of entriesOf(v)) {
        try {
          setKey(out, k, value.toLiteral(x));
        } catch (e) {
          rethrowWithin(e, k);
        }
      }
      return mapLiteral(out);
    },
    fromLiteral(lit) {
      if (lit.value.case !== "map") {
        const m = viaMsgpack(lit, this);
        if (m !== NOT_MSGPACK) return m;
        return wrongLiteral(lit, "a map literal");
      }
      const out: Record<string, Infer<T>> = {};
      for (const [k, x] of Object.entries(lit.value.value.literals)) {
        try {
          setKey(out, k, value.fromLiteral(x));
        } catch (e) {
          rethrowWithin(e, k);
        }
      }
      return out;
    },
    match(v) {
      if (!(v instanceof Map) && !isPlainObject(v)) return 0;
      let score = 2;
      for (const [k, x] of v instanceof Map ? v : Object.entries(v)) {
        if (typeof k !== "string") return 0;
        score = Math.min(score, value.match(x));
        if (score === 0) break;
      }
      return score;
    },
    toMsgpack(v) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of entriesOf(v)) {
        try {
          setKey(out, k, value.toMsgpack(x));
        } catch (e) {
          rethrowWithin(e, k);
        }
      }
      return out;
    },
    fromMsgpack(raw) {
      const out: Record<string, Infer<T>> = {};
      for (const [k, x] of entriesOf(raw)) {
        try {
          setKey(out, k, value.fromMsgpack(x));
        } catch (e) {
          rethrowWithin(e, k);
        }
      }
      return out;
    },
    jsonSchema: () => ({
      type: "object",
      additionalProperties: value.jsonSchema(),
      propertyNames: { type: "string" },
    }),
  };
}
