/**
 * The top-level conversions: one value, and whole interfaces (LiteralMaps).
 *
 * @module
 */
import type { Literal, LiteralMap, LiteralType, Variable } from "./idl.ts";
import { TypeTransformError } from "./errors.ts";
import { literalMap } from "./literals.ts";
import type { AnyFlyteType, Infer, InferInput } from "./type.ts";
import { guessType, typeFromLiteralType, valueFromLiteral } from "./guess.ts";

/**
 * A type given as a vocabulary type or as a flyteidl LiteralType.
 *
 * @example
 * ```ts
 * import { t, type TypeLike } from "./mod.ts";
 * const ty: TypeLike = t.list(t.int); // or a core.LiteralType
 * console.log(ty);
 * ```
 */
export type TypeLike = AnyFlyteType | LiteralType;

/**
 * An interface's variables: a VariableMap's `variables`, or `t` types.
 *
 * @example
 * ```ts
 * import { t, type Variables } from "./mod.ts";
 * const vars: Variables = { n: t.int, s: t.string };
 * console.log(Object.keys(vars));
 * ```
 */
export type Variables = Readonly<
  Record<string, AnyFlyteType | Variable | LiteralType>
>;

/**
 * Variables as a remote interface gives them: `Variable`s or LiteralTypes.
 *
 * @example
 * ```ts
 * import { type RemoteVariables, t } from "./mod.ts";
 * const vars: RemoteVariables = { n: t.int.literalType };
 * console.log(Object.keys(vars));
 * ```
 */
export type RemoteVariables = Readonly<Record<string, Variable | LiteralType>>;

function isMessage(x: unknown, typeName: string): boolean {
  return typeof x === "object" && x !== null &&
    (x as { $typeName?: string }).$typeName === typeName;
}

/**
 * Resolves a TypeLike to a vocabulary type.
 *
 * @example
 * ```ts
 * import { resolveType } from "./convert.ts";
 * import { t } from "./mod.ts";
 * console.log(resolveType(t.int.literalType).name); // "int"
 * ```
 */
export function resolveType(type: TypeLike): AnyFlyteType {
  return isMessage(type, "flyteidl.core.LiteralType")
    ? typeFromLiteralType(type as LiteralType)
    : type as AnyFlyteType;
}

/**
 * Resolves one interface variable to a vocabulary type (errors name it).
 *
 * @example
 * ```ts
 * import { resolveVariable } from "./convert.ts";
 * import { t } from "./mod.ts";
 * console.log(resolveVariable(t.int, "n").name); // "int"
 * ```
 */
export function resolveVariable(
  v: AnyFlyteType | Variable | LiteralType,
  name: string,
) {
  if (isMessage(v, "flyteidl.core.Variable")) {
    const lt = (v as Variable).type;
    if (!lt) {
      throw new TypeTransformError("the variable has no type").at(
        "interface",
        name,
      );
    }
    return typeFromLiteralType(lt);
  }
  return resolveType(v as TypeLike);
}

/**
 * Runs `f`, turning its errors into TypeTransformErrors rooted at
 * `root.variable`.
 *
 * @example
 * ```ts
 * import { rooted } from "./convert.ts";
 * console.log(rooted("inputs", "n", () => 1)); // 1
 * ```
 */
export function rooted<R>(
  root: string,
  variable: string | undefined,
  f: () => R,
): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof TypeTransformError) throw e.at(root, variable);
    if (e instanceof RangeError || e instanceof TypeError) {
      throw new TypeTransformError(e.message, { cause: e }).at(root, variable);
    }
    throw e;
  }
}

/**
 * The type to encode variable `name`'s value with, or undefined when the
 * value is missing and `partial` allows leaving it out; a missing value of a
 * type that is not optional is an error at `root.name`.
 *
 * @example
 * ```ts
 * import { typeToEncode } from "./convert.ts";
 * import { t } from "./mod.ts";
 * console.log(typeToEncode({ n: t.int }, "n", 1, "inputs")?.name); // "int"
 * console.log(typeToEncode({ n: t.int }, "n", undefined, "inputs", true)); // undefined
 * ```
 */
export function typeToEncode(
  variables: Variables,
  name: string,
  value: unknown,
  root: string,
  partial?: boolean,
): AnyFlyteType | undefined {
  const type = rooted(
    root,
    name,
    () => resolveVariable(variables[name], name),
  );
  if (value === undefined) {
    if (partial) return undefined;
    if ((type as { optional?: boolean }).optional !== true) {
      throw new TypeTransformError(
        `missing required value (type ${type.name})`,
      ).at(root, name);
    }
  }
  return type;
}

/**
 * Checks that every variable has an entry in `present` (the decoded map's
 * keys), unless `partial`; the first missing one is an error at `root.name`.
 *
 * @example
 * ```ts
 * import { checkAllPresent } from "./convert.ts";
 * import { t } from "./mod.ts";
 * checkAllPresent({ n: t.int }, { n: 1 }, "outputs"); // passes
 * checkAllPresent({ n: t.int }, {}, "outputs", true); // passes: partial
 * ```
 */
export function checkAllPresent(
  variables: Variables | undefined,
  present: object,
  root: string,
  partial?: boolean,
): void {
  if (!variables || partial) return;
  for (const name of Object.keys(variables)) {
    if (!(name in present)) {
      throw new TypeTransformError("missing from the literal map").at(
        root,
        name,
      );
    }
  }
}

/**
 * Converts a value to a flyteidl Literal, with the given type, or without one
 * by guessing it from the value (see {@link guessType}). Throws a
 * TypeTransformError naming the path inside the value (`value[3].price`).
 *
 * @example
 * ```ts
 * import { t, toLiteral } from "./mod.ts";
 * const lit = toLiteral([1, 2, 3], t.list(t.int));
 * console.log(lit.value.case); // "collection"
 * console.log(toLiteral("hi").value.case); // "scalar"
 * ```
 */
export function toLiteral<T extends AnyFlyteType>(
  value: InferInput<T>,
  type: T,
): Literal;
/** Converts a value to a Literal, guessing the type when none is given. */
export function toLiteral(value: unknown, type?: TypeLike): Literal;
export function toLiteral(value: unknown, type?: TypeLike): Literal {
  return rooted("value", undefined, () => {
    const ty = type === undefined ? guessType(value) : resolveType(type);
    return ty.toLiteral(value);
  });
}

/**
 * Converts a Literal to a JS value, with the given type (a `t` type or a
 * LiteralType from a remote interface), or by reading the literal alone.
 *
 * @example
 * ```ts
 * import { fromLiteral, t, toLiteral } from "./mod.ts";
 * const lit = toLiteral({ a: [1, 2] }, t.json);
 * console.log(fromLiteral(lit, t.json)); // { a: [1, 2] }
 * console.log(fromLiteral(lit)); // { a: [1, 2] }
 * ```
 */
export function fromLiteral<T extends AnyFlyteType>(
  literal: Literal,
  type: T,
): Infer<T>;
/** Converts a Literal to a value, reading the literal alone when no type is given. */
export function fromLiteral(literal: Literal, type?: TypeLike): unknown;
export function fromLiteral(literal: Literal, type?: TypeLike): unknown {
  return rooted(
    "value",
    undefined,
    () =>
      type === undefined
        ? valueFromLiteral(literal)
        : resolveType(type).fromLiteral(literal),
  );
}

/**
 * Options of {@link toLiteralMap}.
 *
 * @example
 * ```ts
 * import { t, toLiteralMap, type ToLiteralMapOptions } from "./mod.ts";
 * const options: ToLiteralMapOptions = { root: "wf.inputs", partial: true };
 * console.log(toLiteralMap({}, { n: t.int.literalType }, options).literals); // {}
 * ```
 */
export interface ToLiteralMapOptions {
  /** The root of error paths. Default "inputs". */
  root?: string;
  /**
   * Leave out variables that have no value (for inputs with defaults that
   * the server fills in) instead of failing. Default false: a missing
   * optional variable becomes none, a missing required one is an error.
   */
  partial?: boolean;
}

/**
 * The values a `t`-typed interface accepts.
 *
 * @example
 * ```ts
 * import { type InputsOf, t } from "./mod.ts";
 * const vars = { n: t.int, note: t.optional(t.string) };
 * const inputs: InputsOf<typeof vars> = { n: 1 }; // note may be left out
 * console.log(inputs);
 * ```
 */
export type InputsOf<V extends Record<string, AnyFlyteType>> =
  & {
    [K in keyof V as V[K] extends { optional: true } ? never : K]: InferInput<
      V[K]
    >;
  }
  & {
    [K in keyof V as V[K] extends { optional: true } ? K : never]?: InferInput<
      V[K]
    >;
  };

/**
 * The values a `t`-typed interface reads back.
 *
 * @example
 * ```ts
 * import { type OutputsOf, t } from "./mod.ts";
 * const vars = { o0: t.list(t.float) };
 * const outputs: OutputsOf<typeof vars> = { o0: [1.5] };
 * console.log(outputs);
 * ```
 */
export type OutputsOf<V extends Record<string, AnyFlyteType>> = {
  [K in keyof V]: Infer<V[K]>;
};

/**
 * Converts named values to a LiteralMap for an interface. Every value is
 * checked before anything is returned; an unknown name, a missing required
 * value or a bad value throws a TypeTransformError naming the variable and
 * the path (`inputs.rows[3].price`).
 *
 * @example
 * ```ts
 * import { t, toLiteralMap } from "./mod.ts";
 * const map = toLiteralMap({ n: 3, name: "x" }, { n: t.int, name: t.string });
 * console.log(Object.keys(map.literals)); // ["n", "name"]
 * ```
 */
export function toLiteralMap<V extends Record<string, AnyFlyteType>>(
  values: InputsOf<V>,
  variables: V,
  options?: ToLiteralMapOptions,
): LiteralMap;
/**
 * Converts named values to a LiteralMap for a VariableMap's variables (or
 * LiteralTypes). A record of `t` types takes the typed form above, so its
 * values are checked at compile time.
 */
export function toLiteralMap(
  values: Readonly<Record<string, unknown>>,
  variables: RemoteVariables,
  options?: ToLiteralMapOptions,
): LiteralMap;
export function toLiteralMap(
  values: Readonly<Record<string, unknown>>,
  variables: Variables,
  options: ToLiteralMapOptions = {},
): LiteralMap {
  const root = options.root ?? "inputs";
  if (typeof values !== "object" || values === null) {
    throw new TypeTransformError(`expected an object of named values`).at(root);
  }
  const names = Object.keys(variables);
  for (const k of Object.keys(values)) {
    if (!(k in variables) && values[k] !== undefined) {
      throw new TypeTransformError(
        `unknown name "${k}" (the interface has ${
          names.join(", ") || "no variables"
        })`,
      ).at(root, k);
    }
  }
  const out: Record<string, Literal> = {};
  for (const name of names) {
    const value = values[name];
    const type = typeToEncode(variables, name, value, root, options.partial);
    if (type === undefined) continue;
    out[name] = rooted(root, name, () => type.toLiteral(value));
  }
  return literalMap(out);
}

/**
 * Options of {@link fromLiteralMap}.
 *
 * @example
 * ```ts
 * import { fromLiteralMap, type FromLiteralMapOptions, t, toLiteralMap } from "./mod.ts";
 * const options: FromLiteralMapOptions = { root: "inputs", partial: true };
 * const map = toLiteralMap({ n: 1 }, { n: t.int });
 * console.log(fromLiteralMap(map, { n: t.int.literalType }, options)); // { n: 1 }
 * ```
 */
export interface FromLiteralMapOptions {
  /** The root of error paths. Default "outputs". */
  root?: string;
  /** Allow variables that are not in the map (they are left out). Default false. */
  partial?: boolean;
}

/**
 * Converts a LiteralMap to named JS values: with the interface's variables
 * (a VariableMap's `variables` or `t` types) when given, each literal read
 * by its type; literals without a variable are read by themselves.
 *
 * @example
 * ```ts
 * import { fromLiteralMap, t, toLiteralMap } from "./mod.ts";
 * const vars = { n: t.int, when: t.datetime };
 * const map = toLiteralMap({ n: 1, when: new Date(0) }, vars);
 * const back = fromLiteralMap(map, vars);
 * console.log(back.n, back.when.toISOString()); // 1 "1970-01-01T00:00:00.000Z"
 * ```
 */
export function fromLiteralMap<V extends Record<string, AnyFlyteType>>(
  map: LiteralMap,
  variables: V,
  options?: FromLiteralMapOptions,
): OutputsOf<V>;
/**
 * Converts a LiteralMap to named values, with a VariableMap's variables (or
 * LiteralTypes) or without any.
 */
export function fromLiteralMap(
  map: LiteralMap,
  variables?: RemoteVariables,
  options?: FromLiteralMapOptions,
): Record<string, unknown>;
export function fromLiteralMap(
  map: LiteralMap,
  variables?: Variables,
  options: FromLiteralMapOptions = {},
): Record<string, unknown> {
  const root = options.root ?? "outputs";
  const out: Record<string, unknown> = {};
  const literals = map.literals;
  checkAllPresent(variables, literals, root, options.partial);
  for (const [name, lit] of Object.entries(literals)) {
    const v = variables?.[name];
    out[name] = rooted(
      root,
      name,
      () =>
        v === undefined
          ? valueFromLiteral(lit)
          : resolveVariable(v, name).fromLiteral(lit),
    );
  }
  return out;
}
