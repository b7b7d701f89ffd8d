/**
 * Records in the type vocabulary: `t.record({...})`, a dataclass or pydantic
 * model as flytekit 1.16 encodes it (a msgpack Binary, STRUCT with the JSON
 * schema and per-field types).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { JsonObject, LiteralType } from "../idl.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { describe, rethrowWithin, TypeTransformError } from "../errors.ts";
import {
  genericOf,
  msgpackLiteral,
  msgpackOf,
  NOT_MSGPACK,
} from "../literals.ts";
import { packMsgpack } from "../msgpack.ts";
import type {
  AnyFlyteType,
  FlyteType,
  RecordFields,
  RecordInput,
  RecordValue,
} from "../type.ts";
import { fail, MSGPACK_ANNOTATION, wrongLiteral } from "./common.ts";
import { isPlainObject } from "./collections.ts";

// ---------------------------------------------------------------- records

/**
 * Options of {@link record}.
 *
 * @example
 * ```ts
 * import { type RecordOptions, t } from "../mod.ts";
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
 * import { msgpackRecords } from "./records.ts";
 * import { t } from "../mod.ts";
 * console.log(msgpackRecords.has(t.record({ a: t.int }))); // true
 * ```
 */
export const msgpackRecords: WeakSet<AnyFlyteType> = new WeakSet();

/** `t.record(fields, options)`: a dataclass or pydantic model, a msgpack Binary. */
export function record<F extends RecordFields>(
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
