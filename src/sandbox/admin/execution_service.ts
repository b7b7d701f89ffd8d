/**
 * The execution RPCs of AdminService: CreateExecution, RelaunchExecution,
 * RecoverExecution, GetExecution, ListExecutions, TerminateExecution,
 * UpdateExecution and GetExecutionData.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import {
  type ExecutionMetadata,
  ExecutionMetadata_ExecutionMode,
  ExecutionSchema,
  type ExecutionSpec,
  ExecutionSpecSchema,
  ExecutionState,
} from "@flyteidl/admin/execution_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import {
  type AdminContext,
  checkProjectDomain,
  msOf,
  now,
  pagedList,
} from "./context.ts";
import { failedPrecondition, missing } from "./errors.ts";
import {
  checkExecutionId,
  EXECUTION_COLUMNS,
  isTerminalWorkflowPhase,
  loadExecution,
  readLiteralMap,
  saveExecution,
  urlBlob,
} from "./executions.ts";
import { createExecutionRecord } from "./execution_create.ts";

/**
 * Runs an execution again under a new name with the inputs its user gave,
 * the spec it had (changed by `edit`) and `metadata` (a relaunch or a
 * recovery of `id`).
 */
async function rerun(
  ctx: AdminContext,
  id: WorkflowExecutionIdentifier,
  name: string,
  metadata: Partial<ExecutionMetadata>,
  edit: (spec: ExecutionSpec) => void = () => {},
): Promise<{ id: WorkflowExecutionIdentifier }> {
  const old = loadExecution(ctx, id);
  const spec = create(ExecutionSpecSchema, old.execution.spec);
  edit(spec);
  return {
    id: await createExecutionRecord(ctx, {
      project: id.project,
      domain: id.domain,
      name,
      spec,
      inputs: readLiteralMap(ctx, old.userInputsUri),
      metadata,
    }),
  };
}

/**
 * Builds the execution RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { executionService } from "./execution_service.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = executionService(ctx);
 * ```
 */
export function executionService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;
  return {
    async createExecution(req) {
      if (!req.project) throw missing("project");
      if (!req.domain) throw missing("domain");
      if (!req.spec) throw missing("spec");
      const inputs = req.inputs ?? req.spec.inputs ??
        create(LiteralMapSchema, {});
      const id = await createExecutionRecord(ctx, {
        project: req.project,
        domain: req.domain,
        name: req.name,
        spec: req.spec,
        inputs,
      });
      return { id };
    },
    async relaunchExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      return await rerun(ctx, req.id, req.name, {
        mode: ExecutionMetadata_ExecutionMode.RELAUNCH,
        referenceExecution: req.id,
        parentNodeExecution: undefined,
        nesting: 0,
      }, (spec) => {
        spec.overwriteCache = req.overwriteCache;
      });
    },
    async recoverExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      return await rerun(ctx, req.id, req.name, {
        ...(req.metadata ?? {}),
        mode: ExecutionMetadata_ExecutionMode.RECOVERED,
        referenceExecution: req.id,
      });
    },
    getExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      return loadExecution(ctx, req.id).execution;
    },
    listExecutions(req) {
      if (!req.id) throw missing("id");
      checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
      const where = ["project = ?", "domain = ?"];
      const params: (string | number)[] = [req.id.project, req.id.domain];
      // As FlyteAdmin: archived executions are hidden unless a filter asks for a state.
      if (!/\(\s*(execution\.)?state\s*,/.test(req.filters)) {
        where.push("state <> ?");
        params.push(ExecutionState.EXECUTION_ARCHIVED);
      }
      if (req.id.name) {
        where.push("name = ?");
        params.push(req.id.name);
      }
      const page = pagedList(
        db,
        ExecutionSchema,
        "executions",
        where,
        params,
        req,
        EXECUTION_COLUMNS,
        "execution",
      );
      return { executions: page.items, token: page.token };
    },
    async terminateExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const id = req.id;
      const cause = req.cause || "terminated by user";
      db.tx(() => {
        const { execution } = loadExecution(ctx, id);
        const c = execution.closure!;
        if (
          isTerminalWorkflowPhase(c.phase) ||
          c.phase === WorkflowExecution_Phase.ABORTING
        ) {
          throw failedPrecondition(
            `cannot abort execution ${id.project}/${id.domain}/${id.name}: it is already ${
              WorkflowExecution_Phase[c.phase]
            }`,
          );
        }
        const t = now();
        c.phase = ctx.launcher
          ? WorkflowExecution_Phase.ABORTING
          : WorkflowExecution_Phase.ABORTED;
        c.updatedAt = t.ts;
        c.outputResult = {
          case: "abortMetadata",
          value: {
            $typeName: "flyteidl.admin.AbortMetadata",
            cause,
            principal: "",
          },
        };
        if (!ctx.launcher && c.startedAt) {
          c.duration = durationFromMs(msOf(t.ts) - msOf(c.startedAt));
        }
        saveExecution(ctx, execution);
      });
      if (ctx.launcher) await ctx.launcher.terminate(id, cause);
      return {};
    },
    updateExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const id = req.id;
      db.tx(() => {
        const { execution } = loadExecution(ctx, id);
        const t = now();
        execution.closure!.stateChangeDetails = {
          $typeName: "flyteidl.admin.ExecutionStateChangeDetails",
          state: req.state,
          occurredAt: t.ts,
          principal: "",
        };
        saveExecution(ctx, execution);
      });
      return {};
    },
    getExecutionData(req) {
      checkExecutionId(ctx, req.id, "id");
      const { execution, inputsUri } = loadExecution(ctx, req.id);
      const full = readLiteralMap(ctx, inputsUri);
      const c = execution.closure!;
      let outputs = create(LiteralMapSchema, {});
      let outputsUri = "";
      if (c.outputResult.case === "outputs") {
        const d = c.outputResult.value.data;
        if (d.case === "uri") {
          outputsUri = d.value;
          outputs = readLiteralMap(ctx, d.value);
        } else if (d.case === "values") outputs = d.value;
      } else if (c.outputResult.case === "outputData") {
        outputs = c.outputResult.value;
      }
      return {
        inputs: urlBlob(ctx, inputsUri),
        outputs: outputsUri ? urlBlob(ctx, outputsUri) : undefined,
        fullInputs: full,
        fullOutputs: outputs,
      };
    },
  };
}
