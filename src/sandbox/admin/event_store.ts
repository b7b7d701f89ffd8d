/**
 * What the event and read RPCs of node and task executions share: the row
 * keys, loading a node or a task attempt, offloading inline event data to
 * the blob store (FlyteAdmin's default policy), the closure output an event
 * leaves, the data a Get*ExecutionData answers with, and the flyte:// URLs.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type Duration, durationFromMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import {
  type ExecutionError,
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
import type { UrlBlob } from "@flyteidl/admin/common_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import { type AdminContext, msOf } from "./context.ts";
import { missing, notFound } from "./errors.ts";
import { checkExecutionId, readLiteralMap, urlBlob } from "./executions.ts";

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
 * The output oneof of node and task closures (and, as the event names it,
 * of their events).
 */
export type OutputResult =
  | { case: "outputUri"; value: string }
  | { case: "error"; value: ExecutionError }
  | { case: "outputData"; value: LiteralMap }
  | { case: undefined; value?: undefined };

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

/**
 * Writes inline event data to the blob store under `metadata/<parts>` and
 * returns its URL (FlyteAdmin's default "offload" policy).
 *
 * @example
 * ```ts
 * import { offload } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const map: import("@flyteidl/core/literals_pb.ts").LiteralMap;
 * const uri = offload(ctx, ["p", "d", "e", "n0", "offloaded_inputs.pb"], map);
 * ```
 */
export function offload(
  ctx: AdminContext,
  parts: string[],
  map: LiteralMap,
): string {
  const key = ["metadata", ...parts].join("/");
  ctx.blobs.write(key, toBinary(LiteralMapSchema, map));
  return ctx.blobs.nativeUrl(key);
}

/**
 * A closure's input URI after an event: the one it has, else the event's
 * URI, else the event's inline data offloaded to `parts`.
 *
 * @example
 * ```ts
 * import { inputUriAfter } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * inputUriAfter(ctx, "", { case: "inputUri", value: "file:///i.pb" }, []); // "file:///i.pb"
 * ```
 */
export function inputUriAfter(
  ctx: AdminContext,
  current: string,
  input:
    | { case: "inputUri"; value: string }
    | { case: "inputData"; value: LiteralMap }
    | { case: undefined; value?: undefined },
  parts: string[],
): string {
  if (current) return current;
  if (input.case === "inputUri") return input.value;
  if (input.case === "inputData") return offload(ctx, parts, input.value);
  return current;
}

/**
 * A closure's output from its event: a URI or error is kept as is, inline
 * data is offloaded to `parts` and kept by URI; undefined when the event
 * carries no output.
 *
 * @example
 * ```ts
 * import { closureOutput } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * closureOutput(ctx, { case: undefined }, []); // undefined
 * ```
 */
export function closureOutput(
  ctx: AdminContext,
  out: OutputResult,
  parts: string[],
):
  | { case: "outputUri"; value: string }
  | { case: "error"; value: ExecutionError }
  | undefined {
  switch (out.case) {
    case "outputUri":
      return { case: "outputUri", value: out.value };
    case "error":
      return { case: "error", value: out.value };
    case "outputData":
      return { case: "outputUri", value: offload(ctx, parts, out.value) };
  }
  return undefined;
}

/**
 * The time from `start` to `end` as a Duration.
 *
 * @example
 * ```ts
 * import { elapsed } from "./event_store.ts";
 * import { timestampFromMs } from "@bufbuild/protobuf/wkt";
 * elapsed(timestampFromMs(0), timestampFromMs(1500)).seconds; // 1n
 * ```
 */
export function elapsed(
  start: Timestamp | undefined,
  end: Timestamp | undefined,
): Duration {
  return durationFromMs(msOf(end) - msOf(start));
}

/** A literal map from a store URL; empty when it is absent or unreadable. */
function readMapOrEmpty(ctx: AdminContext, uri: string): LiteralMap {
  try {
    return readLiteralMap(ctx, uri);
  } catch {
    return create(LiteralMapSchema, {});
  }
}

/**
 * The inputs and outputs a GetNodeExecutionData / GetTaskExecutionData
 * answers with: signed blobs of the stored maps and the maps themselves.
 *
 * @example
 * ```ts
 * import { closureData } from "./event_store.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const data = closureData(ctx, "", { case: undefined });
 * ```
 */
export function closureData(
  ctx: AdminContext,
  inputUri: string,
  out: OutputResult,
): {
  inputs: UrlBlob | undefined;
  outputs: UrlBlob | undefined;
  fullInputs: LiteralMap;
  fullOutputs: LiteralMap;
} {
  const outUri = out.case === "outputUri" ? out.value : "";
  return {
    inputs: urlBlob(ctx, inputUri),
    outputs: outUri ? urlBlob(ctx, outUri) : undefined,
    fullInputs: readMapOrEmpty(ctx, inputUri),
    fullOutputs: out.case === "outputData"
      ? out.value
      : readMapOrEmpty(ctx, outUri),
  };
}

/**
 * The flyte:// URLs of a node (or one of its attempts).
 *
 * @example
 * ```ts
 * import { flyteUrls } from "./event_store.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const { inputs } = flyteUrls(id, 0); // flyte://v1/<p>/<d>/<e>/<node>/0/i
 * ```
 */
export function flyteUrls(
  id: NodeExecutionIdentifier,
  attempt?: number,
): {
  $typeName: "flyteidl.admin.FlyteURLs";
  inputs: string;
  outputs: string;
  deck: string;
} {
  const e = id.executionId!;
  const base = `flyte://v1/${e.project}/${e.domain}/${e.name}/${id.nodeId}${
    attempt !== undefined ? `/${attempt}` : ""
  }`;
  return {
    $typeName: "flyteidl.admin.FlyteURLs" as const,
    inputs: `${base}/i`,
    outputs: `${base}/o`,
    deck: `${base}/d`,
  };
}
