/**
 * What every admin service module shares: the database, the blob store, the
 * compiler, the launcher, and small helpers for timestamps and identifiers.
 *
 * @module
 */
import { identifierProblem } from "../../names/mod.ts";
import {
  type DescMessage,
  fromBinary,
  type MessageShape,
} from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { type Identifier, ResourceType } from "@flyteidl/core/identifier_pb.ts";
import type { CompiledTask } from "@flyteidl/core/compiler_pb.ts";
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type { WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import type {
  ParameterMap,
  TypedInterface,
  VariableMap,
} from "@flyteidl/core/interface_pb.ts";
import type { Literal, LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { SQLInputValue } from "node:sqlite";
import type { SandboxDb } from "../store/db.ts";
import {
  buildList,
  type Columns,
  type ColumnSpec,
  type ListParams,
  nextToken,
} from "../store/query.ts";
import type { BlobStore } from "../blobs/store.ts";
import type { ExecutionLauncher } from "../launcher.ts";
import { invalidArgument, missing } from "./errors.ts";

/**
 * The workflow compiler as the admin side uses it (implemented in
 * src/sandbox/compiler/).
 *
 * @example
 * ```ts
 * import type { SandboxCompiler } from "./context.ts";
 * function taskOnly(c: SandboxCompiler) { return c.compileTask; }
 * ```
 */
export interface SandboxCompiler {
  /** Task and launch-plan ids a workflow (with its sub-workflows) refers to. */
  workflowRequirements(
    primary: WorkflowTemplate,
    subWorkflows: WorkflowTemplate[],
  ): { taskIds: Identifier[]; launchPlanIds: Identifier[] };
  /** Validates and compiles a task template. */
  compileTask(template: TaskTemplate): CompiledTask;
  /** Compiles a workflow into its closure. */
  compileWorkflow(
    primary: WorkflowTemplate,
    subWorkflows: WorkflowTemplate[],
    tasks: CompiledTask[],
    launchPlans: {
      id: Identifier;
      interface: TypedInterface;
      fixedInputs?: LiteralMap;
      defaultInputs?: ParameterMap;
      expectedInputs?: ParameterMap;
      expectedOutputs?: VariableMap;
    }[],
  ): CompiledWorkflowClosure;
  /** Whether a value of type `source` may bind to `target`. */
  literalTypesCompatible(source: LiteralType, target: LiteralType): boolean;
  /** The type of a literal value (undefined when it has none). */
  literalTypeForLiteral(literal: Literal): LiteralType | undefined;
  /** A launch plan's expected inputs; throws the compile error for bad defaults/fixed inputs. */
  launchPlanExpectedInputs(
    workflowInputs: VariableMap | undefined,
    fixedInputs?: LiteralMap,
    defaultInputs?: ParameterMap,
  ): ParameterMap;
  /** Recognises the compiler's error class (mapped to INVALID_ARGUMENT). */
  isCompileError(e: unknown): e is Error & {
    nodeId?: string;
    variable?: string;
  };
}

/**
 * Shared state of the admin services.
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * function dataDir(c: AdminContext) { return c.dataDir; }
 * ```
 */
export interface AdminContext {
  /** The SQLite store. */
  db: SandboxDb;
  /** The blob store (files under the data dir). */
  blobs: BlobStore;
  /** The workflow compiler. */
  compiler: SandboxCompiler;
  /** Runs executions; absent = executions stay in their created phase. */
  launcher?: ExecutionLauncher;
  /** Data directory (absolute). */
  dataDir: string;
  /** Domains served. */
  domains: string[];
}

/**
 * Now as a protobuf Timestamp and ISO string (one clock read).
 *
 * @example
 * ```ts
 * import { now } from "./context.ts";
 * const { ts, iso } = now();
 * ```
 */
export function now(): { ts: Timestamp; iso: string } {
  const d = new Date();
  return { ts: timestampFromDate(d), iso: d.toISOString() };
}

/**
 * Runs a paged list query built by `buildList` (selecting `data`) and decodes
 * each row's stored message; the token is set when the page came back full.
 *
 * @example
 * ```ts
 * import { listPage } from "./context.ts";
 * import { buildList } from "../store/query.ts";
 * import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
 * declare const db: import("../store/db.ts").SandboxDb;
 * const q = buildList("tasks", [], [], { limit: 10, token: "", filters: "" },
 *   {}, "task", "created_at");
 * const { items, token } = listPage(db, q, TaskSchema);
 * ```
 */
export function listPage<Desc extends DescMessage>(
  db: SandboxDb,
  q: { sql: string; params: SQLInputValue[]; offset: number; limit: number },
  schema: Desc,
): { items: MessageShape<Desc>[]; token: string } {
  const rows = db.all(q.sql, ...q.params);
  return {
    items: rows.map((r) => fromBinary(schema, r.data as Uint8Array)),
    token: nextToken(q.offset, q.limit, rows.length),
  };
}

/**
 * A filterable column holding a protobuf enum (filters may name its
 * values).
 *
 * @example
 * ```ts
 * import { enumColumn } from "./context.ts";
 * import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
 * const phase = enumColumn("phase", WorkflowExecution_Phase);
 * ```
 */
export function enumColumn(col: string, values: object): ColumnSpec {
  return { col, kind: "enum", values: values as Record<string, number> };
}

/**
 * The time columns every execution-like row has (created, updated, started,
 * duration in seconds).
 *
 * @example
 * ```ts
 * import { TIMING_COLUMNS } from "./context.ts";
 * TIMING_COLUMNS.duration.kind; // "real"
 * ```
 */
export const TIMING_COLUMNS: Columns = {
  created_at: { col: "created_at", kind: "time" },
  updated_at: { col: "updated_at", kind: "time" },
  started_at: { col: "started_at", kind: "time" },
  duration: { col: "duration", kind: "real" },
};

/**
 * One page of a list RPC: builds the query over `table` (base conditions
 * `where` with `params`, the request's filters, sort and token) and decodes
 * the stored messages; the same as `listPage(db, buildList(...), schema)`.
 *
 * @example
 * ```ts
 * import { pagedList } from "./context.ts";
 * import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
 * declare const db: import("../store/db.ts").SandboxDb;
 * const { items } = pagedList(db, TaskSchema, "tasks", ["project = ?"], ["p"],
 *   { limit: 10, token: "", filters: "" }, {}, "task");
 * ```
 */
export function pagedList<Desc extends DescMessage>(
  db: SandboxDb,
  schema: Desc,
  table: string,
  where: string[],
  params: SQLInputValue[],
  req: ListParams,
  columns: Columns,
  entity: string,
  defaultSort = "created_at",
): { items: MessageShape<Desc>[]; token: string } {
  const q = buildList(table, where, params, req, columns, entity, defaultSort);
  return listPage(db, q, schema);
}

/**
 * The request itself when it names a sort key, else the request sorted by
 * `key` ascending (the order FlyteAdmin lists these in by default).
 *
 * @example
 * ```ts
 * import { sortedBy } from "./context.ts";
 * sortedBy({ limit: 10, token: "", filters: "" }, "name").sortBy?.key; // "name"
 * ```
 */
export function sortedBy(req: ListParams, key: string): ListParams {
  return req.sortBy?.key ? req : { ...req, sortBy: { key, direction: 1 } };
}

/**
 * ISO string of a Timestamp ("" when absent).
 *
 * @example
 * ```ts
 * import { isoOf } from "./context.ts";
 * console.log(isoOf(undefined)); // ""
 * ```
 */
export function isoOf(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toISOString() : "";
}

/**
 * Milliseconds since the epoch of a Timestamp (0 when absent).
 *
 * @example
 * ```ts
 * import { msOf } from "./context.ts";
 * console.log(msOf(undefined)); // 0
 * ```
 */
export function msOf(ts: Timestamp | undefined): number {
  return ts ? timestampDate(ts).getTime() : 0;
}

/**
 * A Duration in seconds (0 when absent), as the duration columns hold it.
 *
 * @example
 * ```ts
 * import { secondsOf } from "./context.ts";
 * secondsOf({ seconds: 2n, nanos: 500_000_000 }); // 2.5
 * ```
 */
export function secondsOf(
  d: { seconds: bigint; nanos: number } | undefined,
): number {
  return d ? Number(d.seconds) + d.nanos / 1e9 : 0;
}

/**
 * `project/domain/name/version` for messages.
 *
 * @example
 * ```ts
 * import { idKey } from "./context.ts";
 * idKey({ project: "p", domain: "d", name: "n", version: "v" }); // "p/d/n/v"
 * ```
 */
export function idKey(
  id: { project: string; domain: string; name: string; version?: string },
): string {
  return [id.project, id.domain, id.name, id.version].filter((x) =>
    x !== undefined
  ).join("/");
}

/**
 * Validates that project and domain are set, the domain is known and the
 * project is registered (FlyteAdmin's ValidateProjectAndDomain).
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { checkProjectDomain } from "./context.ts";
 * declare const ctx: AdminContext;
 * checkProjectDomain(ctx, "flytesnacks", "development", "id");
 * ```
 */
export function checkProjectDomain(
  ctx: AdminContext,
  project: string,
  domain: string,
  prefix: string,
): void {
  const p = prefix ? `${prefix}.` : "";
  if (!project) throw missing(`${p}project`);
  if (!domain) throw missing(`${p}domain`);
  if (!ctx.domains.includes(domain)) {
    throw invalidArgument(
      `${p}domain [${domain}] is unrecognized by system (known: ${
        ctx.domains.join(", ")
      })`,
    );
  }
  const row = ctx.db.get("SELECT state FROM projects WHERE id = ?", project);
  if (!row) {
    throw invalidArgument(
      `failed to validate that project [${project}] and domain [${domain}] are registered: ${p}project [${project}] does not exist`,
    );
  }
}

/**
 * Validates a full identifier (resource type, project, domain, name, version).
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { checkIdentifier } from "./context.ts";
 * import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
 * declare const ctx: AdminContext;
 * checkIdentifier(ctx, undefined, ResourceType.TASK, "id"); // throws "missing id"
 * ```
 */
export function checkIdentifier(
  ctx: AdminContext,
  id: Identifier | undefined,
  type: ResourceType,
  field: string,
): asserts id is Identifier {
  if (!id) throw missing(field);
  if (
    id.resourceType !== type &&
    !(id.resourceType === ResourceType.UNSPECIFIED)
  ) {
    throw invalidArgument(
      `unexpected resource type ${
        ResourceType[id.resourceType]
      } for identifier [${idKey(id)}] in ${field}, expected ${
        ResourceType[type]
      } instead`,
    );
  }
  checkProjectDomain(ctx, id.project, id.domain, field);
  if (!id.name) throw missing(`${field}.name`);
  if (!id.version) throw missing(`${field}.version`);
  for (const key of ["name", "version"] as const) {
    const problem = identifierProblem(`${field}.${key}`, id[key]);
    if (problem) throw invalidArgument(problem);
  }
}
