/**
 * What the engine reports and what clients read back about a running
 * execution: the CreateWorkflowEvent / CreateNodeEvent / CreateTaskEvent
 * RPCs recorded as FlyteAdmin records them (propeller-contract.md §6), node
 * and task execution reads, their data, dynamic workflows and
 * GetExecutionMetrics.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  durationFromMs,
  type Timestamp,
  timestampDate,
  timestampFromDate,
} from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type NodeExecutionIdentifier,
  NodeExecutionIdentifierSchema,
  type TaskExecutionIdentifier,
  TaskExecutionIdentifierSchema,
  type WorkflowExecutionIdentifier,
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
import { type Span, SpanSchema } from "@flyteidl/core/metrics_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { ExecutionError, TaskLog } from "@flyteidl/core/execution_pb.ts";
import { buildList, type Columns } from "../store/query.ts";
import { type AdminContext, isoOf, listPage } from "./context.ts";
import {
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  missing,
  notFound,
} from "./errors.ts";
import {
  checkExecutionId,
  isTerminalWorkflowPhase,
  loadExecution,
  saveExecution,
  urlBlob,
} from "./executions.ts";
import { getWorkflow } from "./registry.ts";

type Impl = Partial<ServiceImpl<typeof AdminService>>;

const NODE_TERMINAL = new Set<number>([
  NodeExecution_Phase.SUCCEEDED,
  NodeExecution_Phase.FAILED,
  NodeExecution_Phase.ABORTED,
  NodeExecution_Phase.SKIPPED,
  NodeExecution_Phase.TIMED_OUT,
  NodeExecution_Phase.RECOVERED,
]);
const TASK_TERMINAL = new Set<number>([
  TaskExecution_Phase.SUCCEEDED,
  TaskExecution_Phase.FAILED,
  TaskExecution_Phase.ABORTED,
]);

const NODE_COLUMNS: Columns = {
  node_id: { col: "node_id", kind: "text" },
  phase: {
    col: "phase",
    kind: "enum",
    values: NodeExecution_Phase as unknown as Record<string, number>,
  },
  created_at: { col: "created_at", kind: "time" },
  updated_at: { col: "updated_at", kind: "time" },
  started_at: { col: "started_at", kind: "time" },
  duration: { col: "duration", kind: "real" },
};

const TASK_COLUMNS: Columns = {
  retry_attempt: { col: "retry_attempt", kind: "int" },
  phase: {
    col: "phase",
    kind: "enum",
    values: TaskExecution_Phase as unknown as Record<string, number>,
  },
  "task.project": { col: "task_project", kind: "text" },
  "task.domain": { col: "task_domain", kind: "text" },
  "task.name": { col: "task_name", kind: "text" },
  "task.version": { col: "task_version", kind: "text" },
  created_at: { col: "created_at", kind: "time" },
  updated_at: { col: "updated_at", kind: "time" },
  started_at: { col: "started_at", kind: "time" },
  duration: { col: "duration", kind: "real" },
};

function ms(ts: Timestamp | undefined): number {
  return ts ? timestampDate(ts).getTime() : 0;
}

function seconds(d: { seconds: bigint; nanos: number } | undefined): number {
  return d ? Number(d.seconds) + d.nanos / 1e9 : 0;
}

function execKey(id: WorkflowExecutionIdentifier): [string, string, string] {
  return [id.project, id.domain, id.name];
}

/** Loads a node execution row. */
function loadNode(
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

function checkNodeId(
  ctx: AdminContext,
  id: NodeExecutionIdentifier | undefined,
  field: string,
): asserts id is NodeExecutionIdentifier {
  if (!id) throw missing(field);
  checkExecutionId(ctx, id.executionId, `${field}.execution_id`);
  if (!id.nodeId) throw missing(`${field}.node_id`);
}

function nodeKey(id: NodeExecutionIdentifier): string {
  const e = id.executionId!;
  return `${e.project}/${e.domain}/${e.name}/${id.nodeId}`;
}

function readMap(ctx: AdminContext, uri: string): LiteralMap {
  if (!uri) return create(LiteralMapSchema, {});
  try {
    return fromBinary(LiteralMapSchema, ctx.blobs.readUrl(uri));
  } catch {
    return create(LiteralMapSchema, {});
  }
}

function mergeLogs(existing: TaskLog[], latest: TaskLog[]): TaskLog[] {
  if (latest.length === 0) return existing;
  const seen = new Set(latest.map((l) => `${l.name}\n${l.uri}`));
  return [
    ...latest,
    ...existing.filter((l) => !seen.has(`${l.name}\n${l.uri}`)),
  ];
}

/** Builds the event, node-execution, task-execution and metrics RPCs. */
export function eventService(ctx: AdminContext): Impl {
  const db = ctx.db;

  function saveNode(
    node: NodeExecution,
    parentId: string,
    dynamic: DynamicWorkflowNodeMetadata | undefined,
    insert: boolean,
  ) {
    const id = node.id!;
    const c = node.closure!;
    const values = [
      c.phase,
      isoOf(c.createdAt),
      isoOf(c.updatedAt),
      isoOf(c.startedAt),
      seconds(c.duration),
      toBinary(NodeExecutionSchema, node),
      dynamic ? toBinary(DynamicWorkflowNodeMetadataSchema, dynamic) : null,
    ] as const;
    if (insert) {
      db.run(
        "INSERT INTO node_executions (project, domain, exec_name, node_id, parent_id, phase, created_at, updated_at, started_at, duration, data, dynamic) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        ...execKey(id.executionId!),
        id.nodeId,
        parentId,
        ...values,
      );
    } else {
      db.run(
        "UPDATE node_executions SET phase=?, created_at=?, updated_at=?, started_at=?, duration=?, data=?, dynamic=? WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
        ...values,
        ...execKey(id.executionId!),
        id.nodeId,
      );
    }
  }

  /** Writes inline event data to the blob store (FlyteAdmin's default "offload" policy). */
  function offload(parts: string[], map: LiteralMap): string {
    const key = ["metadata", ...parts].join("/");
    ctx.blobs.write(key, toBinary(LiteralMapSchema, map));
    return ctx.blobs.nativeUrl(key);
  }

  /**
   * A node or task closure's output from its event: a URI or error is kept as
   * is, inline data is offloaded to `parts` and kept by URI; undefined when the
   * event carries no output.
   */
  function closureOutput(
    out:
      | { case: "outputUri"; value: string }
      | { case: "error"; value: ExecutionError }
      | { case: "outputData"; value: LiteralMap }
      | { case: undefined; value?: undefined },
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
        return { case: "outputUri", value: offload(parts, out.value) };
    }
    return undefined;
  }

  function nodePath(id: NodeExecutionIdentifier): string[] {
    const e = id.executionId!;
    return [e.project, e.domain, e.name, id.nodeId];
  }

  function listNodes(
    exec: WorkflowExecutionIdentifier,
    parentId: string,
  ): NodeExecution[] {
    return db.all(
      "SELECT data FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND parent_id=? ORDER BY created_at, rowid",
      ...execKey(exec),
      parentId,
    ).map((r) => fromBinary(NodeExecutionSchema, r.data as Uint8Array));
  }

  function listTasks(id: NodeExecutionIdentifier): TaskExecution[] {
    return db.all(
      "SELECT data FROM task_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=? ORDER BY retry_attempt, created_at",
      ...execKey(id.executionId!),
      id.nodeId,
    ).map((r) => fromBinary(TaskExecutionSchema, r.data as Uint8Array));
  }

  function span(
    start: Timestamp | undefined,
    end: Timestamp | undefined,
    id: Span["id"],
    spans: Span[] = [],
  ): Span {
    return create(SpanSchema, { startTime: start, endTime: end, id, spans });
  }
  const op = (v: string): Span["id"] => ({ case: "operationId", value: v });

  function nodeSpan(n: NodeExecution, depth: number): Span {
    const c = n.closure!;
    const children: Span[] = [];
    if (depth > 0) {
      const tasks = listTasks(n.id!);
      const kids = listNodes(n.id!.executionId!, n.id!.nodeId);
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
        children.push(...nodeSpans(kids, undefined, depth - 1));
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
        if (t && ms(t) > ms(latest)) latest = t;
      }
      if (latest) {
        out.push(span(latest, n.closure?.createdAt, op("NODE_TRANSITION")));
      }
      out.push(nodeSpan(n, depth));
    }
    return out;
  }

  return {
    // ---- workflow events ------------------------------------------------
    createWorkflowEvent(req) {
      const ev = req.event;
      if (!ev) throw missing("event");
      checkExecutionId(ctx, ev.executionId, "event.execution_id");
      const id = ev.executionId;
      if (!ev.occurredAt) throw missing("event.occurred_at");
      db.tx(() => {
        const { execution } = loadExecution(ctx, id);
        const c = execution.closure!;
        if (c.phase === ev.phase) {
          throw alreadyExists(
            `this phase ${
              WorkflowExecution_Phase[ev.phase]
            } was already recorded for execution ${id.name}`,
          );
        }
        if (isTerminalWorkflowPhase(c.phase)) {
          throw failedPrecondition(
            `execution ${id.name} is already in terminal phase ${
              WorkflowExecution_Phase[c.phase]
            }; cannot record ${WorkflowExecution_Phase[ev.phase]}`,
          );
        }
        if (
          c.phase === WorkflowExecution_Phase.ABORTING &&
          ev.phase !== WorkflowExecution_Phase.ABORTED
        ) {
          throw failedPrecondition(
            `execution ${id.name} is ABORTING; only ABORTED may follow, not ${
              WorkflowExecution_Phase[ev.phase]
            }`,
          );
        }
        c.phase = ev.phase;
        c.updatedAt = ev.occurredAt;
        if (ev.phase === WorkflowExecution_Phase.RUNNING && !c.startedAt) {
          c.startedAt = ev.occurredAt;
        }
        if (isTerminalWorkflowPhase(ev.phase) && c.startedAt) {
          c.duration = durationFromMs(ms(ev.occurredAt) - ms(c.startedAt));
        }
        switch (ev.outputResult.case) {
          case "outputUri":
            c.outputResult = {
              case: "outputs",
              value: {
                $typeName: "flyteidl.admin.LiteralMapBlob",
                data: { case: "uri", value: ev.outputResult.value },
              },
            };
            break;
          case "error":
            c.outputResult = { case: "error", value: ev.outputResult.value };
            break;
          case "outputData":
            // FlyteAdmin's default policy: inline event data is offloaded.
            c.outputResult = {
              case: "outputs",
              value: {
                $typeName: "flyteidl.admin.LiteralMapBlob",
                data: {
                  case: "uri",
                  value: offload(
                    [id.project, id.domain, id.name, "offloaded_outputs.pb"],
                    ev.outputResult.value,
                  ),
                },
              },
            };
            break;
        }
        saveExecution(ctx, execution);
      });
      return {};
    },

    // ---- node events ------------------------------------------------------
    createNodeEvent(req) {
      const ev = req.event;
      if (!ev) throw missing("event");
      checkNodeId(ctx, ev.id, "event.id");
      const id = ev.id;
      if (!ev.occurredAt) throw missing("event.occurred_at");
      db.tx(() => {
        const { execution } = loadExecution(ctx, id.executionId!);
        if (isTerminalWorkflowPhase(execution.closure!.phase)) {
          throw failedPrecondition(
            `execution ${id.executionId!.name} is already terminal (${
              WorkflowExecution_Phase[execution.closure!.phase]
            }); node event for ${id.nodeId} refused`,
          );
        }
        const existing = loadNode(ctx, id);
        let node: NodeExecution;
        let dynamic = existing?.dynamic;
        let parentId = "";
        if (existing) {
          node = existing.node;
          const c = node.closure!;
          if (
            c.phase === ev.phase &&
            ev.phase !== NodeExecution_Phase.DYNAMIC_RUNNING
          ) {
            throw alreadyExists(
              `this phase ${
                NodeExecution_Phase[ev.phase]
              } was already recorded for node execution ${nodeKey(id)}`,
            );
          }
          if (NODE_TERMINAL.has(c.phase)) {
            throw failedPrecondition(
              `node execution ${nodeKey(id)} is already in terminal phase ${
                NodeExecution_Phase[c.phase]
              }; cannot record ${NodeExecution_Phase[ev.phase]}`,
            );
          }
        } else {
          // Children name their parent node; nodes a task spawned (dynamic)
          // may name only the parent task execution, whose node is the parent.
          parentId = ev.parentNodeMetadata?.nodeId ||
            ev.parentTaskMetadata?.id?.nodeExecutionId?.nodeId || "";
          if (parentId) {
            const parent = loadNode(
              ctx,
              create(NodeExecutionIdentifierSchema, {
                executionId: id.executionId,
                nodeId: parentId,
              }),
            );
            if (!parent) {
              const field = ev.parentNodeMetadata?.nodeId
                ? "event.parent_node_metadata.node_id"
                : "event.parent_task_metadata.id.node_execution_id.node_id";
              throw invalidArgument(
                `${field}: parent node execution [${parentId}] of ${
                  nodeKey(id)
                } does not exist`,
              );
            }
          }
          node = create(NodeExecutionSchema, {
            id,
            closure: { createdAt: ev.occurredAt },
            metadata: {
              retryGroup: ev.retryGroup,
              specNodeId: ev.specNodeId || id.nodeId,
            },
          });
        }
        const c = node.closure!;
        const m = node.metadata!;
        c.phase = ev.phase;
        c.updatedAt = ev.occurredAt;
        if (ev.inputValue.case === "inputUri" && !node.inputUri) {
          node.inputUri = ev.inputValue.value;
        } else if (ev.inputValue.case === "inputData" && !node.inputUri) {
          node.inputUri = offload(
            [...nodePath(id), "offloaded_inputs.pb"],
            ev.inputValue.value,
          );
        }
        if (
          (ev.phase === NodeExecution_Phase.RUNNING ||
            ev.phase === NodeExecution_Phase.DYNAMIC_RUNNING) && !c.startedAt
        ) {
          c.startedAt = ev.occurredAt;
        }
        if (NODE_TERMINAL.has(ev.phase) && c.startedAt) {
          c.duration = durationFromMs(ms(ev.occurredAt) - ms(c.startedAt));
        }
        const nodeOut = closureOutput(ev.outputResult, [
          ...nodePath(id),
          "offloaded_outputs.pb",
        ]);
        if (nodeOut) c.outputResult = nodeOut;
        if (ev.deckUri) c.deckUri = ev.deckUri;
        if (ev.isParent) m.isParentNode = true;
        if (ev.isDynamic) m.isDynamic = true;
        if (ev.isArray) m.isArray = true;
        if (ev.isEager) m.isEager = true;
        if (ev.targetMetadata.case === "workflowNodeMetadata") {
          c.targetMetadata = {
            case: "workflowNodeMetadata",
            value: {
              $typeName: "flyteidl.admin.WorkflowNodeMetadata",
              executionId: ev.targetMetadata.value.executionId,
            },
          };
        } else if (ev.targetMetadata.case === "taskNodeMetadata") {
          const t = ev.targetMetadata.value;
          if (t.catalogKey) {
            c.targetMetadata = {
              case: "taskNodeMetadata",
              value: {
                $typeName: "flyteidl.admin.TaskNodeMetadata",
                cacheStatus: t.cacheStatus,
                catalogKey: t.catalogKey,
                checkpointUri: t.checkpointUri,
              },
            };
          }
          if (t.dynamicWorkflow) {
            c.dynamicJobSpecUri = t.dynamicWorkflow.dynamicJobSpecUri;
            dynamic = create(DynamicWorkflowNodeMetadataSchema, {
              id: t.dynamicWorkflow.id,
              compiledWorkflow: t.dynamicWorkflow.compiledWorkflow,
              dynamicJobSpecUri: t.dynamicWorkflow.dynamicJobSpecUri,
            });
          }
        }
        saveNode(node, parentId, dynamic, !existing);
      });
      return {};
    },

    // ---- task events ------------------------------------------------------
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
        if (!loadNode(ctx, nodeId)) {
          throw notFound("node execution", nodeKey(nodeId));
        }
        const key = [
          ...execKey(nodeId.executionId!),
          nodeId.nodeId,
          tid.project,
          tid.domain,
          tid.name,
          tid.version,
          ev.retryAttempt,
        ] as const;
        const row = db.get(
          "SELECT data, phase_version FROM task_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=? AND task_project=? AND task_domain=? AND task_name=? AND task_version=? AND retry_attempt=?",
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
            id: create(TaskExecutionIdentifierSchema, {
              taskId: tid,
              nodeExecutionId: nodeId,
              retryAttempt: ev.retryAttempt,
            }),
            closure: { createdAt: ev.occurredAt },
          });
        }
        const c = te.closure!;
        c.phase = ev.phase;
        c.updatedAt = ev.occurredAt;
        if (ev.inputValue.case === "inputUri" && !te.inputUri) {
          te.inputUri = ev.inputValue.value;
        } else if (ev.inputValue.case === "inputData" && !te.inputUri) {
          te.inputUri = offload(
            [
              ...nodePath(nodeId),
              tid.name,
              String(ev.retryAttempt),
              "offloaded_inputs.pb",
            ],
            ev.inputValue.value,
          );
        }
        if (ev.phase === TaskExecution_Phase.RUNNING && !c.startedAt) {
          c.startedAt = ev.occurredAt;
        }
        if (TASK_TERMINAL.has(ev.phase) && c.startedAt) {
          c.duration = durationFromMs(ms(ev.occurredAt) - ms(c.startedAt));
        }
        const taskOut = closureOutput(ev.outputResult, [
          ...nodePath(nodeId),
          tid.name,
          String(ev.retryAttempt),
          "offloaded_outputs.pb",
        ]);
        if (taskOut) c.outputResult = taskOut;
        c.logs = mergeLogs(c.logs, ev.logs);
        if (ev.customInfo) {
          c.customInfo = { ...(c.customInfo ?? {}), ...ev.customInfo };
        }
        if (ev.taskType) c.taskType = ev.taskType;
        if (ev.metadata) {
          const old = c.metadata?.externalResources ?? [];
          const merged = [...ev.metadata.externalResources];
          for (const o of old) {
            if (
              !merged.some((n) =>
                n.index === o.index && n.retryAttempt === o.retryAttempt &&
                n.externalId === o.externalId
              )
            ) merged.push(o);
          }
          merged.sort((a, b) =>
            a.index - b.index || a.retryAttempt - b.retryAttempt
          );
          c.metadata = { ...ev.metadata, externalResources: merged };
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
          seconds(c.duration),
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

    // ---- node execution reads --------------------------------------------
    getNodeExecution(req) {
      checkNodeId(ctx, req.id, "id");
      const n = loadNode(ctx, req.id);
      if (!n) throw notFound("node execution", nodeKey(req.id));
      return n.node;
    },
    listNodeExecutions(req) {
      checkExecutionId(ctx, req.workflowExecutionId, "workflow_execution_id");
      const e = req.workflowExecutionId;
      loadExecution(ctx, e);
      const q = buildList(
        "node_executions",
        ["project = ?", "domain = ?", "exec_name = ?", "parent_id = ?"],
        [...execKey(e), req.uniqueParentId],
        req.sortBy?.key
          ? req
          : { ...req, sortBy: { key: "created_at", direction: 1 } },
        NODE_COLUMNS,
        "node_execution",
        "created_at",
      );
      const page = listPage(db, q, NodeExecutionSchema);
      return { nodeExecutions: page.items, token: page.token };
    },
    listNodeExecutionsForTask(req) {
      const t = req.taskExecutionId;
      if (!t) throw missing("task_execution_id");
      checkNodeId(
        ctx,
        t.nodeExecutionId,
        "task_execution_id.node_execution_id",
      );
      const e = t.nodeExecutionId.executionId!;
      const parent = loadNode(ctx, t.nodeExecutionId);
      if (!parent) throw notFound("node execution", nodeKey(t.nodeExecutionId));
      const q = buildList(
        "node_executions",
        ["project = ?", "domain = ?", "exec_name = ?", "parent_id = ?"],
        [...execKey(e), t.nodeExecutionId.nodeId],
        req.sortBy?.key
          ? req
          : { ...req, sortBy: { key: "created_at", direction: 1 } },
        NODE_COLUMNS,
        "node_execution",
        "created_at",
      );
      const page = listPage(db, q, NodeExecutionSchema);
      return { nodeExecutions: page.items, token: page.token };
    },
    getNodeExecutionData(req) {
      checkNodeId(ctx, req.id, "id");
      const n = loadNode(ctx, req.id);
      if (!n) throw notFound("node execution", nodeKey(req.id));
      const c = n.node.closure!;
      const outUri = c.outputResult.case === "outputUri"
        ? c.outputResult.value
        : "";
      return {
        inputs: urlBlob(ctx, n.node.inputUri),
        outputs: outUri ? urlBlob(ctx, outUri) : undefined,
        fullInputs: readMap(ctx, n.node.inputUri),
        fullOutputs: c.outputResult.case === "outputData"
          ? c.outputResult.value
          : readMap(ctx, outUri),
        dynamicWorkflow: n.dynamic
          ? {
            id: n.dynamic.id,
            compiledWorkflow: n.dynamic.compiledWorkflow,
            dynamicJobSpecUri: n.dynamic.dynamicJobSpecUri,
          }
          : undefined,
        flyteUrls: flyteUrls(req.id),
      };
    },
    getDynamicNodeWorkflow(req) {
      checkNodeId(ctx, req.id, "id");
      const n = loadNode(ctx, req.id);
      if (!n) throw notFound("node execution", nodeKey(req.id));
      if (!n.dynamic?.compiledWorkflow) {
        throw notFound("dynamic workflow of node execution", nodeKey(req.id));
      }
      return { compiledWorkflow: n.dynamic.compiledWorkflow };
    },

    // ---- task execution reads --------------------------------------------
    getTaskExecution(req) {
      const t = req.id;
      if (!t) throw missing("id");
      if (!t.taskId) throw missing("id.task_id");
      checkNodeId(ctx, t.nodeExecutionId, "id.node_execution_id");
      return loadTask(t);
    },
    listTaskExecutions(req) {
      checkNodeId(ctx, req.nodeExecutionId, "node_execution_id");
      const n = req.nodeExecutionId;
      const q = buildList(
        "task_executions",
        ["project = ?", "domain = ?", "exec_name = ?", "node_id = ?"],
        [...execKey(n.executionId!), n.nodeId],
        req.sortBy?.key
          ? req
          : { ...req, sortBy: { key: "retry_attempt", direction: 1 } },
        TASK_COLUMNS,
        "task_execution",
        "created_at",
      );
      const page = listPage(db, q, TaskExecutionSchema);
      return { taskExecutions: page.items, token: page.token };
    },
    getTaskExecutionData(req) {
      const t = req.id;
      if (!t) throw missing("id");
      if (!t.taskId) throw missing("id.task_id");
      checkNodeId(ctx, t.nodeExecutionId, "id.node_execution_id");
      const te = loadTask(t);
      const c = te.closure!;
      const outUri = c.outputResult.case === "outputUri"
        ? c.outputResult.value
        : "";
      return {
        inputs: urlBlob(ctx, te.inputUri),
        outputs: outUri ? urlBlob(ctx, outUri) : undefined,
        fullInputs: readMap(ctx, te.inputUri),
        fullOutputs: c.outputResult.case === "outputData"
          ? c.outputResult.value
          : readMap(ctx, outUri),
        flyteUrls: flyteUrls(t.nodeExecutionId, t.retryAttempt),
      };
    },

    // ---- metrics ----------------------------------------------------------
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
      const top = listNodes(req.id, "");
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
      spans.push(...nodeSpans(top, upstream, depth - 1));
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

  function loadTask(t: TaskExecutionIdentifier): TaskExecution {
    const n = t.nodeExecutionId!;
    const row = db.get(
      "SELECT data FROM task_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=? AND task_project=? AND task_domain=? AND task_name=? AND task_version=? AND retry_attempt=?",
      ...execKey(n.executionId!),
      n.nodeId,
      t.taskId!.project,
      t.taskId!.domain,
      t.taskId!.name,
      t.taskId!.version,
      t.retryAttempt,
    );
    if (!row) {
      throw notFound(
        "task execution",
        `${nodeKey(n)} task ${t.taskId!.name} attempt ${t.retryAttempt}`,
      );
    }
    return fromBinary(TaskExecutionSchema, row.data as Uint8Array);
  }
}

/** The flyte:// URLs of a node (or one of its attempts). */
function flyteUrls(id: NodeExecutionIdentifier, attempt?: number) {
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
