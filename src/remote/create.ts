/**
 * The create calls behind registration: one CreateTask / CreateWorkflow /
 * CreateLaunchPlan each, with the id checked first, and nothing fetched
 * back. An identical entity already registered (ALREADY_EXISTS) counts as
 * created; a different one under the same id is admin's rejection as a
 * typed error. `Entities.register*` fetch the entity afterwards;
 * src/remote/register.ts fetches only what it returns.
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { LaunchPlanSpecSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { TaskSpecSchema } from "@flyteidl/admin/task_pb.ts";
import {
  type WorkflowSpec,
  WorkflowSpecSchema,
} from "@flyteidl/admin/workflow_pb.ts";
import {
  type Identifier,
  type IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import { identifierProblem } from "../names/mod.ts";
import type { RemoteContext } from "./context.ts";
import { formatEntityId } from "./ids.ts";

/**
 * Creates entities without fetching them back; each method resolves with
 * the full id once admin has it (created now or identical before).
 *
 * @example
 * ```ts
 * import type { Creator } from "./create.ts";
 * async function add(c: Creator, spec: Parameters<Creator["task"]>[0]) {
 *   return (await c.task(spec)).name;
 * }
 * console.log(add.length);
 * ```
 */
export interface Creator {
  /** Most create calls in flight at once (the context's shared limiter). */
  readonly concurrency: number;
  /** CreateTask for a task spec whose template id names it. */
  task(spec: MessageInitShape<typeof TaskSpecSchema>): Promise<Identifier>;
  /** CreateWorkflow for a workflow spec; also gives the spec as sent. */
  workflow(
    spec: MessageInitShape<typeof WorkflowSpecSchema>,
  ): Promise<{ id: Identifier; spec: WorkflowSpec }>;
  /** CreateLaunchPlan (its workflow must be registered). */
  launchPlan(
    id: MessageInitShape<typeof IdentifierSchema>,
    spec: MessageInitShape<typeof LaunchPlanSpecSchema>,
  ): Promise<Identifier>;
}

/**
 * The creator over a context: its calls go through `ctx.call`, so they
 * share the context's limiter with every other fan-out.
 *
 * @example
 * ```ts
 * import { creatorFor } from "./create.ts";
 * import type { RemoteContext } from "./context.ts";
 * const make = (ctx: RemoteContext) => creatorFor(ctx).concurrency;
 * console.log(make.length);
 * ```
 */
export function creatorFor(ctx: RemoteContext): Creator {
  /** One create call; an identical entity already there (ALREADY_EXISTS) is fine. */
  const run = async (
    id: Identifier,
    call: () => Promise<unknown>,
  ): Promise<void> => {
    const what = `register ${formatEntityId(id)}`;
    for (const key of ["project", "domain", "name", "version"] as const) {
      const problem = identifierProblem(`id.${key}`, id[key]);
      if (problem) throw new FlyteInvalidInputError(`${what}: ${problem}`);
    }
    try {
      await ctx.call(what, call);
    } catch (e) {
      if (!(e instanceof FlyteEntityAlreadyExistsError)) throw e;
    }
  };
  return {
    concurrency: ctx.limiter.max,
    async task(spec) {
      const s = create(TaskSpecSchema, spec);
      const id = s.template?.id;
      if (!id?.name || !id.version) {
        throw new FlyteInvalidInputError(
          "registerTask: template.id needs project, domain, name and version",
        );
      }
      // The template's own id too: FlyteAdmin compiles it as it is sent.
      id.resourceType = ResourceType.TASK;
      const full = { ...id, resourceType: ResourceType.TASK } as Identifier;
      await run(
        full,
        () => ctx.services.admin.createTask({ id: full, spec: s }),
      );
      return full;
    },
    async workflow(spec) {
      const s = create(WorkflowSpecSchema, spec);
      const id = s.template?.id;
      if (!id?.name || !id.version) {
        throw new FlyteInvalidInputError(
          "registerWorkflow: template.id needs project, domain, name and version",
        );
      }
      id.resourceType = ResourceType.WORKFLOW;
      const full = { ...id, resourceType: ResourceType.WORKFLOW } as Identifier;
      await run(
        full,
        () => ctx.services.admin.createWorkflow({ id: full, spec: s }),
      );
      return { id: full, spec: s };
    },
    async launchPlan(id, spec) {
      const full = {
        ...id,
        resourceType: ResourceType.LAUNCH_PLAN,
      } as Identifier;
      if (!full.name || !full.version || !full.project || !full.domain) {
        throw new FlyteInvalidInputError(
          "registerLaunchPlan: id needs project, domain, name and version",
        );
      }
      const s = create(LaunchPlanSpecSchema, spec);
      await run(
        full,
        () => ctx.services.admin.createLaunchPlan({ id: full, spec: s }),
      );
      return full;
    },
  };
}
