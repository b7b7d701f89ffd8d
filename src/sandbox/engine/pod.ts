/**
 * The container a task runs. A container task has its own; a pod task
 * (`k8s_pod` target, what flytekit writes for `@task(pod_template=...)`)
 * runs the pod spec's primary container, named by the task config key
 * `primary_container_name`, as Flyte's pod plugin picks it. The sandbox runs
 * that container only: sidecars are not started (flytekit's local execution
 * does the same), and Kubernetes-only fields (resources, volumes, probes,
 * `valueFrom` env) are ignored.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { JsonValue } from "@bufbuild/protobuf";
import {
  type Container,
  ContainerSchema,
  type TaskTemplate,
} from "@flyteidl/core/tasks_pb.ts";
import { ExecutionError_ErrorKind as Kind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";

/** The task config key naming a pod task's primary container (Flyte's). */
export const PRIMARY_CONTAINER_KEY = "primary_container_name";

function bad(task: TaskTemplate, message: string): NodeFailure {
  return new NodeFailure(
    "BadTaskSpecification",
    `task ${task.id?.name}: ${message}`,
    Kind.USER,
    false,
  );
}

function strings(
  task: TaskTemplate,
  v: JsonValue | undefined,
  path: string,
): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(task, `${path} must be a list of strings`);
  return v.map((s, i) => {
    if (typeof s !== "string") {
      throw bad(task, `${path}[${i}] must be a string`);
    }
    return s;
  });
}

/**
 * The container to run for `task`: its container target, or the primary
 * container of its pod spec turned into a core.Container (image, command,
 * args, plain env values, and the pod's data loading config). Throws a
 * non-recoverable `NodeFailure` naming the task and the field otherwise.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
 * import { runnableContainer } from "./pod.ts";
 * const task = create(TaskTemplateSchema, {
 *   config: { primary_container_name: "main" },
 *   target: {
 *     case: "k8sPod",
 *     value: { podSpec: { containers: [{ name: "main", image: "i", args: ["echo", "hi"] }] } },
 *   },
 * });
 * console.log(runnableContainer(task).args); // ["echo", "hi"]
 * ```
 */
export function runnableContainer(task: TaskTemplate): Container {
  switch (task.target.case) {
    case "container":
      return task.target.value;
    case "k8sPod":
      break;
    default:
      throw new NodeFailure(
        "UnsupportedTaskType",
        `task ${task.id?.name} (type ${task.type}) has neither a container nor a pod spec; the sandbox runs container and pod tasks only`,
        Kind.USER,
        false,
      );
  }
  const pod = task.target.value;
  const primary = task.config[PRIMARY_CONTAINER_KEY];
  if (!primary) {
    throw bad(
      task,
      `a pod task needs the config key [${PRIMARY_CONTAINER_KEY}] naming its primary container`,
    );
  }
  const containers = pod.podSpec?.["containers"];
  if (!Array.isArray(containers)) {
    throw bad(task, "pod_spec.containers must be a list");
  }
  const names = containers.map((c) =>
    c !== null && typeof c === "object" && !Array.isArray(c)
      ? String(c["name"])
      : String(undefined)
  );
  const index = names.indexOf(primary);
  if (index < 0) {
    throw bad(
      task,
      `the primary container [${primary}] is not among the pod spec's containers [${
        names.join(", ")
      }]`,
    );
  }
  const c = containers[index] as Record<string, JsonValue>;
  const at = `pod_spec.containers[${index}]`;
  const image = c["image"] ?? "";
  if (typeof image !== "string") {
    throw bad(task, `${at}.image must be a string`);
  }
  const env: { key: string; value: string }[] = [];
  const envList = c["env"] ?? [];
  if (!Array.isArray(envList)) throw bad(task, `${at}.env must be a list`);
  envList.forEach((e, i) => {
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      throw bad(task, `${at}.env[${i}] must be an object`);
    }
    if (typeof e["name"] !== "string") {
      throw bad(task, `${at}.env[${i}].name must be a string`);
    }
    // valueFrom (secrets, field refs) needs Kubernetes; only values are kept.
    if (typeof e["value"] === "string") {
      env.push({ key: e["name"], value: e["value"] });
    }
  });
  return create(ContainerSchema, {
    image,
    command: strings(task, c["command"], `${at}.command`),
    args: strings(task, c["args"], `${at}.args`),
    env,
    dataConfig: pod.dataConfig,
  });
}
