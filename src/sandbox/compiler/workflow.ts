/**
 * Workflow compilation: adds the start and end nodes, validates every node
 * and binding, computes upstream/downstream connections, checks the graph is
 * acyclic and fully reachable, and assembles the CompiledWorkflowClosure.
 *
 * @module
 */
import { clone, create } from "@bufbuild/protobuf";
import {
  type CompiledTask,
  type CompiledWorkflow,
  type CompiledWorkflowClosure,
  CompiledWorkflowClosureSchema,
  CompiledWorkflowSchema,
} from "@flyteidl/core/compiler_pb.ts";
import { TypedInterfaceSchema } from "@flyteidl/core/interface_pb.ts";
import {
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import {
  NodeSchema,
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import {
  compareStrings,
  EdgeDirection,
  END_NODE,
  type LaunchPlanProvider,
  type References,
  START_NODE,
  WorkflowBuilder,
} from "./builder.ts";
import { validateBindings } from "./bindings.ts";
import { issue, Issues } from "./errors.ts";
import { validateInterface } from "./interface.ts";
import { launchPlanProvider, type LaunchPlanReference } from "./launch_plan.ts";
import { addEdges, validateNode } from "./node.ts";
import { collectRequirements, indexSubWorkflows } from "./requirements.ts";
import { idKey, idText } from "./text.ts";

/** Depth-first search for a cycle from `start`; also returns what it saw. */
function detectCycle(
  start: string,
  next: (id: string) => string[],
): { cycle?: string[]; visited: Set<string> } {
  const visited = new Set<string>();
  const onPath = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    if (onPath.has(id)) return [];
    onPath.add(id);
    visited.add(id);
    for (const n of next(id)) {
      const path = visit(n);
      if (path !== undefined) return [n, ...path];
    }
    onPath.delete(id);
    return undefined;
  };
  const path = visit(start);
  return path === undefined
    ? { visited }
    : { cycle: [start, ...path], visited };
}

function validateReachable(w: WorkflowBuilder, issues: Issues): void {
  const { cycle, visited } = detectCycle(
    START_NODE,
    (id) => [...(w.downstream.get(id) ?? [])].sort(compareStrings),
  );
  if (cycle !== undefined) {
    issues.add(issue.cycleDetected(START_NODE, cycle.join(">")));
    return;
  }
  if (visited.size !== w.nodes.size) {
    const unreachable = [...w.nodes.keys()]
      .filter((id) => !visited.has(id) && id !== END_NODE)
      .sort(compareStrings);
    if (unreachable.length > 0) {
      issues.add(issue.unreachableNodes(START_NODE, unreachable.join(",")));
    }
  }
}

/**
 * Compiles one workflow in place (its template gains start/end nodes and
 * normalised bindings; its connections are set). Returns the builder, or
 * undefined when problems were reported.
 */
export function validateWorkflow(
  refs: References,
  compiled: CompiledWorkflow,
  issues: Issues,
): WorkflowBuilder | undefined {
  const template = compiled.template ??= create(WorkflowTemplateSchema);
  if (template.nodes.length === 0) {
    issues.add(issue.noNodesFound(idText(template.id)));
    return undefined;
  }
  const w = new WorkflowBuilder(compiled, refs);
  const ifaceScope = issues.scope();
  template.interface = validateInterface(
    START_NODE,
    template.interface,
    ifaceScope,
  );
  if (ifaceScope.any) return undefined;
  const wfInterface = template.interface;

  const original = [...template.nodes];
  template.nodes = [];

  const start = w.addNode(w.builderFor(create(NodeSchema, { id: START_NODE })));
  start.iface = create(TypedInterfaceSchema, { outputs: wfInterface.inputs });
  const end = w.addNode(w.builderFor(create(NodeSchema, { id: END_NODE })));
  end.iface = create(TypedInterfaceSchema, { inputs: wfInterface.outputs });
  end.node.inputs = template.outputs;

  // Top-level nodes (not those inside branches) must all finish before the
  // end node; orphans get explicit edges below.
  const topLevel = new Set<string>();
  for (const n of original) {
    // Checked before anything else sees the graph: a second node with an id
    // would replace the first and surface as a confusing end-node error.
    if (topLevel.has(n.id) || n.id === START_NODE || n.id === END_NODE) {
      issues.add(issue.duplicateId(n.id));
      continue;
    }
    topLevel.add(n.id);
    validateNode(w, w.addNode(w.builderFor(n)), false, issues.scope());
  }

  // Node ids sorted so the edges (and the output) are deterministic.
  const ids = [...w.nodes.keys()].sort(compareStrings);
  for (const id of ids) {
    if (id === START_NODE) continue;
    addEdges(w, w.nodes.get(id)!, EdgeDirection.Bidirectional, issues.scope());
  }

  if (template.failureNode !== undefined) {
    const failure = w.builderFor(template.failureNode);
    validateNode(w, failure, false, issues.scope());
    addEdges(w, failure, EdgeDirection.Upstream, issues.scope());
  }

  for (const id of ids) {
    if (id === START_NODE || id === END_NODE || !topLevel.has(id)) continue;
    // Nodes needing no inputs start with the workflow ...
    if (!w.upstream.has(id)) w.addExecutionEdge(START_NODE, id);
    // ... and nodes nobody consumes must still finish before it ends.
    if (!w.downstream.has(id)) w.addExecutionEdge(id, END_NODE);
  }

  // The workflow's outputs must all be bound, with matching types.
  const endScope = issues.scope();
  validateInterface(end.id, end.iface, endScope);
  if (!endScope.any) {
    validateBindings(
      w,
      end,
      end.node.inputs,
      end.iface.inputs,
      true,
      EdgeDirection.Bidirectional,
      issues.scope(),
    );
  }

  validateReachable(w, issues.scope());
  w.writeConnections();
  return issues.any ? undefined : w;
}

/**
 * A launch plan a workflow may launch: its id and interface as in
 * core.LaunchPlanTemplate (a LaunchPlanTemplate message fits), optionally
 * with the launch plan's default inputs, or the expected inputs/outputs the
 * admin computed for it (then used as they are).
 */
export type { LaunchPlanReference };

/**
 * Compiles a workflow with the sub-workflows, tasks and launch plans it
 * references into a CompiledWorkflowClosure, exactly as Flyte's compiler
 * does: start-node/end-node added, every binding type-checked, connections
 * computed, branch/sub-workflow/launch-plan/gate/array/failure nodes
 * validated. The closure lists every given task and sub-workflow (the used
 * sub-workflows compiled). Inputs are not modified.
 *
 * Throws a `CompileError` (INVALID_ARGUMENT) naming the node and variable of
 * each problem.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
 * import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
 * import { compileTask, compileWorkflow } from "./mod.ts";
 * const taskId = { resourceType: 1, project: "p", domain: "d", name: "t", version: "1" };
 * const task = compileTask(create(TaskTemplateSchema, {
 *   id: taskId, type: "python-task",
 *   target: { case: "container", value: { image: "img", args: ["run"] } },
 * }));
 * const wf = create(WorkflowTemplateSchema, {
 *   id: { resourceType: 2, project: "p", domain: "d", name: "wf", version: "1" },
 *   nodes: [{ id: "n0", target: { case: "taskNode", value: { reference: { case: "referenceId", value: taskId } } } }],
 * });
 * const closure = compileWorkflow(wf, [], [task], []);
 * console.log(closure.primary?.connections?.downstream["start-node"].ids); // ["n0"]
 * ```
 */
export function compileWorkflow(
  primary: WorkflowTemplate,
  subWorkflows: WorkflowTemplate[],
  tasks: CompiledTask[],
  launchPlans: LaunchPlanReference[],
): CompiledWorkflowClosure {
  const issues = new Issues();
  if (primary === undefined || primary === null) {
    issues.add(issue.valueRequired("root", "wf"));
    issues.throwIfAny();
  }
  const wf = clone(WorkflowTemplateSchema, primary);

  const taskIndex = new Map<string, TaskTemplate>();
  const taskList: TaskTemplate[] = [];
  for (const t of tasks) {
    if (t.template?.id === undefined) {
      issues.add(issue.valueRequired("task", "Template.Id"));
      issues.throwIfAny();
    }
    const key = idKey(t.template!.id);
    if (taskIndex.has(key)) continue;
    const template = clone(TaskTemplateSchema, t.template!);
    taskIndex.set(key, template);
    taskList.push(template);
  }

  const subs = subWorkflows.map((s) => clone(WorkflowTemplateSchema, s));
  const compiledSubs = subs.map((template) =>
    create(CompiledWorkflowSchema, { template })
  );
  const subIndex = indexSubWorkflows(subs, issues.scope());
  issues.throwIfAny();

  const lpIndex = new Map<string, LaunchPlanProvider>();
  for (const lp of launchPlans) {
    const provider = launchPlanProvider(lp);
    lpIndex.set(idKey(provider.id), provider);
  }

  const refs: References = {
    compileSubWorkflow: validateWorkflow,
    tasks: taskIndex,
    launchPlans: lpIndex,
    subWorkflows: new Map(
      compiledSubs.map((c) => [idKey(c.template!.id), c] as const),
    ),
  };

  // Everything referenced (through sub-workflows too) must be given. Flyte
  // reports a missing task or launch plan against start-node; we name the
  // node that references it, which is what a user needs to fix.
  const reqs = collectRequirements(wf, subIndex, true, issues.scope());
  for (const [key, ref] of reqs.launchPlans) {
    if (!lpIndex.has(key)) {
      issues.add(issue.workflowReferenceNotFound(ref.nodeId, idText(ref.id)));
    }
  }
  for (const [key, ref] of reqs.tasks) {
    if (!taskIndex.has(key)) {
      issues.add(issue.taskReferenceNotFound(ref.nodeId, idText(ref.id)));
    }
  }
  issues.throwIfAny();

  const compiled = create(CompiledWorkflowSchema, { template: wf });
  validateWorkflow(refs, compiled, issues.scope());
  issues.throwIfAny();

  return create(CompiledWorkflowClosureSchema, {
    primary: compiled,
    tasks: taskList.map((template) => ({ template })),
    subWorkflows: compiledSubs,
  });
}
