/**
 * The shapes the execution renderers take (flyteidl messages plus what a
 * client or the sandbox knows beside them), phases, durations, and the node
 * table: one row per node execution, nested ones indented under their parent.
 *
 * @module
 */
import type { Execution } from "@flyteidl/admin/execution_pb.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import type { TaskExecution } from "@flyteidl/admin/task_execution_pb.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  type TaskLog,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import {
  badge,
  dateOf,
  esc,
  formatDate,
  formatDuration,
  link,
  millis,
  table,
} from "./html.ts";

/**
 * A task attempt and what ran under it.
 *
 * @example
 * ```ts
 * import type { TaskExecutionLike } from "./nodes.ts";
 * ```
 */
export interface TaskExecutionLike {
  /** The admin message. */
  raw: TaskExecution;
  /** Child node executions (array subtasks, dynamic children). */
  children?: NodeExecutionLike[];
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched. */
  outputLiterals?: LiteralMap;
  /** The task's interface (types of inputs and outputs). */
  interface?: TypedInterface;
}

/**
 * A node execution and what ran under it.
 *
 * @example
 * ```ts
 * import type { NodeExecutionLike } from "./nodes.ts";
 * ```
 */
export interface NodeExecutionLike {
  /** The admin message. */
  raw: NodeExecution;
  /** The node kind (task, subworkflow, branch, ...), when known. */
  kind?: string;
  /** Child nodes (sub-workflow, dynamic, branch, array). */
  children?: Map<string, NodeExecutionLike> | NodeExecutionLike[];
  /** Task attempts, oldest first. */
  taskExecutions?: TaskExecutionLike[];
  /** A launch-plan node's child execution. */
  childExecution?: ExecutionLike;
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched. */
  outputLiterals?: LiteralMap;
  /** The interface of what the node ran. */
  interface?: TypedInterface;
}

/**
 * A workflow execution and what is known beside it.
 *
 * @example
 * ```ts
 * import type { ExecutionLike } from "./nodes.ts";
 * ```
 */
export interface ExecutionLike {
  /** The admin message. */
  raw: Execution;
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched. */
  outputLiterals?: LiteralMap;
  /** The interface of what ran. */
  interface?: TypedInterface;
  /** Top-level node executions, when synced. */
  nodeExecutions?: Map<string, NodeExecutionLike> | NodeExecutionLike[];
  /** The console link of the execution ("" for none). */
  consoleUrl?: string;
}

/** Most node rows rendered. */
const MAX_NODES = 2_000;

/**
 * The child nodes of a node or execution, from a Map or an array.
 *
 * @example
 * ```ts
 * import { childrenOf } from "./nodes.ts";
 * [...childrenOf(undefined)]; // []
 * ```
 */
export const childrenOf = (
  c: Map<string, NodeExecutionLike> | NodeExecutionLike[] | undefined,
): Iterable<NodeExecutionLike> => c instanceof Map ? c.values() : c ?? [];

/**
 * The phase name of a workflow, node or task execution.
 *
 * @example
 * ```ts
 * import { executionPhase } from "./nodes.ts";
 * ```
 */
export function executionPhase(e: Execution): string {
  return WorkflowExecution_Phase[e.closure?.phase ?? 0] ?? "UNDEFINED";
}

/**
 * The phase name of a node execution.
 *
 * @example
 * ```ts
 * import { nodePhase } from "./nodes.ts";
 * ```
 */
export function nodePhase(n: NodeExecution): string {
  return NodeExecution_Phase[n.closure?.phase ?? 0] ?? "UNDEFINED";
}

/**
 * The phase name of a task execution.
 *
 * @example
 * ```ts
 * import { taskPhase } from "./nodes.ts";
 * ```
 */
export function taskPhase(t: TaskExecution): string {
  return TaskExecution_Phase[t.closure?.phase ?? 0] ?? "UNDEFINED";
}

/**
 * Run time in ms: the closure's duration once set, else now minus start.
 *
 * @example
 * ```ts
 * import { elapsedMs } from "./nodes.ts";
 * elapsedMs(undefined, undefined); // undefined
 * ```
 */
export function elapsedMs(
  closure: {
    startedAt?: { seconds: bigint; nanos: number };
    duration?: { seconds: bigint; nanos: number };
  } | undefined,
  now: number = Date.now(),
): number | undefined {
  const d = millis(closure?.duration);
  if (d) return d;
  const s = millis(closure?.startedAt);
  return s ? Math.max(0, now - s) : undefined;
}

/**
 * Log links, by name.
 *
 * @example
 * ```ts
 * import { logsHtml } from "./nodes.ts";
 * logsHtml([]); // ""
 * ```
 */
export function logsHtml(logs: TaskLog[]): string {
  return logs.map((l) => link(l.uri, l.name || "log")).join(" ");
}

interface Row {
  node: NodeExecutionLike;
  depth: number;
}

function collect(
  nodes: Iterable<NodeExecutionLike>,
  depth: number,
  out: Row[],
) {
  for (const n of nodes) {
    if (out.length >= MAX_NODES) return;
    const id = n.raw.id?.nodeId;
    if (id === "start-node" || id === "end-node") continue;
    out.push({ node: n, depth });
    collect(childrenOf(n.children), depth + 1, out);
    for (const t of n.taskExecutions ?? []) {
      collect(t.children ?? [], depth + 1, out);
    }
    if (n.childExecution) {
      collect(childrenOf(n.childExecution.nodeExecutions), depth + 1, out);
    }
  }
}

function countAll(nodes: Iterable<NodeExecutionLike>): number {
  let c = 0;
  for (const n of nodes) {
    const id = n.raw.id?.nodeId;
    if (id !== "start-node" && id !== "end-node") c++;
    c += countAll(childrenOf(n.children));
    for (const t of n.taskExecutions ?? []) c += countAll(t.children ?? []);
    if (n.childExecution) {
      c += countAll(childrenOf(n.childExecution.nodeExecutions));
    }
  }
  return c;
}

/**
 * Node counts by phase (start and end nodes left out), e.g.
 * `{ SUCCEEDED: 3, RUNNING: 1 }`.
 *
 * @example
 * ```ts
 * import { phaseCounts } from "./nodes.ts";
 * phaseCounts([]); // {}
 * ```
 */
export function phaseCounts(
  nodes: Iterable<NodeExecution>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) {
    const id = n.id?.nodeId;
    if (id === "start-node" || id === "end-node") continue;
    const p = nodePhase(n);
    out[p] = (out[p] ?? 0) + 1;
  }
  return out;
}

/**
 * The node table: one row per node execution, nested ones indented under
 * their parent, with kind, phase, start, duration, attempts and logs.
 *
 * @example
 * ```ts
 * import { nodeTableHtml } from "./nodes.ts";
 * nodeTableHtml([]);
 * ```
 */
export function nodeTableHtml(
  nodes: Iterable<NodeExecutionLike>,
  consoleUrl = "",
  now: number = Date.now(),
): string {
  const rows: Row[] = [];
  collect(nodes, 0, rows);
  if (rows.length === 0) return `<span class="fd-m">no nodes synced</span>`;
  const total = rows.length >= MAX_NODES ? countAll(nodes) : rows.length;
  const body = rows.map(({ node, depth }) => {
    const r = node.raw;
    const id = r.id?.nodeId ?? "";
    const tasks = node.taskExecutions ?? [];
    const last = tasks[tasks.length - 1];
    const name = last?.raw.id?.taskId?.name ?? "";
    const idCell =
      (depth ? `<span class="fd-m">${"· ".repeat(depth)}</span>` : "") +
      (consoleUrl
        ? link(`${consoleUrl}?nodeId=${encodeURIComponent(id)}`, id)
        : esc(id));
    return [
      idCell,
      esc(node.kind ?? "") +
      (name ? ` <span class="fd-m">${esc(name)}</span>` : ""),
      badge(nodePhase(r)),
      esc(formatDate(dateOf(r.closure?.startedAt))),
      esc(formatDuration(elapsedMs(r.closure, now))),
      tasks.length > 1 ? String(tasks.length) : "",
      logsHtml(tasks.flatMap((t) => t.raw.closure?.logs ?? [])),
    ];
  });
  // Columns nobody has a value in (no retries; attempts not synced) are left out.
  const head = [
    "node",
    "kind",
    "phase",
    "started",
    "duration",
    "attempts",
    "logs",
  ];
  const keep = head.map((_, i) => i < 5 || body.some((row) => row[i] !== ""));
  return table(
    head.filter((_, i) => keep[i]),
    body.map((row) => row.filter((_, i) => keep[i])),
    MAX_NODES,
    total,
  );
}

/**
 * Every node execution message under `nodes`, depth first (start and end
 * nodes left out).
 *
 * @example
 * ```ts
 * import { allRaw } from "./nodes.ts";
 * allRaw([]); // []
 * ```
 */
export function allRaw(nodes: Iterable<NodeExecutionLike>): NodeExecution[] {
  const rows: Row[] = [];
  collect(nodes, 0, rows);
  return rows.map((r) => r.node.raw);
}
