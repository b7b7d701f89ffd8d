/**
 * AdminService assembled from its parts (projects, tasks, workflows, launch
 * plans, named entities, descriptions, executions, workflow / node / task
 * events and execution reads, metrics),
 * plus GetVersion.
 *
 * @module
 */
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import { VERSION } from "../../version.ts";
import type { AdminContext } from "./context.ts";
import { projectService } from "./projects.ts";
import { taskService } from "./tasks.ts";
import { workflowService } from "./workflows.ts";
import { launchPlanService } from "./launch_plans.ts";
import { namedEntityService } from "./named_entities.ts";
import { descriptionService } from "./descriptions.ts";
import { executionService } from "./execution_service.ts";
import { workflowEventService } from "./workflow_events.ts";
import { nodeExecutionService } from "./node_executions.ts";
import { taskExecutionService } from "./task_executions.ts";
import { metricsService } from "./metrics.ts";
import { attributeService } from "./attributes.ts";

/** Build time reported by GetVersion (process start). */
const STARTED = new Date().toISOString();

/**
 * The FlyteAdmin release whose API the sandbox serves (the flyteidl it is
 * generated from), reported as FlyteAdmin reports its own: `v<semver>`.
 * flytekit reads it to decide what the backend supports.
 */
const ADMIN_API_VERSION = "v1.16.5";

/**
 * Builds the AdminService implementation (every AdminService RPC).
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { adminService } from "./service.ts";
 * declare const ctx: AdminContext;
 * const impl = adminService(ctx);
 * ```
 */
export function adminService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    ...projectService(ctx),
    ...taskService(ctx),
    ...workflowService(ctx),
    ...launchPlanService(ctx),
    ...namedEntityService(ctx),
    ...descriptionService(ctx),
    ...executionService(ctx),
    ...workflowEventService(ctx),
    ...nodeExecutionService(ctx),
    ...taskExecutionService(ctx),
    ...metricsService(ctx),
    ...attributeService(ctx),
    getVersion() {
      return {
        controlPlaneVersion: {
          Version: ADMIN_API_VERSION,
          // Where FlyteAdmin puts its build (a commit): who is answering.
          Build: `flyte-deno-sandbox-${VERSION}`,
          BuildTime: STARTED,
        },
      };
    },
  };
}
