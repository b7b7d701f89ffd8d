/**
 * `launchPlan(workflow, options)`: a named way to launch a workflow, with
 * defaults, fixed inputs, a schedule, notifications and run settings.
 * Called inside a workflow body it adds a launch-plan node.
 *
 * @module
 */
import type { InferInput } from "../types/mod.ts";
import type { InterfaceTypes } from "./contract.ts";
import type { DurationLike } from "./duration.ts";
import { DefinitionError } from "./errors.ts";
import { currentScope } from "./graph.ts";
import { addNode, resultOf } from "./nodes.ts";
import { runWorkflowLocally } from "./local.ts";
import type { CallInputs, CallResult, OutputsDecl } from "./task.ts";
import type { AnyWorkflow, Workflow } from "./workflow.ts";

/**
 * A schedule: a cron expression (or `@hourly`-style alias) or a fixed rate,
 * optionally passing the kickoff time to an input.
 *
 * @example
 * ```ts
 * import type { ScheduleOption } from "./launch_plan.ts";
 * const s: ScheduleOption = { cron: "0 * * * *", kickoffTimeInput: "at" };
 * console.log(s);
 * ```
 */
export type ScheduleOption =
  & ({ cron: string } | {
    rate: { value: number; unit: "minute" | "hour" | "day" };
  })
  & { kickoffTimeInput?: string };

/**
 * A notification on execution phases.
 *
 * @example
 * ```ts
 * import type { NotificationOption } from "./launch_plan.ts";
 * const n: NotificationOption = { phases: ["FAILED"], email: ["me@example.com"] };
 * console.log(n);
 * ```
 */
export interface NotificationOption {
  /** Phases that notify: `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`. */
  phases: ("SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED")[];
  /** Email recipients. */
  email?: string[];
  /** Slack recipients. */
  slack?: string[];
  /** PagerDuty recipients. */
  pagerDuty?: string[];
}

/**
 * The options of `launchPlan()`.
 *
 * @example
 * ```ts
 * import type { LaunchPlanOptions } from "./launch_plan.ts";
 * const o: LaunchPlanOptions = { name: "nightly", schedule: { cron: "0 3 * * *" } };
 * console.log(o.name);
 * ```
 */
export interface LaunchPlanOptions<I extends InterfaceTypes = InterfaceTypes> {
  /** The launch plan's name [the workflow's name: the default launch plan]. */
  name?: string;
  /** Defaults for inputs (callers may override) [the workflow's defaults]. */
  defaultInputs?: Partial<{ [K in keyof I]: InferInput<I[K]> }>;
  /** Inputs fixed by the launch plan (callers may not set them) [none]. */
  fixedInputs?: Partial<{ [K in keyof I]: InferInput<I[K]> }>;
  /** A schedule [none]. */
  schedule?: ScheduleOption;
  /** Notifications [none]. */
  notifications?: NotificationOption[];
  /** Labels of executions [none]. */
  labels?: Record<string, string>;
  /** Annotations of executions [none]. */
  annotations?: Record<string, string>;
  /** Most nodes running at once [server default]. */
  maxParallelism?: number;
  /** The identity executions run as [server default]. */
  securityContext?: { serviceAccount?: string; iamRole?: string };
  /** Where raw outputs go [server default]. */
  rawOutputDataPrefix?: string;
  /** Executions may be interrupted (spot) [unset]. */
  interruptible?: boolean;
  /** Skip the cache for executions [false]. */
  overwriteCache?: boolean;
  /** Timeout of the whole execution [none]. Not in flyteidl 1.x's spec; kept for future use. */
  timeout?: DurationLike;
}

/**
 * A launch plan definition: callable in workflow bodies (a launch-plan node),
 * or locally (runs the workflow with the plan's inputs).
 *
 * @example
 * ```ts
 * import type { LaunchPlan } from "./launch_plan.ts";
 * const show = (lp: LaunchPlan<never, never>) => lp.name;
 * console.log(show.length);
 * ```
 */
export interface LaunchPlan<I extends InterfaceTypes, O extends OutputsDecl> {
  /** Adds a launch-plan node (in a workflow body) or runs locally. */
  (inputs?: Partial<CallInputs<I>>): CallResult<O>;
  /** Always `"launchPlan"`. */
  readonly kind: "launchPlan";
  /** The launch plan's name. */
  readonly name: string;
  /** The workflow it launches. */
  readonly workflow: Workflow<I, O, keyof I>;
  /** The options as given. */
  readonly options: Readonly<LaunchPlanOptions<I>>;
  /** Defaults (the workflow's, then the plan's). */
  readonly defaultInputs: Readonly<Record<string, unknown>>;
  /** Fixed inputs. */
  readonly fixedInputs: Readonly<Record<string, unknown>>;
}

/** Any launch plan. */
// deno-lint-ignore no-explicit-any
export type AnyLaunchPlan = LaunchPlan<any, any>;

/**
 * Defines a launch plan of `wf`. Without a name it is the workflow's
 * default launch plan (same name).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { workflow } from "./workflow.ts";
 * import { launchPlan } from "./launch_plan.ts";
 * const wf = workflow({ name: "flows.echo", inputs: { s: t.string }, outputs: t.string }, ({ s }) => s);
 * const lp = launchPlan(wf, { name: "flows.echo_hi", fixedInputs: { s: "hi" } });
 * console.log(await lp()); // "hi"
 * ```
 */
export function launchPlan<
  I extends InterfaceTypes,
  O extends OutputsDecl,
  D extends keyof I,
>(
  wf: Workflow<I, O, D>,
  options: LaunchPlanOptions<I> = {},
): LaunchPlan<I, O> {
  const name = options.name ?? wf.name;
  const where = `launch plan ${name}`;
  for (
    const k of [
      ...Object.keys(options.defaultInputs ?? {}),
      ...Object.keys(options.fixedInputs ?? {}),
    ]
  ) {
    if (!(k in wf.inputs)) {
      throw new DefinitionError(
        where,
        `sets input ${k}, which workflow ${wf.name} does not have`,
      );
    }
  }
  const kick = options.schedule?.kickoffTimeInput;
  if (kick !== undefined) {
    const ty = (wf.inputs as InterfaceTypes)[kick];
    if (!ty) {
      throw new DefinitionError(
        where,
        `schedule.kickoffTimeInput names ${kick}, which is not an input`,
      );
    }
    if (ty.kind !== "datetime") {
      throw new DefinitionError(
        where,
        `schedule.kickoffTimeInput ${kick} must be a datetime input, got ${ty.name}`,
      );
    }
  }
  const defaultInputs = {
    ...(wf.options.defaults ?? {}),
    ...(options.defaultInputs ?? {}),
  };
  const fixedInputs = { ...(options.fixedInputs ?? {}) };
  if (options.schedule) {
    const inputs = wf.inputs as InterfaceTypes;
    for (const k of Object.keys(inputs)) {
      const optional = (inputs[k] as { optional?: boolean }).optional === true;
      if (
        k !== kick && !(k in defaultInputs) && !(k in fixedInputs) && !optional
      ) {
        throw new DefinitionError(
          where,
          `a scheduled launch plan needs a value for input ${k} (a default or a fixed input)`,
        );
      }
    }
  }
  const shortName = wf.name.split(".").pop()!;
  const optional = new Set([...Object.keys(defaultInputs)]);
  const visible = Object.fromEntries(
    Object.entries(wf.inputs as InterfaceTypes).filter(([k]) =>
      !(k in fixedInputs)
    ),
  );
  const call = (given?: Record<string, unknown>) => {
    const scope = currentScope();
    if (!scope) {
      return runWorkflowLocally(wf as AnyWorkflow, {
        ...defaultInputs,
        ...(given ?? {}),
        ...fixedInputs,
      });
    }
    const node = addNode(
      scope,
      { kind: "launchPlan", launchPlan: lp },
      shortName,
      {
        inputs: visible,
        outputs: wf.outputs,
        optional,
      },
      given,
    );
    return resultOf(node, wf.singleOutput);
  };
  Object.defineProperty(call, "name", { value: name });
  const lp = Object.assign(call, {
    kind: "launchPlan" as const,
    workflow: wf,
    options,
    defaultInputs,
    fixedInputs,
  }) as unknown as LaunchPlan<I, O>;
  return lp;
}
