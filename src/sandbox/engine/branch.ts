/**
 * Branch-node condition evaluation (propeller-contract.md §5): first true
 * case wins; operands are primitives of identical type.
 *
 * @module
 */
import type {
  BooleanExpression,
  ComparisonExpression,
  Operand,
} from "@flyteidl/core/condition_pb.ts";
import {
  ComparisonExpression_Operator as Op,
  ConjunctionExpression_LogicalOperator as LogicalOp,
} from "@flyteidl/core/condition_pb.ts";
import type {
  BindingData,
  LiteralMap,
  Primitive,
} from "@flyteidl/core/literals_pb.ts";
import type { IfElseBlock, Node } from "@flyteidl/core/workflow_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";

function malformed(message: string): NodeFailure {
  return new NodeFailure(
    "MalformedBranchUserError",
    message,
    ExecutionError_ErrorKind.USER,
    false,
  );
}

function operandValue(o: Operand | undefined, inputs: LiteralMap): Primitive {
  const v = o?.val;
  if (!v || v.case === undefined) throw malformed("empty branch operand");
  if (v.case === "primitive") return v.value;
  if (v.case === "scalar") {
    if (v.value.value.case === "primitive") return v.value.value.value;
    throw malformed(
      `branch operand must be a primitive, got ${v.value.value.case}`,
    );
  }
  const name = v.value;
  const lit = inputs.literals[name] ?? inputs.literals[name.replace(/^\./, "")];
  if (!lit) {
    throw malformed(
      `branch operand variable ${name} not found in the node's inputs`,
    );
  }
  if (
    lit.value.case === "scalar" && lit.value.value.value.case === "primitive"
  ) {
    return lit.value.value.value.value;
  }
  throw malformed(`branch operand variable ${name} is not a primitive`);
}

function numeric(p: Primitive): number | bigint | string | boolean {
  switch (p.value.case) {
    case "integer":
      return p.value.value;
    case "floatValue":
      return p.value.value;
    case "stringValue":
      return p.value.value;
    case "boolean":
      return p.value.value;
    case "datetime":
    case "duration":
      return Number(p.value.value.seconds);
  }
  throw malformed("empty primitive in branch comparison");
}

function compare(c: ComparisonExpression, inputs: LiteralMap): boolean {
  const l = operandValue(c.leftValue, inputs);
  const r = operandValue(c.rightValue, inputs);
  if (l.value.case !== r.value.case) {
    throw malformed(
      `cannot compare ${l.value.case} with ${r.value.case} in a branch condition`,
    );
  }
  const a = numeric(l), b = numeric(r);
  const eq = a === b;
  if (typeof a === "boolean") {
    if (c.operator === Op.EQ) return eq;
    if (c.operator === Op.NEQ) return !eq;
    throw malformed("booleans support only EQ and NEQ");
  }
  const gt = a > b;
  switch (c.operator) {
    case Op.EQ:
      return eq;
    case Op.NEQ:
      return !eq;
    case Op.GT:
      return gt;
    case Op.GTE:
      return eq || gt;
    case Op.LT:
      return !(gt || eq);
    case Op.LTE:
      return !gt;
  }
  throw malformed(`unknown comparison operator ${c.operator}`);
}

/**
 * Evaluates a boolean expression against the branch node's inputs.
 *
 * @example
 * ```ts
 * import { evaluate } from "./branch.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { BooleanExpressionSchema } from "@flyteidl/core/condition_pb.ts";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * const e = create(BooleanExpressionSchema, { expr: { case: "comparison", value: {
 *   leftValue: { val: { case: "primitive", value: { value: { case: "integer", value: 1n } } } },
 *   rightValue: { val: { case: "primitive", value: { value: { case: "integer", value: 1n } } } } } } });
 * evaluate(e, create(LiteralMapSchema)); // true
 * ```
 */
export function evaluate(e: BooleanExpression, inputs: LiteralMap): boolean {
  if (e.expr.case === "comparison") return compare(e.expr.value, inputs);
  if (e.expr.case === "conjunction") {
    const c = e.expr.value;
    if (!c.leftExpression || !c.rightExpression) {
      throw malformed("conjunction without both sides");
    }
    const l = evaluate(c.leftExpression, inputs);
    const r = evaluate(c.rightExpression, inputs);
    return c.operator === LogicalOp.AND ? l && r : l || r;
  }
  throw malformed("empty boolean expression");
}

/**
 * Picks the node a branch takes, or throws the branch's failure.
 *
 * @example
 * ```ts
 * import { chooseBranch } from "./branch.ts";
 * console.log(typeof chooseBranch); // "function"
 * ```
 */
export function chooseBranch(ifElse: IfElseBlock, inputs: LiteralMap): Node {
  const cases = [ifElse.case, ...ifElse.other].filter((c) => c !== undefined);
  for (const c of cases) {
    if (!c.condition || !c.thenNode) {
      throw malformed("branch case without condition or node");
    }
    if (evaluate(c.condition, inputs)) return c.thenNode;
  }
  if (ifElse.default.case === "elseNode") return ifElse.default.value;
  if (ifElse.default.case === "error") {
    throw new NodeFailure(
      "UserProvidedError",
      ifElse.default.value.message,
      ExecutionError_ErrorKind.USER,
      false,
    );
  }
  throw malformed("No branch satisfied");
}

function promisedNodes(b: BindingData | undefined, out: string[]): void {
  const v = b?.value;
  if (!v) return;
  if (v.case === "promise") out.push(v.value.nodeId);
  else if (v.case === "collection") {
    for (const x of v.value.bindings) promisedNodes(x, out);
  } else if (v.case === "map") {
    for (const x of Object.values(v.value.bindings)) promisedNodes(x, out);
  }
}

/**
 * Every node id the cases of a branch node read (their bindings' promises
 * and upstream lists, nested branches included), in first-seen order.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
 * import { caseDependencies } from "./branch.ts";
 * console.log(caseDependencies(create(NodeSchema, { id: "n1" }))); // []
 * ```
 */
export function caseDependencies(node: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node | undefined) => {
    if (!n) return;
    out.push(...n.upstreamNodeIds);
    for (const b of n.inputs) promisedNodes(b.binding, out);
    if (n.target.case === "branchNode") {
      const ie = n.target.value.ifElse;
      visit(ie?.case?.thenNode);
      for (const c of ie?.other ?? []) visit(c.thenNode);
      if (ie?.default.case === "elseNode") visit(ie.default.value);
    }
  };
  if (node.target.case === "branchNode") {
    const ie = node.target.value.ifElse;
    visit(ie?.case?.thenNode);
    for (const c of ie?.other ?? []) visit(c.thenNode);
    if (ie?.default.case === "elseNode") visit(ie.default.value);
  }
  return [...new Set(out)];
}
