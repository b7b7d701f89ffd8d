/**
 * Node validation: a node's interface, output aliases, what it references
 * (task, sub-workflow), and for branch nodes their conditions and the nodes
 * in each branch; and the edges a node's bindings imply.
 *
 * @module
 */
import type {
  BooleanExpression,
  Operand,
} from "@flyteidl/core/condition_pb.ts";
import type { Variable } from "@flyteidl/core/interface_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import {
  compareStrings,
  EdgeDirection,
  END_NODE,
  type NodeBuilder,
  START_NODE,
  type WorkflowBuilder,
} from "./builder.ts";
import { effectiveOutputs, validateBindings } from "./bindings.ts";
import { issue, type Issues } from "./errors.ts";
import { underlyingInterface } from "./interface.ts";
import { idKey, idText, typeText } from "./text.ts";
import { literalTypeForPrimitive, sameType } from "./typing.ts";

/**
 * Adds the edges of a node: its explicit `upstream_node_ids` (unless only
 * upstream edges are wanted) and one per promise in its bindings, checking
 * every binding's type against the variable it feeds.
 */
export function addEdges(
  w: WorkflowBuilder,
  n: NodeBuilder,
  direction: EdgeDirection,
  issues: Issues,
): void {
  if (n.iface === undefined) return;
  if (direction !== EdgeDirection.Upstream) {
    for (const up of n.node.upstreamNodeIds) w.addExecutionEdge(up, n.id);
  }
  validateBindings(
    w,
    n,
    n.node.inputs,
    n.iface.inputs,
    true,
    direction,
    issues.scope(),
  );
}

function inputVariable(
  n: NodeBuilder,
  name: string,
  requireParamType: boolean,
  issues: Issues,
): Variable | undefined {
  if (n.iface === undefined) return undefined;
  const v = n.iface.inputs?.variables[name];
  if (v !== undefined) return v;
  if (!requireParamType && n.node.inputs.some((b) => b.var === name)) {
    return undefined;
  }
  issues.add(issue.variableNameNotFound(n.id, n.id, name));
  return undefined;
}

function operandType(
  n: NodeBuilder,
  side: string,
  operand: Operand | undefined,
  requireParamType: boolean,
  issues: Issues,
): { type?: LiteralType; ok: boolean } {
  if (operand === undefined) {
    issues.add(issue.valueRequired(n.id, side));
  } else if (operand.val.case === "primitive") {
    return { type: literalTypeForPrimitive(operand.val.value), ok: true };
  } else if (operand.val.case === "var" && operand.val.value.length > 0) {
    if (n.iface !== undefined) {
      const v = inputVariable(
        n,
        operand.val.value,
        requireParamType,
        issues.scope(),
      );
      return { type: v?.type, ok: !issues.any };
    }
    issues.add(issue.valueRequired(n.id, operand.val.value));
  } else {
    issues.add(issue.valueRequired(n.id, `${side}.Val`));
  }
  return { ok: !issues.any };
}

/** Checks a branch condition: operands exist and compare like types. */
function validateCondition(
  n: NodeBuilder,
  expr: BooleanExpression | undefined,
  requireParamType: boolean,
  issues: Issues,
): void {
  if (expr === undefined) {
    issues.add(issue.branchNodeHasNoCondition(n.id));
    return;
  }
  switch (expr.expr.case) {
    case "comparison": {
      const right = operandType(
        n,
        "RightValue",
        expr.expr.value.rightValue,
        requireParamType,
        issues.scope(),
      );
      const left = operandType(
        n,
        "LeftValue",
        expr.expr.value.leftValue,
        requireParamType,
        issues.scope(),
      );
      if (right.ok && left.ok && right.type && left.type) {
        if (!sameType(right.type, left.type)) {
          issues.add(issue.mismatchingTypes(
            n.id,
            "RightValue",
            typeText(right.type),
            typeText(left.type),
          ));
        }
      }
      return;
    }
    case "conjunction":
      validateCondition(
        n,
        expr.expr.value.leftExpression,
        requireParamType,
        issues.scope(),
      );
      validateCondition(
        n,
        expr.expr.value.rightExpression,
        requireParamType,
        issues.scope(),
      );
      return;
    default:
      issues.add(issue.valueRequired(n.id, "Expr"));
  }
}

/** Validates a branch node's conditions and the node of every branch. */
function validateBranchNode(
  w: WorkflowBuilder,
  n: NodeBuilder,
  requireParamType: boolean,
  issues: Issues,
): NodeBuilder[] {
  const ifElse = n.node.target.case === "branchNode"
    ? n.node.target.value.ifElse
    : undefined;
  const blocks = [];
  if (ifElse?.case === undefined) {
    issues.add(issue.branchNodeHasNoCondition(n.id));
  } else {
    blocks.push(ifElse.case);
  }
  blocks.push(...(ifElse?.other ?? []));
  const subNodes: NodeBuilder[] = [];
  for (const block of blocks) {
    validateCondition(n, block.condition, requireParamType, issues.scope());
    if (block.thenNode === undefined) {
      issues.add(issue.branchNodeNotSpecified(n.id));
    } else {
      subNodes.push(w.builderFor(block.thenNode));
    }
  }
  if (ifElse?.default.case === "elseNode") {
    subNodes.push(w.builderFor(ifElse.default.value));
  } else if (ifElse?.default.case === undefined) {
    issues.add(issue.branchNodeHasNoDefault(n.id));
  }
  const discovered: NodeBuilder[] = [];
  for (const sub of subNodes) {
    if (validateNode(w, sub, requireParamType, issues.scope())) {
      discovered.push(sub);
    }
  }
  return discovered;
}

/**
 * Validates one node: its interface and aliases, what it references, and
 * (for branch nodes) everything inside. Sorts its `upstream_node_ids`.
 */
export function validateNode(
  w: WorkflowBuilder,
  n: NodeBuilder,
  validateConditionTypes: boolean,
  issues: Issues,
): boolean {
  if (n.id === "") issues.add(issue.valueRequired("<node>", "Id"));
  if (n.id === START_NODE || n.id === END_NODE) return true;

  if (underlyingInterface(w, n, issues.scope()) !== undefined) {
    effectiveOutputs(n, issues.scope());
  }
  // Sorted, so the compiled output does not depend on client ordering.
  n.node.upstreamNodeIds.sort(compareStrings);

  const target = n.node.target;
  if (target.case === "branchNode") {
    const scope = issues.scope();
    const nodes = validateBranchNode(w, n, validateConditionTypes, scope);
    if (!scope.any) {
      for (const sub of nodes) {
        addEdges(w, sub, EdgeDirection.Upstream, issues.scope());
      }
    }
  } else if (
    target.case === "workflowNode" &&
    target.value.reference.case === "subWorkflowRef"
  ) {
    const ref = target.value.reference.value;
    if (!w.compiledSubWorkflows.has(idKey(ref))) {
      const sub = w.getSubWorkflow(ref);
      if (sub === undefined) {
        issues.add(issue.workflowReferenceNotFound(n.id, idText(ref)));
      } else if (n.subWorkflow === undefined) {
        const compiled = w.refs.compileSubWorkflow(
          w.refs,
          sub,
          issues.scope(),
        );
        if (compiled !== undefined) {
          n.subWorkflow = compiled;
          w.compiledSubWorkflows.set(idKey(ref), compiled.compiled);
        }
      }
    }
  } else if (
    target.case === "taskNode" &&
    target.value.reference.case === "referenceId"
  ) {
    const ref = target.value.reference.value;
    const task = w.getTask(ref);
    if (task !== undefined) n.task = task;
    else issues.add(issue.taskReferenceNotFound(n.id, idText(ref)));
  }
  return !issues.any;
}
