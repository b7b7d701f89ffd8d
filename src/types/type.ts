/**
 * The shape every Flyte type in the vocabulary has, and the TypeScript
 * helpers that infer value types from them.
 *
 * @module
 */
import type { JsonObject, Literal, LiteralType } from "./idl.ts";

/**
 * The kinds of types in the vocabulary.
 *
 * @example
 * ```ts
 * import { t, type TypeKind } from "./mod.ts";
 * const kind: TypeKind = t.list(t.int).kind; // "list"
 * console.log(kind);
 * ```
 */
export type TypeKind =
  | "int"
  | "bigint"
  | "float"
  | "string"
  | "bool"
  | "datetime"
  | "duration"
  | "none"
  | "list"
  | "map"
  | "record"
  | "enum"
  | "union"
  | "file"
  | "directory"
  | "dataframe"
  | "json"
  | "error"
  | "unknown";

/**
 * A Flyte type known at run time: its LiteralType and the conversions of
 * its values both ways. `Out` is the value type read back, `In` what a
 * writer accepts (e.g. a file type accepts a URI string and gives back a
 * FlyteFile).
 *
 * Conversions throw {@link TypeTransformError} with the path inside the value;
 * prefer the top-level `toLiteral`/`fromLiteral`, which also set the root.
 *
 * @example
 * ```ts
 * import { t, type Infer } from "./mod.ts";
 * const Point = t.record({ x: t.float, y: t.float }, { name: "Point" });
 * type Point = Infer<typeof Point>; // { x: number; y: number }
 * const lit = Point.toLiteral({ x: 1, y: 2 });
 * const back: Point = Point.fromLiteral(lit);
 * console.log(back);
 * ```
 */
export interface FlyteType<Out = unknown, In = Out> {
  /** Which kind of type this is. */
  readonly kind: TypeKind;
  /** A readable name, e.g. `list<int>`. */
  readonly name: string;
  /** The flyteidl LiteralType (shared; do not mutate). */
  readonly literalType: LiteralType;
  /** flytekit's transformer name, used as the union structure tag. */
  readonly tag: string;
  /** Converts a value to a Literal. */
  toLiteral(value: In): Literal;
  /** Converts a Literal to a value. */
  fromLiteral(literal: Literal): Out;
  /**
   * How well a value fits: 0 not at all, 1 convertible, 2 exactly. Unions
   * pick the best variant with it.
   */
  match(value: unknown): number;
  /** The value as it appears inside a msgpack record (flytekit's encoding). */
  toMsgpack(value: In): unknown;
  /** A value from its msgpack (or JSON) form inside a record. */
  fromMsgpack(raw: unknown): Out;
  /** The JSON schema of the type (mashumaro's form), for record metadata. */
  jsonSchema(): JsonObject;
}

/**
 * A type whose values may be absent (`t.optional`): record keys become optional.
 *
 * @example
 * ```ts
 * import { type OptionalFlyteType, t } from "./mod.ts";
 * const O: OptionalFlyteType<number, number> = t.optional(t.int);
 * console.log(O.optional); // true
 * ```
 */
export interface OptionalFlyteType<Out, In>
  extends FlyteType<Out | null, In | null | undefined> {
  /** Marks optional types. */
  readonly optional: true;
}

/**
 * Any Flyte type.
 *
 * @example
 * ```ts
 * import { type AnyFlyteType, t } from "./mod.ts";
 * const types: AnyFlyteType[] = [t.int, t.list(t.string)];
 * console.log(types.map((x) => x.name)); // ["int", "list<string>"]
 * ```
 */
// deno-lint-ignore no-explicit-any
export type AnyFlyteType = FlyteType<any, any>;

/**
 * The value type a Flyte type reads back.
 *
 * @example
 * ```ts
 * import { t, type Infer } from "./mod.ts";
 * const T = t.list(t.optional(t.string));
 * const v: Infer<typeof T> = ["a", null];
 * console.log(v);
 * ```
 */
export type Infer<T> = T extends FlyteType<infer O, infer _I> ? O : never;

/**
 * The value type a Flyte type accepts when writing.
 *
 * @example
 * ```ts
 * import { t, type InferInput } from "./mod.ts";
 * const T = t.file("csv");
 * const v: InferInput<typeof T> = "s3://bucket/a.csv";
 * console.log(v);
 * ```
 */
export type InferInput<T> = T extends FlyteType<infer _O, infer I> ? I : never;

/**
 * The fields of a record type.
 *
 * @example
 * ```ts
 * import { type RecordFields, t } from "./mod.ts";
 * const fields: RecordFields = { a: t.int, b: t.optional(t.string) };
 * console.log(t.record(fields).name); // "Record"
 * ```
 */
export type RecordFields = Record<string, AnyFlyteType>;

/**
 * The keys of record fields whose types are optional (`t.optional`).
 *
 * @example
 * ```ts
 * import { type OptionalKeys, t } from "./mod.ts";
 * const fields = { a: t.int, b: t.optional(t.string) };
 * const k: OptionalKeys<typeof fields> = "b";
 * console.log(k);
 * ```
 */
export type OptionalKeys<F> = {
  [K in keyof F]: F[K] extends { readonly optional: true } ? K : never;
}[keyof F];
/**
 * The keys of record fields that are required.
 *
 * @example
 * ```ts
 * import { type RequiredKeys, t } from "./mod.ts";
 * const fields = { a: t.int, b: t.optional(t.string) };
 * const k: RequiredKeys<typeof fields> = "a";
 * console.log(k);
 * ```
 */
export type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
/**
 * Flattens an intersection type for readable hovers.
 *
 * @example
 * ```ts
 * import type { Simplify } from "./mod.ts";
 * const v: Simplify<{ a: number } & { b?: string }> = { a: 1 };
 * console.log(v);
 * ```
 */
export type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/**
 * The value type of a record read back (optional fields may be missing).
 *
 * @example
 * ```ts
 * import { type RecordValue, t } from "./mod.ts";
 * const fields = { a: t.int, b: t.optional(t.string) };
 * const v: RecordValue<typeof fields> = { a: 1, b: null };
 * console.log(v);
 * ```
 */
export type RecordValue<F extends RecordFields> = Simplify<
  & { [K in RequiredKeys<F>]: Infer<F[K]> }
  & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/**
 * The value type a record accepts when writing.
 *
 * @example
 * ```ts
 * import { type RecordInput, t } from "./mod.ts";
 * const fields = { f: t.file(), b: t.optional(t.string) };
 * const v: RecordInput<typeof fields> = { f: "s3://bucket/key" };
 * console.log(v);
 * ```
 */
export type RecordInput<F extends RecordFields> = Simplify<
  & { [K in RequiredKeys<F>]: InferInput<F[K]> }
  & { [K in OptionalKeys<F>]?: InferInput<F[K]> }
>;

/**
 * Any JSON value (what `t.json` holds); bigint for 64-bit integers.
 *
 * @example
 * ```ts
 * import { type JsonValue, t, toLiteral } from "./mod.ts";
 * const v: JsonValue = { a: [1, "x", null], big: 1n << 60n };
 * console.log(toLiteral(v, t.json).value.case); // "scalar"
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | JsonValue[]
  | { [key: string]: JsonValue };
