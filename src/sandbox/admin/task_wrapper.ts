/**
 * The single-task wrapper FlyteAdmin generates when an execution names a
 * task: the workflow `.flytegen.<task>` (one node running the task) and its
 * launch plan, registered once and marked SYSTEM_GENERATED.
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import type { ExecutionSpec } from "@flyteidl/admin/execution_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { type Workflow, WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import { VariableMapSchema } from "@flyteidl/core/interface_pb.ts";
import { type AdminContext, idKey, now } from "./context.ts";
import { invalidArgument } from "./errors.ts";
import { markSystemGenerated } from "./named_entities.ts";
import { insertLaunchPlanRow } from "./launch_plans.ts";
import {
  getLaunchPlan,
  getTask,
  getWorkflow,
  insertVersionedRow,
} from "./registry.ts";

/**
 * The node id FlyteAdmin gives the single node of a task's wrapper workflow:
 * the last 63 characters of the task name, keeping only letters, digits and '-'.
 */
function nodeNameFromTask(taskName: string): string {
  const tail = taskName.length >= 63
    ? taskName.slice(taskName.length - 63)
    : taskName;
  return [...tail].filter((ch) => ch === "-" || /[\p{L}\p{N}]/u.test(ch)).join(
    "",
  );
}

/**
 * Registers (or reuses) what FlyteAdmin generates for a single-task
 * execution: the workflow `.flytegen.<task>` (one node running the task,
 * inputs bound from the workflow inputs, outputs from the node) and the
 * launch plan `.flytegen.<task>`, both marked SYSTEM_GENERATED.
 *
 * @example
 * ```ts
 * import { wrapperForTask } from "./task_wrapper.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const taskId: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * declare const spec: import("@flyteidl/admin/execution_pb.ts").ExecutionSpec;
 * const { launchPlan, workflow } = wrapperForTask(ctx, taskId, spec);
 * ```
 */
export function wrapperForTask(
  ctx: AdminContext,
  taskId: Identifier,
  spec: ExecutionSpec,
): { launchPlan: LaunchPlan; workflow: Workflow } {
  const task = getTask(ctx, taskId);
  const template = task.closure!.compiledTask!.template!;
  const name = `.flytegen.${taskId.name}`;
  const wfId = create(IdentifierSchema, {
    resourceType: ResourceType.WORKFLOW,
    project: taskId.project,
    domain: taskId.domain,
    name,
    version: taskId.version,
  });
  const lpId = create(IdentifierSchema, {
    ...wfId,
    resourceType: ResourceType.LAUNCH_PLAN,
  });
  const iface = template.interface;
  const nodeId = nodeNameFromTask(taskId.name);
  const bindings = (names: string[], fromNode: string) =>
    names.sort().map((v) => ({
      var: v,
      binding: {
        value: {
          case: "promise" as const,
          value: { nodeId: fromNode, var: v },
        },
      },
    }));
  const wfTemplate: WorkflowTemplate = create(WorkflowTemplateSchema, {
    id: wfId,
    interface: iface,
    nodes: [{
      id: nodeId,
      metadata: {
        name: nodeId,
        retries: template.metadata?.retries ?? { retries: 3 },
      },
      inputs: bindings(Object.keys(iface?.inputs?.variables ?? {}), ""),
      target: {
        case: "taskNode",
        value: { reference: { case: "referenceId", value: taskId } },
      },
    }],
    outputs: bindings(Object.keys(iface?.outputs?.variables ?? {}), nodeId),
  });
  return ctx.db.tx(() => {
    let workflow: Workflow;
    try {
      workflow = getWorkflow(ctx, wfId);
    } catch {
      let compiled;
      try {
        compiled = ctx.compiler.compileWorkflow(wfTemplate, [], [
          task.closure!.compiledTask!,
        ], []);
      } catch (e) {
        if (ctx.compiler.isCompileError(e)) {
          throw invalidArgument(
            `failed to compile the generated workflow of task ${
              idKey(taskId)
            }: ${e.message}`,
          );
        }
        throw e;
      }
      const t = now();
      workflow = create(WorkflowSchema, {
        id: wfId,
        closure: { compiledWorkflow: compiled, createdAt: t.ts },
      });
      insertVersionedRow(
        ctx,
        "workflows",
        wfId,
        t.iso,
        "generated",
        toBinary(WorkflowSchema, workflow),
      );
      markSystemGenerated(ctx, ResourceType.WORKFLOW, wfId);
    }
    let launchPlan: LaunchPlan;
    try {
      launchPlan = getLaunchPlan(ctx, lpId);
    } catch {
      const t = now();
      launchPlan = create(LaunchPlanSchema, {
        id: lpId,
        spec: {
          // FlyteAdmin names the task here, not the generated workflow.
          workflowId: { ...wfId, name: taskId.name },
          entityMetadata: {},
          defaultInputs: {},
          fixedInputs: {},
          labels: {},
          annotations: {},
          authRole: spec.authRole,
          securityContext: spec.securityContext,
        },
        closure: {
          state: LaunchPlanState.INACTIVE,
          expectedInputs: ctx.compiler.launchPlanExpectedInputs(iface?.inputs),
          expectedOutputs: iface?.outputs ?? create(VariableMapSchema, {}),
          createdAt: t.ts,
          updatedAt: t.ts,
        },
      });
      insertLaunchPlanRow(
        ctx,
        launchPlan,
        t.iso,
        "generated",
        wfId.name,
        "NONE",
      );
      markSystemGenerated(ctx, ResourceType.LAUNCH_PLAN, lpId);
    }
    return { launchPlan, workflow };
  });
}
