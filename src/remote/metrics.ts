/**
 * Execution metrics: admin's span tree (GetExecutionMetrics) as plain
 * objects, with a plain-text explanation.
 *
 * @module
 */
import type { Span } from "@flyteidl/core/metrics_pb.ts";
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { RemoteContext } from "./context.ts";
import { formatExecutionId } from "./ids.ts";
import { RemoteExecution } from "./models.ts";
import { toDate } from "./models_common.ts";
import { withDisplay } from "./display.ts";
import { renderSpans } from "../display/mod.ts";

/**
 * One span: what it measures, when, and its sub-spans.
 *
 * @example
 * ```ts
 * import type { ExecutionSpan } from "./metrics.ts";
 * const total = (s: ExecutionSpan): number => s.durationMs;
 * ```
 */
export interface ExecutionSpan {
  /** "workflow", "node", "task" or "operation". */
  kind: "workflow" | "node" | "task" | "operation" | "unknown";
  /** A readable label: the execution, node or task attempt id, or the operation name. */
  label: string;
  /** Start time. */
  start?: Date;
  /** End time. */
  end?: Date;
  /** end - start in milliseconds (0 when either is missing). */
  durationMs: number;
  /** Sub-spans in start order. */
  children: ExecutionSpan[];
  /** The flyteidl span. */
  raw: Span;
}

/**
 * The metrics of one execution.
 *
 * @example
 * ```ts
 * import type { ExecutionMetrics } from "./metrics.ts";
 * const show = (m: ExecutionMetrics) => console.log(m.explain());
 * ```
 */
export interface ExecutionMetrics {
  /** The root span (the workflow execution). */
  root: ExecutionSpan;
  /** An indented text rendering: one line per span with offset and duration. */
  explain(): string;
}

/**
 * Converts a flyteidl span tree.
 *
 * @example
 * ```ts
 * import { toExecutionSpan } from "./metrics.ts";
 * ```
 */
export function toExecutionSpan(span: Span): ExecutionSpan {
  const start = toDate(span.startTime);
  const end = toDate(span.endTime);
  let kind: ExecutionSpan["kind"] = "unknown";
  let label = "";
  switch (span.id.case) {
    case "workflowId":
      kind = "workflow";
      label = formatExecutionId(span.id.value);
      break;
    case "nodeId":
      kind = "node";
      label = span.id.value.nodeId;
      break;
    case "taskId":
      kind = "task";
      label = `${
        span.id.value.taskId?.name ?? "task"
      } attempt ${span.id.value.retryAttempt}`;
      break;
    case "operationId":
      kind = "operation";
      label = span.id.value;
      break;
  }
  const children = span.spans.map(toExecutionSpan).sort((a, b) =>
    (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0)
  );
  return {
    kind,
    label,
    start,
    end,
    durationMs: start && end ? end.getTime() - start.getTime() : 0,
    children,
    raw: span,
  };
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms}ms`;
}

/**
 * The text explanation of a span tree: `+offset duration kind label`, indented by depth.
 *
 * @example
 * ```ts
 * import { explainSpan } from "./metrics.ts";
 * ```
 */
export function explainSpan(root: ExecutionSpan): string {
  const t0 = root.start?.getTime() ?? 0;
  const lines: string[] = [
    "offset      duration    span",
  ];
  const walk = (s: ExecutionSpan, depth: number) => {
    const off = s.start ? fmtMs(s.start.getTime() - t0) : "?";
    lines.push(
      `+${off.padEnd(10)} ${fmtMs(s.durationMs).padEnd(11)} ${
        "  ".repeat(depth)
      }${s.kind} ${s.label}`,
    );
    for (const c of s.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return lines.join("\n");
}

/**
 * Fetches the span tree of an execution, `depth` levels deep (default 10).
 *
 * @example
 * ```ts
 * import type { FlyteRemote } from "./remote.ts";
 * declare const remote: FlyteRemote;
 * declare const e: import("./models.ts").RemoteExecution;
 * console.log((await remote.monitor.getExecutionMetrics(e)).explain());
 * ```
 */
export async function getExecutionMetrics(
  ctx: RemoteContext,
  execution: RemoteExecution | WorkflowExecutionIdentifier,
  options: { depth?: number } = {},
): Promise<ExecutionMetrics> {
  const id = execution instanceof RemoteExecution ? execution.id : execution;
  const r = await ctx.call(
    `get metrics of ${formatExecutionId(id)}`,
    () =>
      ctx.services.admin.getExecutionMetrics({
        id,
        depth: options.depth ?? 10,
      }),
  );
  const root = toExecutionSpan(
    r.span ?? ({ spans: [], id: { case: undefined } } as unknown as Span),
  );
  return withDisplay(
    { root, explain: () => explainSpan(root) },
    () => renderSpans(root.raw),
  );
}
