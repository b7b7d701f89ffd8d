/**
 * Bindings in flyteidl form: references as promises, constants as binding
 * data (flytekit's layout), and the variable names branch conditions use.
 *
 * @module
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BindingDataSchema, Literal } from "@flyteidl/core/literals_pb.ts";
import type { BindingTree, Ref } from "./graph.ts";

/**
 * A Literal as binding data (scalars, and collections/maps of them).
 *
 * @example
 * ```ts
 * import { literalBinding } from "./compile_bindings.ts";
 * import { t, toLiteral } from "../types/mod.ts";
 * console.log(literalBinding(toLiteral([1, 2], t.list(t.int))).value?.case); // "collection"
 * ```
 */
export function literalBinding(
  l: Literal,
): MessageInitShape<typeof BindingDataSchema> {
  const v = l.value;
  switch (v.case) {
    case "scalar":
      return { value: { case: "scalar", value: v.value } };
    case "collection":
      return {
        value: {
          case: "collection",
          value: { bindings: v.value.literals.map(literalBinding) },
        },
      };
    case "map":
      return {
        value: {
          case: "map",
          value: {
            bindings: Object.fromEntries(
              Object.entries(v.value.literals).map((
                [k, x],
              ) => [k, literalBinding(x)]),
            ),
          },
        },
      };
    default:
      throw new Error(`a constant of kind ${v.case} cannot be bound`);
  }
}

export function bindingData(
  b: BindingTree,
): MessageInitShape<typeof BindingDataSchema> {
  switch (b.kind) {
    case "ref":
      return {
        value: {
          case: "promise",
          value: { nodeId: b.ref.node?.id ?? "", var: b.ref.variable },
        },
      };
    case "literal":
      return literalBinding(b.literal);
    case "list":
      return {
        value: {
          case: "collection",
          value: { bindings: b.items.map(bindingData) },
        },
      };
    case "map":
      return {
        value: {
          case: "map",
          value: {
            bindings: Object.fromEntries(
              Object.entries(b.entries).map(([k, x]) => [k, bindingData(x)]),
            ),
          },
        },
      };
  }
}

/** `.x` for workflow input x, `n0.o0` for a node output (flytekit's branch variables). */
export function branchVar(o: { ref: Ref }): string {
  return `${o.ref.node?.id ?? ""}.${o.ref.variable}`;
}
