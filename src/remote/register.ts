/**
 * Registering TypeScript definitions (src/sdk): a task; a workflow with its
 * tasks, sub-workflows, the launch plans it launches and its default launch
 * plan; or a launch plan with its workflow. Entities registered before with
 * an identical spec count as registered; a different spec under the same id
 * is a FlyteEntityAlreadyExistsError that says so.
 *
 * @module
 */
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type { WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import {
  type AnyLaunchPlan,
  type AnyWorkflow,
  compileLaunchPlan,
  compileTask,
  compileWorkflow,
  type CompileWorkflowOptions,
  type TaskDefinition,
} from "../sdk/mod.ts";
import type { Creator } from "./create.ts";
import { creatorOf, type Entities } from "./entities.ts";
import { formatEntityId } from "./ids.ts";
import type { RemoteLaunchPlan, RemoteTask } from "./models.ts";
import { mapConcurrent } from "./pool.ts";

/**
 * A local definition FlyteRemote can register and execute.
 *
 * @example
 * ```ts
 * import type { LocalDefinition } from "./register.ts";
 * const kind = (d: LocalDefinition) => d.kind;
 * console.log(kind.length);
 * ```
 */
export type LocalDefinition = TaskDefinition | AnyWorkflow | AnyLaunchPlan;

/**
 * Options of `register`. `version` is required.
 *
 * @example
 * ```ts
 * import type { RegisterOptions } from "./register.ts";
 * const o: RegisterOptions = { version: "v1", project: "flytesnacks", domain: "development" };
 * console.log(o.version);
 * ```
 */
export interface RegisterOptions
  extends Partial<Omit<CompileWorkflowOptions, "version">> {
  /** The version of every entity (unless `versionOf` says otherwise). */
  version: string;
}

/**
 * What was registered (or found registered identically), in order.
 *
 * @example
 * ```ts
 * import type { Registration } from "./register.ts";
 * const count = (r: Registration) => r.ids.length;
 * console.log(count.length);
 * ```
 */
export interface Registration {
  /** Every entity's id: tasks, sub-workflows, workflows, launch plans. */
  ids: Identifier[];
  /** The registered task (for a task definition). */
  task?: RemoteTask;
  /** The launch plan to execute (a workflow's default one, or the given one). */
  launchPlan?: RemoteLaunchPlan;
}

/**
 * Tells apart a local definition (from src/sdk) from a fetched entity.
 *
 * @example
 * ```ts
 * import { isLocalDefinition } from "./register.ts";
 * console.log(isLocalDefinition({})); // false
 * ```
 */
export function isLocalDefinition(x: unknown): x is LocalDefinition {
  if (typeof x !== "function") return false;
  const k = (x as { kind?: unknown }).kind;
  return k === "task" || k === "workflow" || k === "launchPlan";
}

const DIFFERENT = /different structure/i;

/** Runs a registration; a "different structure" rejection becomes an AlreadyExists error saying so. */
async function once<T>(
  id: Identifier,
  f: () => Promise<T>,
): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (
      (e instanceof FlyteInvalidInputError ||
        e instanceof FlyteEntityAlreadyExistsError) &&
      DIFFERENT.test(`${e.serverMessage} ${e.message}`)
    ) {
      throw new FlyteEntityAlreadyExistsError(
        `${
          formatEntityId(id)
        } is already registered with a different spec; register this definition under a new version (server: ${
          e.serverMessage || e.message
        })`,
        { serverMessage: e.serverMessage, cause: e },
      );
    }
    throw e;
  }
}

/** A DescriptionEntity init from `docs` (first line short, all of it long). */
function description(docs: unknown) {
  if (typeof docs !== "string" || docs === "") return undefined;
  return {
    shortDescription: docs.split("\n")[0].slice(0, 255),
    longDescription: { content: { case: "value" as const, value: docs } },
  };
}

/**
 * One registration's state. Tasks of a workflow go out concurrently
 * (bounded by the context's limiter); everything else waits for what it
 * uses. Entities are created without being fetched back, except what the
 * registration returns (the task, the launch plan).
 */
class Registrar {
  readonly ids: Identifier[] = [];
  readonly done = new Set<string>();
  /** Docs of local definitions by name (for their description entities). */
  readonly docs = new Map<string, unknown>();
  readonly create: Creator;
  constructor(
    readonly entities: Entities,
    readonly options: CompileWorkflowOptions,
  ) {
    this.create = creatorOf(entities);
  }

  /** True the first time `id` is seen (its id is then listed, in order). */
  #first(id: Identifier): boolean {
    const key = `${id.resourceType}/${id.name}/${id.version}`;
    if (this.done.has(key)) return false;
    this.done.add(key);
    this.ids.push(id);
    return true;
  }

  #taskSpec(tpl: TaskTemplate) {
    return {
      template: tpl,
      description: description(this.docs.get(tpl.id!.name)),
    };
  }

  /** A task definition on its own: registered, then fetched (it is returned). */
  async task(tpl: TaskTemplate): Promise<RemoteTask> {
    this.#first(tpl.id!);
    return await once(
      tpl.id!,
      () => this.entities.registerTask(this.#taskSpec(tpl)),
    );
  }

  /** A workflow's tasks, concurrently; resolves once all are registered. */
  async tasks(tpls: TaskTemplate[]): Promise<void> {
    const fresh = tpls.filter((tpl) => this.#first(tpl.id!));
    await mapConcurrent(
      fresh,
      this.create.concurrency,
      (tpl) => once(tpl.id!, () => this.create.task(this.#taskSpec(tpl))),
    );
  }

  async workflowTemplate(
    tpl: WorkflowTemplate,
    subs: WorkflowTemplate[],
  ): Promise<void> {
    if (!this.#first(tpl.id!)) return;
    await once(tpl.id!, () =>
      this.create.workflow({
        template: tpl,
        subWorkflows: subs,
        description: description(this.docs.get(tpl.id!.name)),
      }));
  }

  /** Registers a launch plan; `fetch` also gets it back. */
  async launchPlan(
    lp: AnyLaunchPlan | AnyWorkflow,
    fetch: boolean,
  ): Promise<RemoteLaunchPlan | undefined> {
    const c = compileLaunchPlan(lp, this.options);
    this.#first(c.id);
    await once(c.id, () => this.create.launchPlan(c.id, c.spec));
    return fetch ? await this.entities.getLaunchPlanById(c.id) : undefined;
  }

  /** A workflow and what it needs; `fetch` gets its default launch plan back. */
  async workflow(
    wf: AnyWorkflow,
    fetch: boolean,
  ): Promise<RemoteLaunchPlan | undefined> {
    for (const d of [wf, ...wf.tasks(), ...wf.subWorkflows()]) {
      this.docs.set(d.name, d.options.docs);
    }
    const c = compileWorkflow(wf, this.options);
    await this.tasks(c.tasks);
    for (const lp of c.launchPlans) {
      await this.workflow(lp.workflow as AnyWorkflow, false);
      await this.launchPlan(lp, false);
    }
    // Sub-workflows (innermost first) are registered as workflows of their
    // own too, as pyflyte does; each carries the templates below it.
    for (const [i, sub] of c.subWorkflows.entries()) {
      await this.workflowTemplate(sub, c.subWorkflows.slice(0, i));
    }
    await this.workflowTemplate(c.workflow, c.subWorkflows);
    return this.launchPlan(wf, fetch);
  }
}

/**
 * Registers a local definition and what it needs, in dependency order:
 * tasks, launch plans it launches (with their workflows), sub-workflows,
 * the workflow, its default launch plan. Identical entities already
 * registered are fine; different ones throw FlyteEntityAlreadyExistsError.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task, workflow } from "../sdk/mod.ts";
 * import { FlyteRemote } from "./remote.ts";
 * const hello = task({ name: "flows.hello", inputs: { s: t.string }, outputs: t.string }, ({ s }) => s);
 * const wf = workflow({ name: "flows.wf", inputs: { s: t.string }, outputs: t.string }, ({ s }) => hello({ s }));
 * const remote = await FlyteRemote.forSandbox();
 * const reg = await remote.register(wf, { version: "v1" });
 * console.log(reg.ids.map((id) => id.name));
 * ```
 */
export async function registerDefinition(
  entities: Entities,
  scope: { project: string; domain: string },
  def: LocalDefinition,
  options: RegisterOptions,
): Promise<Registration> {
  if (!options?.version) {
    throw new FlyteInvalidInputError(
      `register ${def.name}: options.version is required`,
    );
  }
  const r = new Registrar(entities, {
    ...options,
    project: scope.project,
    domain: scope.domain,
  });
  if (def.kind === "task") {
    r.docs.set(def.name, def.options.docs);
    const task = await r.task(compileTask(def, {
      ...r.options,
      version: r.options.versionOf?.(def) ?? r.options.version,
      extraArgs: r.options.extraArgsOf?.(def),
    }));
    return { ids: r.ids, task };
  }
  if (def.kind === "workflow") {
    const launchPlan = await r.workflow(def as AnyWorkflow, true);
    return { ids: r.ids, launchPlan };
  }
  await r.workflow(def.workflow as AnyWorkflow, false);
  const launchPlan = await r.launchPlan(def, true);
  return { ids: r.ids, launchPlan };
}
