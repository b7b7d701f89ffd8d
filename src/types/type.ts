/**
 * The shape every Flyte type in the vocabulary has, and the TypeScript
 * helpers that infer value types from them.
 *
 * @module
 */
import type { Literal } from "@flyteidl/core/literals_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import type { JsonObject } from "@bufbuild/protobuf";

/** The kinds of types in the vocabulary. */
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

/** A type whose values may be absent (`t.optional`): record keys become optional. */
export interface OptionalFlyteType<Out, In>
  extends FlyteType<Out | null, In | null | undefined> {
  /** Marks optional types. */
  readonly optional: true;
}

/** Any Flyte type. */
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

/** The fields of a record type. */
export type RecordFields = Record<string, AnyFlyteType>;

type OptionalKeys<F> = {
  [K in keyof F]: F[K] extends { readonly optional: true } ? K : never;
}[keyof F];
type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** The value type of a record read back (optional fields may be missing). */
export type RecordValue<F extends RecordFields> = Simplify<
  & { [K in RequiredKeys<F>]: Infer<F[K]> }
  & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/** The value type a record accepts when writing. */
export type RecordInput<F extends RecordFields> = Simplify<
  & { [K in RequiredKeys<F>]: InferInput<F[K]> }
  & { [K in OptionalKeys<F>]?: InferInput<F[K]> }
>;

/** Any JSON value (what `t.json` holds); bigint for 64-bit integers. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | JsonValue[]
  | { [key: string]: JsonValue };
