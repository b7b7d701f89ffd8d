/**
 * Backfill: runs a scheduled launch plan for every tick of its cron schedule
 * between two dates, client-side, as one workflow `backfill-<launch plan>`
 * with one launch-plan node per tick (serial: each after the previous; or
 * parallel). Unlike flytekit (which documents the end date as inclusive but
 * drops it), **both the start and the end date are included**: a tick that
 * falls exactly on `to` is run.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type WorkflowSpec,
  WorkflowSpecSchema,
} from "@flyteidl/admin/workflow_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import { WorkflowMetadata_OnFailurePolicy } from "@flyteidl/core/workflow_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import type { Entities } from "./entities.ts";
import type { ExecuteOptions } from "./execution_spec.ts";
import { formatEntityId } from "./ids.ts";
import type { RemoteExecution, RemoteLaunchPlan } from "./models.ts";
import { cronOfSchedule, cronTicks } from "./schedule.ts";

/**
 * Options of `launchBackfill`.
 *
 * @example
 * ```ts
 * import type { BackfillOptions } from "./backfill.ts";
 * const o: BackfillOptions = { parallel: true, dryRun: true };
 * ```
 */
export interface BackfillOptions {
  /** Run all ticks at once instead of one after another [false]. */
  parallel?: boolean;
  /** Only compute the ticks and the workflow; register and run nothing [false]. */
  dryRun?: boolean;
  /** Register, and then execute (false: register only) [true]. */
  execute?: boolean;
  /** "immediately" stops at the first failed tick; "afterRunnable" lets the others finish ["immediately"]. */
  failurePolicy?: "immediately" | "afterRunnable";
  /** Version of the backfill workflow [a digest of the launch plan, ticks and options]. */
  version?: string;
  /** Project to register and run the backfill in [the launch plan's]. */
  project?: string;
  /** Domain [the launch plan's]. */
  domain?: string;
  /** Options for the execution (name, wait, overwriteCache, ...). */
  executeOptions?: ExecuteOptions;
  /** At most this many ticks [10,000]. */
  maxTicks?: number;
}

/**
 * What a backfill computed and did.
 *
 * @example
 * ```ts
 * import type { BackfillResult } from "./backfill.ts";
 * const count = (r: BackfillResult) => r.ticks.length;
 * ```
 */
export interface BackfillResult {
  /** The schedule ticks covered, in order (from and to both included). */
  ticks: Date[];
  /** The backfill workflow's id. */
  workflowId: Identifier;
  /** The workflow spec (registered unless dryRun). */
  workflow: WorkflowSpec;
  /** The registered launch plan of the backfill workflow (not on dryRun). */
  launchPlan?: RemoteLaunchPlan;
  /** The execution, when executed. */
  execution?: RemoteExecution;
}

async function digest(text: string): Promise<string> {
  const d = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return Array.from(d.slice(0, 10), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * What a backfill needs of the executions sub-client: starting the launch
 * plan it registered (`Executions` is one; declared here so the two modules
 * do not import each other).
 *
 * @example
 * ```ts
 * import type { BackfillExecutor } from "./backfill.ts";
 * import type { Executions } from "./executions.ts";
 * const asExecutor = (e: Executions): BackfillExecutor => e;
 * ```
 */
export interface BackfillExecutor {
  /** Starts `target` with `inputs`. */
  execute(
    target: RemoteLaunchPlan,
    inputs: Record<string, unknown>,
    options: ExecuteOptions,
  ): Promise<RemoteExecution>;
}

/**
 * Builds (and unless dryRun registers and runs) the backfill workflow.
 *
 * @example
 * ```ts
 * import type { FlyteRemote } from "./remote.ts";
 * declare const remote: FlyteRemote;
 * const lp = await remote.fetchLaunchPlan("nightly");
 * const r = await remote.executions.launchBackfill(lp, new Date("2024-01-01"), new Date("2024-01-07"), { dryRun: true });
 * console.log(r.ticks.length); // 7 for a daily schedule: both ends included
 * ```
 */
export async function launchBackfill(
  entities: Entities,
  executions: BackfillExecutor,
  launchPlan: RemoteLaunchPlan,
  from: Date,
  to: Date,
  options: BackfillOptions = {},
): Promise<BackfillResult> {
  const label = formatEntityId(launchPlan.id);
  let ticks: Date[];
  try {
    const cron = cronOfSchedule(launchPlan.schedule);
    ticks = cronTicks(cron, from, to, options.maxTicks);
  } catch (e) {
    throw new FlyteInvalidInputError(
      `backfill of ${label}: ${(e as Error).message}`,
    );
  }
  if (ticks.length === 0) {
    throw new FlyteInvalidInputError(
      `backfill of ${label}: no schedule tick between ${from.toISOString()} and ${to.toISOString()}`,
    );
  }
  const kickoff = launchPlan.schedule?.kickoffTimeInputArg ?? "";
  const missing = launchPlan.inputs.filter((i) =>
    i.required && i.name !== kickoff
  );
  if (missing.length > 0) {
    throw new FlyteInvalidInputError(
      `backfill of ${label}: required inputs without defaults: ${
        missing.map((m) => m.name).join(", ")
      }`,
    );
  }
  const project = options.project || launchPlan.id.project;
  const domain = options.domain || launchPlan.id.domain;
  const parallel = options.parallel ?? false;
  const policy = options.failurePolicy ?? "immediately";
  const version = options.version ??
    await digest(JSON.stringify({
      lp: formatEntityId(launchPlan.id),
      ticks: ticks.map((t) => t.toISOString()),
      parallel,
      policy,
      project,
      domain,
    }));
  const name = `backfill-${launchPlan.id.name}`;
  const workflowId = create(IdentifierSchema, {
    resourceType: ResourceType.WORKFLOW,
    project,
    domain,
    name,
    version,
  });
  const nodes = ticks.map((tick, i) => ({
    id: `n${i}`,
    metadata: { name: `${launchPlan.id.name}@${tick.toISOString()}` },
    upstreamNodeIds: !parallel && i > 0 ? [`n${i - 1}`] : [],
    inputs: kickoff
      ? [{
        var: kickoff,
        binding: {
          value: {
            case: "scalar" as const,
            value: {
              value: {
                case: "primitive" as const,
                value: {
                  value: {
                    case: "datetime" as const,
                    value: timestampFromDate(tick),
                  },
                },
              },
            },
          },
        },
      }]
      : [],
    target: {
      case: "workflowNode" as const,
      value: {
        reference: { case: "launchplanRef" as const, value: launchPlan.id },
      },
    },
  }));
  const workflow = create(WorkflowSpecSchema, {
    template: {
      id: workflowId,
      metadata: {
        onFailure: policy === "immediately"
          ? WorkflowMetadata_OnFailurePolicy.FAIL_IMMEDIATELY
          : WorkflowMetadata_OnFailurePolicy
            .FAIL_AFTER_EXECUTABLE_NODES_COMPLETE,
      },
      interface: { inputs: { variables: {} }, outputs: { variables: {} } },
      nodes,
      outputs: [],
    },
  });
  const result: BackfillResult = { ticks, workflowId, workflow };
  if (options.dryRun) return result;
  await entities.registerWorkflow(workflow, { defaultLaunchPlan: true });
  result.launchPlan = await entities.getLaunchPlanById({
    ...workflowId,
    resourceType: ResourceType.LAUNCH_PLAN,
  });
  if (options.execute ?? true) {
    result.execution = await executions.execute(
      result.launchPlan,
      {},
      { project, domain, ...options.executeOptions },
    );
  }
  return result;
}
