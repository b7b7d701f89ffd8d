/**
 * JSON and errors in the type vocabulary: `t.json` (flytekit's untyped
 * `dict`, a msgpack Binary) and the error type of failure-node inputs.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { describe, rethrowWithin } from "../errors.ts";
import {
  genericOf,
  msgpackLiteral,
  msgpackOf,
  NOT_MSGPACK,
  scalarLiteral,
  scalarOf,
} from "../literals.ts";
import { packMsgpack } from "../msgpack.ts";
import type { FlyteType, JsonValue } from "../type.ts";
import { FlyteErrorValue } from "../values.ts";
import {
  fail,
  INT64_MIN,
  MSGPACK_ANNOTATION,
  simpleType,
  wrongLiteral,
} from "./common.ts";
import { isPlainObject, setKey } from "./collections.ts";

// ---------------------------------------------------------------- json

/** Validates a JSON-like value for msgpack, dropping undefined object keys. */
export function jsonToMsgpack(v: unknown): unknown {
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
 * import { normalizeJson } from "./json.ts";
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

/** `t.json`: flytekit's untyped `dict`, a msgpack Binary of JSON data. */
export const jsonType: FlyteType<JsonValue, JsonValue> = {
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
 * import { errorType } from "./json.ts";
 * import { FlyteErrorValue } from "../values.ts";
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
