/**
 * Enums and unions in the type vocabulary: `t.enum([...])`, `t.union(...)`,
 * `t.optional(T)`, with flytekit's union tags.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { Literal, LiteralType } from "../idl.ts";
import {
  type BlobType,
  LiteralTypeSchema,
  TypeStructureSchema,
} from "@flyteidl/core/types_pb.ts";
import { describe, TypeTransformError } from "../errors.ts";
import {
  describeLiteral,
  NOT_MSGPACK,
  primitiveLiteral,
  refuseOffloaded,
  scalarOf,
  unionLiteral,
} from "../literals.ts";
import type {
  AnyFlyteType,
  FlyteType,
  Infer,
  InferInput,
  OptionalFlyteType,
  TypeKind,
} from "../type.ts";
import { fail, viaMsgpack, wrongLiteral } from "./common.ts";
import { noneType } from "./scalars.ts";

// ---------------------------------------------------------------- enum, union

/** `t.enum(values)`: one of fixed strings (a Python str Enum). */
export function enumType<const V extends readonly string[]>(
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
 * import { withStructureTag } from "./unions.ts";
 * import { t } from "../mod.ts";
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
 * import { sameShape } from "./unions.ts";
 * import { t } from "../mod.ts";
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

/** A union of `variants` (optional when `optionalFlag`; `remoteVariantTypes` keeps remote variant types and tags as they came). */
export function unionOf<V extends readonly AnyFlyteType[]>(
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

/** `t.union(...variants)`: one of several types, with flytekit's union tags. */
export function union<V extends readonly AnyFlyteType[]>(
  ...variants: V
): FlyteType<UnionOut<V>, UnionIn<V>> {
  return unionOf(variants, false);
}

/** `t.optional(T)`: T or null (a union with none). */
export function optional<T extends AnyFlyteType>(
  type: T,
): OptionalFlyteType<Infer<T>, InferInput<T>> {
  return unionOf([type, noneType], true) as unknown as OptionalFlyteType<
    Infer<T>,
    InferInput<T>
  >;
}
