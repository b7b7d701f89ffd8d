/**
 * Workflows: CreateWorkflow (the tasks and launch plans it refers to
 * loaded, compiled into its closure, re-registration checked), GetWorkflow,
 * ListWorkflows and ListWorkflowIds.
 *
 * @module
 */
import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  WorkflowSchema,
  WorkflowSpecSchema,
} from "@flyteidl/admin/workflow_pb.ts";
import {
  type CompiledWorkflowClosure,
  CompiledWorkflowClosureSchema,
} from "@flyteidl/core/compiler_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import type { Row } from "../store/db.ts";
import { type AdminContext, checkIdentifier, idKey, now } from "./context.ts";
import { missing } from "./errors.ts";
import { touchNamedEntity } from "./named_entities.ts";
import { saveDescription } from "./descriptions.ts";
import { launchPlanInterface } from "./launch_plans.ts";
import {
  assertNewVersion,
  compileErrorToStatus,
  diffFields,
  digest,
  getLaunchPlan,
  getTask,
  getWorkflow,
  insertVersionedRow,
  listIds,
  listVersioned,
  VERSIONED_COLUMNS,
} from "./registry.ts";

/**
 * What differs between a stored workflow and a new compilation of the same
 * version (undefined: the same).
 */
function workflowDiff(
  row: Row,
  compiled: CompiledWorkflowClosure,
): string | undefined {
  const old = fromBinary(WorkflowSchema, row.data as Uint8Array);
  const same = old.closure?.compiledWorkflow !== undefined &&
    equals(
      CompiledWorkflowClosureSchema,
      old.closure.compiledWorkflow,
      compiled,
    );
  if (same) return undefined;
  const before = old.closure?.compiledWorkflow?.primary?.template ??
    create(WorkflowTemplateSchema);
  const after = compiled.primary?.template ?? create(WorkflowTemplateSchema);
  const fields = diffFields(WorkflowTemplateSchema, before, after);
  return fields === "(unknown)"
    ? "spec.sub_workflows or referenced entities"
    : `spec.template: ${fields}`;
}

/**
 * Builds the workflow RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { workflowService } from "./workflows.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = workflowService(ctx);
 * ```
 */
export function workflowService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    createWorkflow(req) {
      checkIdentifier(ctx, req.id, ResourceType.WORKFLOW, "id");
      const id = create(IdentifierSchema, {
        ...req.id,
        resourceType: ResourceType.WORKFLOW,
      });
      if (!req.spec) throw missing("spec");
      const template = req.spec.template;
      if (!template) throw missing("spec.template");
      const subs = req.spec.subWorkflows;
      let reqs;
      try {
        reqs = ctx.compiler.workflowRequirements(template, subs);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `workflow ${idKey(id)}`);
      }
      const tasks = reqs.taskIds.map((tid) =>
        getTask(ctx, tid).closure!.compiledTask!
      );
      const lps = reqs.launchPlanIds.map((lid) => {
        const lp = getLaunchPlan(ctx, lid);
        return {
          id: lid,
          interface: launchPlanInterface(lp),
          fixedInputs: lp.spec?.fixedInputs,
          defaultInputs: lp.spec?.defaultInputs,
          expectedInputs: lp.closure?.expectedInputs,
          expectedOutputs: lp.closure?.expectedOutputs,
        };
      });
      let compiled: CompiledWorkflowClosure;
      try {
        compiled = ctx.compiler.compileWorkflow(template, subs, tasks, lps);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `workflow ${idKey(id)}`);
      }
      const specBytes = toBinary(WorkflowSpecSchema, req.spec);
      const description = req.spec.description;
      ctx.db.tx(() => {
        assertNewVersion(
          ctx,
          "workflows",
          "workflow",
          id,
          specBytes,
          (row) => workflowDiff(row, compiled),
        );
        const t = now();
        const wf = create(WorkflowSchema, {
          id,
          closure: { compiledWorkflow: compiled, createdAt: t.ts },
          shortDescription: description?.shortDescription ?? "",
        });
        insertVersionedRow(
          ctx,
          "workflows",
          id,
          t.iso,
          digest(specBytes),
          toBinary(WorkflowSchema, wf),
        );
        touchNamedEntity(ctx, ResourceType.WORKFLOW, id);
        saveDescription(ctx, id, description, t.iso);
      });
      return {};
    },
    getWorkflow(req) {
      checkIdentifier(ctx, req.id, ResourceType.WORKFLOW, "id");
      return getWorkflow(ctx, req.id);
    },
    listWorkflows(req) {
      const r = listVersioned(
        ctx,
        "workflows",
        WorkflowSchema,
        "workflow",
        req,
        VERSIONED_COLUMNS,
      );
      return { workflows: r.items, token: r.token };
    },
    listWorkflowIds(req) {
      return listIds(ctx, "workflows", req);
    },
  };
}
