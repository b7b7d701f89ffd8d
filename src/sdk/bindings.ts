/**
 * Binding values to inputs at definition time: references are checked for
 * scope and type, constants go through the type engine (so a bad constant
 * fails where it is written), lists and maps may mix both.
 *
 * @module
 */
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import {
  type AnyFlyteType,
  toLiteral,
  typeFromLiteralType,
  TypeTransformError,
} from "../types/mod.ts";
import { listItems } from "../types/vocabulary/collections.ts";
import { DefinitionError } from "./errors.ts";
import {
  type BindingTree,
  NODE,
  type Operand,
  Ref,
  type Scope,
} from "./graph.ts";
import { setOperandHook } from "./graph.ts";

/** Whether `v` holds a reference anywhere inside (lists and plain objects). */
export function containsRef(v: unknown): boolean {
  if (v instanceof Ref) return true;
  if (Array.isArray(v)) return v.some(containsRef);
  if (isPlain(v)) return Object.values(v).some(containsRef);
  return false;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * Whether a value of type `from` may feed an input of type `to` (Flyte's
 * rules, simplified: same shape ignoring metadata, unions accepting a
 * matching variant, blobs of unspecified format matching any).
 *
 * @example
 * ```ts
 * import { compatible } from "./bindings.ts";
 * import { t } from "../types/mod.ts";
 * console.log(compatible(t.int.literalType, t.optional(t.int).literalType)); // true
 * ```
 */
export function compatible(from: LiteralType, to: LiteralType): boolean {
  const a = from.type, b = to.type;
  if (b.case === "unionType") {
    if (a.case === "unionType") {
      return a.value.variants.every((v) => compatible(v, to));
    }
    return b.value.variants.some((v) => compatible(from, v));
  }
  if (a.case !== b.case) return false;
  switch (a.case) {
    case "simple":
      return a.value === b.value;
    case "collectionType":
    case "mapValueType":
      return compatible(a.value, b.value as LiteralType);
    case "blob": {
      const bb = b.value as typeof a.value;
      return a.value.dimensionality === bb.dimensionality &&
        (a.value.format === "" || bb.format === "" ||
          a.value.format === bb.format);
    }
    case "enumType": {
      const bv = (b.value as typeof a.value).values;
      return a.value.values.every((v) => bv.includes(v));
    }
    default:
      return true;
  }
}

function itemType(type: AnyFlyteType): AnyFlyteType | undefined {
  const known = listItems.get(type);
  if (known) return known;
  const lt = type.literalType.type;
  return lt.case === "collectionType"
    ? typeFromLiteralType(lt.value)
    : undefined;
}

function valueType(type: AnyFlyteType): AnyFlyteType | undefined {
  const lt = type.literalType.type;
  return lt.case === "mapValueType" ? typeFromLiteralType(lt.value) : undefined;
}

/**
 * Binds `value` to an input of `type` in `scope`; `where` is the input's
 * place (`node n1 (add) input b`), used in errors prefixed with the
 * workflow.
 *
 * @example
 * ```ts
 * import { bindValue } from "./bindings.ts";
 * import { Scope } from "./graph.ts";
 * import { t } from "../types/mod.ts";
 * console.log(bindValue(new Scope("wf"), 3, t.int, "node n0 (add) input a").kind); // "literal"
 * ```
 */
export function bindValue(
  scope: Scope,
  value: unknown,
  type: AnyFlyteType,
  where: string,
): BindingTree {
  if (value instanceof Ref) {
    if (!scope.sees(value.scope)) {
      if (value.scope.workflow === scope.workflow) {
        throw new DefinitionError(
          scope.where,
          `${where} uses a reference (${value}) made inside a conditional case; ` +
            "use the conditional's result instead",
        );
      }
      throw new DefinitionError(
        scope.where,
        `${where} uses a reference (${value}) from workflow ${value.scope.workflow}; ` +
          "references are valid only inside the workflow that made them",
      );
    }
    if (!compatible(value.type.literalType, type.literalType)) {
      throw new DefinitionError(
        scope.where,
        `${where} expects ${type.name}, got ${value.type.name} from ${value}`,
      );
    }
    return { kind: "ref", ref: value };
  }
  if (containsRef(value)) {
    if (Array.isArray(value)) {
      const item = itemType(type);
      if (!item) {
        throw new DefinitionError(
          scope.where,
          `${where} expects ${type.name}, got a list`,
        );
      }
      return {
        kind: "list",
        items: value.map((v, i) => bindValue(scope, v, item, `${where}[${i}]`)),
      };
    }
    const vt = valueType(type);
    if (!vt) {
      throw new DefinitionError(
        scope.where,
        `${where} expects ${type.name}, got an object of references (only maps may hold references)`,
      );
    }
    return {
      kind: "map",
      entries: Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map((
          [k, v],
        ) => [k, bindValue(scope, v, vt, `${where}.${k}`)]),
      ),
    };
  }
  if (isNodeHandle(value)) {
    throw new DefinitionError(
      scope.where,
      `${where} expects ${type.name}, got a node without outputs`,
    );
  }
  try {
    return { kind: "literal", literal: toLiteral(value, type), type };
  } catch (e) {
    if (e instanceof TypeTransformError) {
      throw new DefinitionError(scope.where, `${where}: ${e.message}`, {
        cause: e,
      });
    }
    throw e;
  }
}

function isNodeHandle(v: unknown): boolean {
  return typeof v === "object" && v !== null && NODE in v;
}

setOperandHook((v: unknown, type: AnyFlyteType): Operand => {
  try {
    return { literal: toLiteral(v, type), value: v };
  } catch (e) {
    throw new DefinitionError(
      "condition",
      `cannot compare with ${String(v)}: ${(e as Error).message}`,
    );
  }
});
