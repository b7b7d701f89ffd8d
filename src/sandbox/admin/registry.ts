/**
 * What the versioned entity kinds (tasks, workflows, launch plans,
 * description entities) share: their row key and spec digest, loading one
 * version, the "already exists" rule of re-registration, the paged lists of
 * versions and of names, and the compile-error status.
 *
 * @module
 */
import { fromBinary, type Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { createHash } from "node:crypto";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import { type Task, TaskSchema } from "@flyteidl/admin/task_pb.ts";
import { type Workflow, WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanSchema,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { NamedEntityIdentifierSchema } from "@flyteidl/admin/common_pb.ts";
import { create } from "@bufbuild/protobuf";
import type { Row } from "../store/db.ts";
import {
  buildList,
  type Columns,
  type ListParams,
  nextToken,
} from "../store/query.ts";
import {
  type AdminContext,
  checkProjectDomain,
  idKey,
  pagedList,
  sortedBy,
} from "./context.ts";
import { alreadyExists, invalidArgument, missing, notFound } from "./errors.ts";

/**
 * Filterable keys shared by every versioned kind.
 *
 * @example
 * ```ts
 * import { VERSIONED_COLUMNS } from "./registry.ts";
 * VERSIONED_COLUMNS.version.col; // "version"
 * ```
 */
export const VERSIONED_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  version: { col: "version", kind: "text" },
  created_at: { col: "created_at", kind: "time" },
};

/** The tables whose rows are keyed by project, domain, name and version. */
export type VersionedTable = "tasks" | "workflows" | "launch_plans";

/**
 * Hex sha256 of a serialised spec (what a row's `digest` column holds).
 *
 * @example
 * ```ts
 * import { digest } from "./registry.ts";
 * digest(new Uint8Array()).length; // 64
 * ```
 */
export function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The key columns of a versioned row, in table order.
 *
 * @example
 * ```ts
 * import { rowId } from "./registry.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { IdentifierSchema } from "@flyteidl/core/identifier_pb.ts";
 * rowId(create(IdentifierSchema, { project: "p", domain: "d", name: "n", version: "v" }));
 * ```
 */
export function rowId(id: Identifier): [string, string, string, string] {
  return [id.project, id.domain, id.name, id.version];
}

/**
 * Names the top-level fields that differ between two messages of one type
 * (`(unknown)` when none does).
 *
 * @example
 * ```ts
 * import { diffFields } from "./registry.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
 * diffFields(TaskTemplateSchema, create(TaskTemplateSchema, { type: "a" }),
 *   create(TaskTemplateSchema, { type: "b" })); // "type"
 * ```
 */
export function diffFields<T extends Message>(
  schema: GenMessage<T>,
  a: T,
  b: T,
): string {
  const out: string[] = [];
  const json = (v: unknown) =>
    JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x);
  for (const f of schema.fields) {
    const x = (a as Record<string, unknown>)[f.localName];
    const y = (b as Record<string, unknown>)[f.localName];
    if (json(x) !== json(y)) out.push(f.name);
  }
  return out.length ? out.join(", ") : "(unknown)";
}

/**
 * Loads one version of an entity; NOT_FOUND naming `kind` when absent.
 *
 * @example
 * ```ts
 * import { loadVersioned } from "./registry.ts";
 * import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * const task = loadVersioned(ctx, "tasks", "task", TaskSchema, id);
 * ```
 */
export function loadVersioned<T extends Message>(
  ctx: AdminContext,
  table: VersionedTable,
  kind: string,
  schema: GenMessage<T>,
  id: Identifier,
): T {
  const row = ctx.db.get(
    `SELECT data FROM ${table} WHERE project=? AND domain=? AND name=? AND version=?`,
    ...rowId(id),
  );
  if (!row) throw notFound(kind, idKey(id));
  return fromBinary(schema, row.data as Uint8Array);
}

/**
 * Loads a task by id; NOT_FOUND if absent.
 *
 * @example
 * ```ts
 * import { getTask } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * const template = getTask(ctx, id).closure?.compiledTask?.template;
 * ```
 */
export function getTask(ctx: AdminContext, id: Identifier): Task {
  return loadVersioned(ctx, "tasks", "task", TaskSchema, id);
}

/**
 * Loads a workflow by id; NOT_FOUND if absent.
 *
 * @example
 * ```ts
 * import { getWorkflow } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * const closure = getWorkflow(ctx, id).closure?.compiledWorkflow;
 * ```
 */
export function getWorkflow(ctx: AdminContext, id: Identifier): Workflow {
  return loadVersioned(ctx, "workflows", "workflow", WorkflowSchema, id);
}

/**
 * Loads a launch plan by id; NOT_FOUND if absent.
 *
 * @example
 * ```ts
 * import { getLaunchPlan } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * const state = getLaunchPlan(ctx, id).closure?.state;
 * ```
 */
export function getLaunchPlan(ctx: AdminContext, id: Identifier): LaunchPlan {
  return loadVersioned(
    ctx,
    "launch_plans",
    "launch plan",
    LaunchPlanSchema,
    id,
  );
}

/**
 * FlyteAdmin's re-registration rule: a version that exists already is
 * ALREADY_EXISTS when its spec is the same (same digest, or `compare`
 * finds no difference) and INVALID_ARGUMENT naming what differs otherwise.
 * `compare` returns undefined for "the same", else what differs. Call it
 * inside the transaction that then inserts the row.
 *
 * @example
 * ```ts
 * import { assertNewVersion } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * assertNewVersion(ctx, "tasks", "task", id, new Uint8Array(), () => "spec");
 * ```
 */
export function assertNewVersion(
  ctx: AdminContext,
  table: VersionedTable,
  kind: string,
  id: Identifier,
  specBytes: Uint8Array,
  compare: (row: Row) => string | undefined,
): void {
  const existing = ctx.db.get(
    `SELECT digest, data FROM ${table} WHERE project=? AND domain=? AND name=? AND version=?`,
    ...rowId(id),
  );
  if (!existing) return;
  const diff = existing.digest === digest(specBytes)
    ? undefined
    : compare(existing);
  if (diff === undefined) {
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

/**
 * Inserts a task or workflow row (key, created_at, digest, message).
 *
 * @example
 * ```ts
 * import { insertVersionedRow } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * insertVersionedRow(ctx, "tasks", id, new Date().toISOString(), "d", new Uint8Array());
 * ```
 */
export function insertVersionedRow(
  ctx: AdminContext,
  table: "tasks" | "workflows",
  id: Identifier,
  createdAt: string,
  specDigest: string,
  data: Uint8Array,
): void {
  ctx.db.run(
    `INSERT INTO ${table} VALUES (?,?,?,?,?,?,?)`,
    ...rowId(id),
    createdAt,
    specDigest,
    data,
  );
}

/**
 * Turns the compiler's error into INVALID_ARGUMENT naming `what` and where
 * (node, variable); any other error is returned as it is.
 *
 * @example
 * ```ts
 * import { compileErrorToStatus } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * try { ctx.compiler.compileTask({} as never); }
 * catch (e) { throw compileErrorToStatus(ctx, e, "task p/d/t/v"); }
 * ```
 */
export function compileErrorToStatus(
  ctx: AdminContext,
  e: unknown,
  what: string,
): unknown {
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

/** A list request over the versions of one kind (ListTasks and alike). */
export interface VersionedListRequest extends ListParams {
  /** Project and domain (required) and name (optional). */
  id?: { project: string; domain: string; name: string };
}

/**
 * One page of the versions in a project and domain (of one name when the
 * request names it), newest first unless sorted otherwise.
 *
 * @example
 * ```ts
 * import { listVersioned, VERSIONED_COLUMNS } from "./registry.ts";
 * import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const page = listVersioned(ctx, "tasks", TaskSchema, "task", {
 *   id: { project: "p", domain: "development", name: "" },
 *   limit: 10, token: "", filters: "",
 * }, VERSIONED_COLUMNS);
 * ```
 */
export function listVersioned<T extends Message>(
  ctx: AdminContext,
  table: string,
  schema: GenMessage<T>,
  kind: string,
  req: VersionedListRequest,
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
  return pagedList(ctx.db, schema, table, where, params, req, columns, kind);
}

/**
 * One page of the names registered in a project and domain (ListTaskIds and
 * alike), by name unless sorted otherwise.
 *
 * @example
 * ```ts
 * import { listIds } from "./registry.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const { entities } = listIds(ctx, "tasks", {
 *   project: "p", domain: "development", limit: 10, token: "", filters: "",
 * });
 * ```
 */
export function listIds(
  ctx: AdminContext,
  table: VersionedTable,
  req: ListParams & { project: string; domain: string },
): {
  entities: ReturnType<typeof namedEntityId>[];
  token: string;
} {
  checkProjectDomain(ctx, req.project, req.domain, "");
  const q = buildList(
    `(SELECT project, domain, name, MAX(created_at) AS created_at FROM ${table} WHERE project = ? AND domain = ? GROUP BY name)`,
    [],
    [req.project, req.domain],
    sortedBy(req, "name"),
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
  const rows = ctx.db.all(q.sql, ...q.params);
  return {
    entities: rows.map(namedEntityId),
    token: nextToken(q.offset, q.limit, rows.length),
  };
}

function namedEntityId(r: Row) {
  return create(NamedEntityIdentifierSchema, {
    project: r.project as string,
    domain: r.domain as string,
    name: r.name as string,
  });
}
