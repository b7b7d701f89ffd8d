/**
 * CreateWorkflowEvent as FlyteAdmin records it (propeller-contract.md §6):
 * a phase recorded once, nothing after a terminal phase, only ABORTED
 * after ABORTING, start time and duration kept, outputs by URI (inline
 * outputs offloaded).
 *
 * @module
 */
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import type { AdminContext } from "./context.ts";
import { alreadyExists, failedPrecondition, missing } from "./errors.ts";
import {
  checkExecutionId,
  isTerminalWorkflowPhase,
  loadExecution,
  saveExecution,
} from "./executions.ts";
import { closureOutput, elapsed } from "./event_data.ts";

/**
 * Builds the workflow event RPC of AdminService.
 *
 * @example
 * ```ts
 * import { workflowEventService } from "./workflow_events.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = workflowEventService(ctx);
 * ```
 */
export function workflowEventService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    createWorkflowEvent(req) {
      const ev = req.event;
      if (!ev) throw missing("event");
      checkExecutionId(ctx, ev.executionId, "event.execution_id");
      const id = ev.executionId;
      if (!ev.occurredAt) throw missing("event.occurred_at");
      ctx.db.tx(() => {
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
          c.duration = elapsed(c.startedAt, ev.occurredAt);
        }
        // FlyteAdmin's default policy: inline event data is offloaded.
        const out = closureOutput(ctx, ev.outputResult, [
          id.project,
          id.domain,
          id.name,
          "offloaded_outputs.pb",
        ]);
        if (out?.case === "outputUri") {
          c.outputResult = {
            case: "outputs",
            value: {
              $typeName: "flyteidl.admin.LiteralMapBlob",
              data: { case: "uri", value: out.value },
            },
          };
        } else if (out?.case === "error") {
          c.outputResult = { case: "error", value: out.value };
        }
        saveExecution(ctx, execution);
      });
      return {};
    },
  };
}
