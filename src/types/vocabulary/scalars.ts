/**
 * Scalars and time in the type vocabulary: `t.int`, `t.bigint`, `t.float`,
 * `t.string`, `t.bool`, `t.datetime`, `t.duration`, `t.none`.
 *
 * @module
 */
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { describe } from "../errors.ts";
import {
  integerLiteral,
  msgpackOf,
  noneLiteral,
  NOT_MSGPACK,
  primitiveLiteral,
  scalarOf,
} from "../literals.ts";
import {
  dateOf,
  isoDurationTextOf,
  parseIsoDatetime,
  parseIsoDuration,
  pbDurationOf,
  pythonIsoformat,
  timestampOf,
} from "../time.ts";
import type { FlyteType, TypeKind } from "../type.ts";
import { Duration } from "../values.ts";
import {
  asFloat64,
  fail,
  INT64_MAX,
  INT64_MIN,
  simpleType,
  viaMsgpack,
  wrongLiteral,
} from "./common.ts";

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

/** `t.int`: INTEGER as a JS number (safe integers only). */
export const intType: FlyteType<number, number> = makeInt(false);
/**
 * An INTEGER that reads unsafe values as bigint (used for remote types).
 *
 * @example
 * ```ts
 * import { looseInt } from "./scalars.ts";
 * import { toLiteral } from "../mod.ts";
 * console.log(looseInt.fromLiteral(toLiteral(1n << 60n))); // 1152921504606846976n
 * ```
 */
export const looseInt: FlyteType<number | bigint, number | bigint> = makeInt(
  true,
) as FlyteType<number | bigint, number | bigint>;

/** `t.bigint`: INTEGER (int64) as a bigint. */
export const bigintType: FlyteType<bigint, bigint | number> = (() => {
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

/** `t.float`: FLOAT (float64). */
export const floatType: FlyteType<number, number> = (() => {
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

/** `t.string`: STRING. */
export const stringType: FlyteType<string, string> = primitiveType<string>(
  "string",
  SimpleType.STRING,
  "string",
  "stringValue",
);
/** `t.bool`: BOOLEAN. */
export const boolType: FlyteType<boolean, boolean> = primitiveType<boolean>(
  "bool",
  SimpleType.BOOLEAN,
  "boolean",
  "boolean",
);

/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in epoch milliseconds. */
const MIN_DATETIME_MS = -62135596800000;
const MAX_DATETIME_MS = 253402300800000;

/** `t.datetime`: DATETIME as a Date (UTC); a PreciseDate keeps sub-millisecond nanos. */
export const datetimeType: FlyteType<Date, Date> = (() => {
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

/** `t.duration`: DURATION as a Duration. */
export const durationType: FlyteType<Duration, Duration> = (() => {
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

/** `t.none`: NONE, the value null. */
export const noneType: FlyteType<null, null | undefined> = {
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
