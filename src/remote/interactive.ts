/**
 * Interactive mode: executing and registering local TypeScript definitions
 * with no version given. Each task's code is captured into a bundle
 * (src/bundle), its version computed from the bundle, its template, the
 * runtime version and the image; a task already registered at that version
 * is reused as it is (nothing uploaded, nothing registered, in any
 * process); otherwise its bundle is uploaded once through the data proxy
 * (CreateUploadLocation with the content md5, named `bundle-<sha256>.zip`)
 * and the task registered. Bundles are built and checked (size cap,
 * unshippable references) for every task before anything is uploaded or
 * registered.
 *
 * @module
 */
import type { RegisterScriptOptions, ScriptRegistration } from "./script.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import type { TaskDefinition } from "../sdk/contract.ts";
import type { AnyWorkflow } from "../sdk/workflow.ts";
import type { AnyLaunchPlan } from "../sdk/launch_plan.ts";
import {
  type FastPackage,
  fastPackage,
  type FastPackageOptions,
} from "../bundle/fast_package.ts";
import { DataTransfer } from "../data/transfer.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import type { RemoteServices } from "./context.ts";
import type { Entities } from "./entities.ts";
import type { ExecuteOptions, Executions } from "./executions.ts";
import type { RemoteExecution, RemoteTask } from "./models.ts";
import {
  bundleArg,
  closureVersion,
  collectTasks,
  planTasks,
  type TaskPlan,
} from "./interactive_plan.ts";
export { planTasks, type TaskPlan } from "./interactive_plan.ts";
import {
  type LocalDefinition,
  registerDefinition,
  type Registration,
} from "./register.ts";

/**
 * What interactive mode needs of a FlyteRemote.
 *
 * @example
 * ```ts
 * import type { InteractiveHost } from "./interactive.ts";
 * import { FlyteRemote } from "./remote.ts";
 * const remote = await FlyteRemote.forSandbox();
 * const host: InteractiveHost = remote;
 * ```
 */
export interface InteractiveHost {
  /** The service clients (the data proxy is used for bundles). */
  readonly services: RemoteServices;
  /** Entity registration and fetches. */
  readonly entities: Entities;
  /** Execution creation. */
  readonly executions: Executions;
  /** Default project and domain. */
  readonly options: { defaultProject?: string; defaultDomain?: string };
}

export type {
  InteractiveOptions,
  InteractiveReport,
  PreparedTask,
} from "./interactive_types.ts";
import type {
  InteractiveOptions,
  InteractiveReport,
  PreparedTask,
} from "./interactive_types.ts";

/**
 * An uploaded fast package.
 *
 * @example
 * ```ts
 * import type { UploadedPackage } from "./interactive.ts";
 * const show = (p: UploadedPackage) => `${p.uri} (${p.bytes} bytes)`;
 * ```
 */
export interface UploadedPackage extends Omit<FastPackage, "bytes"> {
  /** The zip's size in bytes. */
  bytes: number;
  /** Where it was uploaded (native URI). */
  uri: string;
}

// Bundles uploaded by this process: `${scope}|${sha256}` → native URI.
const uploadedBundles = new Map<string, string>();

/**
 * Interactive register/execute over one FlyteRemote.
 *
 * @example
 * ```ts
 * import { Interactive } from "./interactive.ts";
 * import { FlyteRemote } from "./remote.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const add: TaskDefinition;
 * const remote = await FlyteRemote.forSandbox();
 * const interactive = new Interactive(remote);
 * const exec = await interactive.execute(add, { a: 1, b: 2 }, { wait: true });
 * console.log(exec.version, interactive.lastReport?.tasks[0].uploaded);
 * ```
 */
export class Interactive {
  readonly #host: InteractiveHost;
  #data?: DataTransfer;
  /** What the last call did. */
  lastReport?: InteractiveReport;

  /** Wraps a remote. */
  constructor(host: InteractiveHost) {
    this.#host = host;
  }

  /**
   * The project and domain a call works in (the options', else the
   * remote's defaults); throws when neither names them.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * declare const interactive: Interactive;
   * console.log(interactive.scopeOf({}).project);
   * ```
   */
  scopeOf(o: InteractiveOptions): { project: string; domain: string } {
    return this.#scope(o);
  }

  #scope(o: InteractiveOptions) {
    const project = o.project ?? this.#host.options.defaultProject;
    const domain = o.domain ?? this.#host.options.defaultDomain;
    if (!project || !domain) {
      throw new FlyteInvalidInputError(
        "interactive mode needs a project and a domain (pass them or set the remote's defaults)",
      );
    }
    return { project, domain };
  }

  async #exists(id: Identifier): Promise<RemoteTask | undefined> {
    try {
      return await this.#host.entities.getTaskById(id);
    } catch (e) {
      if (e instanceof FlyteEntityNotExistError) return undefined;
      throw e;
    }
  }

  /** Finds registered tasks, uploads the bundles of the others (once). */
  async #prepare(
    plans: readonly TaskPlan[],
    scope: { project: string; domain: string },
    report: InteractiveReport,
  ): Promise<Map<string, { uri: string; prepared: PreparedTask }>> {
    const out = new Map<string, { uri: string; prepared: PreparedTask }>();
    for (const p of plans) {
      const id = {
        resourceType: ResourceType.TASK,
        ...scope,
        name: p.def.name,
        version: p.version,
      } as Identifier;
      const existing = await this.#exists(id);
      const registeredUri = bundleArg(existing?.template);
      const key = `${scope.project}|${scope.domain}|${p.bundle.sha256}`;
      let uri = registeredUri ?? uploadedBundles.get(key);
      let uploaded = false;
      if (!uri) {
        // Named by its sha-256 (and placed by its md5): when the store
        // already holds it (another process uploaded it), nothing is sent.
        this.#data ??= new DataTransfer(this.#host.services);
        const up = await this.#data.uploadBytesOnce(
          p.bundle.bytes,
          p.bundle.fileName,
          scope,
        );
        uri = up.uri;
        uploadedBundles.set(key, uri);
        uploaded = up.uploaded;
        if (uploaded) report.uploadedBytes += p.bundle.bytes.length;
      }
      out.set(p.def.name, {
        uri,
        prepared: {
          name: p.def.name,
          version: p.version,
          bundleSha256: p.bundle.sha256,
          bundleBytes: p.bundle.bytes.length,
          bundleUri: uri,
          uploaded,
          registered: !existing,
          task: existing as RemoteTask,
        },
      });
    }
    return out;
  }

  /**
   * Captures, versions, uploads (when needed) and registers tasks. Every
   * bundle is built and checked before the first upload, so a capture error
   * leaves nothing behind.
   *
   * @example
   * ```ts
   * import { Interactive } from "./interactive.ts";
   * import type { TaskDefinition } from "../sdk/contract.ts";
   * declare const interactive: Interactive;
   * declare const add: TaskDefinition;
   * const report = await interactive.registerTasks([add]);
   * console.log(report.tasks[0].version);
   * ```
   */
  async registerTasks(
    defs: readonly TaskDefinition[],
    options: InteractiveOptions = {},
  ): Promise<InteractiveReport> {
    const scope = this.#scope(options);
    const plans = await planTasks(defs, { ...scope, image: options.image });
    const report: InteractiveReport = { tasks: [], uploadedBytes: 0 };
    const prepared = await this.#prepare(plans, scope, report);
    for (const p of plans) {
      const r = prepared.get(p.def.name)!;
      if (r.prepared.registered) {
        const reg = await registerDefinition(
          this.#host.entities,
          scope,
          p.def,
          {
            version: p.version,
            image: options.image,
            extraArgsOf: () => ["--bundle", r.uri],
          },
        );
        r.prepared.task = reg.task!;
      }
    }
    report.tasks = defs.map((d) => prepared.get(d.name)!.prepared);
    this.lastReport = report;
    return report;
  }

  /**
   * Registers a local task, workflow or launch plan with everything it
   * needs, versions computed from content: tasks from their bundles; a
   * workflow (its sub-workflows, launched launch plans and default launch
   * plan alike) from its templates and its tasks' versions.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * import type { TaskDefinition } from "../sdk/contract.ts";
   * declare const interactive: Interactive;
   * declare const add: TaskDefinition;
   * const reg = await interactive.register(add);
   * console.log(reg.task?.id.version);
   * ```
   */
  async register(
    def: LocalDefinition,
    options: InteractiveOptions = {},
  ): Promise<Registration> {
    if (def.kind === "task") {
      const r = await this.registerTasks([def], options);
      const task = r.tasks[0].task;
      return { ids: r.tasks[0].registered ? [task.id] : [], task };
    }
    const scope = this.#scope(options);
    const tasks = collectTasks(def as AnyWorkflow | AnyLaunchPlan, scope);
    const plans = await planTasks(tasks, { ...scope, image: options.image });
    return await this.registerPlanned(def, plans, options);
  }

  /**
   * Registers a workflow or launch plan whose tasks are already planned
   * (their bundles built, their versions computed): uploads what the store
   * lacks, then registers everything at content versions (the workflow's
   * from its templates and its tasks' versions). `register` and
   * `registerScript` use it.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * import { planTasks } from "./interactive_plan.ts";
   * import type { AnyWorkflow } from "../sdk/workflow.ts";
   * declare const interactive: Interactive;
   * declare const wf: AnyWorkflow;
   * const plans = await planTasks(wf.tasks(), { project: "p", domain: "d" });
   * const reg = await interactive.registerPlanned(wf, plans, { project: "p", domain: "d" });
   * ```
   */
  async registerPlanned(
    def: LocalDefinition,
    plans: readonly TaskPlan[],
    options: InteractiveOptions = {},
  ): Promise<Registration> {
    const scope = this.#scope(options);
    const report: InteractiveReport = { tasks: [], uploadedBytes: 0 };
    const prepared = await this.#prepare(plans, scope, report);
    const versions = new Map(plans.map((p) => [p.def.name, p.version]));
    const finish = async (reg: Registration) => {
      for (const p of plans) {
        const r = prepared.get(p.def.name)!.prepared;
        r.task ??= await this.#host.entities.getTaskById({
          resourceType: ResourceType.TASK,
          ...scope,
          name: p.def.name,
          version: p.version,
        } as Identifier);
      }
      report.tasks = plans.map((p) => prepared.get(p.def.name)!.prepared);
      this.lastReport = report;
      return reg;
    };
    const extraArgsOf = (d: TaskDefinition) => [
      "--bundle",
      prepared.get(d.name)!.uri,
    ];
    if (def.kind === "task") {
      const version = versions.get(def.name)!;
      const reg = prepared.get(def.name)!.prepared.registered
        ? await registerDefinition(this.#host.entities, scope, def, {
          version,
          image: options.image,
          extraArgsOf,
        })
        : { ids: [] };
      return await finish(reg);
    }
    const version = closureVersion(
      def as AnyWorkflow | AnyLaunchPlan,
      { ...scope, image: options.image },
      versions,
    );
    // The launch plan at this version exists: so does everything under it.
    const existing = await this.#host.entities.getLaunchPlanById({
      resourceType: ResourceType.LAUNCH_PLAN,
      ...scope,
      name: def.name,
      version,
    } as Identifier).catch((e) => {
      if (e instanceof FlyteEntityNotExistError) return undefined;
      throw e;
    });
    if (
      existing &&
      plans.every((p) => !prepared.get(p.def.name)!.prepared.registered)
    ) {
      return await finish({ ids: [], launchPlan: existing });
    }
    return await finish(
      await registerDefinition(this.#host.entities, scope, def, {
        version,
        image: options.image,
        versionOf: (d) =>
          d.kind === "task" ? versions.get(d.name) ?? version : version,
        extraArgsOf,
      }),
    );
  }

  /**
   * Script mode: packs the script's folder (see {@link Interactive.fastPackage}),
   * uploads it once and registers the script's entities (or
   * `options.entity`) at versions from the package; see src/remote/script.ts.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * declare const interactive: Interactive;
   * const r = await interactive.registerScript("./workflows/flows.ts", { entity: "flows.wf" });
   * console.log(r.packageUri, r.entities[0].registration.launchPlan?.id.version);
   * ```
   */
  async registerScript(
    file: string,
    options?: RegisterScriptOptions,
  ): Promise<ScriptRegistration> {
    // Loaded on first use: the script loader is not needed otherwise.
    const { registerScript } = await import("./script.ts");
    return await registerScript(this, file, options);
  }

  /**
   * Packs a directory ({@link fastPackage}: ignore files and default rules,
   * deterministic zip) and uploads it through the data proxy, as flytekit's
   * `fast_package` + upload; returns its digest and native URI.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * declare const interactive: Interactive;
   * const pkg = await interactive.fastPackage("./workflows");
   * console.log(pkg.sha256, pkg.uri, pkg.files.length);
   * ```
   */
  async fastPackage(
    dir: string,
    options: FastPackageOptions & InteractiveOptions = {},
  ): Promise<UploadedPackage> {
    const scope = this.#scope(options);
    const { bytes, ...pkg } = await fastPackage(dir, options);
    this.#data ??= new DataTransfer(this.#host.services);
    const uri = await this.#data.uploadBytes(bytes, pkg.fileName, scope);
    return { ...pkg, bytes: bytes.length, uri };
  }

  /**
   * Registers what is needed and starts an execution; the execution's
   * `version` is the computed version.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * import type { TaskDefinition } from "../sdk/contract.ts";
   * declare const interactive: Interactive;
   * declare const add: TaskDefinition;
   * const exec = await interactive.execute(add, { a: 1, b: 2 }, { wait: true });
   * console.log(exec.version, exec.outputs);
   * ```
   */
  async execute<O extends Record<string, unknown> = Record<string, unknown>>(
    def: LocalDefinition,
    inputs: Record<string, unknown> = {},
    options: ExecuteOptions & InteractiveOptions = {},
  ): Promise<RemoteExecution<O>> {
    const reg = await this.register(def, options);
    return await this.#host.executions.execute<O>(
      (reg.launchPlan ?? reg.task)!,
      inputs,
      options,
    );
  }
}
