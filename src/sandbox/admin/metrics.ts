/**
 * GetExecutionMetrics: the span tree of an execution as FlyteAdmin builds
 * it from the recorded node and task executions (workflow setup and
 * teardown, node transitions, and per node its setup, attempts, resets and
 * teardown, or its child nodes), to the depth asked for.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import { type Span, SpanSchema } from "@flyteidl/core/metrics_pb.ts";
import { type AdminContext, msOf } from "./context.ts";
import {
  checkExecutionId,
  isTerminalWorkflowPhase,
  loadExecution,
} from "./executions.ts";
import { getWorkflow } from "./registry.ts";
import { childNodes, nodeAttempts, TASK_TERMINAL } from "./event_store.ts";

function span(
  start: Timestamp | undefined,
  end: Timestamp | undefined,
  id: Span["id"],
  spans: Span[] = [],
): Span {
  return create(SpanSchema, { startTime: start, endTime: end, id, spans });
}

const op = (v: string): Span["id"] => ({ case: "operationId", value: v });

function nodeSpan(
  ctx: AdminContext,
  n: NodeExecution,
  depth: number,
): Span {
  const c = n.closure!;
  const children: Span[] = [];
  if (depth > 0) {
    const tasks = nodeAttempts(ctx, n.id!);
    const kids = childNodes(ctx, n.id!.executionId!, n.id!.nodeId);
    if (tasks.length) {
      children.push(
        span(c.createdAt, tasks[0].closure?.createdAt, op("NODE_SETUP")),
      );
      tasks.forEach((t, i) => {
        const tc = t.closure!;
        if (i > 0) {
          children.push(
            span(
              tasks[i - 1].closure?.updatedAt,
              tc.createdAt,
              op("NODE_RESET"),
            ),
          );
        }
        const end = TASK_TERMINAL.has(tc.phase) ? tc.updatedAt : undefined;
        children.push(
          span(tc.createdAt, tc.updatedAt, {
            case: "taskId",
            value: t.id!,
          }, [
            span(
              tc.createdAt,
              tc.startedAt ?? tc.updatedAt,
              op("TASK_SETUP"),
            ),
            ...(tc.startedAt
              ? [span(tc.startedAt, end, op("TASK_RUNTIME"))]
              : []),
            ...(end ? [span(end, tc.updatedAt, op("TASK_TEARDOWN"))] : []),
          ]),
        );
      });
      children.push(
        span(
          tasks.at(-1)!.closure?.updatedAt,
          c.updatedAt,
          op("NODE_TEARDOWN"),
        ),
      );
    } else if (kids.length) {
      children.push(...nodeSpans(ctx, kids, undefined, depth - 1));
    } else if (n.metadata?.specNodeId === "start-node" || !c.startedAt) {
      // nothing to break down
    } else {
      children.push(span(c.createdAt, c.startedAt, op("NODE_SETUP")));
      children.push(span(c.startedAt, c.updatedAt, op("NODE_IDLE")));
      children.push(span(c.updatedAt, c.updatedAt, op("NODE_TEARDOWN")));
    }
  }
  return span(
    c.createdAt,
    c.updatedAt,
    { case: "nodeId", value: n.id! },
    children,
  );
}

function nodeSpans(
  ctx: AdminContext,
  nodes: NodeExecution[],
  upstream: Record<string, string[]> | undefined,
  depth: number,
): Span[] {
  const bySpec = new Map<string, NodeExecution>();
  for (const n of nodes) {
    bySpec.set(n.metadata?.specNodeId || n.id!.nodeId, n);
  }
  const out: Span[] = [];
  for (const n of nodes) {
    const spec = n.metadata?.specNodeId || n.id!.nodeId;
    if (spec === "start-node" || spec === "end-node") continue;
    let latest: Timestamp | undefined;
    for (const u of upstream?.[spec] ?? []) {
      const un = bySpec.get(u);
      const t = un?.closure?.updatedAt;
      if (t && msOf(t) > msOf(latest)) latest = t;
    }
    if (latest) {
      out.push(span(latest, n.closure?.createdAt, op("NODE_TRANSITION")));
    }
    out.push(nodeSpan(ctx, n, depth));
  }
  return out;
}

/**
 * Builds the GetExecutionMetrics RPC of AdminService.
 *
 * @example
 * ```ts
 * import { metricsService } from "./metrics.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = metricsService(ctx);
 * ```
 */
export function metricsService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    getExecutionMetrics(req) {
      checkExecutionId(ctx, req.id, "id");
      const { execution } = loadExecution(ctx, req.id);
      const c = execution.closure!;
      const depth = req.depth > 0 ? req.depth : 10;
      let upstream: Record<string, string[]> = {};
      try {
        const wf = getWorkflow(ctx, c.workflowId!);
        const conns = wf.closure?.compiledWorkflow?.primary?.connections;
        upstream = Object.fromEntries(
          Object.entries(conns?.upstream ?? {}).map(([k, v]) => [k, v.ids]),
        );
      } catch {
        upstream = {};
      }
      const top = childNodes(ctx, req.id, "");
      const startNode = top.find((n) =>
        (n.metadata?.specNodeId || n.id!.nodeId) === "start-node"
      );
      const endNode = top.find((n) =>
        (n.metadata?.specNodeId || n.id!.nodeId) === "end-node"
      );
      const end = isTerminalWorkflowPhase(c.phase)
        ? c.updatedAt
        : timestampFromDate(new Date());
      const spans: Span[] = [];
      spans.push(
        span(
          c.createdAt,
          startNode?.closure?.updatedAt ?? end,
          op("WORKFLOW_SETUP"),
        ),
      );
      spans.push(...nodeSpans(ctx, top, upstream, depth - 1));
      const lastNode = endNode ??
        top.filter((n) => n !== startNode).at(-1);
      if (lastNode && isTerminalWorkflowPhase(c.phase)) {
        spans.push(
          span(lastNode.closure?.updatedAt, end, op("WORKFLOW_TEARDOWN")),
        );
      }
      return {
        span: span(c.createdAt, end, {
          case: "workflowId",
          value: req.id,
        }, spans),
      };
    },
  };
}
