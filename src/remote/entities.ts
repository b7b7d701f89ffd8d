/**
 * Entities: fetch, list, register and (de)activate tasks, workflows and
 * launch plans. Each fetch is one admin call (version "latest" is one list
 * call more); fetched launch plans keep their default inputs.
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Sort_Direction, SortSchema } from "@flyteidl/admin/common_pb.ts";
import type { Domain, Project } from "@flyteidl/admin/project_pb.ts";
import {
  type LaunchPlanSpecSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import type { TaskSpecSchema } from "@flyteidl/admin/task_pb.ts";
import type { WorkflowSpecSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  type Identifier,
  type IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import type { RemoteContext } from "./context.ts";
import { consoleUrl } from "./console.ts";
import { type Creator, creatorFor } from "./create.ts";
import { entityId, type EntityKind, formatEntityId } from "./ids.ts";
import { type ListOptions, paginate } from "./paging.ts";
import { RemoteLaunchPlan, RemoteTask, RemoteWorkflow } from "./models.ts";

/**
 * Where to look for an entity. Defaults: the remote's default project and
 * domain; version "latest" (the most recently registered).
 *
 * @example
 * ```ts
 * import type { FetchOptions } from "./entities.ts";
 * const o: FetchOptions = { project: "flytesnacks", version: "v1" };
 * ```
 */
export interface FetchOptions {
  /** Project; default: the remote's defaultProject. */
  project?: string;
  /** Domain; default: the remote's defaultDomain. */
  domain?: string;
  /** Version; default (or "latest"): the most recently registered version. */
  version?: string;
}

/**
 * A fetch deferred until first use: `id` is known now (version resolved on
 * first `get()` when left as latest), the entity is fetched once.
 *
 * @example
 * ```ts
 * import type { Lazy } from "./entities.ts";
 * import type { RemoteTask } from "./models.ts";
 * async function use(l: Lazy<RemoteTask>) { return (await l.get()).inputs; }
 * ```
 */
export interface Lazy<T> {
  /** The requested kind, project, domain, name (and version when given). */
  readonly id: Identifier;
  /** Fetches on first call; later calls return the same promise. */
  get(): Promise<T>;
}

/** Options for listing calls that are scoped to one project and domain.  *
 * @example
 * ```ts
 * import type { ScopedListOptions } from "./entities.ts";
 * const o: ScopedListOptions = { project: "flytesnacks", limit: 20 };
 * ```
 */
export interface ScopedListOptions extends ListOptions {
  /** Project; default: the remote's defaultProject. */
  project?: string;
  /** Domain; default: the remote's defaultDomain. */
  domain?: string;
}

/** Each Entities' create calls (see `creatorOf`). */
const creators = new WeakMap<Entities, Creator>();

/**
 * The entities sub-client (`remote.entities`): `fetchTask`,
 * `fetchWorkflow`, `fetchLaunchPlan` (latest or a version; the facade's
 * fetches are these), their lazy forms, `fetchActiveLaunchPlan`,
 * `listTasksByVersion`, `listProjects`, `getDomains`, `registerTask`,
 * `registerWorkflow`, `registerLaunchPlan` (flyteidl specs) and
 * `activateLaunchPlan` / `deactivateLaunchPlan`.
 *
 * @example
 * ```ts
 * import type { Entities } from "./entities.ts";
 * async function show(e: Entities) {
 *   const lp = await e.fetchLaunchPlan("my.workflow");
 *   console.log(lp.inputs);
 * }
 * ```
 */
export class Entities {
  readonly #ctx: RemoteContext;
  readonly #cache = new Map<string, Promise<unknown>>();
  readonly #create: Creator;

  /** Creates the sub-client over a shared context. */
  constructor(ctx: RemoteContext) {
    this.#ctx = ctx;
    this.#create = creatorFor(ctx);
    creators.set(this, this.#create);
  }

  async #resolveVersion(
    kind: EntityKind,
    name: string,
    options: FetchOptions,
  ): Promise<Identifier> {
    if (!name) throw new FlyteInvalidInputError(`${kind} name is required`);
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    if (options.version && options.version !== "latest") {
      return entityId(kind, project, domain, name, options.version);
    }
    const admin = this.#ctx.services.admin;
    const req = {
      id: { project, domain, name },
      limit: 1,
      sortBy: create(SortSchema, {
        key: "created_at",
        direction: Sort_Direction.DESCENDING,
      }),
    };
    const what = `latest version of ${kind} ${project}/${domain}/${name}`;
    const versions = await this.#ctx.call(what, async () => {
      switch (kind) {
        case "task":
          return (await admin.listTasks(req)).tasks.map((t) => t.id);
        case "workflow":
          return (await admin.listWorkflows(req)).workflows.map((t) => t.id);
        case "launch_plan":
          return (await admin.listLaunchPlans(req)).launchPlans.map((t) =>
            t.id
          );
      }
    });
    const id = versions[0];
    if (!id) {
      throw new FlyteEntityNotExistError(
        `${what}: no ${kind} of that name is registered`,
      );
    }
    return id;
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.#cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.#cache.set(key, p);
      p.catch(() => this.#cache.delete(key));
    }
    return p;
  }

  /** Sets an entity's console link. */
  #linked<T extends RemoteTask | RemoteWorkflow | RemoteLaunchPlan>(x: T): T {
    x.consoleUrl = consoleUrl(this.#ctx.settings.consoleBase, x.id);
    return x;
  }

  /**
   * Gets a task by exact id (cached: a registered version never changes).
   */
  getTaskById(id: Identifier): Promise<RemoteTask> {
    return this.#cached(
      `task:${formatEntityId(id)}`,
      async () =>
        this.#linked(
          new RemoteTask(
            await this.#ctx.call(`fetch ${formatEntityId(id)}`, () =>
              this.#ctx.services.admin.getTask({
                id: { ...id, resourceType: ResourceType.TASK },
              })),
          ),
        ),
    );
  }

  /** Gets a workflow by exact id (cached). */
  getWorkflowById(id: Identifier): Promise<RemoteWorkflow> {
    return this.#cached(
      `workflow:${formatEntityId(id)}`,
      async () =>
        this.#linked(
          new RemoteWorkflow(
            await this.#ctx.call(`fetch ${formatEntityId(id)}`, () =>
              this.#ctx.services.admin.getWorkflow({
                id: { ...id, resourceType: ResourceType.WORKFLOW },
              })),
          ),
        ),
    );
  }

  /** Gets a launch plan by exact id (not cached: its state can change). */
  async getLaunchPlanById(id: Identifier): Promise<RemoteLaunchPlan> {
    return this.#linked(
      new RemoteLaunchPlan(
        await this.#ctx.call(
          `fetch ${formatEntityId(id)}`,
          () =>
            this.#ctx.services.admin.getLaunchPlan({
              id: { ...id, resourceType: ResourceType.LAUNCH_PLAN },
            }),
        ),
      ),
    );
  }

  /**
   * Fetches a task; version defaults to the latest.
   *
   * @example
   * ```ts
   * import type { Entities } from "./entities.ts";
   * declare const e: Entities;
   * const t = await e.fetchTask("my.tasks.add", { version: "v1" });
   * ```
   */
  async fetchTask(
    name: string,
    options: FetchOptions = {},
  ): Promise<RemoteTask> {
    return this.getTaskById(await this.#resolveVersion("task", name, options));
  }

  /** Fetches a workflow; version defaults to the latest. */
  async fetchWorkflow(
    name: string,
    options: FetchOptions = {},
  ): Promise<RemoteWorkflow> {
    return this.getWorkflowById(
      await this.#resolveVersion("workflow", name, options),
    );
  }

  /** Fetches a launch plan; version defaults to the latest. */
  async fetchLaunchPlan(
    name: string,
    options: FetchOptions = {},
  ): Promise<RemoteLaunchPlan> {
    return this.getLaunchPlanById(
      await this.#resolveVersion("launch_plan", name, options),
    );
  }

  #lazy<T>(
    kind: EntityKind,
    name: string,
    options: FetchOptions,
    fetch: () => Promise<T>,
  ): Lazy<T> {
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    let promise: Promise<T> | undefined;
    return {
      id: entityId(kind, project, domain, name, options.version ?? ""),
      get: () => promise ??= fetch(),
    };
  }

  /** A task fetched on first use. */
  fetchTaskLazy(name: string, options: FetchOptions = {}): Lazy<RemoteTask> {
    return this.#lazy(
      "task",
      name,
      options,
      () => this.fetchTask(name, options),
    );
  }

  /** A workflow fetched on first use. */
  fetchWorkflowLazy(
    name: string,
    options: FetchOptions = {},
  ): Lazy<RemoteWorkflow> {
    return this.#lazy(
      "workflow",
      name,
      options,
      () => this.fetchWorkflow(name, options),
    );
  }

  /**
   * The active version of a launch plan, or undefined when none is active
   * (or the name is unknown).
   */
  async fetchActiveLaunchPlan(
    name: string,
    options: Omit<FetchOptions, "version"> = {},
  ): Promise<RemoteLaunchPlan | undefined> {
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    try {
      return this.#linked(
        new RemoteLaunchPlan(
          await this.#ctx.call(
            `active launch plan ${project}/${domain}/${name}`,
            () =>
              this.#ctx.services.admin.getActiveLaunchPlan({
                id: { project, domain, name },
              }),
          ),
        ),
      );
    } catch (e) {
      if (e instanceof FlyteEntityNotExistError) return undefined;
      throw e;
    }
  }

  async #setState(
    target: RemoteLaunchPlan | Identifier | string,
    state: LaunchPlanState,
    options: FetchOptions,
  ): Promise<void> {
    const id = typeof target === "string"
      ? await this.#resolveVersion("launch_plan", target, options)
      : "kind" in target
      ? target.id
      : target;
    await this.#ctx.call(
      `${state === LaunchPlanState.ACTIVE ? "activate" : "deactivate"} ${
        formatEntityId(id)
      }`,
      () =>
        this.#ctx.services.admin.updateLaunchPlan({
          id: { ...id, resourceType: ResourceType.LAUNCH_PLAN },
          state,
        }),
    );
  }

  /** Activates a launch plan version (its schedule starts running). */
  activateLaunchPlan(
    target: RemoteLaunchPlan | Identifier | string,
    options: FetchOptions = {},
  ): Promise<void> {
    return this.#setState(target, LaunchPlanState.ACTIVE, options);
  }

  /** Deactivates a launch plan version. */
  deactivateLaunchPlan(
    target: RemoteLaunchPlan | Identifier | string,
    options: FetchOptions = {},
  ): Promise<void> {
    return this.#setState(target, LaunchPlanState.INACTIVE, options);
  }

  /**
   * Every task registered with `version` in a project/domain, paging for you.
   *
   * @example
   * ```ts
   * import type { Entities } from "./entities.ts";
   * declare const e: Entities;
   * for await (const t of e.listTasksByVersion("v1", { limit: 10 })) console.log(t.id.name);
   * ```
   */
  listTasksByVersion(
    version: string,
    options: ScopedListOptions = {},
  ): AsyncGenerator<RemoteTask, void, undefined> {
    const { project, domain } = this.#ctx.scope(
      options.project,
      options.domain,
    );
    return paginate(async (token, limit) => {
      const r = await this.#ctx.call(
        `list tasks of version ${version} in ${project}/${domain}`,
        () =>
          this.#ctx.services.admin.listTasks({
            id: { project, domain },
            limit,
            token,
            filters: `eq(version,${version})`,
            sortBy: { key: "created_at", direction: Sort_Direction.DESCENDING },
          }, { signal: options.signal }),
      );
      return {
        items: r.tasks.map((t) => this.#linked(new RemoteTask(t))),
        token: r.token,
      };
    }, options);
  }

  /** Every project, paging for you. */
  listProjects(
    options: ListOptions = {},
  ): AsyncGenerator<Project, void, undefined> {
    return paginate(async (token, limit) => {
      const r = await this.#ctx.call(
        "list projects",
        () =>
          this.#ctx.services.admin.listProjects(
            { limit, token },
            { signal: options.signal },
          ),
      );
      return { items: r.projects, token: r.token };
    }, options);
  }

  /** The domains the server knows. */
  async getDomains(): Promise<Domain[]> {
    const r = await this.#ctx.call(
      "get domains",
      () => this.#ctx.services.admin.getDomains({}),
    );
    return r.domains;
  }

  /**
   * Registers a flyteidl task template (its `id` names it). An identical
   * task already registered counts as success; a different one with the same
   * id is a FlyteInvalidInputError carrying the server's diff.
   */
  async registerTask(
    spec: MessageInitShape<typeof TaskSpecSchema>,
  ): Promise<RemoteTask> {
    return this.getTaskById(await this.#create.task(spec));
  }

  /**
   * Registers a flyteidl workflow (template + sub-workflows) and, unless
   * `defaultLaunchPlan` is false, its default launch plan (same id, no
   * defaults beyond the workflow's).
   */
  async registerWorkflow(
    spec: MessageInitShape<typeof WorkflowSpecSchema>,
    options: { defaultLaunchPlan?: boolean } = {},
  ): Promise<RemoteWorkflow> {
    const { id, spec: s } = await this.#create.workflow(spec);
    if (options.defaultLaunchPlan ?? true) {
      await this.#create.launchPlan({
        ...id,
        resourceType: ResourceType.LAUNCH_PLAN,
      }, {
        workflowId: id,
        defaultInputs: {
          parameters: Object.fromEntries(
            Object.entries(s.template?.interface?.inputs?.variables ?? {}).map((
              [k, v],
            ) => [k, { var: v, behavior: { case: "required", value: true } }]),
          ),
        },
      });
    }
    return this.getWorkflowById(id);
  }

  /** Registers a launch plan (its workflow must be registered). */
  async registerLaunchPlan(
    id: MessageInitShape<typeof IdentifierSchema>,
    spec: MessageInitShape<typeof LaunchPlanSpecSchema>,
  ): Promise<RemoteLaunchPlan> {
    return this.getLaunchPlanById(await this.#create.launchPlan(id, spec));
  }
}

/**
 * The create calls of an Entities (src/remote/create.ts), for registration
 * that fetches back only what it returns (src/remote/register.ts). Not part
 * of the public API.
 *
 * @example
 * ```ts
 * import { creatorOf, type Entities } from "./entities.ts";
 * const bound = (e: Entities) => creatorOf(e).concurrency;
 * console.log(bound.length);
 * ```
 */
export function creatorOf(entities: Entities): Creator {
  return creators.get(entities)!;
}
