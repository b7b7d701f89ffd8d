/**
 * The rows of node and task executions as the event and read RPCs share
 * them: row keys, the terminal phases, loading a node, its children and its
 * task attempts. What events carry in and out is `event_data.ts`.
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import type {
  NodeExecutionIdentifier,
  TaskExecutionIdentifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type DynamicWorkflowNodeMetadata,
  DynamicWorkflowNodeMetadataSchema,
  type NodeExecution,
  NodeExecutionSchema,
} from "@flyteidl/admin/node_execution_pb.ts";
import {
  type TaskExecution,
  TaskExecutionSchema,
} from "@flyteidl/admin/task_execution_pb.ts";
import type { AdminContext } from "./context.ts";
import { missing, notFound } from "./errors.ts";
import { checkExecutionId } from "./executions.ts";

/**
 * Node phases after which no event is accepted.
 *
 * @example
 * ```ts
 * import { NODE_TERMINAL } from "./event_store.ts";
 * import { NodeExecution_Phase } from "@flyteidl/core/execution_pb.ts";
 * NODE_TERMINAL.has(NodeExecution_Phase.SKIPPED); // true
 * ```
 */
export const NODE_TERMINAL: ReadonlySet<number> = new Set<number>([
  NodeExecution_Phase.SUCCEEDED,
  NodeExecution_Phase.FAILED,
  NodeExecution_Phase.ABORTED,
  NodeExecution_Phase.SKIPPED,
  NodeExecution_Phase.TIMED_OUT,
  NodeExecution_Phase.RECOVERED,
]);

/**
 * Task phases after which no event is accepted.
 *
 * @example
 * ```ts
 * import { TASK_TERMINAL } from "./event_store.ts";
 * import { TaskExecution_Phase } from "@flyteidl/core/execution_pb.ts";
 * TASK_TERMINAL.has(TaskExecution_Phase.RUNNING); // false
 * ```
 */
export const TASK_TERMINAL: ReadonlySet<number> = new Set<number>([
  TaskExecution_Phase.SUCCEEDED,
  TaskExecution_Phase.FAILED,
  TaskExecution_Phase.ABORTED,
]);

/**
 * The execution key columns (project, domain, exec_name) of a row.
 *
 * @example
 * ```ts
 * import { execKey } from "./event_store.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").WorkflowExecutionIdentifier;
 * const [project, domain, name] = execKey(id);
 * ```
 */
export function execKey(
  id: WorkflowExecutionIdentifier,
): [string, string, string] {
  return [id.project, id.domain, id.name];
}

/**
 * `project/domain/execution/node` for messages.
 *
 * @example
 * ```ts
 * import { nodeKey } from "./event_store.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * console.log(`node execution ${nodeKey(id)}`);
 * ```
 */
export function nodeKey(id: NodeExecutionIdentifier): string {
  return nodePath(id).join("/");
}

/**
 * The storage path parts of a node: project, domain, execution, node.
 *
 * @example
 * ```ts
 * import { nodePath } from "./event_store.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const key = [...nodePath(id), "offloaded_inputs.pb"];
 * ```
 */
export function nodePath(id: NodeExecutionIdentifier): string[] {
  const e = id.executionId!;
  return [e.project, e.domain, e.name, id.nodeId];
}

/**
 * Validates a node execution identifier (its execution id and node id).
 *
 * @example
 * ```ts
 * import { checkNodeId } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * checkNodeId(ctx, undefined, "id"); // throws "missing id"
 * ```
 */
export function checkNodeId(
  ctx: AdminContext,
  id: NodeExecutionIdentifier | undefined,
  field: string,
): asserts id is NodeExecutionIdentifier {
  if (!id) throw missing(field);
  checkExecutionId(ctx, id.executionId, `${field}.execution_id`);
  if (!id.nodeId) throw missing(`${field}.node_id`);
}

/**
 * Loads a node execution row and its dynamic workflow (undefined when the
 * node has no row).
 *
 * @example
 * ```ts
 * import { loadNode } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const phase = loadNode(ctx, id)?.node.closure?.phase;
 * ```
 */
export function loadNode(
  ctx: AdminContext,
  id: NodeExecutionIdentifier,
): { node: NodeExecution; dynamic?: DynamicWorkflowNodeMetadata } | undefined {
  const row = ctx.db.get(
    "SELECT data, dynamic FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
    ...execKey(id.executionId!),
    id.nodeId,
  );
  if (!row) return undefined;
  return {
    node: fromBinary(NodeExecutionSchema, row.data as Uint8Array),
    dynamic: row.dynamic
      ? fromBinary(
        DynamicWorkflowNodeMetadataSchema,
        row.dynamic as Uint8Array,
      )
      : undefined,
  };
}

/**
 * Loads a node execution; NOT_FOUND when absent.
 *
 * @example
 * ```ts
 * import { requireNode } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const { node } = requireNode(ctx, id);
 * ```
 */
export function requireNode(
  ctx: AdminContext,
  id: NodeExecutionIdentifier,
): { node: NodeExecution; dynamic?: DynamicWorkflowNodeMetadata } {
  const n = loadNode(ctx, id);
  if (!n) throw notFound("node execution", nodeKey(id));
  return n;
}

/**
 * The node executions under `parentId` ("" for the top level) in the order
 * they were created.
 *
 * @example
 * ```ts
 * import { childNodes } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").WorkflowExecutionIdentifier;
 * const top = childNodes(ctx, id, "");
 * ```
 */
export function childNodes(
  ctx: AdminContext,
  exec: WorkflowExecutionIdentifier,
  parentId: string,
): NodeExecution[] {
  return ctx.db.all(
    "SELECT data FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND parent_id=? ORDER BY created_at, rowid",
    ...execKey(exec),
    parentId,
  ).map((r) => fromBinary(NodeExecutionSchema, r.data as Uint8Array));
}

/**
 * The task attempts of a node, by retry attempt.
 *
 * @example
 * ```ts
 * import { nodeAttempts } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const attempts = nodeAttempts(ctx, id).length;
 * ```
 */
export function nodeAttempts(
  ctx: AdminContext,
  id: NodeExecutionIdentifier,
): TaskExecution[] {
  return ctx.db.all(
    "SELECT data FROM task_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=? ORDER BY retry_attempt, created_at",
    ...execKey(id.executionId!),
    id.nodeId,
  ).map((r) => fromBinary(TaskExecutionSchema, r.data as Uint8Array));
}

/**
 * The key columns of a task execution row (execution, node, task id, retry
 * attempt), in the order the queries name them.
 *
 * @example
 * ```ts
 * import { taskRowKey } from "./event_store.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").TaskExecutionIdentifier;
 * const key = taskRowKey(id);
 * ```
 */
export function taskRowKey(
  t: TaskExecutionIdentifier,
): [string, string, string, string, string, string, string, string, number] {
  const n = t.nodeExecutionId!;
  const task = t.taskId!;
  return [
    ...execKey(n.executionId!),
    n.nodeId,
    task.project,
    task.domain,
    task.name,
    task.version,
    t.retryAttempt,
  ];
}

/** The WHERE clause matching {@link taskRowKey}. */
export const TASK_ROW_WHERE =
  "project=? AND domain=? AND exec_name=? AND node_id=? AND task_project=? AND task_domain=? AND task_name=? AND task_version=? AND retry_attempt=?";

/**
 * Loads a task attempt; NOT_FOUND naming node, task and attempt.
 *
 * @example
 * ```ts
 * import { loadTaskAttempt } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").TaskExecutionIdentifier;
 * const phase = loadTaskAttempt(ctx, id).closure?.phase;
 * ```
 */
export function loadTaskAttempt(
  ctx: AdminContext,
  t: TaskExecutionIdentifier,
): TaskExecution {
  const row = ctx.db.get(
    `SELECT data FROM task_executions WHERE ${TASK_ROW_WHERE}`,
    ...taskRowKey(t),
  );
  if (!row) {
    throw notFound(
      "task execution",
      `${nodeKey(t.nodeExecutionId!)} task ${
        t.taskId!.name
      } attempt ${t.retryAttempt}`,
    );
  }
  return fromBinary(TaskExecutionSchema, row.data as Uint8Array);
}
