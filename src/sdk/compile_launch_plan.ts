/**
 * Launch plan compilation: a launch plan (or a workflow's default one) to
 * the admin LaunchPlanSpec flytekit sends.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type LaunchPlanSpec,
  LaunchPlanSpecSchema,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import { FixedRateUnit } from "@flyteidl/admin/schedule_pb.ts";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { toLiteral } from "../types/mod.ts";
import type { InterfaceTypes } from "./contract.ts";
import { entityId, type EntityScope } from "./compile_task.ts";
import type { CompileWorkflowOptions } from "./compile_workflow.ts";
import { DefinitionError } from "./errors.ts";
import type { AnyLaunchPlan } from "./launch_plan.ts";
import type { AnyWorkflow } from "./workflow.ts";

/**
 * A compiled launch plan: its id and spec.
 *
 * @example
 * ```ts
 * import type { CompiledLaunchPlan } from "./compile_launch_plan.ts";
 * const name = (c: CompiledLaunchPlan) => c.id.name;
 * console.log(name.length);
 * ```
 */
export interface CompiledLaunchPlan {
  /** The launch plan's id. */
  id: Identifier;
  /** Its spec. */
  spec: LaunchPlanSpec;
}

const PHASES = {
  SUCCEEDED: WorkflowExecution_Phase.SUCCEEDED,
  FAILED: WorkflowExecution_Phase.FAILED,
  TIMED_OUT: WorkflowExecution_Phase.TIMED_OUT,
  ABORTED: WorkflowExecution_Phase.ABORTED,
};

const UNITS = {
  minute: FixedRateUnit.MINUTE,
  hour: FixedRateUnit.HOUR,
  day: FixedRateUnit.DAY,
};

function literals(
  values: Record<string, unknown>,
  types: InterfaceTypes,
  where: string,
) {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      try {
        return [k, toLiteral(v, types[k])];
      } catch (e) {
        throw new DefinitionError(
          where,
          `input ${k}: ${(e as Error).message}`,
          { cause: e },
        );
      }
    }),
  );
}

/**
 * Compiles a launch plan; given a workflow, its default launch plan (same
 * name, the workflow's defaults).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { workflow } from "./workflow.ts";
 * import { compileLaunchPlan } from "./compile_launch_plan.ts";
 * const wf = workflow({ name: "flows.echo", inputs: { s: t.string }, outputs: t.string, defaults: { s: "hi" } }, ({ s }) => s);
 * const lp = compileLaunchPlan(wf, { project: "p", domain: "d", version: "v1" });
 * console.log(lp.id.name, lp.spec.defaultInputs?.parameters.s.behavior.case); // "flows.echo" "default"
 * ```
 */
export function compileLaunchPlan(
  lp: AnyLaunchPlan | AnyWorkflow,
  options: CompileWorkflowOptions,
): CompiledLaunchPlan {
  const wf: AnyWorkflow = lp.kind === "workflow" ? lp : lp.workflow;
  const plan = lp.kind === "launchPlan" ? lp : undefined;
  const name = plan?.name ?? wf.name;
  const where = `launch plan ${name}`;
  const scopeOf = (
    d: Parameters<NonNullable<CompileWorkflowOptions["versionOf"]>>[0],
  ): EntityScope => ({
    project: options.project,
    domain: options.domain,
    version: options.versionOf?.(d) ?? options.version,
  });
  const o = plan?.options ?? {};
  const fixed = plan?.fixedInputs ?? {};
  const defaults = plan?.defaultInputs ?? wf.options.defaults ?? {};
  const inputs = wf.inputs as InterfaceTypes;
  const defaultLits = literals(defaults, inputs, where);
  // Optional inputs default to none (flytekit: `x: Optional[T] = None`), as
  // a plain none literal, as flytekit writes launch plan defaults.
  for (const [k, ty] of Object.entries(inputs)) {
    const optional = (ty as { optional?: boolean }).optional === true;
    if (optional && (defaults[k] === undefined || defaults[k] === null)) {
      defaultLits[k] = create(LiteralSchema, {
        value: {
          case: "scalar",
          value: { value: { case: "noneType", value: {} } },
        },
      });
    }
  }
  const parameters = Object.fromEntries(
    Object.entries(inputs).filter(([k]) => !(k in fixed)).map(([k, ty]) => [k, {
      var: { type: ty.literalType, description: k },
      behavior: k in defaultLits
        ? { case: "default" as const, value: defaultLits[k] }
        : { case: "required" as const, value: true },
    }]),
  );
  const s = o.schedule;
  const schedule = s
    ? {
      kickoffTimeInputArg: s.kickoffTimeInput ?? "",
      ScheduleExpression: "cron" in s
        ? { case: "cronSchedule" as const, value: { schedule: s.cron } }
        : {
          case: "rate" as const,
          value: { value: s.rate.value, unit: UNITS[s.rate.unit] },
        },
    }
    : undefined;
  const notifications = (o.notifications ?? []).map((n) => ({
    phases: n.phases.map((p) => PHASES[p]),
    type: n.email
      ? { case: "email" as const, value: { recipientsEmail: n.email } }
      : n.slack
      ? { case: "slack" as const, value: { recipientsEmail: n.slack } }
      : {
        case: "pagerDuty" as const,
        value: { recipientsEmail: n.pagerDuty ?? [] },
      },
  }));
  const spec = create(LaunchPlanSpecSchema, {
    workflowId: entityId(ResourceType.WORKFLOW, wf.name, scopeOf(wf)),
    entityMetadata: { schedule, notifications },
    defaultInputs: { parameters },
    fixedInputs: { literals: literals(fixed, inputs, where) },
    labels: { values: o.labels ?? {} },
    annotations: { values: o.annotations ?? {} },
    rawOutputDataConfig: { outputLocationPrefix: o.rawOutputDataPrefix ?? "" },
    maxParallelism: o.maxParallelism ?? 0,
    securityContext: o.securityContext
      ? {
        runAs: {
          k8sServiceAccount: o.securityContext.serviceAccount ?? "",
          iamRole: o.securityContext.iamRole ?? "",
        },
      }
      : undefined,
    interruptible: o.interruptible,
    overwriteCache: o.overwriteCache ?? false,
  });
  const id = create(
    IdentifierSchema,
    entityId(ResourceType.LAUNCH_PLAN, name, scopeOf(plan ?? wf)),
  );
  return { id, spec };
}
