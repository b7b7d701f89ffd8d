/**
 * Node executions: CreateNodeEvent as FlyteAdmin records it
 * (propeller-contract.md §6: phases once and in order, children under their
 * parent node, inputs and outputs by URI, task and workflow node metadata,
 * the dynamic workflow a task produced) and the reads: GetNodeExecution,
 * ListNodeExecutions, ListNodeExecutionsForTask, GetNodeExecutionData and
 * GetDynamicNodeWorkflow.
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  NodeExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import {
  NodeExecutionIdentifierSchema,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type DynamicWorkflowNodeMetadata,
  DynamicWorkflowNodeMetadataSchema,
  type NodeExecution,
  NodeExecutionSchema,
} from "@flyteidl/admin/node_execution_pb.ts";
import type { Columns, ListParams } from "../store/query.ts";
import {
  type AdminContext,
  enumColumn,
  isoOf,
  pagedList,
  secondsOf,
  sortedBy,
  TIMING_COLUMNS,
} from "./context.ts";
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
} from "./executions.ts";
import {
  checkNodeId,
  execKey,
  loadNode,
  NODE_TERMINAL,
  nodeKey,
  nodePath,
  requireNode,
} from "./event_store.ts";
import {
  closureData,
  closureOutput,
  elapsed,
  flyteUrls,
  inputUriAfter,
} from "./event_data.ts";

const NODE_COLUMNS: Columns = {
  node_id: { col: "node_id", kind: "text" },
  phase: enumColumn("phase", NodeExecution_Phase),
  ...TIMING_COLUMNS,
};

/** Inserts or updates a node execution row from its message. */
function saveNode(
  ctx: AdminContext,
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
    secondsOf(c.duration),
    toBinary(NodeExecutionSchema, node),
    dynamic ? toBinary(DynamicWorkflowNodeMetadataSchema, dynamic) : null,
  ] as const;
  if (insert) {
    ctx.db.run(
      "INSERT INTO node_executions (project, domain, exec_name, node_id, parent_id, phase, created_at, updated_at, started_at, duration, data, dynamic) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
      ...execKey(id.executionId!),
      id.nodeId,
      parentId,
      ...values,
    );
  } else {
    ctx.db.run(
      "UPDATE node_executions SET phase=?, created_at=?, updated_at=?, started_at=?, duration=?, data=?, dynamic=? WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
      ...values,
      ...execKey(id.executionId!),
      id.nodeId,
    );
  }
}

/** One page of the node executions under `parentId` ("" for the top level). */
function childPage(
  ctx: AdminContext,
  exec: WorkflowExecutionIdentifier,
  parentId: string,
  req: ListParams,
) {
  const page = pagedList(
    ctx.db,
    NodeExecutionSchema,
    "node_executions",
    ["project = ?", "domain = ?", "exec_name = ?", "parent_id = ?"],
    [...execKey(exec), parentId],
    sortedBy(req, "created_at"),
    NODE_COLUMNS,
    "node_execution",
  );
  return { nodeExecutions: page.items, token: page.token };
}

/**
 * Builds the node event and node execution RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { nodeExecutionService } from "./node_executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = nodeExecutionService(ctx);
 * ```
 */
export function nodeExecutionService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;
  return {
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
        node.inputUri = inputUriAfter(ctx, node.inputUri, ev.inputValue, [
          ...nodePath(id),
          "offloaded_inputs.pb",
        ]);
        if (
          (ev.phase === NodeExecution_Phase.RUNNING ||
            ev.phase === NodeExecution_Phase.DYNAMIC_RUNNING) && !c.startedAt
        ) {
          c.startedAt = ev.occurredAt;
        }
        if (NODE_TERMINAL.has(ev.phase) && c.startedAt) {
          c.duration = elapsed(c.startedAt, ev.occurredAt);
        }
        const nodeOut = closureOutput(ctx, ev.outputResult, [
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
        saveNode(ctx, node, parentId, dynamic, !existing);
      });
      return {};
    },

    getNodeExecution(req) {
      checkNodeId(ctx, req.id, "id");
      return requireNode(ctx, req.id).node;
    },
    listNodeExecutions(req) {
      checkExecutionId(ctx, req.workflowExecutionId, "workflow_execution_id");
      const e = req.workflowExecutionId;
      loadExecution(ctx, e);
      return childPage(ctx, e, req.uniqueParentId, req);
    },
    listNodeExecutionsForTask(req) {
      const t = req.taskExecutionId;
      if (!t) throw missing("task_execution_id");
      checkNodeId(
        ctx,
        t.nodeExecutionId,
        "task_execution_id.node_execution_id",
      );
      requireNode(ctx, t.nodeExecutionId);
      return childPage(
        ctx,
        t.nodeExecutionId.executionId!,
        t.nodeExecutionId.nodeId,
        req,
      );
    },
    getNodeExecutionData(req) {
      checkNodeId(ctx, req.id, "id");
      const n = requireNode(ctx, req.id);
      return {
        ...closureData(ctx, n.node.inputUri, n.node.closure!.outputResult),
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
      const n = requireNode(ctx, req.id);
      if (!n.dynamic?.compiledWorkflow) {
        throw notFound("dynamic workflow of node execution", nodeKey(req.id));
      }
      return { compiledWorkflow: n.dynamic.compiledWorkflow };
    },
  };
}
