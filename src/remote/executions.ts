/**
 * Executions: start one (tasks, workflows through their launch plan, launch
 * plans), fetch, list recent ones, terminate. Inputs are checked against the
 * interface before any call; an ALREADY_EXISTS on create returns the
 * existing execution.
 *
 * @module
 */
import { Sort_Direction } from "@flyteidl/admin/common_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import type {
  Identifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
} from "../client/errors.ts";
import { consoleUrl } from "./console.ts";
import type { RemoteContext } from "./context.ts";
import type { Entities, FetchOptions, Lazy } from "./entities.ts";
import type { BackfillOptions, BackfillResult } from "./backfill.ts";
import { executionId, formatEntityId, formatExecutionId } from "./ids.ts";
import { checkInputs, type InterfaceInput } from "./inputs.ts";
import { differenceFrom } from "./existing_execution.ts";
import { hasLocalBlobs, withPlaceholders } from "../data/local.ts";
import {
  RemoteExecution,
  RemoteLaunchPlan,
  RemoteTask,
  RemoteWorkflow,
} from "./models.ts";
import { type ListOptions, paginate } from "./paging.ts";
import type { Monitor } from "./sync.ts";
import { waitForExecution, type WaitOptions } from "./wait.ts";
import {
  buildSpec,
  type ExecuteOptions,
  executionNameOf,
} from "./execution_spec.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";

export { buildSpec, type ExecuteOptions } from "./execution_spec.ts";

/**
 * What `execute` can run.
 *
 * @example
 * ```ts
 * import type { Executable } from "./executions.ts";
 * ```
 */
export type Executable =
  | RemoteTask
  | RemoteWorkflow
  | RemoteLaunchPlan
  | Lazy<RemoteTask>
  | Lazy<RemoteWorkflow>;

/**
 * Options of `recentExecutions`.
 *
 * @example
 * ```ts
 * import type { RecentOptions } from "./executions.ts";
 * const o: RecentOptions = { limit: 20, filters: "eq(phase,SUCCEEDED)" };
 * ```
 */
export interface RecentOptions extends ListOptions {
  /** Project [the remote's default]. */
  project?: string;
  /** Domain [the remote's default]. */
  domain?: string;
  /** Admin filter expression, e.g. `eq(workflow.name,my.wf)` [none]. */
  filters?: string;
}

/**
 * The executions sub-client (`remote.executions`): `execute` (tasks,
 * workflows through their default launch plan, launch plans; inputs
 * checked first), `fetchExecution`, `recentExecutions`, `wait`, `watch`
 * (the live view), `relaunch`, `terminate` and `launchBackfill`. The facade's
 * `execute`, `fetchExecution` and `wait` are these (its `execute` also
 * registers local definitions first).
 *
 * @example
 * ```ts
 * import type { Executions } from "./executions.ts";
 * import type { RemoteTask } from "./models.ts";
 * async function run(x: Executions, t: RemoteTask) {
 *   return await x.execute(t, { a: 1 }, { wait: true });
 * }
 * ```
 */
export class Executions {
  readonly #ctx: RemoteContext;
  readonly #entities: Entities;
  readonly #monitor: Monitor;

  /** Creates the sub-client. */
  constructor(ctx: RemoteContext, entities: Entities, monitor: Monitor) {
    this.#ctx = ctx;
    this.#entities = entities;
    this.#monitor = monitor;
  }

  async #resolve(entity: Executable): Promise<{
    launch: Identifier;
    inputs: InterfaceInput[];
    fixed: string[];
    iface: TypedInterface | undefined;
    label: string;
  }> {
    const e = "get" in entity && typeof entity.get === "function"
      ? await entity.get()
      : entity as RemoteTask | RemoteWorkflow | RemoteLaunchPlan;
    if (e instanceof RemoteTask) {
      return {
        launch: e.id,
        inputs: e.inputs,
        fixed: [],
        iface: e.interface,
        label: formatEntityId(e.id),
      };
    }
    let lp: RemoteLaunchPlan;
    if (e instanceof RemoteWorkflow) {
      try {
        lp = await this.#entities.getLaunchPlanById({
          ...e.id,
          resourceType: ResourceType.LAUNCH_PLAN,
        });
      } catch (err) {
        if (!(err instanceof FlyteEntityNotExistError)) throw err;
        throw new FlyteEntityNotExistError(
          `${
            formatEntityId(e.id)
          } has no launch plan of the same name and version to run it through; register one (registerWorkflow does by default)`,
          { cause: err },
        );
      }
    } else if (e instanceof RemoteLaunchPlan) {
      lp = e;
    } else {
      throw new FlyteInvalidInputError(
        "execute: expected a fetched task, workflow or launch plan",
      );
    }
    return {
      launch: lp.id,
      inputs: lp.inputs,
      fixed: Object.keys(lp.fixedInputs?.literals ?? {}),
      iface: await this.#monitor.interfaceOf(lp.id),
      label: formatEntityId(lp.id),
    };
  }

  /**
   * Starts an execution. Inputs are plain values converted through the
   * interface (or flyteidl Literals); problems are reported all at once as
   * a FlyteInvalidInputError listing the interface, before any call.
   * Local paths (or `file://` URLs, FlyteFile/FlyteDirectory on them) given
   * for file/directory inputs are then uploaded through the data proxy to
   * the execution's project/domain and replaced by their remote URIs.
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * declare const lp: import("./models.ts").RemoteLaunchPlan;
   * const exec = await x.execute<{ o0: number }>(lp, { a: 3 }, { wait: true });
   * console.log(exec.outputs.o0);
   * ```
   */
  async execute<O extends Record<string, unknown> = Record<string, unknown>>(
    entity: Executable,
    inputs: Record<string, unknown> = {},
    options: ExecuteOptions = {},
  ): Promise<RemoteExecution<O>> {
    const { launch, inputs: expected, fixed, iface, label } = await this
      .#resolve(entity);
    const project = options.project || launch.project;
    const domain = options.domain || launch.domain;
    // Checked before anything is uploaded (a local path passes as a URI).
    const local = hasLocalBlobs(inputs, expected);
    let literals = checkInputs(
      local ? withPlaceholders(inputs, expected) : inputs,
      expected,
      label,
      fixed,
    );
    if (local) {
      // Local files/directories for file/directory inputs: upload them
      // first and pass their remote URIs, as flytekit does.
      const { DataTransfer, uploadLocalInputs } = await import(
        "../data/mod.ts"
      );
      inputs = await uploadLocalInputs(
        DataTransfer.for(this.#ctx.services),
        inputs,
        expected,
        { project, domain, signal: options.signal },
      );
      literals = checkInputs(inputs, expected, label, fixed);
    }
    const name = executionNameOf(options);
    const spec = buildSpec(
      launch,
      options,
      this.#ctx.settings.rawOutputDataPrefix,
    );
    const id = executionId(project, domain, name);
    try {
      await this.#ctx.call(
        `create execution ${formatExecutionId(id)} of ${label}`,
        () =>
          this.#ctx.services.admin.createExecution({
            project,
            domain,
            name,
            spec,
            inputs: literals,
          }, { signal: options.signal }),
      );
    } catch (e) {
      if (!(e instanceof FlyteEntityAlreadyExistsError)) throw e;
      // Already there: a retried create or the same request again returns
      // it; another entity or other inputs under that name is an error.
      const [old, data] = await Promise.all([
        this.#ctx.services.admin.getExecution({ id }),
        this.#ctx.services.admin.getExecutionData({ id }),
      ]);
      const diff = differenceFrom(old, data.fullInputs, launch, literals);
      if (diff) {
        throw new FlyteEntityAlreadyExistsError(
          `execution ${formatExecutionId(id)} already exists and ${diff}: ` +
            `choose another executionName, or leave it out for a fresh one`,
          { code: e.code, serverMessage: e.serverMessage, cause: e },
        );
      }
    }
    const exec = new RemoteExecution<O>(
      await this.#ctx.call(
        `get execution ${formatExecutionId(id)}`,
        () => this.#ctx.services.admin.getExecution({ id }),
      ),
    );
    exec.interface = iface;
    await this.#monitor.syncExecution(exec, { signal: options.signal });
    if (options.wait) {
      const w = options.wait === true ? {} : options.wait;
      return await waitForExecution(this.#ctx, this.#monitor, exec, {
        signal: options.signal,
        ...w,
      });
    }
    return exec;
  }

  /**
   * Fetches an execution by name (synced: phase, inputs, outputs).
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * const e = await x.fetchExecution("f0123456789abcdef012");
   * ```
   */
  fetchExecution<O extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options: { project?: string; domain?: string; nodes?: boolean } = {},
  ): Promise<RemoteExecution<O>> {
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    return this.#monitor.syncExecution<O>(executionId(project, domain, name), {
      nodes: options.nodes,
    });
  }

  /**
   * Executions in a project/domain, newest first, paging for you.
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * for await (const e of x.recentExecutions({ limit: 5 })) console.log(e.name, e.phase);
   * ```
   */
  recentExecutions(
    options: RecentOptions = {},
  ): AsyncGenerator<RemoteExecution, void, undefined> {
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    return paginate(async (token, limit) => {
      const r = await this.#ctx.call(
        `list executions in ${project}/${domain}`,
        () =>
          this.#ctx.services.admin.listExecutions({
            id: { project, domain },
            limit,
            token,
            filters: options.filters ?? "",
            sortBy: { key: "created_at", direction: Sort_Direction.DESCENDING },
          }, { signal: options.signal }),
      );
      return {
        items: r.executions.map((e) => {
          const x = new RemoteExecution(e);
          x.consoleUrl = consoleUrl(this.#ctx.settings.consoleBase, x.id);
          return x;
        }),
        token: r.token,
      };
    }, options);
  }

  /**
   * Relaunches an execution: the same launch plan (or task), spec and inputs
   * as a new execution (admin's RelaunchExecution; its metadata names the
   * original as `referenceExecution`). Options: `executionName` /
   * `executionNamePrefix` [generated], `overwriteCache` [false], `wait`.
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * declare const e: import("./models.ts").RemoteExecution;
   * const again = await x.relaunch(e, { wait: true });
   * ```
   */
  async relaunch<O extends Record<string, unknown> = Record<string, unknown>>(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    options: Pick<
      ExecuteOptions,
      | "executionName"
      | "executionNamePrefix"
      | "overwriteCache"
      | "wait"
      | "signal"
    > = {},
  ): Promise<RemoteExecution<O>> {
    const from = execution instanceof RemoteExecution
      ? execution.id
      : execution;
    const name = executionNameOf(options);
    const r = await this.#ctx.call(
      `relaunch ${formatExecutionId(from)} as ${name}`,
      () =>
        this.#ctx.services.admin.relaunchExecution({
          id: from,
          name,
          overwriteCache: options.overwriteCache ?? false,
        }, { signal: options.signal }),
    );
    const id = r.id ?? executionId(from.project, from.domain, name);
    const exec = await this.#monitor.syncExecution<O>(id, {
      signal: options.signal,
    });
    if (options.wait) {
      const w = options.wait === true ? {} : options.wait;
      return await waitForExecution(this.#ctx, this.#monitor, exec, {
        signal: options.signal,
        ...w,
      });
    }
    return exec;
  }

  /**
   * Terminates a running execution with a cause.
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * declare const e: import("./models.ts").RemoteExecution;
   * await x.terminate(e, "no longer needed");
   * ```
   */
  async terminate(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    cause: string,
  ): Promise<void> {
    const id = execution instanceof RemoteExecution ? execution.id : execution;
    await this.#ctx.call(
      `terminate ${formatExecutionId(id)}`,
      () => this.#ctx.services.admin.terminateExecution({ id, cause }),
    );
  }

  /**
   * Waits until the execution is done (polling, with reconnects through
   * outages); see {@link WaitOptions}. `remote.wait` is this.
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * declare const e: import("./models.ts").RemoteExecution;
   * const done = await x.wait(e, { timeout: 60_000 });
   * ```
   */
  wait<O extends Record<string, unknown>>(
    execution: RemoteExecution<O>,
    options?: WaitOptions,
  ): Promise<RemoteExecution<O>> {
    return waitForExecution(this.#ctx, this.#monitor, execution, options);
  }

  /**
   * The live view of an execution (started here or elsewhere, given as an
   * object or its name): waits with the progress display on, syncs its
   * nodes and their attempts at the end and returns it (whose own display
   * is the full execution, log links included).
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * const done = await x.watch("f0123456789abcdef012");
   * ```
   */
  async watch<O extends Record<string, unknown>>(
    execution: RemoteExecution<O> | string,
    options: Omit<WaitOptions, "display"> = {},
  ): Promise<RemoteExecution<O>> {
    const e = typeof execution === "string"
      ? await this.fetchExecution<O>(execution)
      : execution;
    return await waitForExecution(this.#ctx, this.#monitor, e, {
      nodes: true,
      taskExecutions: true,
      ...options,
      display: true,
    });
  }

  /**
   * Backfills a scheduled launch plan (an object or its name) between two
   * dates, both included: one execution per schedule tick, as flytekit's
   * `launch_backfill` (see src/remote/backfill.ts).
   *
   * @example
   * ```ts
   * import type { Executions } from "./executions.ts";
   * declare const x: Executions;
   * const r = await x.launchBackfill("nightly", new Date("2024-01-01"), new Date("2024-01-03"), { dryRun: true });
   * ```
   */
  async launchBackfill(
    launchPlan: RemoteLaunchPlan | string,
    from: Date,
    to: Date,
    options?: BackfillOptions & FetchOptions,
  ): Promise<BackfillResult> {
    const lp = typeof launchPlan === "string"
      ? await this.#entities.fetchLaunchPlan(launchPlan, options)
      : launchPlan;
    const { launchBackfill } = await import("./backfill.ts");
    return launchBackfill(this.#entities, this, lp, from, to, options);
  }
}
