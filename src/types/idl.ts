/**
 * Names for the flyteidl messages the type engine's API speaks in. They are
 * the generated protobuf-es types themselves (aliases), so values pass
 * freely between this module and code using `@flyteidl/core/*` directly.
 *
 * @module
 */
import type * as literals from "@flyteidl/core/literals_pb.ts";
import type * as types from "@flyteidl/core/types_pb.ts";
import type * as iface from "@flyteidl/core/interface_pb.ts";
import type * as protobuf from "@bufbuild/protobuf";

/**
 * A flyteidl `core.Literal` message.
 *
 * @example
 * ```ts
 * import { type Literal, t, toLiteral } from "./mod.ts";
 * const lit: Literal = toLiteral(1, t.int);
 * console.log(lit.value.case); // "scalar"
 * ```
 */
export type Literal = literals.Literal;
/**
 * A flyteidl `core.LiteralMap` message (an interface's values).
 *
 * @example
 * ```ts
 * import { type LiteralMap, t, toLiteralMap } from "./mod.ts";
 * const map: LiteralMap = toLiteralMap({ n: 1 }, { n: t.int });
 * console.log(Object.keys(map.literals)); // ["n"]
 * ```
 */
export type LiteralMap = literals.LiteralMap;
/**
 * A flyteidl `core.LiteralType` message.
 *
 * @example
 * ```ts
 * import { type LiteralType, t } from "./mod.ts";
 * const lt: LiteralType = t.list(t.int).literalType;
 * console.log(lt.type.case); // "collectionType"
 * ```
 */
export type LiteralType = types.LiteralType;
/**
 * A flyteidl `core.Variable` message (one entry of a VariableMap).
 *
 * @example
 * ```ts
 * import type { Variable } from "./mod.ts";
 * function typeOf(v: Variable) {
 *   return v.type;
 * }
 * console.log(typeof typeOf);
 * ```
 */
export type Variable = iface.Variable;
/**
 * A JSON object, as protobuf-es represents `google.protobuf.Struct`.
 *
 * @example
 * ```ts
 * import { type JsonObject, t } from "./mod.ts";
 * const schema: JsonObject | undefined = t.record({ a: t.int }).literalType.metadata;
 * console.log(schema?.title); // "Record"
 * ```
 */
export type JsonObject = protobuf.JsonObject;
