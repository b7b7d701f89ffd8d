/**
 * Printing flyteidl messages in error messages, and the identity keys the
 * compiler indexes tasks, launch plans and sub-workflows by.
 *
 * @module
 */
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { toText } from "@bufbuild/protobuf/txtpb";
import {
  type Identifier,
  IdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
} from "@flyteidl/core/types_pb.ts";

/**
 * A message in one-line protobuf text format (`simple:INTEGER`), close to
 * what Flyte's Go compiler prints; `""` for a missing message.
 */
export function oneLine<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc> | undefined,
): string {
  if (message === undefined) return "";
  return toText(schema, message).trim().split("\n").map((l) => l.trim())
    .join(" ").replace(/: \{ ?/g, ":{").replace(/ \}/g, "}")
    .replace(/^(\w+): /, "$1:").replace(/ (\w+): /g, " $1:")
    .replace(/\{(\w+): /g, "{$1:");
}

/** An identifier as Flyte prints it in messages. */
export function idText(id: Identifier | undefined): string {
  return oneLine(IdentifierSchema, id);
}

/**
 * The key an identifier is indexed by: two identifiers are the same entity
 * exactly when every field matches (Flyte compares their printed forms).
 */
export function idKey(id: Identifier | undefined): string {
  if (id === undefined) return "";
  return [id.resourceType, id.project, id.domain, id.name, id.version, id.org]
    .join("\u0000");
}

/** A literal type as Flyte prints it in messages (`None` when missing). */
export function typeText(t: LiteralType | undefined): string {
  if (t === undefined) return "None";
  return oneLine(LiteralTypeSchema, t);
}
