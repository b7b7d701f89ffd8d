/**
 * Identifiers and names: entity kinds, execution names (explicit, prefixed
 * or generated) and short human-readable renderings of flyteidl ids.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type Identifier,
  IdentifierSchema,
  type NodeExecutionIdentifier,
  ResourceType,
  type TaskExecutionIdentifier,
  type WorkflowExecutionIdentifier,
  WorkflowExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";

/**
 * The three registrable entity kinds, spelled as Flyte's console spells them.
 *
 * @example
 * ```ts
 * import type { EntityKind } from "./ids.ts";
 * const k: EntityKind = "launch_plan";
 * ```
 */
export type EntityKind = "task" | "workflow" | "launch_plan";

/**
 * Maps an {@link EntityKind} to flyteidl's ResourceType.
 *
 * @example
 * ```ts
 * import { resourceTypeOf } from "./ids.ts";
 * resourceTypeOf("task"); // ResourceType.TASK
 * ```
 */
export function resourceTypeOf(kind: EntityKind): ResourceType {
  switch (kind) {
    case "task":
      return ResourceType.TASK;
    case "workflow":
      return ResourceType.WORKFLOW;
    case "launch_plan":
      return ResourceType.LAUNCH_PLAN;
  }
}

/**
 * Maps a flyteidl ResourceType to an {@link EntityKind}; throws for DATASET/UNSPECIFIED.
 *
 * @example
 * ```ts
 * import { kindOf } from "./ids.ts";
 * import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
 * kindOf(ResourceType.WORKFLOW); // "workflow"
 * ```
 */
export function kindOf(type: ResourceType): EntityKind {
  switch (type) {
    case ResourceType.TASK:
      return "task";
    case ResourceType.WORKFLOW:
      return "workflow";
    case ResourceType.LAUNCH_PLAN:
      return "launch_plan";
    default:
      throw new TypeError(
        `identifier has resource type ${
          ResourceType[type] ?? type
        }, expected TASK, WORKFLOW or LAUNCH_PLAN`,
      );
  }
}

/**
 * Builds a flyteidl entity Identifier.
 *
 * @example
 * ```ts
 * import { entityId } from "./ids.ts";
 * const id = entityId("task", "flytesnacks", "development", "my.task", "v1");
 * ```
 */
export function entityId(
  kind: EntityKind,
  project: string,
  domain: string,
  name: string,
  version = "",
): Identifier {
  return create(IdentifierSchema, {
    resourceType: resourceTypeOf(kind),
    project,
    domain,
    name,
    version,
  });
}

/**
 * Builds a WorkflowExecutionIdentifier.
 *
 * @example
 * ```ts
 * import { executionId } from "./ids.ts";
 * const id = executionId("flytesnacks", "development", "f0123456789abcdef012");
 * ```
 */
export function executionId(
  project: string,
  domain: string,
  name: string,
): WorkflowExecutionIdentifier {
  return create(WorkflowExecutionIdentifierSchema, { project, domain, name });
}

/** Execution names Flyte admin accepts: a lower-case letter, then lower-case letters, digits and '-'.  *
 * @example
 * ```ts
 * import { EXECUTION_NAME_PATTERN } from "./ids.ts";
 * EXECUTION_NAME_PATTERN.test("nightly-1"); // true
 * ```
 */
export const EXECUTION_NAME_PATTERN: RegExp = /^[a-z][a-z\-0-9]*$/;
/** The longest execution name Flyte admin accepts.  *
 * @example
 * ```ts
 * import { EXECUTION_NAME_MAX_LENGTH } from "./ids.ts";
 * "x".repeat(64).length > EXECUTION_NAME_MAX_LENGTH; // true
 * ```
 */
export const EXECUTION_NAME_MAX_LENGTH = 63;

/**
 * Why a proposed execution name is unacceptable, or undefined when it is fine.
 *
 * @example
 * ```ts
 * import { executionNameProblem } from "./ids.ts";
 * executionNameProblem("Bad_Name"); // "must match ^[a-z][a-z\-0-9]*$"
 * ```
 */
export function executionNameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty";
  if (name.length > EXECUTION_NAME_MAX_LENGTH) {
    return `is ${name.length} characters long, at most ${EXECUTION_NAME_MAX_LENGTH} allowed`;
  }
  if (!EXECUTION_NAME_PATTERN.test(name)) {
    return `must match ${EXECUTION_NAME_PATTERN.source}`;
  }
  return undefined;
}

function randomHex(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(n / 2)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, n);
}

/**
 * Chooses the name of a new execution: the given name, or `<prefix>-<19 hex>`,
 * or `f<19 hex>` (flytekit's default form). Throws a TypeError naming the
 * problem when the name or prefix is invalid or both are given.
 *
 * @example
 * ```ts
 * import { chooseExecutionName } from "./ids.ts";
 * chooseExecutionName({ prefix: "nightly" }); // e.g. "nightly-3f9c0a1b2c3d4e5f601"
 * ```
 */
export function chooseExecutionName(
  options: { name?: string; prefix?: string } = {},
): string {
  const { name, prefix } = options;
  if (name !== undefined && prefix !== undefined) {
    throw new TypeError(
      "executionName and executionNamePrefix are exclusive; give one",
    );
  }
  let chosen: string;
  let field: string;
  if (name !== undefined) {
    chosen = name;
    field = "executionName";
  } else if (prefix !== undefined) {
    chosen = `${prefix}-${randomHex(19)}`;
    field = "executionNamePrefix";
  } else {
    return `f${randomHex(19)}`;
  }
  const problem = executionNameProblem(chosen);
  if (problem) {
    throw new TypeError(`${field} ${JSON.stringify(chosen)} ${problem}`);
  }
  return chosen;
}

/**
 * Renders an entity identifier as `kind project/domain/name@version`.
 *
 * @example
 * ```ts
 * import { entityId, formatEntityId } from "./ids.ts";
 * formatEntityId(entityId("task", "p", "d", "t", "v1")); // "task p/d/t@v1"
 * ```
 */
export function formatEntityId(id: Identifier | undefined): string {
  if (!id) return "<no id>";
  const kind = id.resourceType === ResourceType.UNSPECIFIED
    ? "entity"
    : (ResourceType[id.resourceType] ?? "entity").toLowerCase();
  return `${kind} ${id.project}/${id.domain}/${id.name}${
    id.version ? `@${id.version}` : ""
  }`;
}

/**
 * Renders an execution identifier as `project/domain/name`.
 *
 * @example
 * ```ts
 * import { executionId, formatExecutionId } from "./ids.ts";
 * formatExecutionId(executionId("p", "d", "abc")); // "p/d/abc"
 * ```
 */
export function formatExecutionId(
  id: WorkflowExecutionIdentifier | undefined,
): string {
  return id ? `${id.project}/${id.domain}/${id.name}` : "<no execution id>";
}

/**
 * Renders a node execution identifier as `project/domain/name#node`.
 *
 * @example
 * ```ts
 * import { formatNodeExecutionId } from "./ids.ts";
 * ```
 */
export function formatNodeExecutionId(
  id: NodeExecutionIdentifier | undefined,
): string {
  return id
    ? `${formatExecutionId(id.executionId)}#${id.nodeId}`
    : "<no node execution id>";
}

/**
 * Renders a task execution identifier as `project/domain/name#node/attempt`.
 *
 * @example
 * ```ts
 * import { formatTaskExecutionId } from "./ids.ts";
 * ```
 */
export function formatTaskExecutionId(
  id: TaskExecutionIdentifier | undefined,
): string {
  return id
    ? `${formatNodeExecutionId(id.nodeExecutionId)}/${id.retryAttempt}`
    : "<no task execution id>";
}
