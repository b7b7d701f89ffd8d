/**
 * Projects, tasks, workflows, launch plans and named entities: the
 * registration half of AdminService.
 *
 * @module
 */
import {
  create,
  equals,
  fromBinary,
  type Message,
  toBinary,
} from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { ServiceImpl } from "@connectrpc/connect";
import { createHash } from "node:crypto";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type Project,
  Project_ProjectState,
  ProjectSchema,
} from "@flyteidl/admin/project_pb.ts";
import {
  type Task,
  TaskSchema,
  TaskSpecSchema,
} from "@flyteidl/admin/task_pb.ts";
import {
  type Workflow,
  WorkflowSchema,
  WorkflowSpecSchema,
} from "@flyteidl/admin/workflow_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanClosureSchema,
  LaunchPlanSchema,
  LaunchPlanSpecSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import {
  type NamedEntity,
  NamedEntityIdentifierSchema,
  NamedEntitySchema,
  NamedEntityState,
  Sort_Direction,
} from "@flyteidl/admin/common_pb.ts";
import {
  type DescriptionEntity,
  DescriptionEntitySchema,
} from "@flyteidl/admin/description_entity_pb.ts";
import {
  type TypedInterface,
  TypedInterfaceSchema,
  VariableMapSchema,
} from "@flyteidl/core/interface_pb.ts";
import {
  type CompiledTask,
  CompiledWorkflowClosureSchema,
} from "@flyteidl/core/compiler_pb.ts";
import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import type { Row } from "../store/db.ts";
import { buildList, type Columns, nextToken } from "../store/query.ts";
import {
  type AdminContext,
  checkIdentifier,
  checkProjectDomain,
  idKey,
  listPage,
  now,
} from "./context.ts";
import { alreadyExists, invalidArgument, missing, notFound } from "./errors.ts";

type Impl = Partial<ServiceImpl<typeof AdminService>>;

const VERSIONED_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  version: { col: "version", kind: "text" },
  created_at: { col: "created_at", kind: "time" },
};

const LP_COLUMNS: Columns = {
  ...VERSIONED_COLUMNS,
  updated_at: { col: "updated_at", kind: "time" },
  state: {
    col: "state",
    kind: "enum",
    values: LaunchPlanState as unknown as Record<string, number>,
  },
  "workflow.name": { col: "workflow_name", kind: "text" },
  schedule_type: { col: "schedule_type", kind: "text" },
};

const NAMED_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  state: {
    col: "state",
    kind: "enum",
    values: NamedEntityState as unknown as Record<string, number>,
  },
};

const PROJECT_COLUMNS: Columns = {
  identifier: { col: "id", kind: "text" },
  id: { col: "id", kind: "text" },
  name: { col: "name", kind: "text" },
  state: {
    col: "state",
    kind: "enum",
    values: Project_ProjectState as unknown as Record<string, number>,
  },
  created_at: { col: "created_at", kind: "time" },
};

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Names the top-level fields that differ between two messages of one type. */
function diffFields<T extends Message>(
  schema: GenMessage<T>,
  a: T,
  b: T,
): string {
  const out: string[] = [];
  for (const f of schema.fields) {
    const x = (a as Record<string, unknown>)[f.localName];
    const y = (b as Record<string, unknown>)[f.localName];
    const same = JSON.stringify(x, (_k, v) =>
      typeof v === "bigint" ? v.toString() : v) === JSON.stringify(y, (_k, v) =>
        typeof v === "bigint" ? v.toString() : v);
    if (!same) out.push(f.name);
  }
  return out.length ? out.join(", ") : "(unknown)";
}

function rowId(id: Identifier): [string, string, string, string] {
  return [id.project, id.domain, id.name, id.version];
}

/** Registers a named entity row if absent (state ACTIVE, empty description). */
export function touchNamedEntity(
  ctx: AdminContext,
  type: ResourceType,
  id: { project: string; domain: string; name: string },
): void {
  ctx.db.run(
    "INSERT OR IGNORE INTO named_entities VALUES (?,?,?,?,0,'')",
    type,
    id.project,
    id.domain,
    id.name,
  );
}

/**
 * Stores the description entity a registration carries (FlyteAdmin keeps
 * it beside the entity, keyed by the entity's id; a second one is ignored).
 */
function saveDescription(
  ctx: AdminContext,
  id: Identifier,
  description: DescriptionEntity | undefined,
  createdAt: string,
): void {
  if (!description) return;
  const d = create(DescriptionEntitySchema, { ...description, id });
  ctx.db.run(
    "INSERT OR IGNORE INTO description_entities VALUES (?,?,?,?,?,?,?)",
    id.resourceType,
    ...rowId(id),
    createdAt,
    toBinary(DescriptionEntitySchema, d),
  );
}

/** Loads a task by id; NOT_FOUND if absent. */
export function getTask(ctx: AdminContext, id: Identifier): Task {
  const row = ctx.db.get(
    "SELECT data FROM tasks WHERE project=? AND domain=? AND name=? AND version=?",
    ...rowId(id),
  );
  if (!row) throw notFound("task", idKey(id));
  return fromBinary(TaskSchema, row.data as Uint8Array);
}

/** Loads a workflow by id; NOT_FOUND if absent. */
export function getWorkflow(ctx: AdminContext, id: Identifier): Workflow {
  const row = ctx.db.get(
    "SELECT data FROM workflows WHERE project=? AND domain=? AND name=? AND version=?",
    ...rowId(id),
  );
  if (!row) throw notFound("workflow", idKey(id));
  return fromBinary(WorkflowSchema, row.data as Uint8Array);
}

/** Loads a launch plan by id; NOT_FOUND if absent. */
export function getLaunchPlan(ctx: AdminContext, id: Identifier): LaunchPlan {
  const row = ctx.db.get(
    "SELECT data FROM launch_plans WHERE project=? AND domain=? AND name=? AND version=?",
    ...rowId(id),
  );
  if (!row) throw notFound("launch plan", idKey(id));
  return fromBinary(LaunchPlanSchema, row.data as Uint8Array);
}

/** Interface of a launch plan as the compiler sees it (expected inputs + outputs). */
export function launchPlanInterface(lp: LaunchPlan): TypedInterface {
  const inputs = create(VariableMapSchema, {});
  for (
    const [k, p] of Object.entries(lp.closure?.expectedInputs?.parameters ?? {})
  ) {
    if (p.var) inputs.variables[k] = p.var;
  }
  return create(TypedInterfaceSchema, {
    inputs,
    outputs: lp.closure?.expectedOutputs ??
      create(VariableMapSchema, {}),
  });
}

function compileErrorToStatus(ctx: AdminContext, e: unknown, what: string) {
  if (ctx.compiler.isCompileError(e)) {
    const where = [
      e.nodeId ? `node [${e.nodeId}]` : "",
      e.variable ? `variable [${e.variable}]` : "",
    ].filter(Boolean).join(" ");
    return invalidArgument(
      `failed to compile ${what}${where ? ` at ${where}` : ""}: ${e.message}`,
    );
  }
  return e;
}

function registerVersioned(
  ctx: AdminContext,
  table: "tasks" | "workflows",
  kind: string,
  id: Identifier,
  specBytes: Uint8Array,
  existingSpec: (row: Row) => { same: boolean; diff: string },
  insert: () => void,
): void {
  const existing = ctx.db.get(
    `SELECT digest, data FROM ${table} WHERE project=? AND domain=? AND name=? AND version=?`,
    ...rowId(id),
  );
  if (existing) {
    if (existing.digest === digest(specBytes)) {
      throw alreadyExists(
        `${kind} with identical structure already exists: ${idKey(id)}`,
      );
    }
    const { same, diff } = existingSpec(existing);
    if (same) {
      throw alreadyExists(
        `${kind} with identical structure already exists: ${idKey(id)}`,
      );
    }
    throw invalidArgument(
      `${kind} with different structure already exists: ${
        idKey(id)
      } (differs in ${diff})`,
    );
  }
  insert();
}

/** Builds the registration RPCs of AdminService. */
export function entityService(ctx: AdminContext): Impl {
  const db = ctx.db;

  function listVersioned<T extends Message>(
    table: string,
    schema: GenMessage<T>,
    kind: string,
    req: {
      id?: { project: string; domain: string; name: string };
      limit: number;
      token: string;
      filters: string;
      sortBy?: { key: string; direction: Sort_Direction };
    },
    columns: Columns,
    extraWhere: string[] = [],
    extraParams: string[] = [],
  ): { items: T[]; token: string } {
    if (!req.id) throw missing("id");
    checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
    const where = ["project = ?", "domain = ?", ...extraWhere];
    const params: string[] = [req.id.project, req.id.domain, ...extraParams];
    if (req.id.name) {
      where.push("name = ?");
      params.push(req.id.name);
    }
    const q = buildList(
      table,
      where,
      params,
      req,
      columns,
      kind,
      "created_at",
    );
    return listPage(db, q, schema);
  }

  function listIds(
    table: string,
    req: {
      project: string;
      domain: string;
      limit: number;
      token: string;
      filters: string;
      sortBy?: { key: string; direction: Sort_Direction };
    },
  ) {
    checkProjectDomain(ctx, req.project, req.domain, "");
    const q = buildList(
      `(SELECT project, domain, name, MAX(created_at) AS created_at FROM ${table} WHERE project = ? AND domain = ? GROUP BY name)`,
      [],
      [req.project, req.domain],
      req.sortBy?.key ? req : { ...req, sortBy: { key: "name", direction: 1 } },
      {
        project: VERSIONED_COLUMNS.project,
        domain: VERSIONED_COLUMNS.domain,
        name: VERSIONED_COLUMNS.name,
        created_at: VERSIONED_COLUMNS.created_at,
      },
      "entity",
      "name",
      "project, domain, name",
      "name",
    );
    const rows = db.all(q.sql, ...q.params);
    return {
      entities: rows.map((r) =>
        create(NamedEntityIdentifierSchema, {
          project: r.project as string,
          domain: r.domain as string,
          name: r.name as string,
        })
      ),
      token: nextToken(q.offset, q.limit, rows.length),
    };
  }

  function project(id: string): Project {
    const row = db.get("SELECT data FROM projects WHERE id = ?", id);
    if (!row) throw notFound("project", id);
    return fromBinary(ProjectSchema, row.data as Uint8Array);
  }

  function withDomains(p: Project): Project {
    p.domains = ctx.domains.map((d) => ({
      $typeName: "flyteidl.admin.Domain",
      id: d,
      name: d,
    }));
    return p;
  }

  return {
    // ---- projects ------------------------------------------------------
    registerProject(req) {
      const p = req.project;
      if (!p) throw missing("project");
      if (!p.id) throw missing("project.id");
      if (!p.name) throw missing("project.name");
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.id) || p.id.length > 63) {
        throw invalidArgument(
          `invalid project.id [${p.id}]: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`,
        );
      }
      if (p.domains.length) {
        throw invalidArgument(
          "project.domains must be empty: domains are configured by the server",
        );
      }
      db.tx(() => {
        if (db.get("SELECT 1 FROM projects WHERE id = ?", p.id)) {
          throw alreadyExists(`project [${p.id}] already exists`);
        }
        const stored = create(ProjectSchema, { ...p, domains: [] });
        db.run(
          "INSERT INTO projects VALUES (?,?,?,?,?)",
          p.id,
          p.name,
          p.state,
          now().iso,
          toBinary(ProjectSchema, stored),
        );
      });
      return {};
    },
    updateProject(req) {
      if (!req.id) throw missing("id");
      db.tx(() => {
        const old = project(req.id);
        const next = create(ProjectSchema, {
          ...old,
          name: req.name || old.name,
          description: req.description,
          labels: req.labels,
          state: req.state,
          domains: [],
        });
        db.run(
          "UPDATE projects SET name=?, state=?, data=? WHERE id=?",
          next.name,
          next.state,
          toBinary(ProjectSchema, next),
          req.id,
        );
      });
      return {};
    },
    getProject(req) {
      if (!req.id) throw missing("id");
      return withDomains(project(req.id));
    },
    listProjects(req) {
      const q = buildList(
        "projects",
        [],
        [],
        {
          ...req,
          limit: req.limit || 100,
          sortBy: req.sortBy ?? { key: "identifier", direction: 1 },
        },
        PROJECT_COLUMNS,
        "project",
        "created_at",
      );
      const page = listPage(db, q, ProjectSchema);
      return { projects: page.items.map(withDomains), token: page.token };
    },
    getDomains() {
      return {
        domains: ctx.domains.map((d) => ({ id: d, name: d })),
      };
    },

    // ---- tasks -----------------------------------------------------------
    createTask(req) {
      checkIdentifier(ctx, req.id, ResourceType.TASK, "id");
      const id = create(IdentifierSchema, {
        ...req.id,
        resourceType: ResourceType.TASK,
      });
      if (!req.spec) throw missing("spec");
      const template = req.spec.template;
      if (!template) throw missing("spec.template");
      if (!template.type) throw missing("spec.template.type");
      let compiled: CompiledTask;
      try {
        compiled = ctx.compiler.compileTask(template);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `task ${idKey(id)}`);
      }
      const specBytes = toBinary(TaskSpecSchema, req.spec);
      db.tx(() =>
        registerVersioned(ctx, "tasks", "task", id, specBytes, (row) => {
          const old = fromBinary(TaskSchema, row.data as Uint8Array);
          const oldSpec = create(TaskSpecSchema, {
            template: old.closure?.compiledTask?.template,
            description: req.spec?.description,
          });
          const newSpec = create(TaskSpecSchema, {
            template,
            description: req.spec?.description,
          });
          return {
            same: equals(TaskSpecSchema, oldSpec, newSpec),
            diff: `spec.template: ${
              diffFields(
                TaskTemplateSchema,
                oldSpec.template ?? create(TaskTemplateSchema),
                newSpec.template ?? create(TaskTemplateSchema),
              )
            }`,
          };
        }, () => {
          const t = now();
          const task = create(TaskSchema, {
            id,
            closure: { compiledTask: compiled, createdAt: t.ts },
            shortDescription: req.spec?.description?.shortDescription ?? "",
          });
          db.run(
            "INSERT INTO tasks VALUES (?,?,?,?,?,?,?)",
            ...rowId(id),
            t.iso,
            digest(specBytes),
            toBinary(TaskSchema, task),
          );
          touchNamedEntity(ctx, ResourceType.TASK, id);
          saveDescription(ctx, id, req.spec?.description, t.iso);
        })
      );
      return {};
    },
    getTask(req) {
      checkIdentifier(ctx, req.id, ResourceType.TASK, "id");
      return getTask(ctx, req.id);
    },
    listTasks(req) {
      const r = listVersioned(
        "tasks",
        TaskSchema,
        "task",
        req,
        VERSIONED_COLUMNS,
      );
      return { tasks: r.items, token: r.token };
    },
    listTaskIds(req) {
      return listIds("tasks", req);
    },

    // ---- workflows -------------------------------------------------------
    createWorkflow(req) {
      checkIdentifier(ctx, req.id, ResourceType.WORKFLOW, "id");
      const id = create(IdentifierSchema, {
        ...req.id,
        resourceType: ResourceType.WORKFLOW,
      });
      if (!req.spec) throw missing("spec");
      const template = req.spec.template;
      if (!template) throw missing("spec.template");
      const subs = req.spec.subWorkflows;
      let reqs;
      try {
        reqs = ctx.compiler.workflowRequirements(template, subs);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `workflow ${idKey(id)}`);
      }
      const tasks = reqs.taskIds.map((tid) =>
        getTask(ctx, tid).closure!.compiledTask!
      );
      const lps = reqs.launchPlanIds.map((lid) => {
        const lp = getLaunchPlan(ctx, lid);
        return {
          id: lid,
          interface: launchPlanInterface(lp),
          fixedInputs: lp.spec?.fixedInputs,
          defaultInputs: lp.spec?.defaultInputs,
          expectedInputs: lp.closure?.expectedInputs,
          expectedOutputs: lp.closure?.expectedOutputs,
        };
      });
      let compiled;
      try {
        compiled = ctx.compiler.compileWorkflow(template, subs, tasks, lps);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `workflow ${idKey(id)}`);
      }
      const specBytes = toBinary(WorkflowSpecSchema, req.spec);
      db.tx(() =>
        registerVersioned(
          ctx,
          "workflows",
          "workflow",
          id,
          specBytes,
          (row) => {
            const old = fromBinary(WorkflowSchema, row.data as Uint8Array);
            const same = old.closure?.compiledWorkflow !== undefined &&
              equals(
                CompiledWorkflowClosureSchema,
                old.closure.compiledWorkflow,
                compiled,
              );
            const before = old.closure?.compiledWorkflow?.primary?.template ??
              create(WorkflowTemplateSchema);
            const after = compiled.primary?.template ??
              create(WorkflowTemplateSchema);
            const fields = diffFields(WorkflowTemplateSchema, before, after);
            return {
              same,
              diff: fields === "(unknown)"
                ? "spec.sub_workflows or referenced entities"
                : `spec.template: ${fields}`,
            };
          },
          () => {
            const t = now();
            const wf = create(WorkflowSchema, {
              id,
              closure: { compiledWorkflow: compiled, createdAt: t.ts },
              shortDescription: req.spec?.description?.shortDescription ??
                "",
            });
            db.run(
              "INSERT INTO workflows VALUES (?,?,?,?,?,?,?)",
              ...rowId(id),
              t.iso,
              digest(specBytes),
              toBinary(WorkflowSchema, wf),
            );
            touchNamedEntity(ctx, ResourceType.WORKFLOW, id);
            saveDescription(ctx, id, req.spec?.description, t.iso);
          },
        )
      );
      return {};
    },
    getWorkflow(req) {
      checkIdentifier(ctx, req.id, ResourceType.WORKFLOW, "id");
      return getWorkflow(ctx, req.id);
    },
    listWorkflows(req) {
      const r = listVersioned(
        "workflows",
        WorkflowSchema,
        "workflow",
        req,
        VERSIONED_COLUMNS,
      );
      return { workflows: r.items, token: r.token };
    },
    listWorkflowIds(req) {
      return listIds("workflows", req);
    },

    // ---- launch plans ----------------------------------------------------
    createLaunchPlan(req) {
      checkIdentifier(ctx, req.id, ResourceType.LAUNCH_PLAN, "id");
      const id = create(IdentifierSchema, {
        ...req.id,
        resourceType: ResourceType.LAUNCH_PLAN,
      });
      const spec = req.spec;
      if (!spec) throw missing("spec");
      checkIdentifier(
        ctx,
        spec.workflowId,
        ResourceType.WORKFLOW,
        "spec.workflow_id",
      );
      const schedule = spec.entityMetadata?.schedule;
      if (schedule?.ScheduleExpression.case === "cronExpression") {
        throw invalidArgument(
          "spec.entity_metadata.schedule.cron_expression is deprecated; use cron_schedule",
        );
      }
      const wf = getWorkflow(ctx, spec.workflowId);
      const wfInterface = wf.closure?.compiledWorkflow?.primary?.template
        ?.interface;
      let expected;
      try {
        expected = ctx.compiler.launchPlanExpectedInputs(
          wfInterface?.inputs,
          spec.fixedInputs,
          spec.defaultInputs,
        );
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `launch plan ${idKey(id)}`);
      }
      const specBytes = toBinary(LaunchPlanSpecSchema, spec);
      db.tx(() => {
        const existing = db.get(
          "SELECT digest, data FROM launch_plans WHERE project=? AND domain=? AND name=? AND version=?",
          ...rowId(id),
        );
        if (existing) {
          const old = fromBinary(LaunchPlanSchema, existing.data as Uint8Array);
          if (
            existing.digest === digest(specBytes) ||
            equals(LaunchPlanSpecSchema, old.spec!, spec)
          ) {
            throw alreadyExists(
              `launch plan with identical structure already exists: ${
                idKey(id)
              }`,
            );
          }
          throw invalidArgument(
            `launch plan with different structure already exists: ${
              idKey(id)
            } (differs in ${
              diffFields(LaunchPlanSpecSchema, old.spec!, spec)
            })`,
          );
        }
        const t = now();
        const lp = create(LaunchPlanSchema, {
          id,
          spec,
          closure: {
            state: LaunchPlanState.INACTIVE,
            expectedInputs: expected,
            expectedOutputs: wfInterface?.outputs ??
              create(VariableMapSchema, {}),
            createdAt: t.ts,
            updatedAt: t.ts,
          },
        });
        const scheduleType = schedule?.ScheduleExpression.case === "rate"
          ? "RATE"
          : schedule?.ScheduleExpression.case === "cronSchedule"
          ? "CRON"
          : "NONE";
        db.run(
          "INSERT INTO launch_plans VALUES (?,?,?,?,?,?,?,?,?,?,?)",
          ...rowId(id),
          t.iso,
          t.iso,
          digest(specBytes),
          LaunchPlanState.INACTIVE,
          spec.workflowId!.name,
          scheduleType,
          toBinary(LaunchPlanSchema, lp),
        );
        touchNamedEntity(ctx, ResourceType.LAUNCH_PLAN, id);
      });
      return {};
    },
    getLaunchPlan(req) {
      checkIdentifier(ctx, req.id, ResourceType.LAUNCH_PLAN, "id");
      return getLaunchPlan(ctx, req.id);
    },
    listLaunchPlans(req) {
      const r = listVersioned(
        "launch_plans",
        LaunchPlanSchema,
        "launch_plan",
        req,
        LP_COLUMNS,
      );
      return { launchPlans: r.items, token: r.token };
    },
    listLaunchPlanIds(req) {
      return listIds("launch_plans", req);
    },
    updateLaunchPlan(req) {
      checkIdentifier(ctx, req.id, ResourceType.LAUNCH_PLAN, "id");
      const id = req.id;
      if (
        req.state !== LaunchPlanState.ACTIVE &&
        req.state !== LaunchPlanState.INACTIVE
      ) {
        throw invalidArgument(`invalid state [${req.state}]`);
      }
      db.tx(() => {
        const lp = getLaunchPlan(ctx, id);
        const t = now();
        const put = (l: LaunchPlan, state: LaunchPlanState) => {
          l.closure = create(LaunchPlanClosureSchema, {
            ...l.closure,
            state,
            updatedAt: t.ts,
          });
          db.run(
            "UPDATE launch_plans SET state=?, updated_at=?, data=? WHERE project=? AND domain=? AND name=? AND version=?",
            state,
            t.iso,
            toBinary(LaunchPlanSchema, l),
            ...rowId(l.id!),
          );
        };
        if (req.state === LaunchPlanState.ACTIVE) {
          const others = db.all(
            "SELECT data FROM launch_plans WHERE project=? AND domain=? AND name=? AND state=? AND version<>?",
            id.project,
            id.domain,
            id.name,
            LaunchPlanState.ACTIVE,
            id.version,
          );
          for (const o of others) {
            put(
              fromBinary(LaunchPlanSchema, o.data as Uint8Array),
              LaunchPlanState.INACTIVE,
            );
          }
        }
        put(lp, req.state);
      });
      return {};
    },
    getActiveLaunchPlan(req) {
      if (!req.id) throw missing("id");
      checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
      if (!req.id.name) throw missing("id.name");
      const row = db.get(
        "SELECT data FROM launch_plans WHERE project=? AND domain=? AND name=? AND state=?",
        req.id.project,
        req.id.domain,
        req.id.name,
        LaunchPlanState.ACTIVE,
      );
      if (!row) {
        throw notFound(
          "active launch plan",
          idKey({ ...req.id }),
        );
      }
      return fromBinary(LaunchPlanSchema, row.data as Uint8Array);
    },
    listActiveLaunchPlans(req) {
      const r = listVersioned(
        "launch_plans",
        LaunchPlanSchema,
        "launch_plan",
        {
          id: { project: req.project, domain: req.domain, name: "" },
          limit: req.limit,
          token: req.token,
          filters: "",
          sortBy: req.sortBy,
        },
        LP_COLUMNS,
        ["state = ?"],
        [String(LaunchPlanState.ACTIVE)],
      );
      return { launchPlans: r.items, token: r.token };
    },

    // ---- description entities ------------------------------------------
    getDescriptionEntity(req) {
      if (!req.id) throw missing("id");
      if (
        req.id.resourceType !== ResourceType.TASK &&
        req.id.resourceType !== ResourceType.WORKFLOW
      ) {
        throw invalidArgument(
          `id.resource_type must be TASK or WORKFLOW, got ${
            ResourceType[req.id.resourceType]
          }`,
        );
      }
      checkIdentifier(ctx, req.id, req.id.resourceType, "id");
      const row = db.get(
        "SELECT data FROM description_entities WHERE resource_type=? AND project=? AND domain=? AND name=? AND version=?",
        req.id.resourceType,
        ...rowId(req.id),
      );
      if (!row) throw notFound("description entity", idKey(req.id));
      return fromBinary(DescriptionEntitySchema, row.data as Uint8Array);
    },
    listDescriptionEntities(req) {
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      const r = listVersioned(
        "description_entities",
        DescriptionEntitySchema,
        "description_entity",
        req,
        VERSIONED_COLUMNS,
        ["resource_type = ?"],
        [String(req.resourceType)],
      );
      return { descriptionEntities: r.items, token: r.token };
    },

    // ---- named entities --------------------------------------------------
    listNamedEntities(req) {
      checkProjectDomain(ctx, req.project, req.domain, "");
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      const q = buildList(
        "named_entities",
        ["resource_type = ?", "project = ?", "domain = ?"],
        [req.resourceType, req.project, req.domain],
        {
          ...req,
          sortBy: req.sortBy?.key
            ? req.sortBy
            : { key: "name", direction: Sort_Direction.ASCENDING },
        },
        NAMED_COLUMNS,
        "named_entity",
        "name",
        "resource_type, project, domain, name, state, description",
      );
      const rows = db.all(q.sql, ...q.params);
      return {
        entities: rows.map((r) => namedEntityOf(r)),
        token: nextToken(q.offset, q.limit, rows.length),
      };
    },
    getNamedEntity(req) {
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      if (!req.id) throw missing("id");
      checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
      if (!req.id.name) throw missing("id.name");
      const row = db.get(
        "SELECT * FROM named_entities WHERE resource_type=? AND project=? AND domain=? AND name=?",
        req.resourceType,
        req.id.project,
        req.id.domain,
        req.id.name,
      );
      if (!row) {
        throw notFound(
          `${ResourceType[req.resourceType].toLowerCase()} named entity`,
          idKey(req.id),
        );
      }
      return namedEntityOf(row);
    },
    updateNamedEntity(req) {
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      if (!req.id) throw missing("id");
      checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
      if (!req.id.name) throw missing("id.name");
      const id = req.id;
      db.tx(() => {
        const exists = db.get(
          "SELECT 1 FROM named_entities WHERE resource_type=? AND project=? AND domain=? AND name=?",
          req.resourceType,
          id.project,
          id.domain,
          id.name,
        );
        if (!exists) {
          throw notFound(
            `${ResourceType[req.resourceType].toLowerCase()} named entity`,
            idKey(id),
          );
        }
        db.run(
          "UPDATE named_entities SET state=?, description=? WHERE resource_type=? AND project=? AND domain=? AND name=?",
          req.metadata?.state ?? 0,
          req.metadata?.description ?? "",
          req.resourceType,
          id.project,
          id.domain,
          id.name,
        );
      });
      return {};
    },
  };
}

function namedEntityOf(r: Row): NamedEntity {
  return create(NamedEntitySchema, {
    resourceType: r.resource_type as number,
    id: {
      project: r.project as string,
      domain: r.domain as string,
      name: r.name as string,
    },
    metadata: {
      description: r.description as string,
      state: r.state as number,
    },
  });
}
