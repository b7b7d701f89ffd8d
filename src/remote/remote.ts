/**
 * FlyteRemote: the facade over one connection. It keeps the calls people
 * use most (fetch*, execute, register, wait, syncExecution, upload,
 * download, generateConsoleUrl); the sub-clients `entities`, `executions`,
 * `monitor`, `signals` and `data` carry and document the rest, `services`
 * is the raw flyteidl escape hatch, and the older names of moved calls
 * still work (remote_aliases.ts, deprecated).
 *
 * @module
 */
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { RemoteContext, RemoteServices } from "./context.ts";
import { type ConsoleTarget, consoleUrl } from "./console.ts";
import {
  connectAuto,
  connectEndpoint,
  type ConnectOptions,
  contextOf,
  type FlyteRemoteOptions,
  type RemoteConnection,
  sandboxEndpoint,
  type SandboxOptions,
} from "./connect.ts";
import { Entities, type FetchOptions } from "./entities.ts";
import {
  type Executable,
  type ExecuteOptions,
  Executions,
} from "./executions.ts";
import { Monitor, type SyncOptions } from "./sync.ts";
import { Signals } from "./signals.ts";
import { createRemoteData, type RemoteData } from "./data_client.ts";
import { FlyteRemoteAliases } from "./remote_aliases.ts";
import {
  isLocalDefinition,
  type LocalDefinition,
  registerDefinition,
  type RegisterOptions,
  type Registration,
} from "./register.ts";
import type {
  RemoteExecution,
  RemoteLaunchPlan,
  RemoteTask,
  RemoteWorkflow,
} from "./models.ts";
import type { WaitOptions } from "./wait.ts";
import type { Interactive, InteractiveOptions } from "./interactive.ts";

/**
 * The client for notebooks and scripts.
 *
 * @example
 * ```ts
 * import { FlyteRemote } from "./remote.ts";
 * const remote = await FlyteRemote.forSandbox();
 * const lp = await remote.fetchLaunchPlan("my.workflow");
 * const exec = await remote.execute(lp, { n: 3 }, { wait: true });
 * console.log(exec.outputs, remote.generateConsoleUrl(exec));
 * await remote.close();
 * ```
 */
export class FlyteRemote extends FlyteRemoteAliases {
  /** The raw flyteidl service clients (escape hatch). */
  readonly services: RemoteServices;
  /** Fetch, list, register, (de)activate entities. */
  readonly entities: Entities;
  /** Start, fetch, list, wait for, watch, relaunch, terminate, backfill executions. */
  readonly executions: Executions;
  /** Sync executions, nodes and task attempts; execution metrics. */
  readonly monitor: Monitor;
  /** Gate signals: list, approve, reject, set. */
  readonly signals: Signals;
  /** Data: call it to read (`remote.data(file).text()`); its methods transfer. See {@link RemoteData}. */
  readonly data: RemoteData;
  /**
   * Uploads a local file or directory, or (with `name`, or for any other
   * value) bytes, text, JSON, a Blob/File or a stream as a file; see
   * {@link RemoteData.upload}. `execute` uploads local inputs by itself.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const { uri } = await remote.upload("./data.csv");
   * const cfg = await remote.upload({ lr: 0.1 }, { name: "config.json" });
   * ```
   */
  readonly upload: RemoteData["upload"];
  /**
   * Downloads a FlyteFile, a FlyteDirectory (e.g. from `exec.outputs`) or a
   * URI to a local path, streamed; see {@link RemoteData.download}.
   *
   * @example
   * ```ts
   * import type { FlyteRemote } from "./remote.ts";
   * declare const remote: FlyteRemote;
   * await remote.download("flyte://v1/p/d/f123/n0/o/o0", "./report.html", { overwrite: true });
   * ```
   */
  readonly download: RemoteData["download"];
  /** The settings in force. */
  readonly options: Readonly<FlyteRemoteOptions>;
  readonly #ctx: RemoteContext;
  readonly #connection: RemoteConnection;
  #interactiveMode?: Promise<Interactive>;

  /**
   * Wraps an existing connection (any object with the admin, signal and
   * dataProxy clients). Prefer the static constructors.
   */
  constructor(
    connection: RemoteConnection,
    options: FlyteRemoteOptions & { endpoint?: string; insecure?: boolean } =
      {},
  ) {
    super();
    this.#connection = connection;
    this.services = connection;
    this.options = {
      dataUploadLocation: "flyte://my-s3-bucket/",
      ...options,
    };
    this.#ctx = contextOf(connection, options);
    this.entities = new Entities(this.#ctx);
    this.monitor = new Monitor(this.#ctx, this.entities);
    this.executions = new Executions(this.#ctx, this.entities, this.monitor);
    this.signals = new Signals(this.#ctx);
    this.data = createRemoteData(this.#ctx);
    this.upload = this.data.upload;
    this.download = this.data.download;
  }

  /**
   * Connects to a Flyte admin endpoint (`host:port`, `dns:///host:port` or a URL).
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forEndpoint("flyte.example.com:443", { defaultProject: "p", defaultDomain: "development" });
   * ```
   */
  static forEndpoint(
    endpoint: string,
    options: FlyteRemoteOptions & ConnectOptions = {},
  ): Promise<FlyteRemote> {
    try {
      return Promise.resolve(
        new FlyteRemote(...connectEndpoint(endpoint, options)),
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Connects with the configuration people already have: FLYTECTL_CONFIG,
   * ~/.flyte/config.yaml, FLYTE_PLATFORM_URL, ... (flytekit's precedence,
   * see src/client loadConfig).
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.auto({ defaultProject: "flytesnacks", defaultDomain: "development" });
   * ```
   */
  static async auto(
    options: FlyteRemoteOptions & { configFile?: string } = {},
  ): Promise<FlyteRemote> {
    return new FlyteRemote(...await connectAuto(options));
  }

  /**
   * Connects to a local sandbox: `localhost:30080`, insecure, project
   * `flytesnacks`, domain `development` (each overridable). A sandbox that
   * requires a token (one listening beyond loopback prints it at start)
   * takes it as `token`, or from `$FLYTE_SANDBOX_TOKEN`; it is sent as a
   * static bearer token, as for any Flyte backend.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox({ endpoint: "localhost:30080" });
   * ```
   */
  static forSandbox(options: SandboxOptions = {}): Promise<FlyteRemote> {
    return FlyteRemote.forEndpoint(...sandboxEndpoint(options));
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#connection.close?.();
  }

  /** Closes the connection (`await using remote = ...`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Fetches a task (version optional = latest). See {@link Entities.fetchTask}. */
  fetchTask(name: string, options?: FetchOptions): Promise<RemoteTask> {
    return this.entities.fetchTask(name, options);
  }
  /** Fetches a workflow (version optional = latest). */
  fetchWorkflow(name: string, options?: FetchOptions): Promise<RemoteWorkflow> {
    return this.entities.fetchWorkflow(name, options);
  }
  /** Fetches a launch plan (version optional = latest). */
  fetchLaunchPlan(
    name: string,
    options?: FetchOptions,
  ): Promise<RemoteLaunchPlan> {
    return this.entities.fetchLaunchPlan(name, options);
  }
  /**
   * Interactive mode (loaded on first use): versions local definitions by
   * content, uploads their bundles once and registers them; `execute` and
   * `register` use it when no version is given, `lastReport` says what the
   * last call did, and it packs folders and registers scripts.
   */
  interactive(): Promise<Interactive> {
    this.#interactiveMode ??= import("./interactive.ts").then((m) =>
      new m.Interactive(this)
    );
    return this.#interactiveMode;
  }
  /**
   * Registers a TypeScript definition (task, workflow, launch plan) and
   * what it needs: at `options.version` (see {@link registerDefinition}),
   * or, with no version, interactively (see {@link FlyteRemote.interactive}).
   */
  async register(
    def: LocalDefinition,
    options: Partial<RegisterOptions> & InteractiveOptions = {},
  ): Promise<Registration> {
    if (!options.version) {
      return (await this.interactive()).register(def, options);
    }
    const scope = this.#ctx.scope(options.project, options.domain);
    return registerDefinition(
      this.entities,
      scope,
      def,
      options as RegisterOptions,
    );
  }

  /**
   * Starts an execution. See {@link Executions.execute}. A local
   * definition (from `task()` / `workflow()` / `launchPlan()`) is
   * registered first: at `options.version` when given, else interactively
   * (versions from content, bundles uploaded once; see
   * {@link FlyteRemote.interactive}); the execution's `version` says which.
   */
  async execute<O extends Record<string, unknown> = Record<string, unknown>>(
    entity: Executable | LocalDefinition,
    inputs?: Record<string, unknown>,
    options?: ExecuteOptions & Partial<RegisterOptions> & InteractiveOptions,
  ): Promise<RemoteExecution<O>> {
    if (isLocalDefinition(entity)) {
      if (!options?.version) {
        return (await this.interactive()).execute<O>(entity, inputs, options);
      }
      const reg = await this.register(entity, options);
      return this.executions.execute<O>(
        (reg.launchPlan ?? reg.task)!,
        inputs,
        options,
      );
    }
    return this.executions.execute<O>(entity, inputs, options);
  }
  /** Fetches (and syncs) an execution by name. */
  fetchExecution<O extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options?: Parameters<Executions["fetchExecution"]>[1],
  ): Promise<RemoteExecution<O>> {
    return this.executions.fetchExecution<O>(name, options);
  }
  /** Syncs an execution (and with `nodes`, its whole node tree). */
  syncExecution<O extends Record<string, unknown>>(
    execution: RemoteExecution<O> | WorkflowExecutionIdentifier,
    options?: SyncOptions,
  ): Promise<RemoteExecution<O>> {
    return this.monitor.syncExecution(execution, options);
  }
  /** Waits until the execution is done. See {@link WaitOptions}. */
  wait<O extends Record<string, unknown>>(
    execution: RemoteExecution<O>,
    options?: WaitOptions,
  ): Promise<RemoteExecution<O>> {
    return this.executions.wait(execution, options);
  }
  /** The console URL of any entity, execution, node execution or task execution. */
  generateConsoleUrl(target: ConsoleTarget): string {
    return consoleUrl(this.#ctx.settings.consoleBase, target);
  }
}
