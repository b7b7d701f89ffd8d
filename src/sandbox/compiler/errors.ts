/**
 * Compile errors: the problems Flyte's compiler reports, collected while a
 * workflow is compiled and thrown together as one {@link CompileError}.
 *
 * The kinds and descriptions follow Flyte's compiler
 * (flytepropeller/pkg/compiler/errors) so people who know Flyte's messages
 * recognise ours; a compile error always means a bad request (gRPC
 * INVALID_ARGUMENT) for the admin.
 *
 * @module
 */

/**
 * The kinds of problem the compiler reports (Flyte's error codes).
 *
 * @example
 * ```ts
 * import type { CompileErrorKind } from "./errors.ts";
 * const kind: CompileErrorKind = "MismatchingTypes";
 * ```
 */
export type CompileErrorKind =
  | "CycleDetected"
  | "BranchNodeIdNotFound"
  | "BranchNodeHasNoCondition"
  | "BranchNodeHasNoDefault"
  | "ValueRequired"
  | "InvalidValue"
  | "NodeReferenceNotFound"
  | "TaskReferenceNotFound"
  | "WorkflowReferenceNotFound"
  | "VariableNameNotFound"
  | "DuplicateAlias"
  | "DuplicateId"
  | "MismatchingTypes"
  | "MismatchingBindings"
  | "ParameterBoundMoreThanOnce"
  | "ParameterNotBound"
  | "UnreachableNodes"
  | "UnrecognizedValue"
  | "SyntaxError"
  | "NoNodesFound"
  | "IllegalEnumValue"
  | "AmbiguousBindingUnionValue"
  | "IncompatibleBindingUnionValue"
  | "NoConditionFound"
  | "FieldNotFound"
  | "InvalidLiteralType";

/**
 * One problem found by the compiler.
 *
 * @example
 * ```ts
 * import type { CompileIssue } from "./errors.ts";
 * const issue: CompileIssue = {
 *   kind: "ParameterNotBound",
 *   nodeId: "n1",
 *   variable: "x",
 *   description: "Parameter not bound [x].",
 * };
 * ```
 */
export interface CompileIssue {
  /** What kind of problem this is. */
  kind: CompileErrorKind;
  /** The node the problem is about (`start-node` for workflow-level problems). */
  nodeId: string;
  /** The input/output variable concerned, when there is one. */
  variable?: string;
  /** A human-readable description, naming the offending values. */
  description: string;
}

/** Formats one issue the way Flyte's compiler prints a CompileError. */
export function formatIssue(issue: CompileIssue): string {
  return `Code: ${issue.kind}, Node Id: ${issue.nodeId}, Description: ${issue.description}`;
}

/**
 * A workflow or task that does not compile. Carries every problem found
 * ({@link CompileError.issues}, sorted as Flyte sorts them: by kind, then
 * text); `nodeId` and `variable` are those of the first. `code` is the gRPC
 * status an API should answer with.
 *
 * @example
 * ```ts
 * import { CompileError } from "./errors.ts";
 * const err = new CompileError([{
 *   kind: "ParameterNotBound",
 *   nodeId: "n1",
 *   variable: "x",
 *   description: "Parameter not bound [x].",
 * }]);
 * console.log(err.code, err.nodeId, err.variable, err.message);
 * ```
 */
export class CompileError extends Error {
  /** gRPC status code name for this error: always INVALID_ARGUMENT. */
  readonly code = "INVALID_ARGUMENT" as const;
  /** Kind of the first issue. */
  readonly kind: CompileErrorKind;
  /** Node of the first issue. */
  readonly nodeId?: string;
  /** Variable of the first issue, when it names one. */
  readonly variable?: string;
  /** Every issue found, sorted. */
  readonly issues: readonly CompileIssue[];

  /** Builds the error from one or more issues (at least one). */
  constructor(issues: CompileIssue[]) {
    const sorted = sortIssues(issues);
    if (sorted.length === 0) {
      throw new RangeError("CompileError needs at least one issue");
    }
    const message = sorted.length === 1
      ? formatIssue(sorted[0])
      : `Collected Errors: ${sorted.length}\n` +
        sorted.map((e, i) => `\tError ${i}: ${formatIssue(e)}`).join("\n");
    super(message);
    this.name = "CompileError";
    this.issues = sorted;
    this.kind = sorted[0].kind;
    this.nodeId = sorted[0].nodeId;
    const withVariable = sorted.find((i) => i.variable !== undefined);
    this.variable = sorted[0].variable ?? withVariable?.variable;
  }
}

function sortIssues(issues: CompileIssue[]): CompileIssue[] {
  // Flyte keeps a set of errors (identical ones collapse) and lists them
  // sorted by code, then by their printed form.
  const unique = new Map<string, CompileIssue>();
  for (const issue of issues) {
    const key = `${formatIssue(issue)}\u0000${issue.variable ?? ""}`;
    if (!unique.has(key)) unique.set(key, issue);
  }
  return [...unique.values()].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
    const fa = formatIssue(a), fb = formatIssue(b);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
}

/**
 * Collects issues in nested scopes, as Flyte's compiler does: a scope knows
 * whether anything was reported in it or below it, and every issue ends up in
 * the root.
 */
export class Issues {
  readonly #root: CompileIssue[];
  readonly #parent?: Issues;
  #count = 0;

  constructor(parent?: Issues) {
    this.#parent = parent;
    this.#root = parent ? parent.#root : [];
  }

  /** A child scope. */
  scope(): Issues {
    return new Issues(this);
  }

  /** Records an issue in this scope and every enclosing one. */
  add(issue: CompileIssue): void {
    this.#root.push(issue);
    this.#count++;
    for (let s = this.#parent; s; s = s.#parent) s.#count++;
  }

  /** Whether anything was reported in this scope or below. */
  get any(): boolean {
    return this.#count > 0;
  }

  /** Throws a {@link CompileError} when the root holds any issue. */
  throwIfAny(): void {
    if (this.#root.length > 0) throw new CompileError(this.#root);
  }
}

// ---- constructors, one per Flyte error, with Flyte's descriptions ----

/** @internal */
export const issue = {
  branchNodeNotSpecified: (nodeId: string): CompileIssue => ({
    kind: "BranchNodeIdNotFound",
    nodeId,
    description: "BranchNode not assigned",
  }),
  branchNodeHasNoCondition: (nodeId: string): CompileIssue => ({
    kind: "BranchNodeHasNoCondition",
    nodeId,
    description: "One of the branches on the node doesn't have a condition.",
  }),
  branchNodeHasNoDefault: (nodeId: string): CompileIssue => ({
    kind: "BranchNodeHasNoDefault",
    nodeId,
    description:
      "Branch Node must have either the else case set or a default error.",
  }),
  valueRequired: (nodeId: string, field: string): CompileIssue => ({
    kind: "ValueRequired",
    nodeId,
    description: `Value required [${field}].`,
  }),
  invalidValue: (nodeId: string, field: string): CompileIssue => ({
    kind: "InvalidValue",
    nodeId,
    description: `Invalid value [${field}].`,
  }),
  parameterNotBound: (nodeId: string, variable: string): CompileIssue => ({
    kind: "ParameterNotBound",
    nodeId,
    variable,
    description: `Parameter not bound [${variable}].`,
  }),
  nodeReferenceNotFound: (
    nodeId: string,
    referenced: string,
    variable?: string,
  ): CompileIssue => ({
    kind: "NodeReferenceNotFound",
    nodeId,
    variable,
    description: `Referenced node [${referenced}] not found.`,
  }),
  workflowReferenceNotFound: (nodeId: string, ref: string): CompileIssue => ({
    kind: "WorkflowReferenceNotFound",
    nodeId,
    description: `Referenced Workflow [${ref}] not found.`,
  }),
  taskReferenceNotFound: (nodeId: string, ref: string): CompileIssue => ({
    kind: "TaskReferenceNotFound",
    nodeId,
    description: `Referenced Task [${ref}] not found.`,
  }),
  variableNameNotFound: (
    nodeId: string,
    onNode: string,
    variable: string,
  ): CompileIssue => ({
    kind: "VariableNameNotFound",
    nodeId,
    variable,
    description: `Variable [${variable}] not found on node [${onNode}].`,
  }),
  parameterBoundMoreThanOnce: (
    nodeId: string,
    variable: string,
  ): CompileIssue => ({
    kind: "ParameterBoundMoreThanOnce",
    nodeId,
    variable,
    description: `Input [${variable}] is bound more than once.`,
  }),
  duplicateAlias: (nodeId: string, alias: string): CompileIssue => ({
    kind: "DuplicateAlias",
    nodeId,
    variable: alias,
    description:
      `Duplicate alias [${alias}] found. An output alias can only be used once in the Workflow.`,
  }),
  duplicateId: (id: string): CompileIssue => ({
    kind: "DuplicateId",
    nodeId: id,
    description: `Trying to insert two nodes with the same id [${id}].`,
  }),
  mismatchingTypes: (
    nodeId: string,
    variable: string,
    fromType: string,
    toType: string,
  ): CompileIssue => ({
    kind: "MismatchingTypes",
    nodeId,
    variable,
    description:
      `Variable [${variable}] (type [${fromType}]) doesn't match expected type [${toType}].`,
  }),
  mismatchingVariables: (
    nodeId: string,
    fromVar: string,
    fromType: string,
    toVar: string,
    toType: string,
    variable: string,
  ): CompileIssue => ({
    kind: "MismatchingTypes",
    nodeId,
    variable,
    description:
      `The output variable '${fromVar}' has type [${fromType}], but it's assigned to the input variable '${toVar}' which has type type [${toType}].`,
  }),
  mismatchingBindings: (
    nodeId: string,
    variable: string,
    expected: string,
    received: string,
  ): CompileIssue => ({
    kind: "MismatchingBindings",
    nodeId,
    variable,
    description:
      `Input [${variable}] on node [${nodeId}] expects bindings of type [${expected}].  Received [${received}]`,
  }),
  fieldNotFound: (
    nodeId: string,
    variable: string,
    fromType: string,
    key: string,
  ): CompileIssue => ({
    kind: "FieldNotFound",
    nodeId,
    variable,
    description:
      `Variable [${variable}] (type [${fromType}]) doesn't have field [${key}].`,
  }),
  illegalEnumValue: (
    nodeId: string,
    variable: string,
    received: string,
    expected: string[],
  ): CompileIssue => ({
    kind: "IllegalEnumValue",
    nodeId,
    variable,
    description:
      `Input [${variable}] on node [${nodeId}] is an Enum and expects value to be one of [${
        expected.join(" ")
      }].  Received [${received}]`,
  }),
  cycleDetected: (nodeId: string, cycle: string): CompileIssue => ({
    kind: "CycleDetected",
    nodeId,
    description:
      `A cycle has been detected while traversing the Workflow [${cycle}].`,
  }),
  unreachableNodes: (nodeId: string, nodes: string): CompileIssue => ({
    kind: "UnreachableNodes",
    nodeId,
    description: `The Workflow contain unreachable nodes [${nodes}].`,
  }),
  unrecognizedValue: (nodeId: string, value: string): CompileIssue => ({
    kind: "UnrecognizedValue",
    nodeId,
    description: `Unrecognized value [${value}].`,
  }),
  syntaxError: (
    nodeId: string,
    element: string,
    variable: string,
  ): CompileIssue => ({
    kind: "SyntaxError",
    nodeId,
    variable,
    description: `Failed to parse element [${element}].`,
  }),
  noNodesFound: (workflowId: string): CompileIssue => ({
    kind: "NoNodesFound",
    nodeId: workflowId,
    description: `Can't find any nodes in workflow [${workflowId}].`,
  }),
  ambiguousBindingUnionValue: (
    nodeId: string,
    variable: string,
    expected: string,
    binding: string,
    match1: string,
    match2: string,
  ): CompileIssue => ({
    kind: "AmbiguousBindingUnionValue",
    nodeId,
    variable,
    description:
      `Input [${variable}] on node [${nodeId}] expects bindings of union type [${expected}].  Received [${binding}] which is ambiguous as both variants [${match1}] and [${match2}] match.`,
  }),
  incompatibleBindingUnionValue: (
    nodeId: string,
    variable: string,
    expected: string,
    binding: string,
  ): CompileIssue => ({
    kind: "IncompatibleBindingUnionValue",
    nodeId,
    variable,
    description:
      `Input [${variable}] on node [${nodeId}] expects bindings of union type [${expected}].  Received [${binding}] which does not match any of the variants.`,
  }),
  noConditionFound: (nodeId: string): CompileIssue => ({
    kind: "NoConditionFound",
    nodeId,
    description: `Can't find any condition in gate node [${nodeId}].`,
  }),
  invalidLiteralType: (
    nodeId: string,
    variable: string,
    cause: string,
  ): CompileIssue => ({
    kind: "InvalidLiteralType",
    nodeId,
    variable,
    description:
      `Failed to validate literal type for [${variable}] with err: ${cause}`,
  }),
};
