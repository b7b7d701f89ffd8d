/**
 * Binding resolution: turns a node's `inputs` bindings into the LiteralMap
 * propeller writes as the node's inputs.pb.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type Binding,
  type BindingData,
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";
import { followAttrPath } from "./attr_path.ts";

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
      lit = ref.attrPath.length
        ? followAttrPath(found, ref.attrPath, `${ref.nodeId}.${ref.var}`)
        : found;
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
