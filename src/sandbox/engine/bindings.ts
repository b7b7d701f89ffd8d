/**
 * Binding resolution: turns a node's `inputs` bindings into the LiteralMap
 * propeller writes as the node's inputs.pb.
 *
 * @module
 */
import { create, type JsonValue } from "@bufbuild/protobuf";
import {
  type Binding,
  type BindingData,
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { OutputReference } from "@flyteidl/core/types_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";

/**
 * Looks up the outputs of a finished node in the current scope.
 *
 * @example
 * ```ts
 * import type { OutputLookup } from "./bindings.ts";
 * const none: OutputLookup = () => undefined;
 * ```
 */
export type OutputLookup = (nodeId: string) => LiteralMap | undefined;

function bindingError(message: string): NodeFailure {
  return new NodeFailure(
    "BindingResolutionFailure",
    message,
    ExecutionError_ErrorKind.SYSTEM,
    false,
  );
}

function jsonToLiteral(v: JsonValue): Literal {
  const prim = (value: Record<string, unknown>) =>
    create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "primitive", value: { value } as never } },
      },
    });
  if (typeof v === "string") return prim({ case: "stringValue", value: v });
  if (typeof v === "boolean") return prim({ case: "boolean", value: v });
  if (typeof v === "number") {
    return Number.isInteger(v)
      ? prim({ case: "integer", value: BigInt(v) })
      : prim({ case: "floatValue", value: v });
  }
  if (v === null) {
    return create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "noneType", value: {} } },
      },
    });
  }
  return create(LiteralSchema, {
    value: {
      case: "scalar",
      value: { value: { case: "generic", value: v as never } },
    },
  });
}

function followPath(lit: Literal, ref: OutputReference): Literal {
  let cur: Literal | JsonValue = lit;
  for (const step of ref.attrPath) {
    const key = step.value.value;
    if (cur !== null && typeof cur === "object" && "$typeName" in cur) {
      const l = cur as Literal;
      if (l.value.case === "collection" && step.value.case === "intValue") {
        cur = l.value.value.literals[step.value.value];
      } else if (l.value.case === "map" && step.value.case === "stringValue") {
        cur = l.value.value.literals[step.value.value];
      } else if (
        l.value.case === "scalar" && l.value.value.value.case === "generic"
      ) {
        cur = l.value.value.value.value as unknown as JsonValue;
        cur = (cur as Record<string, JsonValue>)?.[String(key)];
      } else {
        throw bindingError(
          `cannot follow attribute ${key} of ${ref.nodeId}.${ref.var}`,
        );
      }
    } else if (cur !== null && typeof cur === "object") {
      cur = (cur as Record<string, JsonValue>)[String(key)];
    } else {
      cur = undefined as unknown as JsonValue;
    }
    if (cur === undefined) {
      throw bindingError(
        `attribute ${key} not found in ${ref.nodeId}.${ref.var}`,
      );
    }
  }
  if (cur !== null && typeof cur === "object" && "$typeName" in cur) {
    return cur as Literal;
  }
  return jsonToLiteral(cur as JsonValue);
}

/**
 * Resolves one BindingData to a Literal.
 *
 * @example
 * ```ts
 * import { resolveBindingData } from "./bindings.ts";
 * console.log(typeof resolveBindingData); // "function"
 * ```
 */
export function resolveBindingData(
  b: BindingData,
  lookup: OutputLookup,
  aliases: (nodeId: string, v: string) => string = (_n, v) => v,
): Literal {
  const v = b.value;
  let lit: Literal;
  switch (v.case) {
    case "scalar":
      lit = create(LiteralSchema, {
        value: { case: "scalar", value: v.value },
      });
      break;
    case "collection":
      lit = create(LiteralSchema, {
        value: {
          case: "collection",
          value: {
            literals: v.value.bindings.map((x) =>
              resolveBindingData(x, lookup, aliases)
            ),
          },
        },
      });
      break;
    case "map": {
      const literals: Record<string, Literal> = {};
      for (const [k, x] of Object.entries(v.value.bindings)) {
        literals[k] = resolveBindingData(x, lookup, aliases);
      }
      lit = create(LiteralSchema, {
        value: { case: "map", value: { literals } },
      });
      break;
    }
    case "promise": {
      const ref = v.value;
      const outs = lookup(ref.nodeId);
      if (!outs) {
        throw bindingError(
          `node ${ref.nodeId} has no outputs (yet) for ${ref.var}`,
        );
      }
      const name = outs.literals[ref.var]
        ? ref.var
        : aliases(ref.nodeId, ref.var);
      const found = outs.literals[name];
      if (!found) {
        throw bindingError(`node ${ref.nodeId} has no output named ${ref.var}`);
      }
      lit = ref.attrPath.length ? followPath(found, ref) : found;
      break;
    }
    case "offloadedMetadata":
      lit = create(LiteralSchema, {
        value: { case: "offloadedMetadata", value: v.value },
      });
      break;
    default:
      throw bindingError("empty binding");
  }
  if (b.union?.targetType) {
    return create(LiteralSchema, {
      value: {
        case: "scalar",
        value: {
          value: {
            case: "union",
            value: { value: lit, type: b.union.targetType },
          },
        },
      },
    });
  }
  return lit;
}

/**
 * Resolves a list of bindings to a LiteralMap.
 *
 * @example
 * ```ts
 * import { resolveBindings } from "./bindings.ts";
 * resolveBindings([], () => undefined).literals; // {}
 * ```
 */
export function resolveBindings(
  bindings: Binding[],
  lookup: OutputLookup,
  aliases?: (nodeId: string, v: string) => string,
): LiteralMap {
  const literals: Record<string, Literal> = {};
  for (const b of bindings) {
    if (!b.binding) throw bindingError(`binding ${b.var} has no value`);
    literals[b.var] = resolveBindingData(b.binding, lookup, aliases);
  }
  return create(LiteralMapSchema, { literals });
}
