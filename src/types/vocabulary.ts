/**
 * The runtime vocabulary of Flyte types, `t`, with flytekit 1.16's
 * encodings (see the type engine's mod.ts for the table).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { JsonObject, Literal, LiteralType } from "./idl.ts";
import {
  type BlobType,
  BlobType_BlobDimensionality,
  LiteralTypeSchema,
  SimpleType,
  type StructuredDatasetType,
  TypeStructureSchema,
} from "@flyteidl/core/types_pb.ts";
import { describe, rethrowWithin, TypeTransformError } from "./errors.ts";
import {
  blobLiteral,
  collectionLiteral,
  describeLiteral,
  genericOf,
  integerLiteral,
  mapLiteral,
  msgpackLiteral,
  msgpackOf,
  noneLiteral,
  NOT_MSGPACK,
  primitiveLiteral,
  refuseOffloaded,
  scalarLiteral,
  scalarOf,
  unionLiteral,
} from "./literals.ts";
import { F64, packMsgpack } from "./msgpack.ts";
import {
  dateOf,
  isoDurationTextOf,
  parseIsoDatetime,
  parseIsoDuration,
  pbDurationOf,
  pythonIsoformat,
  timestampOf,
} from "./time.ts";
import type {
  AnyFlyteType,
  FlyteType,
  Infer,
  InferInput,
  JsonValue,
  OptionalFlyteType,
  RecordFields,
  RecordInput,
  RecordValue,
  TypeKind,
} from "./type.ts";
import {
  Duration,
  FlyteDirectory,
  FlyteErrorValue,
  FlyteFile,
  StructuredDataset,
} from "./values.ts";

function fail(reason: string): never {
  throw new TypeTransformError(reason);
}

function simpleType(simple: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value: simple } });
}

const MSGPACK_ANNOTATION: JsonObject = {
  "cache-key-metadata": { "serialization-format": "msgpack" },
};

function wrongLiteral(lit: Literal, want: string): never {
  refuseOffloaded(lit);
  return fail(`expected ${want}, got ${describeLiteral(lit)}`);
}

/** Reads a msgpack binary through the type's msgpack reader, if it is one. */
function viaMsgpack<T>(
  lit: Literal,
  type: { fromMsgpack(raw: unknown): T },
): T | typeof NOT_MSGPACK {
  const raw = msgpackOf(lit);
  return raw === NOT_MSGPACK ? NOT_MSGPACK : type.fromMsgpack(raw);
}

/**
 * A number that msgpack must write as float64. Only integral values need
 * the F64 wrapper (others are floats to the encoder anyway), which saves an
 * allocation per value.
 */
function asFloat64(v: number): number | F64 {
  return Number.isInteger(v) ? new F64(v) : v;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

// ---------------------------------------------------------------- integers

function intFromBigint(v: bigint, lenient: boolean): number | bigint {
  if (v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  if (lenient) return v;
  return fail(
    `integer ${v} is outside JavaScript's safe-integer range; use t.bigint to read it exactly`,
  );
}

function floatAsInt(v: number, lenient: boolean): number | bigint {
  if (!Number.isInteger(v)) {
    return fail(`expected an integer literal, got the float ${v}`);
  }
  if (Number.isSafeInteger(v)) return v;
  return intFromBigint(BigInt(v), lenient);
}

function makeInt(lenient: boolean): FlyteType<number, number> {
  const lt = simpleType(SimpleType.INTEGER);
  const checkNumber = (v: unknown): number => {
    if (typeof v === "number") {
      if (Number.isSafeInteger(v)) return v;
      if (!Number.isFinite(v)) return fail(`expected an integer, got ${v}`);
      if (!Number.isInteger(v)) {
        return fail(`expected an integer, got the fractional number ${v}`);
      }
      return fail(
        `integer ${v} is outside JavaScript's safe-integer range and may have been rounded; pass a bigint with t.bigint`,
      );
    }
    if (lenient && typeof v === "bigint") {
      if (v < INT64_MIN || v > INT64_MAX) {
        return fail(`integer ${v}n does not fit int64`);
      }
      return v as unknown as number;
    }
    return fail(`expected an integer (number), got ${describe(v)}`);
  };
  const fromMsgpack = (raw: unknown): number => {
    if (typeof raw === "bigint") {
      return intFromBigint(raw, lenient) as number;
    }
    if (typeof raw === "number" && Number.isInteger(raw)) return raw;
    return fail(`expected an integer, got ${describe(raw)}`);
  };
  return {
    kind: "int",
    name: "int",
    literalType: lt,
    tag: "int",
    toLiteral(value) {
      const v = checkNumber(value);
      return integerLiteral(BigInt(v));
    },
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive") {
        const p = s.value.value;
        if (p.case === "integer") {
          return intFromBigint(p.value, lenient) as number;
        }
        if (p.case === "floatValue") {
          // flytekit's INTEGER reader accepts floats (Console input) and
          // truncates them; we accept integral ones and refuse the rest
          // rather than change the value.
          return floatAsInt(p.value, lenient) as number;
        }
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "an integer literal");
    },
    match(v) {
      if (typeof v === "number") return Number.isSafeInteger(v) ? 2 : 0;
      if (lenient && typeof v === "bigint") return 2;
      return 0;
    },
    toMsgpack: checkNumber,
    fromMsgpack,
    jsonSchema: () => ({ type: "integer" }),
  };
}

const intType: FlyteType<number, number> = makeInt(false);
/**
 * An INTEGER that reads unsafe values as bigint (used for remote types).
 *
 * @example
 * ```ts
 * import { looseInt } from "./vocabulary.ts";
 * import { toLiteral } from "./mod.ts";
 * console.log(looseInt.fromLiteral(toLiteral(1n << 60n))); // 1152921504606846976n
 * ```
 */
export const looseInt: FlyteType<number | bigint, number | bigint> = makeInt(
  true,
) as FlyteType<number | bigint, number | bigint>;

const bigintType: FlyteType<bigint, bigint | number> = (() => {
  const lt = simpleType(SimpleType.INTEGER);
  const check = (v: unknown): bigint => {
    if (typeof v === "bigint") {
      if (v < INT64_MIN || v > INT64_MAX) {
        return fail(`integer ${v}n does not fit int64`);
      }
      return v;
    }
    if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
    return fail(`expected a bigint (int64), got ${describe(v)}`);
  };
  const fromMsgpack = (raw: unknown): bigint => {
    if (typeof raw === "bigint") return raw;
    if (typeof raw === "number" && Number.isInteger(raw)) return BigInt(raw);
    return fail(`expected an integer, got ${describe(raw)}`);
  };
  return {
    kind: "bigint",
    name: "bigint",
    literalType: lt,
    tag: "int",
    toLiteral: (value) => integerLiteral(check(value)),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive") {
        const p = s.value.value;
        if (p.case === "integer") return p.value;
        if (p.case === "floatValue") {
          return BigInt(floatAsInt(p.value, true));
        }
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "an integer literal");
    },
    match: (v) =>
      typeof v === "bigint"
        ? 2
        : typeof v === "number" && Number.isSafeInteger(v)
        ? 1
        : 0,
    toMsgpack: check,
    fromMsgpack,
    jsonSchema: () => ({ type: "integer" }),
  };
})();

// ---------------------------------------------------------------- scalars

const floatType: FlyteType<number, number> = (() => {
  const check = (v: unknown): number =>
    typeof v === "number"
      ? v
      : fail(`expected a float (number), got ${describe(v)}`);
  const fromMsgpack = (raw: unknown): number => {
    if (typeof raw === "number") return raw;
    if (typeof raw === "bigint") return Number(raw);
    return fail(`expected a float, got ${describe(raw)}`);
  };
  return {
    kind: "float",
    name: "float",
    literalType: simpleType(SimpleType.FLOAT),
    tag: "float",
    toLiteral: (value) =>
      primitiveLiteral({ case: "floatValue", value: check(value) }),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive") {
        const p = s.value.value;
        if (p.case === "floatValue") return p.value;
        if (p.case === "integer") return Number(p.value);
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a float literal");
    },
    match: (v) => typeof v === "number" ? (Number.isInteger(v) ? 1 : 2) : 0,
    // flytekit float fields must be float64 even when integral.
    toMsgpack: (v) => asFloat64(check(v)),
    fromMsgpack,
    jsonSchema: () => ({ type: "number" }),
  };
})();

function primitiveType<T extends string | boolean>(
  kind: TypeKind,
  simple: SimpleType,
  js: "string" | "boolean",
  pcase: "stringValue" | "boolean",
): FlyteType<T, T> {
  const check = (v: unknown): T =>
    (typeof v as string) === js
      ? v as T
      : fail(`expected a ${js}, got ${describe(v)}`);
  const fromMsgpack = check;
  return {
    kind,
    name: kind,
    literalType: simpleType(simple),
    tag: kind === "string" ? "str" : "bool",
    toLiteral: (value) =>
      primitiveLiteral({ case: pcase, value: check(value) } as never),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive" && s.value.value.case === pcase) {
        return s.value.value.value as T;
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, `a ${pcase} literal`);
    },
    match: (v) => (typeof v as string) === js ? 2 : 0,
    toMsgpack: check,
    fromMsgpack,
    jsonSchema: () => ({ type: js }),
  };
}

const stringType: FlyteType<string, string> = primitiveType<string>(
  "string",
  SimpleType.STRING,
  "string",
  "stringValue",
);
const boolType: FlyteType<boolean, boolean> = primitiveType<boolean>(
  "bool",
  SimpleType.BOOLEAN,
  "boolean",
  "boolean",
);

/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in epoch milliseconds. */
const MIN_DATETIME_MS = -62135596800000;
const MAX_DATETIME_MS = 253402300800000;

const datetimeType: FlyteType<Date, Date> = (() => {
  const check = (v: unknown): Date => {
    if (!(v instanceof Date)) {
      return fail(`expected a Date, got ${describe(v)}`);
    }
    const ms = v.getTime();
    if (Number.isNaN(ms)) return fail("invalid Date");
    if (ms < MIN_DATETIME_MS || ms >= MAX_DATETIME_MS) {
      return fail(
        `${v.toISOString()} is outside the years 1 to 9999 that Flyte (and Python) datetimes cover`,
      );
    }
    return v;
  };
  const fromMsgpack = (raw: unknown): Date => {
    if (typeof raw === "string") {
      const d = parseIsoDatetime(raw);
      if (d) return d;
    }
    return fail(`expected an ISO-8601 datetime string, got ${describe(raw)}`);
  };
  return {
    kind: "datetime",
    name: "datetime",
    literalType: simpleType(SimpleType.DATETIME),
    tag: "datetime",
    toLiteral: (value) =>
      primitiveLiteral({ case: "datetime", value: timestampOf(check(value)) }),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive" && s.value.value.case === "datetime") {
        const ts = s.value.value.value;
        return dateOf(Number(ts.seconds), ts.nanos);
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a datetime literal");
    },
    match: (v) => v instanceof Date ? 2 : 0,
    toMsgpack: (v) => pythonIsoformat(check(v)),
    fromMsgpack,
    jsonSchema: () => ({ type: "string", format: "date-time" }),
  };
})();

const durationType: FlyteType<Duration, Duration> = (() => {
  const check = (v: unknown): Duration =>
    v instanceof Duration ? v : fail(`expected a Duration, got ${describe(v)}`);
  const fromMsgpack = (raw: unknown): Duration => {
    if (typeof raw === "number") return Duration.fromSeconds(raw);
    if (typeof raw === "bigint") return new Duration(Number(raw));
    if (typeof raw === "string") {
      const d = parseIsoDuration(raw);
      if (d) return d;
    }
    return fail(`expected a duration in seconds, got ${describe(raw)}`);
  };
  return {
    kind: "duration",
    name: "duration",
    literalType: simpleType(SimpleType.DURATION),
    tag: "timedelta",
    toLiteral: (value) =>
      primitiveLiteral({ case: "duration", value: pbDurationOf(check(value)) }),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive" && s.value.value.case === "duration") {
        const d = s.value.value.value;
        return new Duration(Number(d.seconds), d.nanos);
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a duration literal");
    },
    match: (v) => v instanceof Duration ? 2 : 0,
    // Python's timedelta in a dataclass: total_seconds(), a float; one read
    // from a pydantic model's ISO text goes back as that text.
    toMsgpack: (v) => isoDurationTextOf(check(v)) ?? asFloat64(v.toSeconds()),
    fromMsgpack,
    jsonSchema: () => ({ type: "number", format: "time-delta" }),
  };
})();

const noneType: FlyteType<null, null | undefined> = {
  kind: "none",
  name: "none",
  literalType: simpleType(SimpleType.NONE),
  tag: "none",
  toLiteral(value) {
    if (value !== null && value !== undefined) {
      fail(`expected null, got ${describe(value)}`);
    }
    return noneLiteral();
  },
  fromLiteral(lit) {
    const s = scalarOf(lit);
    if (s?.case === "noneType") return null;
    const raw = msgpackOf(lit);
    if (raw === null) return null;
    return wrongLiteral(lit, "none");
  },
  match: (v) => v === null || v === undefined ? 2 : 0,
  toMsgpack(v) {
    if (v !== null && v !== undefined) {
      fail(`expected null, got ${describe(v)}`);
    }
    return null;
  },
  fromMsgpack: (raw) =>
    raw === null || raw === undefined
      ? null
      : fail(`expected null, got ${describe(raw)}`),
  jsonSchema: () => ({ type: "null" }),
};

// ---------------------------------------------------------------- containers

/**
 * The item type of every `t.list(T)` (for the direct codec in direct.ts).
 *
 * @example
 * ```ts
 * import { listItems } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(listItems.get(t.list(t.int)) === t.int); // true
 * ```
 */
export const listItems: WeakMap<AnyFlyteType, AnyFlyteType> = new WeakMap();

function list<T extends AnyFlyteType>(
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown) {
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

function map<T extends AnyFlyteType>(
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

// ---------------------------------------------------------------- records

/**
 * Options of {@link record}.
 *
 * @example
 * ```ts
 * import { type RecordOptions, t } from "./mod.ts";
 * const options: RecordOptions = { name: "Point" };
 * console.log(t.record({ x: t.float }, options).name); // "Point"
 * ```
 */
export interface RecordOptions {
  /**
   * The class name Python sees (the JSON schema's `title`; flytekit's guess
   * makes a dataclass of that name). Default "Record".
   */
  name?: string;
  /**
   * Use this LiteralType instead of building one (for types read from a
   * remote interface, so that they go back exactly as they came).
   */
  literalType?: LiteralType;
  /**
   * Fields that have a default on the Python side: when a value leaves them
   * out they are not written, so Python fills in its default (types read
   * from a remote interface take these from the JSON schema).
   */
  defaults?: readonly string[];
  /**
   * The Python class is a pydantic model (BaseModel), not a dataclass: the
   * same msgpack encoding, but flytekit's "Pydantic Transformer" tag where a
   * union names its variant (flytekit reads `Optional[Model]` by that tag).
   * Default false.
   */
  pydantic?: boolean;
}

function isOptional(t: AnyFlyteType): boolean {
  return (t as { optional?: boolean }).optional === true;
}

/**
 * Every `t.record(...)`: their literals are exactly
 * `msgpackLiteral(packMsgpack(type.toMsgpack(value)))` and they read such
 * a literal as `type.fromMsgpack(unpackMsgpack(bytes))` (for direct.ts).
 *
 * @example
 * ```ts
 * import { msgpackRecords } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(msgpackRecords.has(t.record({ a: t.int }))); // true
 * ```
 */
export const msgpackRecords: WeakSet<AnyFlyteType> = new WeakSet();

function record<F extends RecordFields>(
  fields: F,
  options: RecordOptions = {},
): FlyteType<RecordValue<F>, RecordInput<F>> {
  const title = options.name ?? "Record";
  const names = Object.keys(fields);
  const types = names.map((n) => fields[n]);
  const optional = types.map(isOptional);
  const hasDefault = names.map((n) => options.defaults?.includes(n) ?? false);
  const fieldSet = new Set(names);
  const schema = (): JsonObject => ({
    type: "object",
    title,
    properties: Object.fromEntries(
      names.map((n, i) => [n, types[i].jsonSchema()]),
    ),
    additionalProperties: false,
    required: names,
  });
  const lt = options.literalType ?? create(LiteralTypeSchema, {
    type: { case: "simple", value: SimpleType.STRUCT },
    metadata: schema(),
    structure: {
      tag: "",
      dataclassType: Object.fromEntries(
        names.map((n, i) => [n, types[i].literalType]),
      ),
    },
    annotation: { annotations: MSGPACK_ANNOTATION },
  });
  const checkObject = (v: unknown): Record<string, unknown> => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      return fail(`expected a ${title} record (object), got ${describe(v)}`);
    }
    return v as Record<string, unknown>;
  };
  const toMsgpack = (value: unknown): Record<string, unknown> => {
    const obj = checkObject(value);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const x = obj[n];
      if (x === undefined && !(n in obj)) {
        if (hasDefault[i]) continue;
        if (!optional[i]) {
          throw new TypeTransformError(
            `missing required field "${n}" of ${title}`,
          ).within(n);
        }
      }
      try {
        out[n] = types[i].toMsgpack(x);
      } catch (e) {
        rethrowWithin(e, n);
      }
    }
    for (const k in obj) {
      if (!fieldSet.has(k) && obj[k] !== undefined) {
        throw new TypeTransformError(
          `unknown field "${k}" (${title} has ${names.join(", ")})`,
        ).within(k);
      }
    }
    return out;
  };
  const fromMsgpack = (raw: unknown): RecordValue<F> => {
    if (!isPlainObject(raw)) {
      return fail(`expected a ${title} record (map), got ${describe(raw)}`);
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const x = raw[n];
      if (x === undefined && hasDefault[i]) continue;
      if (x === undefined && !optional[i]) {
        throw new TypeTransformError(
          `missing required field "${n}" of ${title}`,
        ).within(n);
      }
      try {
        out[n] = types[i].fromMsgpack(x);
      } catch (e) {
        rethrowWithin(e, n);
      }
    }
    return out as RecordValue<F>;
  };
  const type: FlyteType<RecordValue<F>, RecordInput<F>> = {
    kind: "record",
    name: title,
    literalType: lt,
    tag: options.pydantic
      ? "Pydantic Transformer"
      : "Object-Dataclass-Transformer",
    toLiteral: (value) => msgpackLiteral(packMsgpack(toMsgpack(value))),
    fromLiteral(lit) {
      const raw = msgpackOf(lit);
      if (raw !== NOT_MSGPACK) return fromMsgpack(raw);
      const generic = genericOf(lit);
      if (generic !== undefined) return fromMsgpack(generic);
      return wrongLiteral(lit, `a ${title} record (msgpack binary)`);
    },
    match(v) {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return 0;
      const obj = v as Record<string, unknown>;
      let score = 2;
      for (const k in obj) {
        if (!fieldSet.has(k) && obj[k] !== undefined) return 0;
      }
      for (let i = 0; i < names.length; i++) {
        const x = obj[names[i]];
        if (x === undefined && hasDefault[i]) continue;
        if (x === undefined && !optional[i]) return 0;
        score = Math.min(score, types[i].match(x));
        if (score === 0) break;
      }
      return score;
    },
    toMsgpack,
    fromMsgpack,
    jsonSchema: schema,
  };
  msgpackRecords.add(type);
  return type;
}

// ---------------------------------------------------------------- enum, union

function enumType<const V extends readonly string[]>(
  values: V,
): FlyteType<V[number], V[number]> {
  if (values.length === 0) throw new TypeError("t.enum needs values");
  const set = new Set<string>(values);
  const check = (v: unknown): V[number] =>
    typeof v === "string" && set.has(v) ? v : fail(
      `expected one of ${
        values.map((x) => JSON.stringify(x)).join(", ")
      }, got ${describe(v)}`,
    );
  return {
    kind: "enum",
    name: `enum<${values.join("|")}>`,
    literalType: create(LiteralTypeSchema, {
      type: { case: "enumType", value: { values: [...values] } },
    }),
    tag: "DefaultEnumTransformer",
    toLiteral: (v) =>
      primitiveLiteral({ case: "stringValue", value: check(v) }),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "primitive" && s.value.value.case === "stringValue") {
        return check(s.value.value.value);
      }
      const m = viaMsgpack(lit, { fromMsgpack: check });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "an enum (string) literal");
    },
    match: (v) => typeof v === "string" && set.has(v) ? 2 : 0,
    toMsgpack: check,
    fromMsgpack: check,
    jsonSchema: () => ({ enum: [...values] }),
  };
}

/**
 * A copy of `lt` whose structure is `{tag}` (flytekit's union variant form).
 *
 * @example
 * ```ts
 * import { withStructureTag } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(withStructureTag(t.int.literalType, "int").structure?.tag); // "int"
 * ```
 */
export function withStructureTag(lt: LiteralType, tag: string): LiteralType {
  return create(LiteralTypeSchema, {
    type: lt.type,
    metadata: lt.metadata,
    annotation: lt.annotation,
    structure: create(TypeStructureSchema, { tag }),
  });
}

/**
 * Compares two LiteralTypes ignoring metadata, structure and annotation.
 *
 * @example
 * ```ts
 * import { sameShape } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(sameShape(t.int.literalType, t.bigint.literalType)); // true
 * ```
 */
export function sameShape(a: LiteralType, b: LiteralType): boolean {
  const x = a.type, y = b.type;
  if (x.case !== y.case) return false;
  switch (x.case) {
    case undefined:
      return true;
    case "simple":
      return x.value === y.value;
    case "collectionType":
    case "mapValueType":
      return sameShape(x.value, y.value as LiteralType);
    case "blob": {
      const v = y.value as BlobType;
      return x.value.format === v.format &&
        x.value.dimensionality === v.dimensionality;
    }
    case "enumType": {
      const v = (y.value as typeof x.value).values;
      return x.value.values.length === v.length &&
        x.value.values.every((s, i) => s === v[i]);
    }
    case "unionType": {
      const v = (y.value as typeof x.value).variants;
      return x.value.variants.length === v.length &&
        x.value.variants.every((s, i) => sameShape(s, v[i]));
    }
    case "structuredDatasetType":
      return true;
    case "schema":
      return true;
  }
  return false;
}

/** Whether a raw msgpack/JSON value could be of a type of this kind. */
function plausibleRaw(kind: TypeKind, raw: unknown): boolean {
  switch (kind) {
    case "none":
      return raw === null || raw === undefined;
    case "int":
    case "bigint":
    case "float":
      return typeof raw === "number" || typeof raw === "bigint";
    case "string":
    case "enum":
    case "datetime":
      return typeof raw === "string";
    case "bool":
      return typeof raw === "boolean";
    case "duration":
      return typeof raw === "number" || typeof raw === "bigint" ||
        typeof raw === "string";
    case "list":
      return Array.isArray(raw);
    case "map":
    case "record":
    case "dataframe":
    case "error":
      return typeof raw === "object" && raw !== null && !Array.isArray(raw);
    case "file":
    case "directory":
      return typeof raw === "string" ||
        (typeof raw === "object" && raw !== null && !Array.isArray(raw));
  }
  return true;
}

type UnionOut<V extends readonly AnyFlyteType[]> = Infer<V[number]>;
type UnionIn<V extends readonly AnyFlyteType[]> = InferInput<V[number]>;

function unionOf<V extends readonly AnyFlyteType[]>(
  variants: V,
  optionalFlag: boolean,
  remoteVariantTypes?: readonly LiteralType[],
): FlyteType<UnionOut<V>, UnionIn<V>> & { readonly optional?: true } {
  if (variants.length === 0) throw new TypeError("t.union needs variants");
  // Variant types as sent in union literals: the remote ones as they came
  // (with their tags), else each type with its flytekit tag.
  const variantTypes = remoteVariantTypes
    ? [...remoteVariantTypes]
    : variants.map((v) => withStructureTag(v.literalType, v.tag));
  const name = variants.map((v) => v.name).join(" | ");
  const pick = (value: unknown): number => {
    let best = 0, bestIdx = -1, ties: number[] = [];
    for (let i = 0; i < variants.length; i++) {
      const s = variants[i].match(value);
      if (s > best) {
        best = s;
        bestIdx = i;
        ties = [i];
      } else if (s === best && s > 0) ties.push(i);
    }
    if (bestIdx < 0) {
      return fail(`${describe(value)} matches no variant of ${name}`);
    }
    if (ties.length > 1) {
      return fail(
        `ambiguous: ${describe(value)} matches ${
          ties.map((i) => variants[i].name).join(" and ")
        } of ${name}`,
      );
    }
    return bestIdx;
  };
  const lt = create(LiteralTypeSchema, {
    type: { case: "unionType", value: { variants: variantTypes } },
  });
  type Failure = { variant: AnyFlyteType; error: TypeTransformError };
  const tryEach = <R>(f: (v: AnyFlyteType) => R, what: string): R => {
    let first: Failure | undefined;
    for (const v of variants) {
      try {
        return f(v);
      } catch (e) {
        if (!(e instanceof TypeTransformError)) throw e;
        first ??= { variant: v, error: e };
      }
    }
    return fail(noVariant(what, first));
  };
  // "x matches no variant of A | B (as A: .field: reason)"
  function noVariant(what: string, first: Failure | undefined): string {
    if (!first) return `${what} matches no variant of ${name}`;
    const inner = first.error.path.replace(/^value/, "");
    return `${what} matches no variant of ${name} (as ${first.variant.name}: ${
      inner ? inner + ": " : ""
    }${first.error.reason})`;
  }
  const out = {
    kind: "union" as const,
    name: optionalFlag ? `optional<${variants[0].name}>` : name,
    literalType: lt,
    tag: "Typed Union",
    toLiteral(value: UnionIn<V>) {
      const i = pick(value);
      return unionLiteral(variants[i].toLiteral(value), variantTypes[i]);
    },
    fromLiteral(lit: Literal): UnionOut<V> {
      const s = scalarOf(lit);
      if (s?.case === "union") {
        const inner = s.value.value;
        const vt = s.value.type;
        if (!inner) return fail("union literal without a value");
        const tag = vt?.structure?.tag;
        if (vt) {
          // flytekit: match the tag against the transformer name, then
          // check the shape (ignoring metadata, structure, annotation).
          for (let i = 0; i < variants.length; i++) {
            if (
              tag === variants[i].tag && sameShape(vt, variants[i].literalType)
            ) return variants[i].fromLiteral(inner);
          }
          for (let i = 0; i < variants.length; i++) {
            if (sameShape(vt, variants[i].literalType)) {
              return variants[i].fromLiteral(inner);
            }
          }
        }
        return tryEach((v) => v.fromLiteral(inner), describeLiteral(inner));
      }
      refuseOffloaded(lit);
      return tryEach((v) => v.fromLiteral(lit), describeLiteral(lit));
    },
    match(v: unknown) {
      let best = 0;
      for (const x of variants) best = Math.max(best, x.match(v));
      return best;
    },
    toMsgpack(value: UnionIn<V>) {
      return variants[pick(value)].toMsgpack(value);
    },
    fromMsgpack(raw: unknown): UnionOut<V> {
      // Screen variants by the raw value's JS type first: failed attempts
      // throw, and throwing is slow on hot paths (e.g. optional fields).
      let first: Failure | undefined;
      for (const v of variants) {
        if (!plausibleRaw(v.kind, raw)) continue;
        try {
          return v.fromMsgpack(raw);
        } catch (e) {
          if (!(e instanceof TypeTransformError)) throw e;
          first ??= { variant: v, error: e };
        }
      }
      return fail(noVariant(describe(raw), first));
    },
    jsonSchema: () => ({ anyOf: variants.map((v) => v.jsonSchema()) }),
  };
  return optionalFlag ? { ...out, optional: true as const } : out;
}

function union<V extends readonly AnyFlyteType[]>(
  ...variants: V
): FlyteType<UnionOut<V>, UnionIn<V>> {
  return unionOf(variants, false);
}

function optional<T extends AnyFlyteType>(
  type: T,
): OptionalFlyteType<Infer<T>, InferInput<T>> {
  return unionOf([type, noneType], true) as unknown as OptionalFlyteType<
    Infer<T>,
    InferInput<T>
  >;
}

// ---------------------------------------------------------------- files

function blobType(
  format: string,
  dim: BlobType_BlobDimensionality,
): LiteralType {
  return create(LiteralTypeSchema, {
    type: { case: "blob", value: { format, dimensionality: dim } },
  });
}

function uriOf(v: unknown, what: string): string {
  if (typeof v === "string") {
    if (v === "") return fail(`expected a ${what} URI, got an empty string`);
    return v;
  }
  if (v instanceof URL) return v.href;
  return fail(`expected a ${what} (or its URI), got ${describe(v)}`);
}

// mashumaro's schema of FlyteFile/FlyteDirectory.path (flytekit 1.16).
const PATH_SCHEMA: JsonObject = {
  anyOf: [{ type: "string" }, { type: "string", format: "path" }],
  default: null,
};

function file(
  format = "",
): FlyteType<FlyteFile, FlyteFile | string | URL> {
  format = format.replace(/^[.~]+/, "");
  const lt = blobType(format, BlobType_BlobDimensionality.SINGLE);
  const blob = lt.type.value as BlobType;
  const check = (v: unknown): FlyteFile =>
    v instanceof FlyteFile ? v : new FlyteFile(uriOf(v, "file"), { format });
  const fromMsgpack = (raw: unknown): FlyteFile => {
    if (typeof raw === "string") return new FlyteFile(raw, { format });
    if (isPlainObject(raw) && typeof raw.path === "string") {
      const md = isPlainObject(raw.metadata)
        ? raw.metadata as Record<string, string>
        : {};
      return new FlyteFile(raw.path, { format, metadata: md });
    }
    return fail(`expected a file ({"path": uri}), got ${describe(raw)}`);
  };
  return {
    kind: "file",
    name: format ? `file<${format}>` : "file",
    literalType: lt,
    tag: "FlyteFilePath",
    toLiteral(v) {
      const f = check(v);
      return blobLiteral(f.uri, blob, { ...f.metadata });
    },
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "blob") {
        const t = s.value.metadata?.type;
        if (t && t.dimensionality !== BlobType_BlobDimensionality.SINGLE) {
          return fail(
            "expected a single file blob, got a multipart blob (a directory)",
          );
        }
        return new FlyteFile(s.value.uri, {
          format: t?.format ?? format,
          metadata: { ...lit.metadata },
        });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a file (blob) literal");
    },
    match: (v) =>
      v instanceof FlyteFile
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack(v) {
      const f = check(v);
      return Object.keys(f.metadata).length
        ? { path: f.uri, metadata: { ...f.metadata } }
        : { path: f.uri };
    },
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "FlyteFile",
      properties: {
        path: PATH_SCHEMA,
        metadata: {
          anyOf: [
            {
              type: "object",
              additionalProperties: { type: "string" },
              propertyNames: { type: "string" },
            } as JsonObject,
            { type: "null" },
          ],
          default: null,
        },
      },
      additionalProperties: false,
    }),
  };
}

function directory(
  format = "",
): FlyteType<FlyteDirectory, FlyteDirectory | string | URL> {
  format = format.replace(/^[.~]+/, "");
  const lt = blobType(format, BlobType_BlobDimensionality.MULTIPART);
  const blob = lt.type.value as BlobType;
  const check = (v: unknown): FlyteDirectory =>
    v instanceof FlyteDirectory
      ? v
      : new FlyteDirectory(uriOf(v, "directory"), { format });
  const fromMsgpack = (raw: unknown): FlyteDirectory => {
    if (typeof raw === "string") return new FlyteDirectory(raw, { format });
    if (isPlainObject(raw) && typeof raw.path === "string") {
      return new FlyteDirectory(raw.path, { format });
    }
    return fail(`expected a directory ({"path": uri}), got ${describe(raw)}`);
  };
  return {
    kind: "directory",
    name: format ? `directory<${format}>` : "directory",
    literalType: lt,
    tag: "FlyteDirectory",
    toLiteral: (v) => blobLiteral(check(v).uri, blob),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "blob") {
        const t = s.value.metadata?.type;
        if (t && t.dimensionality !== BlobType_BlobDimensionality.MULTIPART) {
          return fail(
            "expected a multipart blob (a directory), got a single file blob",
          );
        }
        return new FlyteDirectory(s.value.uri, { format: t?.format ?? format });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a directory (multipart blob) literal");
    },
    match: (v) =>
      v instanceof FlyteDirectory
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack: (v) => ({ path: check(v).uri }),
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "FlyteDirectory",
      properties: { path: PATH_SCHEMA },
      additionalProperties: false,
    }),
  };
}

function dataframe(
  columns: RecordFields = {},
  format = "",
  literalType?: LiteralType,
): FlyteType<StructuredDataset, StructuredDataset | string | URL> {
  const lt = literalType ?? create(LiteralTypeSchema, {
    type: {
      case: "structuredDatasetType",
      value: {
        columns: Object.entries(columns).map(([name, t]) => ({
          name,
          literalType: t.literalType,
        })),
        format,
        externalSchemaType: "",
        externalSchemaBytes: new Uint8Array(),
      },
    },
  });
  const sdt = lt.type.value as StructuredDatasetType;
  format = sdt.format;
  const check = (v: unknown): StructuredDataset =>
    v instanceof StructuredDataset
      ? v
      : new StructuredDataset(uriOf(v, "dataset"), { format });
  const fromMsgpack = (raw: unknown): StructuredDataset => {
    if (isPlainObject(raw) && typeof raw.uri === "string") {
      return new StructuredDataset(raw.uri, {
        format: typeof raw.file_format === "string" ? raw.file_format : format,
      });
    }
    return fail(`expected a dataset ({"uri": ...}), got ${describe(raw)}`);
  };
  return {
    kind: "dataframe",
    name: format ? `dataframe<${format}>` : "dataframe",
    literalType: lt,
    tag: "StructuredDataset Transformer",
    toLiteral(v) {
      const sd = check(v);
      // flytekit: the value's format is used only when the type has none.
      const type: StructuredDatasetType = sdt.format || !sd.format
        ? sdt
        : { ...sdt, format: sd.format };
      return scalarLiteral({
        case: "structuredDataset",
        value: {
          $typeName: "flyteidl.core.StructuredDataset",
          uri: sd.uri,
          metadata: {
            $typeName: "flyteidl.core.StructuredDatasetMetadata",
            structuredDatasetType: type,
          },
        },
      });
    },
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "structuredDataset") {
        return new StructuredDataset(s.value.uri, {
          format: s.value.metadata?.structuredDatasetType?.format || format,
        });
      }
      if (s?.case === "schema") {
        // Legacy FlyteSchema: parquet files under the URI.
        return new StructuredDataset(s.value.uri, { format: "parquet" });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a structured dataset literal");
    },
    match: (v) =>
      v instanceof StructuredDataset
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack(v) {
      const sd = check(v);
      return { uri: sd.uri, file_format: sd.format || format || "parquet" };
    },
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "StructuredDataset",
      properties: {
        uri: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
        file_format: {
          anyOf: [{ type: "string" }, { type: "null" }],
          default: "",
        },
      },
      additionalProperties: false,
    }),
  };
}

// ---------------------------------------------------------------- json

/** Validates a JSON-like value for msgpack, dropping undefined object keys. */
function jsonToMsgpack(v: unknown): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return v;
    case "bigint":
      if (v < INT64_MIN || v >= 1n << 64n) {
        return fail(`integer ${v}n does not fit 64 bits`);
      }
      return v;
    case "undefined":
      return fail("undefined is not a JSON value (use null)");
    case "function":
    case "symbol":
      return fail(`${describe(v)} cannot be sent to Flyte`);
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        out[i] = jsonToMsgpack(v[i]);
      } catch (e) {
        rethrowWithin(e, i);
      }
    }
    return out;
  }
  if (v instanceof Uint8Array) return v;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === undefined) continue;
      try {
        setKey(out, k, jsonToMsgpack(x));
      } catch (e) {
        rethrowWithin(e, k);
      }
    }
    return out;
  }
  if (v instanceof Date) {
    return fail(
      "a Date inside t.json has no JSON form; use a t.record field of t.datetime, or an ISO string",
    );
  }
  return fail(
    `${
      describe(v)
    } is not JSON data; give it a record type (t.record) or convert it to a plain object`,
  );
}

/**
 * Turns msgpack's bigints back into numbers where exact.
 *
 * @example
 * ```ts
 * import { normalizeJson } from "./vocabulary.ts";
 * console.log(normalizeJson({ a: 5n, b: 1n << 60n })); // { a: 5, b: 1152921504606846976n }
 * ```
 */
export function normalizeJson(v: unknown): JsonValue {
  if (typeof v === "bigint") {
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }
  if (v === null || typeof v !== "object" || v instanceof Uint8Array) {
    return v as JsonValue;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === "object" || typeof x === "bigint") {
        v[i] = normalizeJson(x);
      }
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (typeof x === "object" || typeof x === "bigint") o[k] = normalizeJson(x);
  }
  return o as JsonValue;
}

function jsonMatch(v: unknown): number {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") {
    return 0;
  }
  if (v === null || typeof v !== "object") return 1;
  if (Array.isArray(v) || isPlainObject(v) || v instanceof Uint8Array) return 1;
  return 0;
}

const jsonType: FlyteType<JsonValue, JsonValue> = {
  kind: "json",
  name: "json",
  literalType: create(LiteralTypeSchema, {
    type: { case: "simple", value: SimpleType.STRUCT },
    annotation: { annotations: MSGPACK_ANNOTATION },
  }),
  tag: "Typed Dict",
  toLiteral: (v) => msgpackLiteral(packMsgpack(jsonToMsgpack(v))),
  fromLiteral(lit) {
    const raw = msgpackOf(lit);
    if (raw !== NOT_MSGPACK) return normalizeJson(raw);
    const g = genericOf(lit);
    if (g !== undefined) return g as JsonValue;
    return wrongLiteral(lit, "a JSON (msgpack binary or struct) literal");
  },
  match: jsonMatch,
  toMsgpack: (v) => jsonToMsgpack(v),
  fromMsgpack: (raw) => normalizeJson(raw),
  jsonSchema: () => ({}),
};

// ---------------------------------------------------------------- error

/**
 * Flyte simple type ERROR (flytekit's FlyteError).
 *
 * @example
 * ```ts
 * import { errorType } from "./vocabulary.ts";
 * import { FlyteErrorValue } from "./values.ts";
 * const lit = errorType.toLiteral(new FlyteErrorValue("n0", "boom"));
 * console.log(errorType.fromLiteral(lit).message); // "boom"
 * ```
 */
export const errorType: FlyteType<FlyteErrorValue, FlyteErrorValue> = {
  kind: "error",
  name: "error",
  literalType: simpleType(SimpleType.ERROR),
  tag: "FlyteError",
  toLiteral(v) {
    if (!(v instanceof FlyteErrorValue)) {
      fail(`expected a FlyteErrorValue, got ${describe(v)}`);
    }
    return scalarLiteral({
      case: "error",
      value: {
        $typeName: "flyteidl.core.Error",
        failedNodeId: v.failedNodeId,
        message: v.message,
      },
    });
  },
  fromLiteral(lit) {
    const s = scalarOf(lit);
    if (s?.case === "error") {
      return new FlyteErrorValue(s.value.failedNodeId, s.value.message);
    }
    return wrongLiteral(lit, "an error literal");
  },
  match: (v) => v instanceof FlyteErrorValue ? 2 : 0,
  toMsgpack: (v) => ({ failed_node_id: v.failedNodeId, message: v.message }),
  fromMsgpack(raw) {
    if (isPlainObject(raw)) {
      return new FlyteErrorValue(
        String(raw.failed_node_id ?? ""),
        String(raw.message ?? ""),
      );
    }
    return fail(`expected an error, got ${describe(raw)}`);
  },
  jsonSchema: () => ({ type: "object", title: "FlyteError" }),
};

/**
 * Internal constructors shared with the guesser.
 *
 * @example
 * ```ts
 * import { internal } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(internal.record({ a: t.int }, { name: "A" }).name); // "A"
 * ```
 */
export const internal = { record, dataframe, unionOf, jsonToMsgpack };

/**
 * The vocabulary of Flyte types. Each is a {@link FlyteType}: it knows its
 * LiteralType, converts values both ways with flytekit 1.16's encodings,
 * and lets TypeScript infer value types (`Infer<typeof T>`).
 *
 * | type | JS value | Flyte |
 * |---|---|---|
 * | `t.int` | number (safe integers only) | INTEGER |
 * | `t.bigint` | bigint | INTEGER (int64) |
 * | `t.float` | number | FLOAT |
 * | `t.string`, `t.bool` | string, boolean | STRING, BOOLEAN |
 * | `t.datetime` | Date (PreciseDate keeps sub-ms) | DATETIME |
 * | `t.duration` | Duration | DURATION |
 * | `t.none` | null | NONE |
 * | `t.list(T)`, `t.map(T)` | T[], Record<string, T> | collection, map |
 * | `t.record({...})` | object | STRUCT, msgpack Binary (a dataclass) |
 * | `t.enum([...])` | one of the strings | enum |
 * | `t.union(...)`, `t.optional(T)` | any variant, T or null | union |
 * | `t.file(fmt)`, `t.directory(fmt)` | FlyteFile, FlyteDirectory | blob |
 * | `t.dataframe(cols, fmt)` | StructuredDataset | structured dataset |
 * | `t.json` | JSON data | STRUCT, msgpack Binary (a dict) |
 *
 * @example
 * ```ts
 * import { t, type Infer, toLiteral, fromLiteral } from "./mod.ts";
 * const Row = t.record({
 *   name: t.string,
 *   price: t.float,
 *   tags: t.list(t.string),
 *   note: t.optional(t.string),
 * }, { name: "Row" });
 * type Row = Infer<typeof Row>;
 * const row: Row = { name: "a", price: 2, tags: [] };
 * const back = fromLiteral(toLiteral(row, Row), Row);
 * console.log(back); // { name: "a", price: 2, tags: [], note: null }
 * ```
 */
export const t = {
  /** INTEGER as a JS number; values outside the safe-integer range are refused. */
  int: intType,
  /** INTEGER (int64) as a bigint. */
  bigint: bigintType,
  /** FLOAT (float64). */
  float: floatType,
  /** STRING. */
  string: stringType,
  /** BOOLEAN. */
  bool: boolType,
  /** DATETIME as a Date (UTC). */
  datetime: datetimeType,
  /** DURATION as a {@link Duration}. */
  duration: durationType,
  /** NONE, the value null. */
  none: noneType,
  /** A JSON value (flytekit's untyped `dict`): a msgpack Binary. */
  json: jsonType,
  /** A list of T. */
  list,
  /** A map from string keys to T. */
  map,
  /** A dataclass-like record of named fields (flytekit's dataclass encoding). */
  record,
  /** One of fixed strings (a Python str Enum). */
  enum: enumType,
  /** One of several types, with flytekit's union tags. */
  union,
  /** T or null (a union with none); optional record fields may be left out. */
  optional,
  /** A file (blob, SINGLE), optionally with a format such as "csv". */
  file,
  /** A directory (blob, MULTIPART), optionally with a format. */
  directory,
  /** A structured dataset (dataframe) by URI, with optional columns and format. */
  dataframe: (
    columns?: RecordFields,
    format?: string,
  ): FlyteType<StructuredDataset, StructuredDataset | string | URL> =>
    dataframe(columns, format),
};
