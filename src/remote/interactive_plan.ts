/**
 * Planning interactive registrations without any network call: capturing
 * tasks into bundles and computing their versions, collecting the tasks a
 * workflow needs, and a workflow's version from its closure's templates and
 * its tasks' versions.
 *
 * @module
 */
import { toBinary } from "@bufbuild/protobuf";
import { LaunchPlanSpecSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import {
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import type { TaskDefinition } from "../sdk/contract.ts";
import { compileTask, DEFAULT_IMAGE } from "../sdk/compile_task.ts";
import { compileWorkflow } from "../sdk/compile_workflow.ts";
import { compileLaunchPlan } from "../sdk/compile_launch_plan.ts";
import type { AnyWorkflow } from "../sdk/workflow.ts";
import type { AnyLaunchPlan } from "../sdk/launch_plan.ts";
import { captureTasks } from "../bundle/capture.ts";
import type { Bundle } from "../bundle/bundle.ts";
import { taskVersion, workflowVersion } from "../bundle/version.ts";

/**
 * A task ready to register: its version, its template (without the bundle
 * argument) and its bundle.
 *
 * @example
 * ```ts
 * import type { TaskPlan } from "./interactive.ts";
 * const show = (p: TaskPlan) => `${p.def.name}@${p.version}`;
 * ```
 */
export interface TaskPlan {
  /** The definition. */
  def: TaskDefinition;
  /** The content version. */
  version: string;
  /** The template with an empty version and no bundle argument. */
  template: TaskTemplate;
  /** The bundle that carries its code. */
  bundle: Bundle;
}

/**
 * Captures tasks and computes their versions, without any network call
 * (every bundle is built and checked here, before anything is uploaded).
 *
 * @example
 * ```ts
 * import { planTasks } from "./interactive.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const add: TaskDefinition;
 * const [plan] = await planTasks([add], { project: "p", domain: "d" });
 * console.log(plan.version.length); // 22
 * ```
 */
export async function planTasks(
  defs: readonly TaskDefinition[],
  o: { project: string; domain: string; image?: string },
): Promise<TaskPlan[]> {
  const captured = await captureTasks(defs);
  const plans: TaskPlan[] = [];
  for (const c of captured) {
    for (const def of c.tasks) {
      if (!defs.includes(def)) continue;
      plans.push(planWithBundle(def, c.bundle, o));
    }
  }
  return plans;
}

/**
 * The plan of a task whose code ships in a given bundle (or fast package).
 *
 * @example
 * ```ts
 * import { planWithBundle } from "./interactive_plan.ts";
 * import { buildBundle } from "../bundle/bundle.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const add: TaskDefinition;
 * const plan = planWithBundle(add, buildBundle({ program: "export {};", tasks: [add.name] }), { project: "p", domain: "d" });
 * console.log(plan.version.length); // 22
 * ```
 */
export function planWithBundle(
  def: TaskDefinition,
  bundle: Bundle,
  o: { project: string; domain: string; image?: string },
): TaskPlan {
  const template = compileTask(def, {
    project: o.project,
    domain: o.domain,
    version: "",
    image: o.image,
  });
  const image = template.target.case === "container"
    ? template.target.value.image
    : DEFAULT_IMAGE;
  const bytes = toBinary(TaskTemplateSchema, template);
  const version = taskVersion({
    bundleSha256: bundle.sha256,
    template: bytes,
    image,
  });
  return { def, version, template, bundle };
}

/**
 * The `--bundle` argument of a registered TypeScript task's template.
 *
 * @example
 * ```ts
 * import { bundleArg } from "./interactive_plan.ts";
 * console.log(bundleArg(undefined)); // undefined
 * ```
 */
export function bundleArg(tpl: TaskTemplate | undefined): string | undefined {
  if (tpl?.target.case !== "container") return undefined;
  const args = tpl.target.value.args;
  const i = args.indexOf("--bundle");
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * Every TypeScript task a workflow or launch plan needs, launched launch
 * plans' included.
 *
 * @example
 * ```ts
 * import { collectTasks } from "./interactive_plan.ts";
 * import type { AnyWorkflow } from "../sdk/workflow.ts";
 * declare const wf: AnyWorkflow;
 * console.log(collectTasks(wf, { project: "p", domain: "d" }).map((t) => t.name));
 * ```
 */
export function collectTasks(
  def: AnyWorkflow | AnyLaunchPlan,
  scope: { project: string; domain: string },
  seen = new Set<unknown>(),
): TaskDefinition[] {
  const wf = def.kind === "launchPlan" ? def.workflow : def;
  if (seen.has(wf)) return [];
  seen.add(wf);
  const out = new Map<string, TaskDefinition>();
  for (const t of wf.tasks()) out.set(t.name, t);
  const c = compileWorkflow(wf, { ...scope, version: "-" });
  for (const lp of c.launchPlans) {
    for (const t of collectTasks(lp, scope, seen)) out.set(t.name, t);
  }
  return [...out.values()];
}

/** The templates (version "") of a workflow's closure, for its version. */
function closureParts(
  def: AnyWorkflow | AnyLaunchPlan,
  o: Parameters<typeof compileWorkflow>[1],
  seen: Set<unknown>,
): Uint8Array[] {
  if (seen.has(def)) return [];
  seen.add(def);
  const wf = def.kind === "launchPlan" ? def.workflow : def;
  const c = compileWorkflow(wf, o);
  const parts: Uint8Array[] = [
    toBinary(WorkflowTemplateSchema, c.workflow),
    ...c.subWorkflows.map((w) => toBinary(WorkflowTemplateSchema, w)),
    toBinary(LaunchPlanSpecSchema, compileLaunchPlan(def, o).spec),
  ];
  for (const lp of c.launchPlans) parts.push(...closureParts(lp, o, seen));
  return parts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 4, 0));
  let at = 0;
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.length);
    out.set(p, at + 4);
    at += p.length + 4;
  }
  return out;
}

/**
 * A workflow's (or launch plan's) version: its closure's templates at
 * version "" with its tasks' versions, hashed with those versions.
 *
 * @example
 * ```ts
 * import { closureVersion } from "./interactive_plan.ts";
 * import type { AnyWorkflow } from "../sdk/workflow.ts";
 * declare const wf: AnyWorkflow;
 * const v = closureVersion(wf, { project: "p", domain: "d" }, new Map());
 * ```
 */
export function closureVersion(
  def: AnyWorkflow | AnyLaunchPlan,
  o: { project: string; domain: string; image?: string },
  versions: ReadonlyMap<string, string>,
): string {
  return workflowVersion(
    concat(closureParts(def, {
      ...o,
      version: "",
      versionOf: (d) => d.kind === "task" ? versions.get(d.name) ?? "" : "",
    }, new Set())),
    [...versions.values()],
  );
}
