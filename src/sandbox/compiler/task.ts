/**
 * Task compilation: the checks Flyte's compiler makes on a task template
 * before it can be registered (an id; for containers an image, a command when
 * the task has inputs or outputs, resource quantities Kubernetes can parse;
 * for pod tasks, DNS-1123 container names).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type CompiledTask,
  CompiledTaskSchema,
} from "@flyteidl/core/compiler_pb.ts";
import {
  type Resources_ResourceEntry,
  Resources_ResourceName,
  type TaskTemplate,
} from "@flyteidl/core/tasks_pb.ts";
import { issue, Issues } from "./errors.ts";

/** A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`). */
const QUANTITY =
  /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** A Kubernetes DNS-1123 label (container names). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkResources(
  entries: Resources_ResourceEntry[],
  issues: Issues,
): void {
  for (const r of entries) {
    if (!QUANTITY.test(r.value)) {
      const name = Resources_ResourceName[r.name] ?? String(r.name);
      issues.add(issue.unrecognizedValue(`resources.${name}`, r.value));
    }
  }
}

function checkContainer(task: TaskTemplate, issues: Issues): void {
  if (task.target.case !== "container") return;
  const c = task.target.value;
  const hasInputs =
    Object.keys(task.interface?.inputs?.variables ?? {}).length > 0;
  const hasOutputs =
    Object.keys(task.interface?.outputs?.variables ?? {}).length > 0;
  if (
    task.interface !== undefined && (hasInputs || hasOutputs) &&
    c.command.length === 0 && c.args.length === 0
  ) {
    // Something must run to read inputs or write outputs.
    issues.add(issue.valueRequired("container", "command"));
  }
  if (c.image === "") issues.add(issue.valueRequired("container", "image"));
  if (c.resources !== undefined) {
    checkResources(c.resources.requests, issues);
    checkResources(c.resources.limits, issues);
  }
}

function checkPod(task: TaskTemplate, issues: Issues): void {
  if (task.target.case !== "k8sPod") return;
  const spec = task.target.value.podSpec;
  const containers = spec?.["containers"];
  if (
    spec === undefined ||
    (containers !== undefined && containers !== null &&
      !Array.isArray(containers))
  ) {
    issues.add(issue.invalidValue("root", "k8s pod spec"));
    return;
  }
  for (const c of (containers ?? []) as unknown[]) {
    const name = typeof c === "object" && c !== null
      ? (c as Record<string, unknown>)["name"]
      : undefined;
    if (
      typeof name !== "string" || name.length > 63 || !DNS1123_LABEL.test(name)
    ) {
      issues.add(issue.invalidValue("root", "k8s pod spec container name"));
    }
  }
}

/**
 * Compiles (validates) a task template into a CompiledTask holding it.
 * Throws a `CompileError` (INVALID_ARGUMENT) naming the offending field.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
 * import { compileTask } from "./task.ts";
 * const compiled = compileTask(create(TaskTemplateSchema, {
 *   id: { resourceType: 1, project: "p", domain: "d", name: "t", version: "1" },
 *   type: "python-task",
 *   target: { case: "container", value: { image: "img", args: ["run"] } },
 * }));
 * console.log(compiled.template?.id?.name); // "t"
 * ```
 */
export function compileTask(template: TaskTemplate): CompiledTask {
  const issues = new Issues();
  if (template.id === undefined) issues.add(issue.valueRequired("root", "Id"));
  checkContainer(template, issues.scope());
  checkPod(template, issues.scope());
  issues.throwIfAny();
  return create(CompiledTaskSchema, { template });
}
