/**
 * The execution record: its row (saved, loaded, listed by
 * {@link EXECUTION_COLUMNS}), identifier checks, terminal phases, and
 * reading its data (literal maps, signed UrlBlobs). What creates executions
 * is `execution_create.ts`; the RPCs are `execution_service.ts`.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  ResourceType,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type Execution,
  ExecutionMetadata_ExecutionMode,
  ExecutionSchema,
  ExecutionState,
} from "@flyteidl/admin/execution_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import { type UrlBlob, UrlBlobSchema } from "@flyteidl/admin/common_pb.ts";
import type { Columns } from "../store/query.ts";
import {
  type AdminContext,
  checkProjectDomain,
  enumColumn,
  isoOf,
  secondsOf,
} from "./context.ts";
import { missing, notFound } from "./errors.ts";

/**
 * Filterable keys of executions.
 *
 * @example
 * ```ts
 * import { EXECUTION_COLUMNS } from "./executions.ts";
 * EXECUTION_COLUMNS["workflow.name"].col; // "workflow_name"
 * ```
 */
export const EXECUTION_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  phase: enumColumn("phase", WorkflowExecution_Phase),
  mode: enumColumn("mode", ExecutionMetadata_ExecutionMode),
  state: enumColumn("state", ExecutionState),
  created_at: { col: "created_at", kind: "time" },
  execution_created_at: { col: "created_at", kind: "time" },
  updated_at: { col: "updated_at", kind: "time" },
  execution_updated_at: { col: "updated_at", kind: "time" },
  started_at: { col: "started_at", kind: "time" },
  duration: { col: "duration", kind: "real" },
  user: { col: "user", kind: "text" },
  error_kind: { col: "error_kind", kind: "text" },
  "workflow.name": { col: "workflow_name", kind: "text" },
  "workflow.version": { col: "workflow_version", kind: "text" },
  "launch_plan.name": { col: "launch_plan_name", kind: "text" },
  "launch_plan.version": { col: "launch_plan_version", kind: "text" },
  "task.name": { col: "task_name", kind: "text" },
};

const TERMINAL = new Set<number>([
  WorkflowExecution_Phase.SUCCEEDED,
  WorkflowExecution_Phase.FAILED,
  WorkflowExecution_Phase.ABORTED,
  WorkflowExecution_Phase.TIMED_OUT,
]);

/**
 * Whether a workflow phase is terminal.
 *
 * @example
 * ```ts
 * import { isTerminalWorkflowPhase } from "./executions.ts";
 * import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
 * isTerminalWorkflowPhase(WorkflowExecution_Phase.SUCCEEDED); // true
 * ```
 */
export function isTerminalWorkflowPhase(p: WorkflowExecution_Phase): boolean {
  return TERMINAL.has(p);
}

/**
 * Extra bookkeeping stored beside a new execution row.
 *
 * @example
 * ```ts
 * import type { ExecExtra } from "./executions.ts";
 * const extra: ExecExtra = { inputsUri: "", userInputsUri: "", taskName: "" };
 * ```
 */
export interface ExecExtra {
  /** URL of the full inputs (user inputs, defaults and fixed inputs). */
  inputsUri: string;
  /** URL of the inputs as the user gave them (what a relaunch reuses). */
  userInputsUri: string;
  /** The task name of a single-task execution ("" otherwise). */
  taskName: string;
}

/**
 * Inserts (with `extra`) or updates an execution row from its message.
 *
 * @example
 * ```ts
 * import { saveExecution } from "./executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const e: import("@flyteidl/admin/execution_pb.ts").Execution;
 * saveExecution(ctx, e); // updates the row of e.id
 * ```
 */
export function saveExecution(
  ctx: AdminContext,
  e: Execution,
  extra?: ExecExtra,
): void {
  const id = e.id!;
  const c = e.closure!;
  const lp = e.spec?.launchPlan;
  const wf = c.workflowId;
  const durationS = secondsOf(c.duration);
  const errorKind = c.outputResult.case === "error"
    ? String(c.outputResult.value.kind)
    : "";
  const data = toBinary(ExecutionSchema, e);
  if (extra) {
    ctx.db.run(
      "INSERT INTO executions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      id.project,
      id.domain,
      id.name,
      c.phase,
      e.spec?.metadata?.mode ?? 0,
      c.stateChangeDetails?.state ?? 0,
      wf?.name ?? "",
      wf?.version ?? "",
      lp?.resourceType === ResourceType.TASK ? "" : lp?.name ?? "",
      lp?.resourceType === ResourceType.TASK ? "" : lp?.version ?? "",
      extra.taskName,
      e.spec?.metadata?.principal ?? "",
      errorKind,
      isoOf(c.createdAt),
      isoOf(c.updatedAt),
      isoOf(c.startedAt),
      durationS,
      extra.inputsUri,
      extra.userInputsUri,
      data,
    );
  } else {
    ctx.db.run(
      "UPDATE executions SET phase=?, state=?, error_kind=?, updated_at=?, started_at=?, duration=?, data=? WHERE project=? AND domain=? AND name=?",
      c.phase,
      c.stateChangeDetails?.state ?? 0,
      errorKind,
      isoOf(c.updatedAt),
      isoOf(c.startedAt),
      durationS,
      data,
      id.project,
      id.domain,
      id.name,
    );
  }
}

/**
 * Loads an execution; NOT_FOUND when absent.
 *
 * @example
 * ```ts
 * import { loadExecution } from "./executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").WorkflowExecutionIdentifier;
 * const phase = loadExecution(ctx, id).execution.closure?.phase;
 * ```
 */
export function loadExecution(
  ctx: AdminContext,
  id: WorkflowExecutionIdentifier,
): { execution: Execution; inputsUri: string; userInputsUri: string } {
  const row = ctx.db.get(
    "SELECT data, inputs_uri, user_inputs_uri FROM executions WHERE project=? AND domain=? AND name=?",
    id.project,
    id.domain,
    id.name,
  );
  if (!row) {
    throw notFound("execution", `${id.project}/${id.domain}/${id.name}`);
  }
  return {
    execution: fromBinary(ExecutionSchema, row.data as Uint8Array),
    inputsUri: row.inputs_uri as string,
    userInputsUri: row.user_inputs_uri as string,
  };
}

/**
 * Validates a workflow execution identifier (project, domain, name).
 *
 * @example
 * ```ts
 * import { checkExecutionId } from "./executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * checkExecutionId(ctx, undefined, "id"); // throws "missing id"
 * ```
 */
export function checkExecutionId(
  ctx: AdminContext,
  id: WorkflowExecutionIdentifier | undefined,
  field: string,
): asserts id is WorkflowExecutionIdentifier {
  if (!id) throw missing(field);
  checkProjectDomain(ctx, id.project, id.domain, field);
  if (!id.name) throw missing(`${field}.name`);
}

/**
 * Reads a literal map from a store URL (empty for ""); a missing or bad
 * object throws.
 *
 * @example
 * ```ts
 * import { readLiteralMap } from "./executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * readLiteralMap(ctx, "").literals; // {}
 * ```
 */
export function readLiteralMap(ctx: AdminContext, uri: string): LiteralMap {
  if (!uri) return create(LiteralMapSchema, {});
  return fromBinary(LiteralMapSchema, ctx.blobs.readUrl(uri));
}

/**
 * A UrlBlob (signed download URL + size) for a store URL; undefined for "",
 * the URL itself with size 0 when it is not in the store.
 *
 * @example
 * ```ts
 * import { urlBlob } from "./executions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * urlBlob(ctx, ""); // undefined
 * ```
 */
export function urlBlob(ctx: AdminContext, uri: string): UrlBlob | undefined {
  if (!uri) return undefined;
  try {
    const key = ctx.blobs.keyOf(uri);
    // Its size only: the map itself is read (once) by whoever needs it.
    const st = Deno.statSync(ctx.blobs.pathOf(key));
    if (!st.isFile) throw new Error(`${uri} is not a file`);
    const bytes = st.size;
    return create(UrlBlobSchema, {
      url: ctx.blobs.signedUrl(
        "GET",
        key,
        new Date(Date.now() + 3600_000),
      ),
      bytes: BigInt(bytes),
    });
  } catch {
    return create(UrlBlobSchema, { url: uri, bytes: 0n });
  }
}
