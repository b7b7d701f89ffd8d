/**
 * Comparing the JSON schemas flytekit stores in a STRUCT literal type's
 * metadata (dataclasses, Pydantic models; draft 2020-12 as mashumaro writes
 * it). Flyte accepts a struct binding when both schemas are the same JSON, or
 * when the source schema is a subtype of the target one (a child class into
 * a parent, a bigger model into a smaller one).
 *
 * Flyte's Go compiler uses a JSON-schema comparison library for the subtype
 * test and ignores what that library does not implement (e.g.
 * `additionalProperties`). This module is a structural equivalent covering
 * the keywords flytekit emits: type, properties, required, items, enum/const,
 * anyOf/oneOf/allOf, local `$ref`s, and numeric/string/array bounds.
 * Annotations (title, description, default, examples) never matter.
 *
 * @module
 */

type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Deep equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (typeof a === "object") {
    const ao = a as Obj, bo = b as Obj;
    const ak = Object.keys(ao), bk = Object.keys(bo);
    if (ak.length !== bk.length) return false;
    return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
  }
  return false;
}

const ANY: Obj = {};

interface Doc {
  root: Json;
}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Follows local `$ref`s (`#`, `#/$defs/X`, `#/definitions/X`, JSON pointers). */
function resolve(schema: Json | undefined, doc: Doc, depth = 0): Obj | false {
  if (schema === undefined || schema === true) return ANY;
  if (schema === false) return false;
  if (!isObj(schema)) return ANY;
  const ref = schema["$ref"];
  if (typeof ref === "string" && ref.startsWith("#") && depth < 32) {
    let target: Json | undefined = doc.root;
    for (const raw of ref.slice(1).split("/").filter((p) => p !== "")) {
      const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(
        /~0/g,
        "~",
      );
      target = isObj(target) ? target[part] : undefined;
    }
    if (target === undefined) return ANY;
    const { $ref: _ref, ...rest } = schema;
    const resolved = resolve(target, doc, depth + 1);
    if (resolved === false) return false;
    return { ...resolved, ...rest };
  }
  return schema;
}

function types(s: Obj): Set<string> | undefined {
  const t = s["type"];
  if (typeof t === "string") return new Set([t]);
  if (Array.isArray(t)) {
    return new Set(t.filter((x) => typeof x === "string") as string[]);
  }
  return undefined;
}

function lowerBoundOk(key: string, src: Obj, tgt: Obj): boolean {
  if (typeof tgt[key] !== "number") return true;
  return typeof src[key] === "number" &&
    (src[key] as number) >= (tgt[key] as number);
}

function upperBoundOk(key: string, src: Obj, tgt: Obj): boolean {
  if (typeof tgt[key] !== "number") return true;
  return typeof src[key] === "number" &&
    (src[key] as number) <= (tgt[key] as number);
}

function sub(
  srcRaw: Json | undefined,
  srcDoc: Doc,
  tgtRaw: Json | undefined,
  tgtDoc: Doc,
  depth: number,
): boolean {
  if (depth > 64) return true;
  const src = resolve(srcRaw, srcDoc);
  const tgt = resolve(tgtRaw, tgtDoc);
  if (src === false) return true; // nothing is valid: fits anywhere
  if (tgt === false) return false;
  const next = (s: Json | undefined, t: Json | undefined) =>
    sub(s, srcDoc, t, tgtDoc, depth + 1);

  // Alternatives in the source: each must fit the target.
  for (const key of ["anyOf", "oneOf"]) {
    const alts = src[key];
    if (Array.isArray(alts)) {
      const { [key]: _alts, ...rest } = src;
      return alts.every((alt) =>
        next({ ...rest, ...(isObj(alt) ? alt : {}) }, tgt)
      );
    }
  }
  if (Array.isArray(src["allOf"])) {
    const { allOf, ...rest } = src;
    const merged = (allOf as Json[]).reduce<Obj>(
      (acc, part) => ({ ...acc, ...(isObj(part) ? part : {}) }),
      rest,
    );
    return next(merged, tgt);
  }
  // Alternatives in the target: the source must fit one of them.
  for (const key of ["anyOf", "oneOf"]) {
    const alts = tgt[key];
    if (Array.isArray(alts)) {
      const { [key]: _alts, ...rest } = tgt;
      if (!next(src, rest)) return false;
      return alts.some((alt) => next(src, alt));
    }
  }
  if (Array.isArray(tgt["allOf"])) {
    const { allOf, ...rest } = tgt;
    return next(src, rest) &&
      (allOf as Json[]).every((part) => next(src, part));
  }

  // type: the source's types must be among the target's.
  const tt = types(tgt);
  if (tt !== undefined) {
    const st = types(src);
    if (st === undefined) return false;
    for (const t of st) {
      if (!(tt.has(t) || (t === "integer" && tt.has("number")))) return false;
    }
  }

  // enum / const: the source's values must all be allowed.
  const allowed = Array.isArray(tgt["enum"])
    ? tgt["enum"] as Json[]
    : Object.hasOwn(tgt, "const")
    ? [tgt["const"]]
    : undefined;
  if (allowed !== undefined) {
    const values = Array.isArray(src["enum"])
      ? src["enum"] as Json[]
      : Object.hasOwn(src, "const")
      ? [src["const"]]
      : undefined;
    if (values === undefined) return false;
    if (!values.every((v) => allowed.some((a) => jsonEqual(a, v)))) {
      return false;
    }
  }

  // required: everything the target requires, the source requires too.
  if (Array.isArray(tgt["required"])) {
    const have = new Set(Array.isArray(src["required"]) ? src["required"] : []);
    if (!(tgt["required"] as Json[]).every((r) => have.has(r))) return false;
  }

  // properties: each property the target constrains must fit.
  if (isObj(tgt["properties"])) {
    const sp = isObj(src["properties"]) ? src["properties"] : {};
    for (const [name, tSchema] of Object.entries(tgt["properties"])) {
      if (Object.hasOwn(sp, name)) {
        if (!next(sp[name], tSchema)) return false;
      } else if (
        resolve(tSchema, tgtDoc) !== ANY &&
        !jsonEqual(resolve(tSchema, tgtDoc), {})
      ) {
        return false;
      }
    }
  }

  // items (and prefixItems / additionalItems-free tuples).
  if (tgt["items"] !== undefined && tgt["items"] !== true) {
    if (src["items"] === undefined) return false;
    if (!next(src["items"], tgt["items"])) return false;
  }
  if (Array.isArray(tgt["prefixItems"])) {
    const sp = Array.isArray(src["prefixItems"]) ? src["prefixItems"] : [];
    const tp = tgt["prefixItems"] as Json[];
    if (sp.length < tp.length) return false;
    if (!tp.every((t, i) => next(sp[i], t))) return false;
  }
  if (
    tgt["additionalProperties"] !== undefined &&
    isObj(tgt["additionalProperties"])
  ) {
    // dict[str, T]: value schemas must fit.
    if (!isObj(src["additionalProperties"])) return false;
    if (!next(src["additionalProperties"], tgt["additionalProperties"])) {
      return false;
    }
  }

  for (
    const k of [
      "minimum",
      "exclusiveMinimum",
      "minLength",
      "minItems",
      "minProperties",
    ]
  ) {
    if (!lowerBoundOk(k, src, tgt)) return false;
  }
  for (
    const k of [
      "maximum",
      "exclusiveMaximum",
      "maxLength",
      "maxItems",
      "maxProperties",
    ]
  ) {
    if (!upperBoundOk(k, src, tgt)) return false;
  }
  for (const k of ["pattern", "format", "multipleOf", "uniqueItems"]) {
    if (tgt[k] !== undefined && !jsonEqual(src[k], tgt[k])) return false;
  }
  return true;
}

/**
 * Whether every value valid under the `source` JSON schema is valid under
 * the `target` one (so a struct of the source type may be bound to a target
 * variable).
 *
 * @example
 * ```ts
 * import { jsonSchemaIsSubtype } from "./json_schema.ts";
 * const parent = { type: "object", required: ["a"], properties: { a: { type: "integer" } } };
 * const child = { type: "object", required: ["a", "b"], properties: { a: { type: "integer" }, b: { type: "string" } } };
 * console.log(jsonSchemaIsSubtype(child, parent), jsonSchemaIsSubtype(parent, child)); // true false
 * ```
 */
export function jsonSchemaIsSubtype(source: unknown, target: unknown): boolean {
  const s = source as Json, t = target as Json;
  return sub(s, { root: s }, t, { root: t }, 0);
}
