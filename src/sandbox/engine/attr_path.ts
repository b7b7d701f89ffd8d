/**
 * Attribute paths of a promise (`o0.field[2]`, flytekit's `dc.x` / `bm.xs`),
 * resolved as propeller's attribute-path resolver does
 * (flytepropeller/pkg/controller/nodes/attr_path_resolver.go):
 *
 * - through literal maps (string keys) and collections (int indexes);
 * - into a msgpack `Binary` (tag `msgpack`, flytekit's dataclasses and
 *   pydantic models): map keys must be strings, list indexes ints; what is
 *   found becomes a collection of msgpack Binaries when it is a list (so an
 *   array node can map over it), a primitive when it is a string, integer,
 *   float or bool, and stays a msgpack Binary otherwise (a nested object, a
 *   FlyteFile / FlyteDirectory / StructuredDataset dict, nil): flytekit's
 *   transformers read each of them from the Binary;
 * - into a `generic` Struct (older flytekit dataclasses): JSON values.
 *
 * @module
 */
import { create, type JsonValue } from "@bufbuild/protobuf";
import {
  type Binary,
  type Literal,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { PromiseAttribute } from "@flyteidl/core/types_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";
import {
  msgpackArrayItems,
  type MsgpackItem,
  msgpackItem,
  msgpackMapGet,
  MsgpackWalkError,
} from "./msgpack_walk.ts";

const MSGPACK = "msgpack";
const INT64_MAX = (1n << 63n) - 1n;

function pathError(where: string, message: string): NodeFailure {
  return new NodeFailure(
    "PromiseAttributeResolveError",
    `${where}: ${message}`,
    ExecutionError_ErrorKind.SYSTEM,
    false,
  );
}

function stepText(step: PromiseAttribute): string {
  return step.value.case === "intValue"
    ? `[${step.value.value}]`
    : `.${String(step.value.value)}`;
}

function scalar(value: Record<string, unknown>): Literal {
  return create(LiteralSchema, {
    value: { case: "scalar", value: { value: value as never } },
  });
}

function primitive(value: Record<string, unknown>): Literal {
  return scalar({ case: "primitive", value: { value } });
}

function binaryLiteral(value: Uint8Array, tag: string): Literal {
  return scalar({ case: "binary", value: { value, tag } });
}

function jsonToLiteral(v: JsonValue): Literal {
  if (typeof v === "string") {
    return primitive({ case: "stringValue", value: v });
  }
  if (typeof v === "boolean") return primitive({ case: "boolean", value: v });
  if (typeof v === "number") {
    return Number.isInteger(v)
      ? primitive({ case: "integer", value: BigInt(v) })
      : primitive({ case: "floatValue", value: v });
  }
  if (v === null) return scalar({ case: "noneType", value: {} });
  return scalar({ case: "generic", value: v });
}

/** Walks a generic Struct's JSON and turns the value found into a literal. */
function followJson(
  root: JsonValue,
  path: PromiseAttribute[],
  where: string,
): Literal {
  let cur: JsonValue | undefined = root;
  for (const step of path) {
    const key = step.value.value;
    if (Array.isArray(cur) && step.value.case === "intValue") {
      cur = cur[step.value.value];
    } else if (cur !== null && typeof cur === "object" && !Array.isArray(cur)) {
      cur = (cur as Record<string, JsonValue>)[String(key)];
    } else {
      throw pathError(where, `cannot follow attribute ${stepText(step)}`);
    }
    if (cur === undefined) {
      throw pathError(where, `attribute ${stepText(step)} not found`);
    }
  }
  return jsonToLiteral(cur);
}

/** The literal of what a msgpack path found (see the module doc). */
function msgpackResult(
  bytes: Uint8Array,
  item: MsgpackItem,
  tag: string,
  where: string,
): Literal {
  const slice = (i: MsgpackItem) => bytes.slice(i.start, i.end);
  switch (item.kind) {
    case "array":
      return create(LiteralSchema, {
        value: {
          case: "collection",
          value: {
            literals: msgpackArrayItems(bytes, item.start).map((i) =>
              binaryLiteral(slice(i), tag)
            ),
          },
        },
      });
    case "str":
      return primitive({ case: "stringValue", value: item.value as string });
    case "bool":
      return primitive({ case: "boolean", value: item.value as boolean });
    case "float":
      return primitive({ case: "floatValue", value: item.value as number });
    case "int": {
      const n = item.value as bigint;
      if (n > INT64_MAX) {
        throw pathError(where, `integer ${n} does not fit an int64 literal`);
      }
      return primitive({ case: "integer", value: n });
    }
    default:
      return binaryLiteral(slice(item), tag);
  }
}

/** Walks a msgpack Binary along `path` (the rules in the module doc). */
function followBinary(
  bin: Binary,
  path: PromiseAttribute[],
  where: string,
): Literal {
  if (bin.tag !== MSGPACK) {
    throw pathError(
      where,
      `cannot follow an attribute path into a binary value of format '${bin.tag}' (only '${MSGPACK}' is supported)`,
    );
  }
  const bytes = bin.value;
  try {
    let cur = msgpackItem(bytes, 0);
    for (const step of path) {
      if (cur.kind === "map") {
        if (step.value.case !== "stringValue") {
          throw pathError(
            where,
            `attribute ${
              stepText(step)
            }: a map (dataclass field) needs a string key`,
          );
        }
        const found = msgpackMapGet(bytes, cur.start, step.value.value);
        if (!found) {
          throw pathError(where, `key ${stepText(step)} does not exist`);
        }
        cur = found;
      } else if (cur.kind === "array") {
        if (step.value.case !== "intValue") {
          throw pathError(
            where,
            `attribute ${stepText(step)}: a list needs an integer index`,
          );
        }
        const i = step.value.value;
        if (i < 0 || i >= cur.count) {
          throw pathError(
            where,
            `index ${
              stepText(step)
            } is out of range (the list has ${cur.count} items)`,
          );
        }
        cur = msgpackArrayItems(bytes, cur.start)[i];
      } else {
        throw pathError(
          where,
          `cannot follow attribute ${stepText(step)} of a msgpack ${cur.kind}`,
        );
      }
    }
    return msgpackResult(bytes, cur, bin.tag, where);
  } catch (e) {
    if (e instanceof MsgpackWalkError) {
      throw pathError(where, `malformed msgpack value: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Follows a promise's attribute path from the output literal it names;
 * `where` (`node.var`) names it in errors.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
 * import { PromiseAttributeSchema } from "@flyteidl/core/types_pb.ts";
 * import { followAttrPath } from "./attr_path.ts";
 * // {"xs": [1.5]} as flytekit's msgpack
 * const bytes = new Uint8Array([0x81, 0xa2, 0x78, 0x73, 0x91, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]);
 * const dc = create(LiteralSchema, {
 *   value: { case: "scalar", value: { value: { case: "binary", value: { value: bytes, tag: "msgpack" } } } },
 * });
 * const step = create(PromiseAttributeSchema, { value: { case: "stringValue", value: "xs" } });
 * followAttrPath(dc, [step], "n0.o0").value.case; // "collection"
 * ```
 */
export function followAttrPath(
  lit: Literal,
  path: PromiseAttribute[],
  where: string,
): Literal {
  let cur = lit;
  let used = 0;
  for (const step of path) {
    const v = cur.value;
    if (v.case === "map") {
      if (step.value.case !== "stringValue") {
        throw pathError(
          where,
          `attribute ${stepText(step)}: a map needs a string key`,
        );
      }
      const next = v.value.literals[step.value.value];
      if (!next) throw pathError(where, `key ${stepText(step)} does not exist`);
      cur = next;
    } else if (v.case === "collection") {
      if (step.value.case !== "intValue") {
        throw pathError(
          where,
          `attribute ${stepText(step)}: a list needs an integer index`,
        );
      }
      const i = step.value.value;
      const next = i >= 0 ? v.value.literals[i] : undefined;
      if (!next) {
        throw pathError(
          where,
          `index ${
            stepText(step)
          } is out of range (the list has ${v.value.literals.length} items)`,
        );
      }
      cur = next;
    } else break;
    used++;
  }
  const rest = path.slice(used);
  const sv = cur.value.case === "scalar" ? cur.value.value.value : undefined;
  if (sv?.case === "binary") return followBinary(sv.value, rest, where);
  if (sv?.case === "generic") {
    if (rest.length === 0) return cur;
    return followJson(sv.value as unknown as JsonValue, rest, where);
  }
  if (rest.length) {
    throw pathError(
      where,
      `cannot follow attribute ${stepText(rest[0])} of a ${
        sv?.case ?? cur.value.case ?? "empty"
      } literal`,
    );
  }
  return cur;
}
