/**
 * FlyteRemote: the facade. It owns one connection and composes the
 * sub-clients — `entities`, `executions`, `monitor`, `signals` — each with
 * one concern; the methods below are thin shortcuts to them (flytekit's
 * names in camelCase), and `services` is the raw flyteidl escape hatch.
 *
 * @module
 */
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import {
  type ConnectionOptions,
  createConnection,
} from "../client/connection.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { RemoteContext, type RemoteServices } from "./context.ts";
import { consoleBaseUrl, type ConsoleTarget, consoleUrl } from "./console.ts";
import { Entities, type FetchOptions, type Lazy } from "./entities.ts";
import {
  type Executable,
  type ExecuteOptions,
  Executions,
} from "./executions.ts";
import { Monitor, type SyncOptions } from "./sync.ts";
import { Signals } from "./signals.ts";
import {
  isLocalDefinition,
  type LocalDefinition,
  registerDefinition,
  type RegisterOptions,
  type Registration,
} from "./register.ts";
import { type ExecutionMetrics, getExecutionMetrics } from "./metrics.ts";
import {
  type BackfillOptions,
  type BackfillResult,
  launchBackfill,
} from "./backfill.ts";
import type {
  RemoteExecution,
  RemoteLaunchPlan,
  RemoteNodeExecution,
  RemoteSignal,
  RemoteTask,
  RemoteTaskExecution,
  RemoteWorkflow,
} from "./models.ts";
import type { Domain, Project } from "@flyteidl/admin/project_pb.ts";
import { waitForExecution, type WaitOptions } from "./wait.ts";
import type {
  DataTransfer,
  RemoteUploadOptions,
  Uploaded,
} from "../data/transfer.ts";
import type { FlyteDirectory, FlyteFile } from "../types/values.ts";
import type { InlineDirectory, InlineValue } from "../data/inline.ts";
import type { DownloadOptions } from "../data/download.ts";
import { type DataSource, FlyteData } from "../data/reader.ts";
import type {
  Interactive,
  InteractiveOptions,
  UploadedPackage,
} from "./interactive.ts";
import type { RegisterScriptOptions, ScriptRegistration } from "./script.ts";

/** Connection options accepted by `forEndpoint` (whatever src/client's createConnection takes, minus the endpoint).  *
 * @example
 * ```ts
 * import type { ConnectOptions } from "./remote.ts";
 * const o: ConnectOptions = { insecure: true, transport: "rest" };
 * ```
 */
export type ConnectOptions = Omit<ConnectionOptions, "endpoint">;

/**
 * FlyteRemote settings. Defaults in brackets.
 *
 * @example
 * ```ts
 * import type { FlyteRemoteOptions } from "./remote.ts";
 * const o: FlyteRemoteOptions = { defaultProject: "flytesnacks", defaultDomain: "development" };
 * ```
 */
export interface FlyteRemoteOptions {
  /** Project used when a call names none [none: calls must name one]. */
  defaultProject?: string;
  /** Domain used when a call names none [none]. */
  defaultDomain?: string;
  /** Console base URL [http(s)://endpoint]. */
  consoleEndpoint?: string;
  /** Where uploaded data goes [`flyte://my-s3-bucket/`, as flytekit]. */
  dataUploadLocation?: string;
  /** Raw output prefix for new executions [server default]. */
  rawOutputDataPrefix?: string;
  /** Most admin calls in flight during fan-outs such as syncing nodes [16]. */
  concurrency?: number;
}

/** A connection FlyteRemote can own: the services, plus optional close and endpoint.  *
 * @example
 * ```ts
 * import type { RemoteConnection } from "./remote.ts";
 * import { FlyteRemote } from "./remote.ts";
 * declare const conn: RemoteConnection;
 * const remote = new FlyteRemote(conn, { defaultProject: "p", defaultDomain: "d" });
 * ```
 */
export type RemoteConnection = RemoteServices & {
  endpoint?: string;
  close?: () => void | Promise<void>;
};

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
export class FlyteRemote {
  /** The raw flyteidl service clients (escape hatch). */
  readonly services: RemoteServices;
  /** Fetch, list, register, (de)activate entities. */
  readonly entities: Entities;
  /** Start, fetch, list, terminate executions. */
  readonly executions: Executions;
  /** Sync executions, nodes and task attempts. */
  readonly monitor: Monitor;
  /** Gate signals. */
  readonly signals: Signals;
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
    this.#connection = connection;
    this.services = connection;
    this.options = {
      dataUploadLocation: "flyte://my-s3-bucket/",
      ...options,
    };
    this.#ctx = new RemoteContext(connection, {
      defaultProject: options.defaultProject,
      defaultDomain: options.defaultDomain,
      concurrency: options.concurrency,
      rawOutputDataPrefix: options.rawOutputDataPrefix,
      consoleBase: consoleBaseUrl(
        options.endpoint ?? connection.endpoint ?? "localhost:30080",
        {
          insecure: options.insecure,
          consoleEndpoint: options.consoleEndpoint,
        },
      ),
    });
    this.entities = new Entities(this.#ctx);
    this.monitor = new Monitor(this.#ctx, this.entities);
    this.executions = new Executions(this.#ctx, this.entities, this.monitor);
    this.signals = new Signals(this.#ctx);
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
      if (typeof endpoint !== "string" || !endpoint) {
        throw new FlyteInvalidInputError(
          `forEndpoint: endpoint must be a non-empty string such as "flyte.example.com:443" or "http://localhost:30080", got ${
            typeof endpoint === "string"
              ? '""'
              : `${typeof endpoint} ${String(endpoint)}`
          }`,
        );
      }
      const connection = createConnection({ ...options, endpoint });
      return Promise.resolve(
        new FlyteRemote(connection, {
          ...options,
          endpoint,
          insecure: connection.insecure,
        }),
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
    // Loaded on demand: config parsing (YAML) is not needed by the other constructors.
    const { loadConfig } = await import("../client/config.ts");
    const config = await loadConfig({ configFile: options.configFile });
    // The whole config: proxy command, skip-verify and auth settings included.
    const connection = createConnection(config);
    return new FlyteRemote(connection, {
      consoleEndpoint: config.consoleEndpoint,
      ...options,
      endpoint: config.endpoint,
      insecure: config.insecure,
    });
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
  static forSandbox(
    options: FlyteRemoteOptions & ConnectOptions & {
      endpoint?: string;
      token?: string;
    } = {},
  ): Promise<FlyteRemote> {
    const {
      endpoint = "localhost:30080",
      token = Deno.env.get("FLYTE_SANDBOX_TOKEN"),
      ...rest
    } = options;
    return FlyteRemote.forEndpoint(
      endpoint,
      {
        defaultProject: "flytesnacks",
        defaultDomain: "development",
        ...(token ? { auth: { type: "staticToken", token } } : {}),
        ...rest,
        insecure: true,
      } as FlyteRemoteOptions & ConnectOptions,
    );
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#connection.close?.();
  }

  /** Closes the connection (`await using remote = ...`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // --- entities -----------------------------------------------------------
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
  /** A task fetched on first use. */
  fetchTaskLazy(name: string, options?: FetchOptions): Lazy<RemoteTask> {
    return this.entities.fetchTaskLazy(name, options);
  }
  /** A workflow fetched on first use. */
  fetchWorkflowLazy(
    name: string,
    options?: FetchOptions,
  ): Lazy<RemoteWorkflow> {
    return this.entities.fetchWorkflowLazy(name, options);
  }
  /** The active launch plan version, or undefined. */
  fetchActiveLaunchPlan(
    name: string,
    options?: Omit<FetchOptions, "version">,
  ): Promise<RemoteLaunchPlan | undefined> {
    return this.entities.fetchActiveLaunchPlan(name, options);
  }
  /** Tasks registered with a version (async iterator). */
  listTasksByVersion(
    version: string,
    options?: Parameters<Entities["listTasksByVersion"]>[1],
  ): AsyncGenerator<RemoteTask, void, undefined> {
    return this.entities.listTasksByVersion(version, options);
  }
  /** Projects (async iterator). */
  listProjects(
    options?: Parameters<Entities["listProjects"]>[0],
  ): AsyncGenerator<Project, void, undefined> {
    return this.entities.listProjects(options);
  }
  /** The server's domains. */
  getDomains(): Promise<Domain[]> {
    return this.entities.getDomains();
  }
  /** Activates a launch plan version. */
  activateLaunchPlan(
    target: Parameters<Entities["activateLaunchPlan"]>[0],
    options?: FetchOptions,
  ): Promise<void> {
    return this.entities.activateLaunchPlan(target, options);
  }
  /** Deactivates a launch plan version. */
  deactivateLaunchPlan(
    target: Parameters<Entities["deactivateLaunchPlan"]>[0],
    options?: FetchOptions,
  ): Promise<void> {
    return this.entities.deactivateLaunchPlan(target, options);
  }
  /**
   * Interactive mode (loaded on first use): versions local definitions by
   * content, uploads their bundles once and registers them. `execute` uses
   * it for local definitions; `lastReport` says what the last call did.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const interactive = await remote.interactive();
   * console.log(interactive.lastReport);
   * ```
   */
  interactive(): Promise<Interactive> {
    this.#interactiveMode ??= import("./interactive.ts").then((m) =>
      new m.Interactive(this)
    );
    return this.#interactiveMode;
  }
  /**
   * Packs a directory as a deterministic zip (`.gitignore`, `.flyteignore`,
   * `.dockerignore` and default rules) and uploads it through the data
   * proxy; see src/bundle/fast_package.ts.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const pkg = await remote.fastPackage("./workflows");
   * console.log(pkg.sha256, pkg.uri);
   * ```
   */
  async fastPackage(
    dir: string,
    options?: Parameters<Interactive["fastPackage"]>[1],
  ): Promise<UploadedPackage> {
    return await (await this.interactive()).fastPackage(dir, options);
  }
  /**
   * Script mode: packs the script's folder (see {@link FlyteRemote.fastPackage}),
   * uploads it once and registers the script's entities (or
   * `options.entity`) at versions from the package; see src/remote/script.ts.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const r = await remote.registerScript("./workflows/flows.ts", { entity: "flows.wf" });
   * console.log(r.packageUri, r.entities[0].registration.launchPlan?.id.version);
   * ```
   */
  async registerScript(
    file: string,
    options?: RegisterScriptOptions,
  ): Promise<ScriptRegistration> {
    const { registerScript } = await import("./script.ts");
    return await registerScript(await this.interactive(), file, options);
  }
  /** Registers a flyteidl task spec. */
  registerTask(
    spec: Parameters<Entities["registerTask"]>[0],
  ): Promise<RemoteTask> {
    return this.entities.registerTask(spec);
  }
  /** Registers a flyteidl workflow spec (and its default launch plan). */
  registerWorkflow(
    spec: Parameters<Entities["registerWorkflow"]>[0],
    options?: Parameters<Entities["registerWorkflow"]>[1],
  ): Promise<RemoteWorkflow> {
    return this.entities.registerWorkflow(spec, options);
  }
  /** Registers a flyteidl launch plan. */
  registerLaunchPlan(
    id: Parameters<Entities["registerLaunchPlan"]>[0],
    spec: Parameters<Entities["registerLaunchPlan"]>[1],
  ): Promise<RemoteLaunchPlan> {
    return this.entities.registerLaunchPlan(id, spec);
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
    const scope = this.#ctx.scope(options?.project, options?.domain);
    return registerDefinition(this.entities, scope, def, {
      ...options,
      version: options.version,
    });
  }

  // --- executions ---------------------------------------------------------
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
      const reg = await this.register(entity, {
        ...options,
        version: options.version,
      });
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
  /** Executions, newest first (async iterator). */
  recentExecutions(
    options?: Parameters<Executions["recentExecutions"]>[0],
  ): AsyncGenerator<RemoteExecution, void, undefined> {
    return this.executions.recentExecutions(options);
  }
  /** Relaunches an execution (same spec and inputs). See {@link Executions.relaunch}. */
  relaunch<O extends Record<string, unknown> = Record<string, unknown>>(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    options?: Parameters<Executions["relaunch"]>[1],
  ): Promise<RemoteExecution<O>> {
    return this.executions.relaunch<O>(execution, options);
  }
  /** Terminates an execution. */
  terminate(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    cause: string,
  ): Promise<void> {
    return this.executions.terminate(execution, cause);
  }

  // --- monitoring ---------------------------------------------------------
  /** Syncs an execution (and with `nodes`, its whole node tree). */
  syncExecution<O extends Record<string, unknown>>(
    execution: RemoteExecution<O> | WorkflowExecutionIdentifier,
    options?: SyncOptions,
  ): Promise<RemoteExecution<O>> {
    return this.monitor.syncExecution(execution, options);
  }
  /** Syncs one node execution and what is under it. */
  syncNodeExecution(
    node: RemoteNodeExecution,
    options?: Omit<SyncOptions, "nodes">,
  ): Promise<RemoteNodeExecution> {
    return this.monitor.syncNodeExecution(node, options);
  }
  /** Syncs one task attempt. */
  syncTaskExecution(
    task: RemoteTaskExecution,
    options?: Omit<SyncOptions, "nodes">,
  ): Promise<RemoteTaskExecution> {
    return this.monitor.syncTaskExecution(task, options);
  }
  /** Waits until the execution is done. See {@link WaitOptions}. */
  wait<O extends Record<string, unknown>>(
    execution: RemoteExecution<O>,
    options?: WaitOptions,
  ): Promise<RemoteExecution<O>> {
    return waitForExecution(this.#ctx, this.monitor, execution, options);
  }
  /**
   * The live view of an execution (started here or elsewhere, given as an
   * object or its name): waits with the progress display on, syncs its nodes
   * and their attempts at the end and returns it (whose own display is the
   * full execution, log links included).
   *
   * @example
   * ```ts
   * import type { FlyteRemote } from "./remote.ts";
   * declare const remote: FlyteRemote;
   * const done = await remote.watch("f0123456789abcdef012");
   * ```
   */
  async watch<O extends Record<string, unknown>>(
    execution: RemoteExecution<O> | string,
    options: Omit<WaitOptions, "display"> = {},
  ): Promise<RemoteExecution<O>> {
    const e = typeof execution === "string"
      ? await this.fetchExecution<O>(execution)
      : execution;
    return await waitForExecution(this.#ctx, this.monitor, e, {
      nodes: true,
      taskExecutions: true,
      ...options,
      display: true,
    });
  }

  // --- signals, metrics, backfill, console --------------------------------
  /** Signals of an execution (async iterator). */
  listSignals(
    execution: Parameters<Signals["listSignals"]>[0],
    options?: Parameters<Signals["listSignals"]>[1],
  ): AsyncGenerator<RemoteSignal, void, undefined> {
    return this.signals.listSignals(execution, options);
  }
  /** Approves an approval gate. */
  approve(
    signalId: string,
    execution: Parameters<Signals["approve"]>[1],
  ): Promise<void> {
    return this.signals.approve(signalId, execution);
  }
  /** Rejects an approval gate. */
  reject(
    signalId: string,
    execution: Parameters<Signals["reject"]>[1],
  ): Promise<void> {
    return this.signals.reject(signalId, execution);
  }
  /** Sets a gate's input value. */
  setInput(
    signalId: string,
    execution: Parameters<Signals["setInput"]>[1],
    value: unknown,
    type?: Parameters<Signals["setInput"]>[3],
  ): Promise<void> {
    return this.signals.setInput(signalId, execution, value, type);
  }
  /** The span tree of an execution, with `explain()`. */
  getExecutionMetrics(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    options?: { depth?: number },
  ): Promise<ExecutionMetrics> {
    return getExecutionMetrics(this.#ctx, execution, options);
  }
  /**
   * Backfills a scheduled launch plan between two dates, both included
   * (see src/remote/backfill.ts).
   */
  async launchBackfill(
    launchPlan: RemoteLaunchPlan | string,
    from: Date,
    to: Date,
    options?: BackfillOptions & FetchOptions,
  ): Promise<BackfillResult> {
    const lp = typeof launchPlan === "string"
      ? await this.entities.fetchLaunchPlan(launchPlan, options)
      : launchPlan;
    return launchBackfill(
      this.entities,
      this.executions,
      lp,
      from,
      to,
      options,
    );
  }
  // --- data ---------------------------------------------------------------
  #data?: Promise<DataTransfer>;
  #transfer(): Promise<DataTransfer> {
    // Loaded on first use: hashing and transfer code are not needed to connect.
    this.#data ??= import("../data/transfer.ts").then((m) =>
      m.DataTransfer.for(this.services)
    );
    return this.#data;
  }

  /**
   * Uploads through the data proxy to the project/domain upload area [the
   * remote's defaults]:
   * - with `name`, or for a non-string value: the value itself (bytes,
   *   text, a JSON-serialisable object, a Blob/File, a ReadableStream or
   *   async iterable of bytes) as a file; returns a FlyteFile to pass as an
   *   input;
   * - otherwise a string is a local file or directory path; returns the
   *   remote URI and what was sent (`value` is the FlyteFile/FlyteDirectory).
   *
   * Same content to the same name goes to the same place and is sent once.
   * `execute` does this by itself for local paths and in-memory values
   * given to file/directory inputs.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const { uri } = await remote.upload("./data.csv");
   * const cfg = await remote.upload({ lr: 0.1 }, { name: "config.json" });
   * ```
   */
  /** Uploads an in-memory value as a file named `options.name`. */
  upload(
    value: InlineValue,
    options: RemoteUploadOptions & { name: string },
  ): Promise<FlyteFile>;
  /** Uploads a local file or directory (a path or `file://` URL). */
  upload(localPath: string, options?: RemoteUploadOptions): Promise<Uploaded>;
  /** Uploads a Blob/File, bytes or a stream (a File keeps its name). */
  upload(
    value: Exclude<InlineValue, string>,
    options?: RemoteUploadOptions,
  ): Promise<FlyteFile>;
  async upload(
    value: InlineValue,
    options: RemoteUploadOptions = {},
  ): Promise<Uploaded | FlyteFile> {
    const scope = this.#ctx.scope(options.project, options.domain);
    const o = { ...options, ...scope };
    if (typeof value === "string" && options.name === undefined) {
      return await (await this.#transfer()).upload(value, o);
    }
    return await (await this.#transfer()).uploadValue(value, o);
  }

  /**
   * Uploads named values (relative paths, `/` for subfolders) as one
   * directory; returns the FlyteDirectory to pass as an input.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const d = await remote.uploadDirectory({ "a.csv": "x\n1\n", "meta/info.json": { n: 1 } });
   * ```
   */
  async uploadDirectory(
    entries: InlineDirectory | Record<string, InlineValue>,
    options: RemoteUploadOptions = {},
  ): Promise<FlyteDirectory> {
    const scope = this.#ctx.scope(options.project, options.domain);
    return await (await this.#transfer()).uploadDirectory(entries, {
      ...options,
      ...scope,
    });
  }

  /**
   * A reader of a file, directory or dataset (an output value or a URI):
   * `.text()`, `.json()`, `.bytes()`, `.stream()`, `.files()`, `.head(n)`,
   * `.download(path)`. See src/data/reader.ts.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * import type { FlyteFile } from "../types/mod.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const exec = await remote.fetchExecution<{ report: FlyteFile }>("f0123456789abcdef012");
   * console.log(await remote.data(exec.outputs.report).text());
   * ```
   */
  data(source: DataSource): FlyteData {
    return new FlyteData(this.#transfer(), source);
  }

  /**
   * Downloads a FlyteFile, a FlyteDirectory (e.g. from `exec.outputs`) or a
   * URI (`file://`, signed `http(s)://`, `flyte://v1/...`, `s3://`...) to
   * `localPath`, streamed; returns `localPath`. An existing target is
   * refused unless `overwrite`. See src/data for each scheme.
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * import type { FlyteFile } from "../types/mod.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const exec = await remote.fetchExecution<{ report: FlyteFile }>("f0123456789abcdef012");
   * await remote.download(exec.outputs.report, "./report.html", { overwrite: true });
   * ```
   */
  async download(
    source: FlyteFile | FlyteDirectory | string,
    localPath: string,
    options?: DownloadOptions,
  ): Promise<string> {
    const uri = typeof source === "string" ? source : source?.uri;
    if (typeof uri !== "string") {
      throw new FlyteInvalidInputError(
        "download: expected a FlyteFile, a FlyteDirectory or a URI",
      );
    }
    return await (await this.#transfer()).download(uri, localPath, options);
  }

  /**
   * Reads data by `flyte://v1/...` URL (GetData): a literal map, one
   * literal, or signed URLs (decks).
   *
   * @example
   * ```ts
   * import { FlyteRemote } from "./remote.ts";
   * const remote = await FlyteRemote.forSandbox();
   * const d = await remote.getData("flyte://v1/flytesnacks/development/f123/n0/o/o0");
   * ```
   */
  async getData(
    flyteUrl: string,
  ): Promise<Awaited<ReturnType<DataTransfer["getData"]>>> {
    return await (await this.#transfer()).getData(flyteUrl);
  }

  /** The console URL of any entity, execution, node execution or task execution. */
  generateConsoleUrl(target: ConsoleTarget): string {
    return consoleUrl(this.#ctx.settings.consoleBase, target);
  }
}
