/**
 * What a workflow references: the tasks and launch plans that must be loaded
 * before it can be compiled (sub-workflows are followed).
 *
 * @module
 */
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { Node, WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import { issue, Issues } from "./errors.ts";
import { compareStrings } from "./builder.ts";
import { idKey, idText } from "./text.ts";

/** A referenced entity and the first node referencing it. */
export interface Reference {
  id: Identifier;
  nodeId: string;
}

/** Tasks and launch plans referenced by a workflow, by identity key. */
export interface Requirements {
  tasks: Map<string, Reference>;
  launchPlans: Map<string, Reference>;
}

/** Indexes sub-workflows by id, reporting missing and duplicate ids. */
export function indexSubWorkflows(
  subWorkflows: WorkflowTemplate[],
  issues: Issues,
): Map<string, WorkflowTemplate> {
  const index = new Map<string, WorkflowTemplate>();
  for (const wf of subWorkflows) {
    if (wf.id === undefined) {
      issues.add(issue.valueRequired("root", "SubWorkflow.Id"));
      continue;
    }
    const key = idKey(wf.id);
    if (index.has(key)) issues.add(issue.duplicateId(idText(wf.id)));
    else index.set(key, wf);
  }
  return index;
}

/**
 * Collects references from a workflow's nodes (branches, array nodes and the
 * failure node included); with `followSubWorkflows`, from the sub-workflows
 * it runs too, reporting sub-workflows that are not given.
 */
export function collectRequirements(
  wf: WorkflowTemplate,
  subWorkflows: Map<string, WorkflowTemplate>,
  followSubWorkflows: boolean,
  issues: Issues,
): Requirements {
  const reqs: Requirements = { tasks: new Map(), launchPlans: new Map() };
  const visiting = new Set<string>();
  const visitWorkflow = (t: WorkflowTemplate) => {
    const key = idKey(t.id);
    if (visiting.has(key)) return; // recursive sub-workflows: visit once
    visiting.add(key);
    for (const n of t.nodes) visitNode(n);
    if (t.failureNode) visitNode(t.failureNode);
  };
  const add = (m: Map<string, Reference>, id: Identifier, nodeId: string) => {
    const key = idKey(id);
    if (!m.has(key)) m.set(key, { id, nodeId });
  };
  const visitNode = (n: Node | undefined) => {
    if (n === undefined) return;
    const t = n.target;
    if (t.case === "taskNode") {
      if (t.value.reference.case === "referenceId") {
        add(reqs.tasks, t.value.reference.value, n.id);
      }
    } else if (t.case === "workflowNode") {
      const ref = t.value.reference;
      if (ref.case === "launchplanRef") {
        add(reqs.launchPlans, ref.value, n.id);
      } else if (ref.case === "subWorkflowRef" && followSubWorkflows) {
        const sub = subWorkflows.get(idKey(ref.value));
        if (sub === undefined) {
          issues.add(issue.workflowReferenceNotFound(n.id, idText(ref.value)));
        } else {
          visitWorkflow(sub);
        }
      }
    } else if (t.case === "branchNode") {
      const ifElse = t.value.ifElse;
      visitNode(ifElse?.case?.thenNode);
      for (const other of ifElse?.other ?? []) visitNode(other.thenNode);
      if (ifElse?.default.case === "elseNode") visitNode(ifElse.default.value);
    } else if (t.case === "arrayNode") {
      visitNode(t.value.node);
    }
  };
  visitWorkflow(wf);
  return reqs;
}

/** Identifiers sorted as Flyte lists them: type, project, domain, name, version. */
export function sortedIds(refs: Iterable<Reference>): Identifier[] {
  return [...refs].map((r) => r.id).sort((a, b) =>
    a.resourceType !== b.resourceType
      ? a.resourceType - b.resourceType
      : compareStrings(a.project, b.project) ||
        compareStrings(a.domain, b.domain) ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.version, b.version)
  );
}

/**
 * The tasks and launch plans a workflow (with its sub-workflows) references,
 * each listed once, sorted. Load these, then call `compileWorkflow`.
 * Throws a `CompileError` when a referenced sub-workflow is not among
 * `subWorkflows`, or two sub-workflows share an id.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
 * import { workflowRequirements } from "./requirements.ts";
 * const wf = create(WorkflowTemplateSchema, {
 *   nodes: [{ id: "n0", target: { case: "taskNode", value: { reference: { case: "referenceId", value: { name: "t" } } } } }],
 * });
 * console.log(workflowRequirements(wf, []).taskIds.map((id) => id.name)); // ["t"]
 * ```
 */
export function workflowRequirements(
  primary: WorkflowTemplate,
  subWorkflows: WorkflowTemplate[],
): { taskIds: Identifier[]; launchPlanIds: Identifier[] } {
  const issues = new Issues();
  const index = indexSubWorkflows(subWorkflows, issues);
  issues.throwIfAny();
  const reqs = collectRequirements(primary, index, true, issues);
  issues.throwIfAny();
  return {
    taskIds: sortedIds(reqs.tasks.values()),
    launchPlanIds: sortedIds(reqs.launchPlans.values()),
  };
}
