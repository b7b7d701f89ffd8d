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
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type { TaskDefinition, WorkflowDefinition } from "../sdk/contract.ts";
export { isLocalDefinition } from "./local_definition.ts";
import { captureTasks } from "../bundle/capture.ts";
import type { Bundle } from "../bundle/bundle.ts";
import { taskVersion } from "../bundle/version.ts";
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
  DEFAULT_TASK_IMAGE,
  templateBytesWithoutVersion,
  typescriptTaskTemplate,
} from "./interactive_template.ts";

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

/**
 * Options of interactive register/execute.
 *
 * @example
 * ```ts
 * import type { InteractiveOptions } from "./interactive.ts";
 * const o: InteractiveOptions = { project: "flytesnacks", domain: "development", image: "flyte-deno-runtime:0.1.0" };
 * ```
 */
export interface InteractiveOptions {
  /** Project [the remote's default]. */
  project?: string;
  /** Domain [the remote's default]. */
  domain?: string;
  /** Image of tasks that name none [`task.options.image`, else {@link DEFAULT_TASK_IMAGE}]. */
  image?: string;
}

/**
 * What happened to one task.
 *
 * @example
 * ```ts
 * import type { PreparedTask } from "./interactive.ts";
 * const show = (p: PreparedTask) => `${p.name}@${p.version} uploaded=${p.uploaded}`;
 * ```
 */
export interface PreparedTask {
  /** The task's name. */
  name: string;
  /** The computed version. */
  version: string;
  /** sha-256 of its bundle. */
  bundleSha256: string;
  /** Bundle size in bytes. */
  bundleBytes: number;
  /** Whether its bundle was uploaded by this call. */
  uploaded: boolean;
  /** Whether it was registered by this call (false: it already existed). */
  registered: boolean;
  /** The registered task. */
  task: RemoteTask;
}

/**
 * What one interactive call did.
 *
 * @example
 * ```ts
 * import type { InteractiveReport } from "./interactive.ts";
 * const uploads = (r: InteractiveReport) => r.tasks.filter((t) => t.uploaded).length;
 * ```
 */
export interface InteractiveReport {
  /** Every task, in the order given. */
  tasks: PreparedTask[];
  /** Bytes uploaded by this call. */
  uploadedBytes: number;
}

/**
 * A task ready to register: its version, its template (without the bundle
 * argument) and its bundle.
 *
 * @example
 * ```ts
 * import type { TaskPlan } from "./interactive.ts";
 * const show = (p: TaskPlan) => `${p.def.name}@${p.version}`;
 * ```
 */
export interface TaskPlan {
  /** The definition. */
  def: TaskDefinition;
  /** The content version. */
  version: string;
  /** The template with an empty version and no bundle argument. */
  template: TaskTemplate;
  /** The bundle that carries its code. */
  bundle: Bundle;
}

/**
 * Captures tasks and computes their versions, without any network call
 * (every bundle is built and checked here, before anything is uploaded).
 *
 * @example
 * ```ts
 * import { planTasks } from "./interactive.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const add: TaskDefinition;
 * const [plan] = await planTasks([add], { project: "p", domain: "d" });
 * console.log(plan.version.length); // 22
 * ```
 */
export async function planTasks(
  defs: readonly TaskDefinition[],
  o: { project: string; domain: string; image?: string },
): Promise<TaskPlan[]> {
  const captured = await captureTasks(defs);
  const plans: TaskPlan[] = [];
  for (const c of captured) {
    for (const def of c.tasks) {
      if (!defs.includes(def)) continue;
      const image = String(def.options.image ?? o.image ?? DEFAULT_TASK_IMAGE);
      const template = typescriptTaskTemplate(def, {
        project: o.project,
        domain: o.domain,
        version: "",
        image,
      });
      const version = taskVersion({
        bundleSha256: c.bundle.sha256,
        template: templateBytesWithoutVersion(template),
        image,
      });
      plans.push({ def, version, template, bundle: c.bundle });
    }
  }
  return plans;
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

  /**
   * Captures, versions, uploads (when needed) and registers tasks. Every
   * bundle is built before the first upload, so a capture error leaves
   * nothing behind.
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
    const { project, domain } = this.#scope(options);
    const plans = await planTasks(defs, {
      project,
      domain,
      image: options.image,
    });
    const report: InteractiveReport = { tasks: [], uploadedBytes: 0 };
    const byName = new Map<string, PreparedTask>();
    for (const p of plans) {
      const id = {
        resourceType: ResourceType.TASK,
        project,
        domain,
        name: p.def.name,
        version: p.version,
      } as Identifier;
      const existing = await this.#exists(id);
      if (existing) {
        byName.set(p.def.name, {
          name: p.def.name,
          version: p.version,
          bundleSha256: p.bundle.sha256,
          bundleBytes: p.bundle.bytes.length,
          uploaded: false,
          registered: false,
          task: existing,
        });
        continue;
      }
      const key = `${project}|${domain}|${p.bundle.sha256}`;
      let uri = uploadedBundles.get(key);
      let uploaded = false;
      if (!uri) {
        this.#data ??= new DataTransfer(this.#host.services);
        uri = await this.#data.uploadBytes(p.bundle.bytes, p.bundle.fileName, {
          project,
          domain,
        });
        uploadedBundles.set(key, uri);
        uploaded = true;
        report.uploadedBytes += p.bundle.bytes.length;
      }
      const template = typescriptTaskTemplate(p.def, {
        project,
        domain,
        version: p.version,
        image: p.template.target.case === "container"
          ? p.template.target.value.image
          : DEFAULT_TASK_IMAGE,
        extraArgs: ["--bundle", uri],
      });
      const task = await this.#host.entities.registerTask({ template });
      byName.set(p.def.name, {
        name: p.def.name,
        version: p.version,
        bundleSha256: p.bundle.sha256,
        bundleBytes: p.bundle.bytes.length,
        uploaded,
        registered: true,
        task,
      });
    }
    report.tasks = defs.map((d) => byName.get(d.name)!);
    this.lastReport = report;
    return report;
  }

  /**
   * Registers a local task (or workflow, with its tasks) and returns the
   * registered entity.
   *
   * @example
   * ```ts
   * import type { Interactive } from "./interactive.ts";
   * import type { TaskDefinition } from "../sdk/contract.ts";
   * declare const interactive: Interactive;
   * declare const add: TaskDefinition;
   * const task = await interactive.register(add);
   * console.log(task.id.version);
   * ```
   */
  async register(
    def: TaskDefinition | WorkflowDefinition,
    options: InteractiveOptions = {},
  ): Promise<RemoteTask> {
    if (def.kind === "workflow") {
      throw new FlyteInvalidInputError(
        `workflow ${def.name}: interactive workflows need the sdk's compileWorkflow`,
      );
    }
    const r = await this.registerTasks([def], options);
    return r.tasks[0].task;
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
    def: TaskDefinition | WorkflowDefinition,
    inputs: Record<string, unknown> = {},
    options: ExecuteOptions & InteractiveOptions = {},
  ): Promise<RemoteExecution<O>> {
    const entity = await this.register(def, options);
    return await this.#host.executions.execute<O>(entity, inputs, options);
  }
}
