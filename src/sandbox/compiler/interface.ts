/**
 * Node interfaces: what a node consumes and produces, worked out from what
 * it runs (a task's interface, a sub-workflow's, a launch plan's expected
 * inputs, a gate's signal) and, for branch nodes, from the outputs all
 * branches agree on.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type TypedInterface,
  TypedInterfaceSchema,
  type Variable,
  type VariableMap,
  VariableMapSchema,
} from "@flyteidl/core/interface_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import {
  EdgeDirection,
  type NodeBuilder,
  type WorkflowBuilder,
} from "./builder.ts";
import { validateBindings } from "./bindings.ts";
import { issue, type Issues } from "./errors.ts";
import { idKey, idText, typeText } from "./text.ts";
import { sameType } from "./typing.ts";

function emptyVariables(): VariableMap {
  return create(VariableMapSchema);
}

/**
 * Checks an interface's variables are named and typed; fills in missing
 * input/output maps (as Flyte does, so compiled templates always carry both).
 */
export function validateInterface(
  nodeId: string,
  iface: TypedInterface | undefined,
  issues: Issues,
): TypedInterface {
  const result = iface ?? create(TypedInterfaceSchema);
  for (const side of ["inputs", "outputs"] as const) {
    const vars = result[side];
    if (vars === undefined) {
      result[side] = emptyVariables();
      continue;
    }
    for (const [name, v] of Object.entries(vars.variables)) {
      if (name.length === 0) {
        issues.add(issue.valueRequired(nodeId, "paramName"));
      }
      if (v.type === undefined) {
        issues.add({
          ...issue.valueRequired(nodeId, "param.Type"),
          variable: name,
        });
      }
    }
  }
  return result;
}

/**
 * Works out (once) the interface of the node `n` wraps and records it on the
 * builder. Returns it, or undefined after reporting why it cannot be known.
 */
export function underlyingInterface(
  w: WorkflowBuilder,
  n: NodeBuilder,
  issues: Issues,
): TypedInterface | undefined {
  if (n.iface !== undefined) return n.iface;
  const scope = issues.scope();
  let iface: TypedInterface | undefined;
  const target = n.node.target;
  switch (target.case) {
    case "taskNode": {
      const ref = target.value.reference.case === "referenceId"
        ? target.value.reference.value
        : undefined;
      if (ref === undefined) {
        scope.add(issue.valueRequired(n.id, "TaskNode.ReferenceId"));
        break;
      }
      const task = w.getTask(ref);
      if (task === undefined) {
        scope.add(issue.taskReferenceNotFound(n.id, idText(ref)));
        break;
      }
      iface = task.interface ?? create(TypedInterfaceSchema, {
        inputs: emptyVariables(),
        outputs: emptyVariables(),
      });
      break;
    }
    case "workflowNode": {
      const ref = target.value.reference;
      const ownId = w.compiled.template?.id;
      if (
        ref.case === "launchplanRef" && ownId !== undefined &&
        idKey(ref.value) === idKey(ownId)
      ) {
        // A launch plan of the workflow itself (recursion).
        iface = w.compiled.template?.interface;
        if (iface === undefined) {
          scope.add(issue.valueRequired(n.id, "WorkflowNode.Interface"));
        }
      } else if (ref.case === "launchplanRef") {
        const lp = w.getLaunchPlan(ref.value);
        if (lp === undefined) {
          scope.add(issue.workflowReferenceNotFound(n.id, idText(ref.value)));
          break;
        }
        const inputs = lp.expectedInputs;
        if (inputs === undefined) {
          scope.add(issue.valueRequired(n.id, "WorkflowNode.ExpectedInputs"));
        }
        const outputs = lp.expectedOutputs;
        if (outputs === undefined) {
          scope.add(issue.valueRequired(n.id, "WorkflowNode.ExpectedOutputs"));
        }
        // A launch plan node exposes its required inputs and any input with
        // a default that the node overrides.
        const exposed: Record<string, Variable> = {};
        for (const [name, p] of Object.entries(inputs?.parameters ?? {})) {
          const required = p.behavior.case === "required" && p.behavior.value;
          if (required || n.node.inputs.some((b) => b.var === name)) {
            if (p.var !== undefined) exposed[name] = p.var;
          }
        }
        iface = create(TypedInterfaceSchema, {
          inputs: create(VariableMapSchema, { variables: exposed }),
          outputs,
        });
      } else if (ref.case === "subWorkflowRef") {
        const sub = w.getSubWorkflow(ref.value);
        if (sub === undefined) {
          scope.add(issue.workflowReferenceNotFound(n.id, idText(ref.value)));
          break;
        }
        if (sub.template === undefined) {
          scope.add(issue.valueRequired(n.id, "WorkflowNode.Template"));
          break;
        }
        iface = sub.template.interface;
        if (iface === undefined) {
          scope.add(
            issue.valueRequired(n.id, "WorkflowNode.Template.Interface"),
          );
        }
      } else {
        scope.add(issue.workflowReferenceNotFound(n.id, "<nil>/<nil>"));
      }
      break;
    }
    case "branchNode":
      iface = branchInterface(w, n, scope.scope());
      break;
    case "gateNode": {
      const cond = target.value.condition;
      if (cond.case === "approve") {
        // An approval passes its inputs through: outputs equal inputs.
        const { resolved } = validateBindings(
          w,
          n,
          n.node.inputs,
          emptyVariables(),
          false,
          EdgeDirection.Upstream,
          scope.scope(),
        );
        iface = create(TypedInterfaceSchema, {
          inputs: resolved,
          outputs: resolved,
        });
      } else if (cond.case === "signal") {
        const signal = cond.value;
        if (signal.type === undefined) {
          scope.add(issue.valueRequired(n.id, "GateNode.Signal.Type"));
        } else if (signal.outputVariableName.length === 0) {
          scope.add(
            issue.valueRequired(n.id, "GateNode.Signal.OutputVariableName"),
          );
        } else {
          iface = create(TypedInterfaceSchema, {
            inputs: emptyVariables(),
            outputs: create(VariableMapSchema, {
              variables: {
                [signal.outputVariableName]: { type: signal.type },
              },
            }),
          });
        }
      } else if (cond.case === "sleep") {
        iface = create(TypedInterfaceSchema, {
          inputs: emptyVariables(),
          outputs: emptyVariables(),
        });
      } else {
        scope.add(issue.noConditionFound(n.id));
      }
      break;
    }
    case "arrayNode": {
      // An array node has the interface of the node it maps (flytekit
      // already wraps mapped inputs/outputs in collections).
      if (target.value.node === undefined) {
        scope.add(issue.valueRequired(n.id, "ArrayNode.Node"));
        break;
      }
      iface = underlyingInterface(
        w,
        w.builderFor(target.value.node),
        scope.scope(),
      );
      break;
    }
    default:
      scope.add(issue.valueRequired(n.id, "Target"));
  }
  if (iface !== undefined) {
    iface = validateInterface(n.id, iface, scope.scope());
  }
  if (!scope.any) n.iface = iface;
  return scope.any ? undefined : iface;
}

/** The node a branch runs in each case, renamed `<branch>-<node>`. */
function branchCases(w: WorkflowBuilder, n: NodeBuilder, issues: Issues) {
  const ifElse = n.node.target.case === "branchNode"
    ? n.node.target.value.ifElse
    : undefined;
  const cases: Node[] = [];
  if (ifElse?.case?.thenNode) cases.push(ifElse.case.thenNode);
  for (const other of ifElse?.other ?? []) {
    if (other.thenNode === undefined) {
      issues.add(issue.valueRequired(n.id, "IfElse.Case.ThenNode"));
      continue;
    }
    cases.push(other.thenNode);
  }
  if (ifElse?.default.case === "elseNode") cases.push(ifElse.default.value);
  return cases.map((c) => w.builderFor(c));
}

/**
 * A branch node's interface: inputs are whatever its bindings provide (the
 * variables its conditions read); outputs are those every branch produces,
 * which must have identical types in all branches.
 */
function branchInterface(
  w: WorkflowBuilder,
  n: NodeBuilder,
  issues: Issues,
): TypedInterface | undefined {
  if (n.iface !== undefined) return n.iface;
  const branch = n.node.target.case === "branchNode"
    ? n.node.target.value
    : undefined;
  if (branch === undefined) {
    issues.add(issue.valueRequired(n.id, "Branch"));
    return undefined;
  }
  if (branch.ifElse === undefined) {
    issues.add(issue.valueRequired(n.id, "Branch.IfElse"));
    return undefined;
  }
  if (branch.ifElse.case === undefined) {
    issues.add(issue.valueRequired(n.id, "Branch.IfElse.Case"));
    return undefined;
  }
  if (branch.ifElse.case.thenNode === undefined) {
    issues.add(issue.valueRequired(n.id, "Branch.IfElse.Case.ThenNode"));
    return undefined;
  }

  let first: TypedInterface | undefined;
  let common = new Set<string>();
  for (const sub of branchCases(w, n, issues)) {
    sub.node.id = `${n.id}-${sub.node.id}`;
    const subIface = underlyingInterface(w, sub, issues.scope());
    if (subIface === undefined) continue;
    const outputs = subIface.outputs?.variables ?? {};
    if (first === undefined) {
      first = create(TypedInterfaceSchema, {
        inputs: emptyVariables(),
        outputs: subIface.outputs,
      });
      common = new Set(Object.keys(outputs));
      continue;
    }
    const firstOutputs = first.outputs?.variables ?? {};
    common = new Set([...common].filter((name) => name in outputs));
    for (const name of common) {
      const a = firstOutputs[name], b = outputs[name];
      if (!sameType(a.type, b.type)) {
        issues.add(issue.mismatchingTypes(
          sub.id,
          name,
          typeText(a.type),
          typeText(b.type),
        ));
        continue;
      }
    }
  }

  const { resolved } = validateBindings(
    w,
    n,
    n.node.inputs,
    emptyVariables(),
    false,
    EdgeDirection.Upstream,
    issues.scope(),
  );
  if (issues.any || first === undefined) return undefined;
  const outputs = create(VariableMapSchema);
  for (const [name, v] of Object.entries(first.outputs?.variables ?? {})) {
    if (common.has(name)) outputs.variables[name] = v;
  }
  return create(TypedInterfaceSchema, { inputs: resolved, outputs });
}
