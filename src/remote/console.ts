/**
 * Flyte console links for every entity and execution kind, node and task
 * executions included.
 *
 * URL forms (FlyteConsole routes under `/console`):
 * - execution: `{base}/console/projects/{p}/domains/{d}/executions/{name}`
 * - node execution: the execution URL with `?nodeId={nodeId}` (the console
 *   opens the execution with that node's panel selected)
 * - task execution: the node URL plus `&retryAttempt={n}`
 * - task / workflow / launch plan: `{base}/console/projects/{p}/domains/{d}/{task|workflow|launch_plan}/{name}/version/{v}`
 *   (without a version: `.../{kind}s/{name}`, the entity's page listing versions)
 *
 * @module
 */
import {
  type Identifier,
  type NodeExecutionIdentifier,
  ResourceType,
  type TaskExecutionIdentifier,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import { kindOf } from "./ids.ts";

/**
 * Anything {@link consoleUrl} can link to: a flyteidl id of any kind, or an
 * object carrying one in `id` (every Remote* object does).
 *
 * @example
 * ```ts
 * import type { ConsoleTarget } from "./console.ts";
 * ```
 */
export type ConsoleTarget =
  | Identifier
  | WorkflowExecutionIdentifier
  | NodeExecutionIdentifier
  | TaskExecutionIdentifier
  | {
    id?:
      | Identifier
      | WorkflowExecutionIdentifier
      | NodeExecutionIdentifier
      | TaskExecutionIdentifier;
  };

/**
 * The console's base URL: the configured console endpoint, else the admin
 * endpoint with `http://` (insecure) or `https://`, without a trailing slash;
 * a `dns:///` prefix is dropped.
 *
 * @example
 * ```ts
 * import { consoleBaseUrl } from "./console.ts";
 * consoleBaseUrl("dns:///localhost:30080", { insecure: true }); // "http://localhost:30080"
 * ```
 */
export function consoleBaseUrl(
  endpoint: string,
  options: { insecure?: boolean; consoleEndpoint?: string } = {},
): string {
  let base = options.consoleEndpoint?.trim() || endpoint.trim();
  base = base.replace(/^dns:\/\/\//, "");
  if (!/^https?:\/\//.test(base)) {
    base = `${options.insecure ? "http" : "https"}://${base}`;
  }
  return base.replace(/\/+$/, "");
}

const enc = encodeURIComponent;

function isMessage(x: unknown, typeName: string): boolean {
  return typeof x === "object" && x !== null &&
    (x as { $typeName?: string }).$typeName === typeName;
}

function unwrap(target: ConsoleTarget): unknown {
  if (
    typeof target === "object" && target !== null && "id" in target &&
    !("$typeName" in target && typeof target.$typeName === "string" &&
      target.$typeName.startsWith("flyteidl.core.") &&
      target.$typeName.endsWith("Identifier"))
  ) {
    return (target as { id?: unknown }).id;
  }
  return target;
}

function executionPath(
  base: string,
  id: WorkflowExecutionIdentifier | undefined,
): string {
  if (!id?.project || !id.domain || !id.name) {
    throw new TypeError(
      "console URL: execution id needs project, domain and name",
    );
  }
  return `${base}/console/projects/${enc(id.project)}/domains/${
    enc(id.domain)
  }/executions/${enc(id.name)}`;
}

/**
 * The console URL of an entity, execution, node execution or task execution.
 * Throws a TypeError for anything else or an id missing parts.
 *
 * @example
 * ```ts
 * import { consoleUrl } from "./console.ts";
 * import { executionId } from "./ids.ts";
 * consoleUrl("http://localhost:30080", executionId("p", "d", "abc"));
 * // "http://localhost:30080/console/projects/p/domains/d/executions/abc"
 * ```
 */
export function consoleUrl(base: string, target: ConsoleTarget): string {
  const id = unwrap(target);
  if (isMessage(id, "flyteidl.core.WorkflowExecutionIdentifier")) {
    return executionPath(base, id as WorkflowExecutionIdentifier);
  }
  if (isMessage(id, "flyteidl.core.NodeExecutionIdentifier")) {
    const n = id as NodeExecutionIdentifier;
    if (!n.nodeId) throw new TypeError("console URL: node id is empty");
    return `${executionPath(base, n.executionId)}?nodeId=${enc(n.nodeId)}`;
  }
  if (isMessage(id, "flyteidl.core.TaskExecutionIdentifier")) {
    const t = id as TaskExecutionIdentifier;
    if (!t.nodeExecutionId?.nodeId) {
      throw new TypeError("console URL: task execution has no node id");
    }
    return `${executionPath(base, t.nodeExecutionId.executionId)}?nodeId=${
      enc(t.nodeExecutionId.nodeId)
    }&retryAttempt=${t.retryAttempt}`;
  }
  if (isMessage(id, "flyteidl.core.Identifier")) {
    const e = id as Identifier;
    if (e.resourceType === ResourceType.UNSPECIFIED) {
      throw new TypeError(
        "console URL: entity id has no resource type (task, workflow or launch plan)",
      );
    }
    const kind = kindOf(e.resourceType);
    if (!e.project || !e.domain || !e.name) {
      throw new TypeError(
        "console URL: entity id needs project, domain and name",
      );
    }
    const prefix = `${base}/console/projects/${enc(e.project)}/domains/${
      enc(e.domain)
    }`;
    return e.version
      ? `${prefix}/${kind}/${enc(e.name)}/version/${enc(e.version)}`
      : `${prefix}/${kind}s/${enc(e.name)}`;
  }
  throw new TypeError(
    "console URL: expected an entity, execution, node execution or task execution (or its id)",
  );
}
