/**
 * The type engine: TypeScript values to flyteidl Literals and back, with the
 * encodings flytekit 1.16 uses, so values interoperate with Python tasks.
 *
 * - `t`: the runtime vocabulary of Flyte types (TypeScript infers value
 *   types from it with `Infer<typeof T>`).
 * - `toLiteral` / `fromLiteral`, `toLiteralMap` / `fromLiteralMap`: single
 *   values and whole interfaces, typed or guessed.
 * - `guessType`, `typeFromLiteralType`: types without hints.
 * - `TypeTransformError`: every failure, with the variable and path.
 * - `encodeLiteralMap` / `decodeLiteralMap` (and for one Literal): the same
 *   bytes and messages as protobuf-es `toBinary` / `fromBinary`, several
 *   times faster on large literals (inputs.pb, outputs.pb).
 * - `encodeValues` / `decodeValues`: named values straight to those bytes
 *   and back (the same bytes and values as the two steps above), without a
 *   Literal per item for lists of ints, floats, strings and booleans.
 *
 * Owns: src/types/. Imports only the generated flyteidl bindings,
 * @bufbuild/protobuf and @msgpack/msgpack; nothing else in src/ (remote,
 * sdk, runtime and sandbox import this folder, never the reverse).
 * Literals are built as plain protobuf-es message objects (what `create()`
 * makes, without its per-call cost); LiteralTypes are shared between values
 * and must not be mutated.
 *
 * @example
 * ```ts
 * import { fromLiteralMap, t, toLiteralMap } from "./mod.ts";
 * const Row = t.record({ sku: t.string, price: t.float }, { name: "Row" });
 * const vars = { rows: t.list(Row), day: t.datetime };
 * const map = toLiteralMap({ rows: [{ sku: "a", price: 2 }], day: new Date() }, vars);
 * const { rows } = fromLiteralMap(map, vars);
 * console.log(rows[0].price); // 2
 * ```
 *
 * @module
 */
export { t } from "./vocabulary.ts";
export type {
  AnyFlyteType,
  FlyteType,
  Infer,
  InferInput,
  JsonValue,
  OptionalFlyteType,
  OptionalKeys,
  RecordFields,
  RecordInput,
  RecordValue,
  RequiredKeys,
  Simplify,
  TypeKind,
} from "./type.ts";
export type {
  JsonObject,
  Literal,
  LiteralMap,
  LiteralType,
  Variable,
} from "./idl.ts";
export type { RecordOptions } from "./vocabulary.ts";
export {
  fromLiteral,
  fromLiteralMap,
  type FromLiteralMapOptions,
  type InputsOf,
  type OutputsOf,
  type RemoteVariables,
  toLiteral,
  toLiteralMap,
  type ToLiteralMapOptions,
  type TypeLike,
  type Variables,
} from "./convert.ts";
export { guessType, typeFromLiteralType } from "./guess.ts";
export {
  decodeLiteral,
  decodeLiteralMap,
  encodeLiteral,
  encodeLiteralMap,
} from "./wire.ts";
export { decodeValues, encodeValues } from "./direct.ts";
export { type PathSegment, TypeTransformError } from "./errors.ts";
export {
  Duration,
  FlyteDirectory,
  FlyteErrorValue,
  FlyteFile,
  PreciseDate,
  StructuredDataset,
} from "./values.ts";
