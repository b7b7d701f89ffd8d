/**
 * Types without hints: guess a type from a JS value (as flytekit's guess
 * does from a Python value), turn a LiteralType from a remote interface into
 * a type, and read any literal into a sensible JS value.
 *
 * @module
 */
import type { JsonValue as PbJson } from "@bufbuild/protobuf";
import type { JsonObject, Literal, LiteralType } from "./idl.ts";
import {
  BlobType_BlobDimensionality,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { describe, rethrowWithin, TypeTransformError } from "./errors.ts";
import {
  describeLiteral,
  genericOf,
  msgpackOf,
  NOT_MSGPACK,
  refuseOffloaded,
  scalarLiteral,
  scalarOf,
} from "./literals.ts";
import type { AnyFlyteType, FlyteType, JsonValue } from "./type.ts";
import {
  Duration,
  FlyteDirectory,
  FlyteErrorValue,
  FlyteFile,
  StructuredDataset,
} from "./values.ts";
import { dateOf } from "./time.ts";
import { internal, t } from "./vocabulary.ts";
import { looseInt } from "./vocabulary/scalars.ts";
import { listItems } from "./vocabulary/collections.ts";
import { errorType, normalizeJson } from "./vocabulary/json.ts";

function fail(reason: string): never {
  throw new TypeTransformError(reason);
}

// ------------------------------------------------------------------ guessType

function unify(a: AnyFlyteType, b: AnyFlyteType): AnyFlyteType | undefined {
  if (a === b) return a;
  const ka = a.kind, kb = b.kind;
  const opt = (x: AnyFlyteType) =>
    (x as { optional?: boolean }).optional === true;
  if (ka === "none") return opt(b) ? b : optionalOf(b);
  if (kb === "none") return opt(a) ? a : optionalOf(a);
  if (opt(a) || opt(b)) {
    const ia = opt(a) ? innerOfOptional(a) : a;
    const ib = opt(b) ? innerOfOptional(b) : b;
    const u = unify(ia, ib);
    if (u === ia && opt(a)) return a;
    if (u === ib && opt(b)) return b;
    return u && optionalOf(u);
  }
  if ((ka === "int" && kb === "float") || (ka === "float" && kb === "int")) {
    return t.float;
  }
  if ((ka === "int" && kb === "bigint") || (ka === "bigint" && kb === "int")) {
    return t.bigint;
  }
  if (ka !== kb) return undefined;
  if (ka === "list") {
    const u = unify(itemOf(a), itemOf(b));
    return u && listOf(u);
  }
  if (ka === "map") {
    const u = unify(itemOf(a), itemOf(b));
    return u && mapOf(u);
  }
  if (a.name === b.name) return a; // same file/directory format, json, ...
  return undefined;
}

const ITEM = new WeakMap<AnyFlyteType, AnyFlyteType>();
const OPTIONAL_INNER = new WeakMap<AnyFlyteType, AnyFlyteType>();
const itemOf = (x: AnyFlyteType) => ITEM.get(x)!;
const innerOfOptional = (x: AnyFlyteType) => OPTIONAL_INNER.get(x)!;

function optionalOf(inner: AnyFlyteType): AnyFlyteType {
  const o = t.optional(inner);
  OPTIONAL_INNER.set(o, inner);
  return o;
}
function listOf(item: AnyFlyteType): AnyFlyteType {
  const l = t.list(item);
  ITEM.set(l, item);
  return l;
}
function mapOf(item: AnyFlyteType): AnyFlyteType {
  const m = t.map(item);
  ITEM.set(m, item);
  return m;
}

function guessElements(values: Iterable<unknown>): AnyFlyteType | undefined {
  let acc: AnyFlyteType | undefined;
  let i = 0;
  for (const v of values) {
    let g: AnyFlyteType;
    try {
      g = guess(v);
    } catch (e) {
      rethrowWithin(e, i);
    }
    i++;
    if (acc === undefined) acc = g;
    else if (acc !== g) {
      const u = unify(acc, g);
      if (!u) return undefined;
      acc = u;
    }
  }
  return acc ?? t.none;
}

function guess(value: unknown): AnyFlyteType {
  switch (typeof value) {
    case "undefined":
      return t.none;
    case "boolean":
      return t.bool;
    case "number":
      return Number.isSafeInteger(value) ? t.int : t.float;
    case "bigint":
      return t.bigint;
    case "string":
      return t.string;
    case "function":
    case "symbol":
      return fail(`${describe(value)} cannot be sent to Flyte`);
  }
  if (value === null) return t.none;
  if (value instanceof Date) return t.datetime;
  if (value instanceof Duration) return t.duration;
  if (value instanceof FlyteFile) return t.file(value.format);
  if (value instanceof FlyteDirectory) return t.directory(value.format);
  if (value instanceof StructuredDataset) return t.dataframe();
  if (value instanceof FlyteErrorValue) return errorType;
  if (Array.isArray(value)) {
    const item = guessElements(value);
    if (item) {
      if (item.kind === "none" && value.length === 0) return listOf(t.json);
      return listOf(item);
    }
    // Mixed elements: the whole array as JSON (validated when written).
    return t.json;
  }
  if (value instanceof Map) {
    for (const k of value.keys()) {
      if (typeof k !== "string") {
        return fail(
          `a Map with ${describe(k)} keys; only string keys are allowed`,
        );
      }
    }
    const item = guessElements(value.values());
    return item ? mapOf(item) : t.json;
  }
  if (value instanceof Uint8Array) {
    return fail(
      "bytes have no Flyte type (flytekit pickles them); put them in t.json or upload a file",
    );
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return t.json;
  return fail(
    `${
      describe(value)
    } has no Flyte type; give a t.record type for it or pass a plain object`,
  );
}

/**
 * Guesses a type from a value, as flytekit does from a Python value without
 * hints: integral safe numbers are `t.int`, other numbers `t.float`, bigints
 * `t.bigint`, strings, booleans, Dates, Durations, FlyteFile/FlyteDirectory/
 * StructuredDataset values their types, null `t.none`, arrays lists of the
 * unified element type (mixed arrays and plain objects are `t.json`), Maps
 * with string keys maps. Functions, symbols, bytes and class instances are
 * refused with a TypeTransformError.
 *
 * @example
 * ```ts
 * import { guessType } from "./mod.ts";
 * console.log(guessType([1, 2.5]).name); // "list<float>"
 * console.log(guessType({ a: 1 }).name); // "json"
 * ```
 */
export function guessType(value: unknown): AnyFlyteType {
  return guess(value);
}

// --------------------------------------------------------- typeFromLiteralType

const CACHE = new WeakMap<LiteralType, AnyFlyteType>();

function keepLiteralType<T extends AnyFlyteType>(type: T, lt: LiteralType): T {
  if (type.literalType === lt) return type;
  const copy = { ...type, literalType: lt };
  const item = listItems.get(type);
  if (item) listItems.set(copy, item);
  return copy;
}

function schemaDefs(schema: JsonObject): Record<string, PbJson> {
  const d = (schema["$defs"] ?? schema["definitions"]) as PbJson;
  return d && typeof d === "object" && !Array.isArray(d)
    ? d as Record<string, PbJson>
    : {};
}

function fromJsonSchema(
  s: PbJson,
  defs: Record<string, PbJson>,
  depth = 0,
): AnyFlyteType {
  if (depth > 64 || !s || typeof s !== "object" || Array.isArray(s)) {
    return t.json;
  }
  const o = s as JsonObject;
  if (typeof o["$ref"] === "string") {
    const name = o["$ref"].split("/").pop()!;
    return defs[name] ? fromJsonSchema(defs[name], defs, depth + 1) : t.json;
  }
  if (Array.isArray(o.allOf) && o.allOf.length === 1) {
    return fromJsonSchema(o.allOf[0], defs, depth + 1);
  }
  const alts = (o.anyOf ?? o.oneOf) as PbJson[] | undefined;
  if (Array.isArray(alts)) {
    const isNull = (x: PbJson) =>
      !!x && typeof x === "object" && !Array.isArray(x) && x.type === "null";
    const rest = alts.filter((x) => !isNull(x));
    const types = rest.map((x) => fromJsonSchema(x, defs, depth + 1));
    const inner = types.length === 1 ? types[0] : t.union(...types);
    return rest.length < alts.length ? t.optional(inner) : inner;
  }
  if (Array.isArray(o.enum)) {
    return o.enum.every((x) => typeof x === "string")
      ? t.enum(o.enum as string[])
      : t.json;
  }
  if (Array.isArray(o.type)) {
    const ts = o.type.filter((x) => x !== "null");
    const inner = ts.length === 1
      ? fromJsonSchema({ ...o, type: ts[0] }, defs, depth + 1)
      : t.json;
    return ts.length < o.type.length ? t.optional(inner) : inner;
  }
  switch (o.type) {
    case "integer":
      return looseInt;
    case "number":
      return o.format === "time-delta" ? t.duration : t.float;
    case "string":
      if (o.format === "date-time") return t.datetime;
      if (o.format === "duration") return t.duration;
      return t.string;
    case "boolean":
      return t.bool;
    case "null":
      return t.none;
    case "array":
      return t.list(
        o.items ? fromJsonSchema(o.items, defs, depth + 1) : t.json,
      );
    case "object": {
      if (o.title === "FlyteFile") return t.file();
      if (o.title === "FlyteDirectory") return t.directory();
      if (o.title === "StructuredDataset") return t.dataframe();
      const props = o.properties;
      if (props && typeof props === "object" && !Array.isArray(props)) {
        const fields: Record<string, AnyFlyteType> = {};
        const req = Array.isArray(o.required) ? o.required : [];
        const keys = [
          ...req.filter((k): k is string =>
            typeof k === "string" && k in props
          ),
          ...Object.keys(props).filter((k) => !req.includes(k)),
        ];
        for (const k of keys) {
          fields[k] = fromJsonSchema(props[k], defs, depth + 1);
        }
        return internal.record(fields, {
          name: typeof o.title === "string" ? o.title : "Record",
          defaults: fieldsWithDefaults(o, Object.keys(fields)),
        });
      }
      const ap = o.additionalProperties;
      if (ap && typeof ap === "object" && !Array.isArray(ap)) {
        return t.map(fromJsonSchema(ap, defs, depth + 1));
      }
      return t.json;
    }
  }
  return t.json;
}

/** Fields a JSON schema gives a default, or does not require. */
function fieldsWithDefaults(schema: JsonObject, names: string[]): string[] {
  const props = schema.properties;
  const required = Array.isArray(schema.required) ? schema.required : names;
  return names.filter((n) => {
    const p = props && typeof props === "object" && !Array.isArray(props)
      ? props[n]
      : undefined;
    const hasDefault = !!p && typeof p === "object" && !Array.isArray(p) &&
      "default" in p;
    return hasDefault || !required.includes(n);
  });
}

function structType(lt: LiteralType): AnyFlyteType {
  const md = lt.metadata;
  const dc = lt.structure?.dataclassType ?? {};
  const dcNames = Object.keys(dc);
  if (md && typeof md["pb_type"] === "string") {
    return keepLiteralType(t.json, lt);
  }
  if (dcNames.length > 0) {
    // Field order: Python's, as far as it can be recovered. The schema's
    // "required" list is in dataclass order (it is a list; the properties
    // and dataclass_type are maps, whose order the wire does not keep).
    const order: string[] = [];
    const add = (k: unknown) => {
      if (typeof k === "string" && k in dc && !order.includes(k)) order.push(k);
    };
    if (Array.isArray(md?.required)) md.required.forEach(add);
    const props = md?.properties;
    if (props && typeof props === "object" && !Array.isArray(props)) {
      Object.keys(props).forEach(add);
    }
    dcNames.forEach(add);
    const fields: Record<string, AnyFlyteType> = {};
    for (const k of order) fields[k] = typeFromLiteralType(dc[k]);
    return internal.record(fields, {
      name: typeof md?.title === "string" ? md.title : "Record",
      literalType: lt,
      defaults: md ? fieldsWithDefaults(md, order) : [],
    });
  }
  if (md && (md.properties || md["$ref"])) {
    let root: PbJson = md;
    const defs = schemaDefs(md);
    if (typeof md["$ref"] === "string") {
      root = defs[md["$ref"].split("/").pop()!] ?? md;
    }
    const r = fromJsonSchema(root, defs);
    if (r.kind === "record") return keepLiteralType(r, lt);
  }
  return keepLiteralType(t.json, lt);
}

function schemaType(lt: LiteralType): AnyFlyteType {
  const st = lt.type.case === "schema" ? lt.type.value : undefined;
  return {
    ...t.dataframe(),
    name: "schema",
    literalType: lt,
    tag: "FlyteSchema Transformer",
    toLiteral(v: StructuredDataset | string | URL) {
      const uri = v instanceof StructuredDataset ? v.uri : String(v);
      return scalarLiteral({
        case: "schema",
        value: {
          $typeName: "flyteidl.core.Schema",
          uri,
          type: st,
        },
      });
    },
  };
}

function unknownType(lt: LiteralType, why: string): AnyFlyteType {
  return {
    kind: "unknown",
    name: "unknown",
    literalType: lt,
    tag: "",
    toLiteral: () => fail(`cannot write a value of this type: ${why}`),
    fromLiteral: (lit) => valueFromLiteral(lit),
    match: () => 0,
    toMsgpack: () => fail(`cannot write a value of this type: ${why}`),
    fromMsgpack: (raw) => normalizeJson(raw),
    jsonSchema: () => ({}),
  };
}

function build(lt: LiteralType): AnyFlyteType {
  const ty = lt.type;
  switch (ty.case) {
    case "simple":
      switch (ty.value) {
        case SimpleType.NONE:
          return t.none;
        case SimpleType.INTEGER:
          return looseInt;
        case SimpleType.FLOAT:
          return t.float;
        case SimpleType.STRING:
          return t.string;
        case SimpleType.BOOLEAN:
          return t.bool;
        case SimpleType.DATETIME:
          return t.datetime;
        case SimpleType.DURATION:
          return t.duration;
        case SimpleType.ERROR:
          return errorType;
        case SimpleType.STRUCT:
          return structType(lt);
        case SimpleType.BINARY:
          return unknownType(lt, "simple type BINARY");
      }
      return unknownType(lt, `simple type ${String(lt.type.value)}`);
    case "collectionType":
      return keepLiteralType(t.list(typeFromLiteralType(ty.value)), lt);
    case "mapValueType":
      return keepLiteralType(t.map(typeFromLiteralType(ty.value)), lt);
    case "blob": {
      const f =
        ty.value.dimensionality === BlobType_BlobDimensionality.MULTIPART
          ? t.directory(ty.value.format)
          : t.file(ty.value.format);
      return keepLiteralType(f, lt);
    }
    case "enumType":
      return ty.value.values.length
        ? keepLiteralType(t.enum(ty.value.values), lt)
        : unknownType(lt, "an enum without values");
    case "unionType": {
      const remote = ty.value.variants;
      // Keep each variant's tag (e.g. "Pydantic Transformer" for a model).
      const vs = remote.map((v) => {
        const x = typeFromLiteralType(v);
        const tag = v.structure?.tag;
        return tag && tag !== x.tag ? { ...x, tag } : x;
      });
      if (vs.length === 0) return unknownType(lt, "a union without variants");
      const nones = vs.filter((v) => v.kind === "none").length;
      const u = internal.unionOf(vs, vs.length === 2 && nones === 1, remote);
      return keepLiteralType(
        { ...u, name: vs.map((v) => v.name).join(" | ") },
        lt,
      );
    }
    case "structuredDatasetType": {
      const cols: Record<string, AnyFlyteType> = {};
      for (const c of ty.value.columns) {
        if (c.literalType) cols[c.name] = typeFromLiteralType(c.literalType);
      }
      return internal.dataframe(cols, ty.value.format, lt);
    }
    case "schema":
      return schemaType(lt);
  }
  return unknownType(lt, "an empty LiteralType");
}

/**
 * A type for a LiteralType read from a remote interface, so that values of
 * any registered entity (Python ones included) come back as sensible JS
 * values with no hints: INTEGER reads as a number (a bigint when outside the
 * safe range), records as objects with their fields converted (from
 * `structure.dataclass_type`, else the JSON schema), untyped STRUCTs as JSON,
 * blobs as FlyteFile/FlyteDirectory (a pickle as a FlyteFile of format
 * "PythonPickle"), and so on. The type keeps the LiteralType it was made from.
 *
 * @example
 * ```ts
 * import { t, typeFromLiteralType } from "./mod.ts";
 * const lt = t.list(t.optional(t.string)).literalType;
 * console.log(typeFromLiteralType(lt).name); // "list<string | none>"
 * ```
 */
export function typeFromLiteralType(literalType: LiteralType): AnyFlyteType {
  let ty = CACHE.get(literalType);
  if (!ty) {
    ty = build(literalType);
    CACHE.set(literalType, ty);
  }
  return ty;
}

// ------------------------------------------------------------ valueFromLiteral

/**
 * Reads any literal into a JS value without a type: primitives as numbers
 * (bigint beyond the safe range), strings, booleans, Dates and Durations;
 * none as null; msgpack binaries and structs as JSON data; blobs as
 * FlyteFile/FlyteDirectory; datasets as StructuredDataset; unions by their
 * variant type; collections and maps recursively.
 *
 * @example
 * ```ts
 * import { valueFromLiteral } from "./guess.ts";
 * import { t, toLiteral } from "./mod.ts";
 * console.log(valueFromLiteral(toLiteral([1, 2], t.list(t.int)))); // [1, 2]
 * ```
 */
export function valueFromLiteral(lit: Literal): unknown {
  refuseOffloaded(lit);
  const v = lit.value;
  if (v.case === "collection") {
    const lits = v.value.literals;
    const out = new Array(lits.length);
    let i = 0;
    try {
      for (; i < lits.length; i++) out[i] = valueFromLiteral(lits[i]);
    } catch (e) {
      rethrowWithin(e, i);
    }
    return out;
  }
  if (v.case === "map") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v.value.literals)) {
      try {
        Object.defineProperty(out, k, {
          value: valueFromLiteral(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } catch (e) {
        rethrowWithin(e, k);
      }
    }
    return out;
  }
  const s = scalarOf(lit);
  switch (s?.case) {
    case "primitive": {
      const p = s.value.value;
      switch (p.case) {
        case "integer":
          return p.value >= -9007199254740991n && p.value <= 9007199254740991n
            ? Number(p.value)
            : p.value;
        case "floatValue":
        case "stringValue":
        case "boolean":
          return p.value;
        case "datetime":
          return dateOf(Number(p.value.seconds), p.value.nanos);
        case "duration":
          return new Duration(Number(p.value.seconds), p.value.nanos);
      }
      return fail("empty primitive literal");
    }
    case "noneType":
      return null;
    case "binary": {
      const raw = msgpackOf(lit);
      return raw === NOT_MSGPACK ? undefined : normalizeJson(raw);
    }
    case "generic":
      return genericOf(lit) as JsonValue;
    case "blob": {
      const bt = s.value.metadata?.type;
      if (bt?.dimensionality === BlobType_BlobDimensionality.MULTIPART) {
        return new FlyteDirectory(s.value.uri, { format: bt.format });
      }
      return new FlyteFile(s.value.uri, {
        format: bt?.format ?? "",
        metadata: { ...lit.metadata },
      });
    }
    case "structuredDataset":
      return new StructuredDataset(s.value.uri, {
        format: s.value.metadata?.structuredDatasetType?.format ?? "",
      });
    case "schema":
      return new StructuredDataset(s.value.uri, { format: "parquet" });
    case "error":
      return new FlyteErrorValue(s.value.failedNodeId, s.value.message);
    case "union": {
      const inner = s.value.value;
      if (!inner) return fail("union literal without a value");
      return s.value.type
        ? typeFromLiteralType(s.value.type).fromLiteral(inner)
        : valueFromLiteral(inner);
    }
  }
  return fail(`cannot read ${describeLiteral(lit)}`);
}

/** Re-exported for the converters. */
export type { FlyteType };
