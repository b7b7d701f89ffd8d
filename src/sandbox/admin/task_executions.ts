/**
 * Task executions: CreateTaskEvent as FlyteAdmin records it
 * (propeller-contract.md §6: one row per node, task and retry attempt,
 * phase versions, logs, custom info, external resources and reasons
 * merged) and the reads: GetTaskExecution, ListTaskExecutions and
 * GetTaskExecutionData.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  TaskExecution_Phase,
  type TaskLog,
} from "@flyteidl/core/execution_pb.ts";
import type { ExternalResourceInfo } from "@flyteidl/event/event_pb.ts";
import {
  type TaskExecutionIdentifier,
  TaskExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type TaskExecution,
  TaskExecutionSchema,
} from "@flyteidl/admin/task_execution_pb.ts";
import type { Columns } from "../store/query.ts";
import {
  type AdminContext,
  enumColumn,
  isoOf,
  pagedList,
  secondsOf,
  sortedBy,
  TIMING_COLUMNS,
} from "./context.ts";
import { alreadyExists, failedPrecondition, missing } from "./errors.ts";
import {
  checkNodeId,
  execKey,
  loadTaskAttempt,
  nodeKey,
  nodePath,
  requireNode,
  TASK_ROW_WHERE,
  TASK_TERMINAL,
  taskRowKey,
} from "./event_store.ts";
import {
  closureData,
  closureOutput,
  elapsed,
  flyteUrls,
  inputUriAfter,
} from "./event_data.ts";

const TASK_COLUMNS: Columns = {
  retry_attempt: { col: "retry_attempt", kind: "int" },
  phase: enumColumn("phase", TaskExecution_Phase),
  "task.project": { col: "task_project", kind: "text" },
  "task.domain": { col: "task_domain", kind: "text" },
  "task.name": { col: "task_name", kind: "text" },
  "task.version": { col: "task_version", kind: "text" },
  ...TIMING_COLUMNS,
};

function mergeLogs(existing: TaskLog[], latest: TaskLog[]): TaskLog[] {
  if (latest.length === 0) return existing;
  const seen = new Set(latest.map((l) => `${l.name}\n${l.uri}`));
  return [
    ...latest,
    ...existing.filter((l) => !seen.has(`${l.name}\n${l.uri}`)),
  ];
}

/**
 * External resources of an attempt after an event: the event's, then the
 * earlier ones it does not repeat, by index and retry attempt.
 */
function mergeResources(
  old: ExternalResourceInfo[],
  latest: ExternalResourceInfo[],
): ExternalResourceInfo[] {
  const merged = [...latest];
  for (const o of old) {
    if (
      !merged.some((n) =>
        n.index === o.index && n.retryAttempt === o.retryAttempt &&
        n.externalId === o.externalId
      )
    ) merged.push(o);
  }
  return merged.sort((a, b) =>
    a.index - b.index || a.retryAttempt - b.retryAttempt
  );
}

/** Checks and validates a task execution id of a read. */
function checkTaskId(
  ctx: AdminContext,
  t: TaskExecutionIdentifier | undefined,
): asserts t is TaskExecutionIdentifier {
  if (!t) throw missing("id");
  if (!t.taskId) throw missing("id.task_id");
  checkNodeId(ctx, t.nodeExecutionId, "id.node_execution_id");
}

/**
 * Builds the task event and task execution RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { taskExecutionService } from "./task_executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = taskExecutionService(ctx);
 * ```
 */
export function taskExecutionService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;
  return {
    createTaskEvent(req) {
      const ev = req.event;
      if (!ev) throw missing("event");
      if (!ev.taskId) throw missing("event.task_id");
      checkNodeId(
        ctx,
        ev.parentNodeExecutionId,
        "event.parent_node_execution_id",
      );
      if (!ev.occurredAt) throw missing("event.occurred_at");
      const nodeId = ev.parentNodeExecutionId;
      const tid = ev.taskId;
      db.tx(() => {
        requireNode(ctx, nodeId);
        const teId = create(TaskExecutionIdentifierSchema, {
          taskId: tid,
          nodeExecutionId: nodeId,
          retryAttempt: ev.retryAttempt,
        });
        const key = taskRowKey(teId);
        const row = db.get(
          `SELECT data, phase_version FROM task_executions WHERE ${TASK_ROW_WHERE}`,
          ...key,
        );
        let te: TaskExecution;
        if (row) {
          te = fromBinary(TaskExecutionSchema, row.data as Uint8Array);
          const c = te.closure!;
          if (
            c.phase === ev.phase &&
            ev.phaseVersion <= (row.phase_version as number)
          ) {
            throw alreadyExists(
              `this phase ${
                TaskExecution_Phase[ev.phase]
              } (version ${ev.phaseVersion}) was already recorded for task execution ${tid.name} attempt ${ev.retryAttempt} of ${
                nodeKey(nodeId)
              }`,
            );
          }
          if (TASK_TERMINAL.has(c.phase)) {
            throw failedPrecondition(
              `task execution ${tid.name} attempt ${ev.retryAttempt} of ${
                nodeKey(nodeId)
              } is already in terminal phase ${
                TaskExecution_Phase[c.phase]
              }; cannot record ${TaskExecution_Phase[ev.phase]}`,
            );
          }
        } else {
          te = create(TaskExecutionSchema, {
            id: teId,
            closure: { createdAt: ev.occurredAt },
          });
        }
        const c = te.closure!;
        c.phase = ev.phase;
        c.updatedAt = ev.occurredAt;
        const attemptPath = [
          ...nodePath(nodeId),
          tid.name,
          String(ev.retryAttempt),
        ];
        te.inputUri = inputUriAfter(ctx, te.inputUri, ev.inputValue, [
          ...attemptPath,
          "offloaded_inputs.pb",
        ]);
        if (ev.phase === TaskExecution_Phase.RUNNING && !c.startedAt) {
          c.startedAt = ev.occurredAt;
        }
        if (TASK_TERMINAL.has(ev.phase) && c.startedAt) {
          c.duration = elapsed(c.startedAt, ev.occurredAt);
        }
        const taskOut = closureOutput(ctx, ev.outputResult, [
          ...attemptPath,
          "offloaded_outputs.pb",
        ]);
        if (taskOut) c.outputResult = taskOut;
        c.logs = mergeLogs(c.logs, ev.logs);
        if (ev.customInfo) {
          c.customInfo = { ...(c.customInfo ?? {}), ...ev.customInfo };
        }
        if (ev.taskType) c.taskType = ev.taskType;
        if (ev.metadata) {
          c.metadata = {
            ...ev.metadata,
            externalResources: mergeResources(
              c.metadata?.externalResources ?? [],
              ev.metadata.externalResources,
            ),
          };
        }
        if (ev.eventVersion) c.eventVersion = ev.eventVersion;
        if (ev.logContext) c.logContext = ev.logContext;
        if (ev.reasons.length) {
          for (const r of ev.reasons) {
            c.reasons.push({
              $typeName: "flyteidl.admin.Reason",
              occurredAt: r.occurredAt ?? ev.occurredAt,
              message: r.reason,
            });
          }
          c.reason = ev.reasons.at(-1)!.reason;
        } else if (ev.reason) {
          c.reasons.push({
            $typeName: "flyteidl.admin.Reason",
            occurredAt: ev.occurredAt,
            message: ev.reason,
          });
          c.reason = ev.reason;
        }
        const values = [
          c.phase,
          ev.phaseVersion,
          isoOf(c.createdAt),
          isoOf(c.updatedAt),
          isoOf(c.startedAt),
          secondsOf(c.duration),
          toBinary(TaskExecutionSchema, te),
        ] as const;
        if (row) {
          db.run(
            "UPDATE task_executions SET phase=?, phase_version=?, created_at=?, updated_at=?, started_at=?, duration=?, data=? WHERE project=? AND domain=? AND exec_name=? AND node_id=? AND task_project=? AND task_domain=? AND task_name=? AND task_version=? AND retry_attempt=?",
            ...values,
            ...key,
          );
        } else {
          db.run(
            "INSERT INTO task_executions (phase, phase_version, created_at, updated_at, started_at, duration, data, project, domain, exec_name, node_id, task_project, task_domain, task_name, task_version, retry_attempt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ...values,
            ...key,
          );
        }
      });
      return {};
    },

    getTaskExecution(req) {
      checkTaskId(ctx, req.id);
      return loadTaskAttempt(ctx, req.id);
    },
    listTaskExecutions(req) {
      checkNodeId(ctx, req.nodeExecutionId, "node_execution_id");
      const n = req.nodeExecutionId;
      const page = pagedList(
        db,
        TaskExecutionSchema,
        "task_executions",
        ["project = ?", "domain = ?", "exec_name = ?", "node_id = ?"],
        [...execKey(n.executionId!), n.nodeId],
        sortedBy(req, "retry_attempt"),
        TASK_COLUMNS,
        "task_execution",
      );
      return { taskExecutions: page.items, token: page.token };
    },
    getTaskExecutionData(req) {
      checkTaskId(ctx, req.id);
      const te = loadTaskAttempt(ctx, req.id);
      return {
        ...closureData(ctx, te.inputUri, te.closure!.outputResult),
        flyteUrls: flyteUrls(req.id.nodeExecutionId!, req.id.retryAttempt),
      };
    },
  };
}
