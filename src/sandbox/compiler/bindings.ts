/**
 * Binding validation: checks each input binding of a node against the
 * variable it feeds (promises against the producing node's outputs, literal
 * scalars, collections and maps element by element, unions by picking the one
 * matching variant) and turns promises into graph edges.
 *
 * @module
 */
import { clone, create } from "@bufbuild/protobuf";
import {
  type Binding,
  type BindingData,
  BindingDataSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type Variable,
  type VariableMap,
  VariableMapSchema,
  VariableSchema,
} from "@flyteidl/core/interface_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
} from "@flyteidl/core/types_pb.ts";
import {
  EdgeDirection,
  type NodeBuilder,
  START_NODE,
  type WorkflowBuilder,
} from "./builder.ts";
import { issue, Issues } from "./errors.ts";
import { oneLine, typeText } from "./text.ts";
import {
  isOptional,
  literalTypeForScalar,
  literalTypesCompatible,
} from "./typing.ts";

interface BindingResult {
  type?: LiteralType;
  upstream: string[];
  ok: boolean;
}

const VAR_PATTERN = /(\[(\d+)\]\.)?(\w+)/g;

/** Parses a promise variable name: `name` or `[index].name`. */
function parseVarName(
  name: string,
): { name: string; index?: number } | undefined {
  const matches = [...name.matchAll(VAR_PATTERN)];
  if (matches.length !== 1) return undefined;
  const m = matches[0];
  return { name: m[3], index: m[2] !== undefined ? Number(m[2]) : undefined };
}

function bindingText(b: BindingData): string {
  return oneLine(BindingDataSchema, b);
}

/**
 * A node's outputs as other nodes see them: output aliases applied.
 * Reports duplicate aliases and aliases of unknown outputs.
 */
export function effectiveOutputs(
  n: NodeBuilder,
  issues: Issues,
): VariableMap | undefined {
  const aliases = new Map<string, string>();
  for (const a of n.node.outputAliases) {
    if (aliases.has(a.var)) issues.add(issue.duplicateAlias(n.id, a.alias));
    else aliases.set(a.var, a.alias);
  }
  if (n.iface === undefined) return undefined;
  const params = create(VariableMapSchema);
  for (
    const [name, param] of Object.entries(n.iface.outputs?.variables ?? {})
  ) {
    const alias = aliases.get(name);
    if (alias !== undefined) {
      params.variables[alias] = clone(VariableSchema, param);
      aliases.delete(name);
    } else {
      params.variables[name] = param;
    }
  }
  for (const alias of aliases.values()) {
    issues.add(issue.parameterNotBound(n.id, alias));
  }
  return params;
}

function outputVariable(
  n: NodeBuilder,
  name: string,
  issues: Issues,
): Variable | undefined {
  const scope = issues.scope();
  const outputs = effectiveOutputs(n, scope.scope());
  if (scope.any) return undefined;
  const v = outputs?.variables[name];
  if (v === undefined) {
    scope.add(issue.variableNameNotFound(n.id, n.id, name));
  }
  return v;
}

function validateBinding(
  w: WorkflowBuilder,
  node: NodeBuilder,
  nodeParam: string,
  binding: BindingData,
  expected: LiteralType,
  issues: Issues,
  validateParamTypes: boolean,
): BindingResult {
  const nodeId = node.id;
  const fail = (): BindingResult => ({ upstream: [], ok: !issues.any });
  const value = binding.value;

  // Collections and maps cannot be typed through a union, so a union target
  // is resolved first by trying each variant: exactly one must accept.
  if (
    value.case !== "scalar" && value.case !== "promise" &&
    expected.type.case === "unionType"
  ) {
    let match: { variant: LiteralType; result: BindingResult } | undefined;
    for (const variant of expected.type.value.variants) {
      const result = validateBinding(
        w,
        node,
        nodeParam,
        binding,
        variant,
        new Issues(),
        validateParamTypes,
      );
      if (!result.ok) continue;
      if (match !== undefined) {
        issues.add(issue.ambiguousBindingUnionValue(
          nodeId,
          nodeParam,
          typeText(expected),
          bindingText(binding),
          typeText(match.variant),
          typeText(variant),
        ));
        return fail();
      }
      match = { variant, result };
    }
    if (match !== undefined) return match.result;
    issues.add(issue.incompatibleBindingUnionValue(
      nodeId,
      nodeParam,
      typeText(expected),
      bindingText(binding),
    ));
    return fail();
  }

  switch (value.case) {
    case "collection":
    case "map": {
      const isCollection = value.case === "collection";
      const elementType = isCollection
        ? (expected.type.case === "collectionType"
          ? expected.type.value
          : undefined)
        : (expected.type.case === "mapValueType"
          ? expected.type.value
          : undefined);
      if (elementType === undefined) {
        issues.add(issue.mismatchingBindings(
          nodeId,
          nodeParam,
          typeText(expected),
          oneLine(
            BindingDataSchema,
            create(BindingDataSchema, { value: value as never }),
          ),
        ));
        return fail();
      }
      const elements = isCollection
        ? (value.value as { bindings: BindingData[] }).bindings
        : Object.values(
          (value.value as { bindings: Record<string, BindingData> }).bindings,
        );
      const upstream: string[] = [];
      let subType: LiteralType | undefined;
      for (const element of elements) {
        const r = validateBinding(
          w,
          node,
          nodeParam,
          element,
          elementType,
          issues.scope(),
          validateParamTypes,
        );
        if (r.ok) {
          upstream.push(...r.upstream);
          subType = r.type;
        }
      }
      const type = create(LiteralTypeSchema, {
        type: isCollection
          ? {
            case: "collectionType",
            value: subType ?? create(LiteralTypeSchema),
          }
          : {
            case: "mapValueType",
            value: subType ?? create(LiteralTypeSchema),
          },
      });
      return { type, upstream, ok: !issues.any };
    }
    case "promise": {
      const promise = value.value;
      let upNode: NodeBuilder | undefined;
      if (promise.nodeId === "") {
        upNode = w.getNode(START_NODE);
      } else {
        upNode = w.getNode(promise.nodeId);
        if (upNode === undefined) {
          // Flyte files this under the missing node's id; we file it under
          // the consuming node and its variable (the ParameterNotBound that
          // follows names them too).
          issues.add(
            issue.nodeReferenceNotFound(nodeId, promise.nodeId, nodeParam),
          );
        }
      }
      if (upNode !== undefined) {
        const parsed = parseVarName(promise.var);
        if (parsed === undefined) {
          issues.add(issue.syntaxError(nodeId, promise.var, nodeParam));
          return fail();
        }
        const inputVar = node.node.metadata
          ? `${node.node.metadata.name}.${nodeParam}`
          : nodeParam;
        const outputVar = upNode.node.metadata
          ? `${upNode.node.metadata.name}.${promise.var}`
          : promise.var;
        const param = outputVariable(upNode, parsed.name, issues.scope());
        if (param !== undefined) {
          let sourceType = param.type ?? create(LiteralTypeSchema);
          if (parsed.index !== undefined) {
            // An indexed promise reads one element of a collection output.
            if (sourceType.type.case !== "collectionType") {
              issues.add(issue.mismatchingVariables(
                nodeId,
                outputVar,
                typeText(param.type),
                inputVar,
                typeText(expected),
                nodeParam,
              ));
            } else {
              sourceType = sourceType.type.value;
            }
          }
          // An attribute path reads into a collection, map or dataclass.
          for (const attr of promise.attrPath) {
            if (sourceType.type.case === "collectionType") {
              sourceType = sourceType.type.value;
            } else if (sourceType.type.case === "mapValueType") {
              sourceType = sourceType.type.value;
            } else if (
              sourceType.structure !== undefined &&
              Object.keys(sourceType.structure.dataclassType).length > 0
            ) {
              const key = attr.value.case === "stringValue"
                ? attr.value.value
                : "";
              const field = sourceType.structure.dataclassType[key];
              if (field === undefined) {
                issues.add(issue.fieldNotFound(
                  nodeId,
                  promise.var,
                  typeText(sourceType),
                  key,
                ));
                return fail();
              }
              sourceType = field;
            }
          }
          if (
            !validateParamTypes || literalTypesCompatible(sourceType, expected)
          ) {
            promise.nodeId = upNode.id;
            return {
              type: param.type,
              upstream: [promise.nodeId],
              ok: true,
            };
          }
          issues.add(issue.mismatchingVariables(
            nodeId,
            outputVar,
            typeText(sourceType),
            inputVar,
            typeText(expected),
            nodeParam,
          ));
          return fail();
        }
      }
      issues.add(issue.parameterNotBound(nodeId, nodeParam));
      return fail();
    }
    case "scalar": {
      const scalar = value.value;
      const type = literalTypeForScalar(scalar);
      if (type === undefined) {
        issues.add(
          issue.unrecognizedValue(nodeId, String(scalar.value.case ?? "empty")),
        );
      } else if (
        validateParamTypes && !literalTypesCompatible(type, expected)
      ) {
        issues.add(issue.mismatchingTypes(
          nodeId,
          nodeParam,
          typeText(type),
          typeText(expected),
        ));
      }
      if (expected.type.case === "enumType") {
        const v = scalar.value.case === "primitive" &&
            scalar.value.value.value.case === "stringValue"
          ? scalar.value.value.value.value
          : "";
        if (!expected.type.value.values.includes(v)) {
          issues.add(issue.illegalEnumValue(
            nodeId,
            nodeParam,
            v,
            expected.type.value.values,
          ));
        }
      }
      return { type, upstream: [], ok: !issues.any };
    }
    default:
      issues.add(issue.mismatchingBindings(
        nodeId,
        nodeParam,
        typeText(expected),
        value.case ?? "",
      ));
      return fail();
  }
}

/**
 * Validates a node's bindings against the variables they feed and adds the
 * edges the promises imply. With `validateParamTypes` false (branch and gate
 * nodes, whose inputs are whatever they are bound to) unknown variables are
 * accepted and types are not checked. Returns the variables actually bound,
 * typed by their bindings.
 */
export function validateBindings(
  w: WorkflowBuilder,
  node: NodeBuilder,
  bindings: Binding[],
  params: VariableMap | undefined,
  validateParamTypes: boolean,
  direction: EdgeDirection,
  issues: Issues,
): { resolved: VariableMap; ok: boolean } {
  const resolved = create(VariableMapSchema);
  const provided = new Set<string>();
  for (const b of bindings) {
    let param = params?.variables[b.var];
    if (param === undefined && validateParamTypes) {
      issues.add(issue.variableNameNotFound(node.id, node.id, b.var));
    } else if (b.binding === undefined) {
      issues.add({
        ...issue.valueRequired(node.id, "Binding"),
        variable: b.var,
      });
    } else if (provided.has(b.var)) {
      issues.add(issue.parameterBoundMoreThanOnce(node.id, b.var));
    } else {
      if (param === undefined) {
        param = create(VariableSchema, {
          type: { type: { case: "simple", value: 0 } },
        });
      }
      provided.add(b.var);
      const r = validateBinding(
        w,
        node,
        b.var,
        b.binding,
        param.type ?? create(LiteralTypeSchema),
        issues.scope(),
        validateParamTypes,
      );
      if (r.ok) {
        for (const up of r.upstream) {
          switch (direction) {
            case EdgeDirection.Bidirectional:
              w.addExecutionEdge(up, node.id);
              break;
            case EdgeDirection.Downstream:
              w.addDownstreamEdge(up, node.id);
              break;
            case EdgeDirection.Upstream:
              w.addUpstreamEdge(up, node.id);
              break;
          }
        }
        resolved.variables[b.var] = create(VariableSchema, { type: r.type });
      }
    }
  }
  for (const [name, variable] of Object.entries(params?.variables ?? {})) {
    if (!provided.has(name) && !isOptional(variable)) {
      issues.add(issue.parameterNotBound(node.id, name));
    }
  }
  return { resolved, ok: !issues.any };
}
