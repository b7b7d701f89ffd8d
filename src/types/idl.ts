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

/** A flyteidl `core.Literal` message. */
export type Literal = literals.Literal;
/** A flyteidl `core.LiteralMap` message (an interface's values). */
export type LiteralMap = literals.LiteralMap;
/** A flyteidl `core.LiteralType` message. */
export type LiteralType = types.LiteralType;
/** A flyteidl `core.Variable` message (one entry of a VariableMap). */
export type Variable = iface.Variable;
/** A JSON object, as protobuf-es represents `google.protobuf.Struct`. */
export type JsonObject = protobuf.JsonObject;
