/**
 * Workflow executions: create (from a launch plan or, for a single task, a
 * generated wrapper workflow as FlyteAdmin builds it), get, list, terminate,
 * relaunch, recover, update and GetExecutionData. Accepted executions are
 * handed to the {@link ExecutionLauncher} when one is configured.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { durationFromMs, timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
  type WorkflowExecutionIdentifier,
  WorkflowExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type Execution,
  type ExecutionMetadata,
  ExecutionMetadata_ExecutionMode,
  ExecutionMetadataSchema,
  ExecutionSchema,
  type ExecutionSpec,
  ExecutionSpecSchema,
  ExecutionState,
} from "@flyteidl/admin/execution_pb.ts";
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import { type Workflow, WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import {
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import { VariableMapSchema } from "@flyteidl/core/interface_pb.ts";
import { NamedEntityState, UrlBlobSchema } from "@flyteidl/admin/common_pb.ts";
import { type LiteralType, SimpleType } from "@flyteidl/core/types_pb.ts";
import { buildList, type Columns } from "../store/query.ts";
import type { LaunchRequest } from "../launcher.ts";
import {
  type AdminContext,
  checkIdentifier,
  checkProjectDomain,
  idKey,
  isoOf,
  listPage,
  now,
} from "./context.ts";
import {
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  missing,
  notFound,
} from "./errors.ts";
import { getLaunchPlan, getTask, getWorkflow } from "./registry.ts";

type Impl = Partial<ServiceImpl<typeof AdminService>>;

const PHASES = WorkflowExecution_Phase as unknown as Record<string, number>;

/** Filterable keys of executions. */
export const EXECUTION_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  phase: { col: "phase", kind: "enum", values: PHASES },
  mode: {
    col: "mode",
    kind: "enum",
    values: ExecutionMetadata_ExecutionMode as unknown as Record<
      string,
      number
    >,
  },
  state: {
    col: "state",
    kind: "enum",
    values: ExecutionState as unknown as Record<string, number>,
  },
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

const NAME_RE = /^[a-z][a-z\-0-9]*$/;
const TERMINAL = new Set<number>([
  WorkflowExecution_Phase.SUCCEEDED,
  WorkflowExecution_Phase.FAILED,
  WorkflowExecution_Phase.ABORTED,
  WorkflowExecution_Phase.TIMED_OUT,
]);

/** Whether a workflow phase is terminal. */
export function isTerminalWorkflowPhase(p: WorkflowExecution_Phase): boolean {
  return TERMINAL.has(p);
}

/** "a" + 19 random lowercase letters/digits, as FlyteAdmin names executions. */
export function randomExecutionName(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(19);
  let s = "a";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** Extra bookkeeping stored beside an execution row. */
interface ExecExtra {
  inputsUri: string;
  userInputsUri: string;
  taskName: string;
}

/** Inserts or replaces an execution row from its message. */
export function saveExecution(
  ctx: AdminContext,
  e: Execution,
  extra?: ExecExtra,
): void {
  const id = e.id!;
  const c = e.closure!;
  const lp = e.spec?.launchPlan;
  const wf = c.workflowId;
  const durationS = c.duration
    ? Number(c.duration.seconds) + c.duration.nanos / 1e9
    : 0;
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

/** Loads an execution; NOT_FOUND when absent. */
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

/** Validates a workflow execution identifier (project, domain, name). */
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
 * The node id FlyteAdmin gives the single node of a task's wrapper workflow:
 * the last 63 characters of the task name, keeping only letters, digits and '-'.
 */
function nodeNameFromTask(taskName: string): string {
  const tail = taskName.length >= 63
    ? taskName.slice(taskName.length - 63)
    : taskName;
  return [...tail].filter((ch) => ch === "-" || /[\p{L}\p{N}]/u.test(ch)).join(
    "",
  );
}

/**
 * Registers (or reuses) what FlyteAdmin generates for a single-task
 * execution: the workflow `.flytegen.<task>` (one node running the task,
 * inputs bound from the workflow inputs, outputs from the node) and the
 * launch plan `.flytegen.<task>`, both marked SYSTEM_GENERATED.
 */
function wrapperForTask(
  ctx: AdminContext,
  taskId: Identifier,
  spec: ExecutionSpec,
): { launchPlan: LaunchPlan; workflow: Workflow } {
  const task = getTask(ctx, taskId);
  const template = task.closure!.compiledTask!.template!;
  const name = `.flytegen.${taskId.name}`;
  const wfId = create(IdentifierSchema, {
    resourceType: ResourceType.WORKFLOW,
    project: taskId.project,
    domain: taskId.domain,
    name,
    version: taskId.version,
  });
  const lpId = create(IdentifierSchema, {
    ...wfId,
    resourceType: ResourceType.LAUNCH_PLAN,
  });
  const iface = template.interface;
  const nodeId = nodeNameFromTask(taskId.name);
  const bindings = (names: string[], fromNode: string) =>
    names.sort().map((v) => ({
      var: v,
      binding: {
        value: {
          case: "promise" as const,
          value: { nodeId: fromNode, var: v },
        },
      },
    }));
  const wfTemplate: WorkflowTemplate = create(WorkflowTemplateSchema, {
    id: wfId,
    interface: iface,
    nodes: [{
      id: nodeId,
      metadata: {
        name: nodeId,
        retries: template.metadata?.retries ?? { retries: 3 },
      },
      inputs: bindings(Object.keys(iface?.inputs?.variables ?? {}), ""),
      target: {
        case: "taskNode",
        value: { reference: { case: "referenceId", value: taskId } },
      },
    }],
    outputs: bindings(Object.keys(iface?.outputs?.variables ?? {}), nodeId),
  });
  return ctx.db.tx(() => {
    let workflow: Workflow;
    try {
      workflow = getWorkflow(ctx, wfId);
    } catch {
      let compiled;
      try {
        compiled = ctx.compiler.compileWorkflow(wfTemplate, [], [
          task.closure!.compiledTask!,
        ], []);
      } catch (e) {
        if (ctx.compiler.isCompileError(e)) {
          throw invalidArgument(
            `failed to compile the generated workflow of task ${
              idKey(taskId)
            }: ${e.message}`,
          );
        }
        throw e;
      }
      const t = now();
      workflow = create(WorkflowSchema, {
        id: wfId,
        closure: { compiledWorkflow: compiled, createdAt: t.ts },
      });
      ctx.db.run(
        "INSERT INTO workflows VALUES (?,?,?,?,?,?,?)",
        wfId.project,
        wfId.domain,
        wfId.name,
        wfId.version,
        t.iso,
        "generated",
        toBinary(WorkflowSchema, workflow),
      );
      systemGenerated(ctx, ResourceType.WORKFLOW, wfId);
    }
    let launchPlan: LaunchPlan;
    try {
      launchPlan = getLaunchPlan(ctx, lpId);
    } catch {
      const t = now();
      launchPlan = create(LaunchPlanSchema, {
        id: lpId,
        spec: {
          // FlyteAdmin names the task here, not the generated workflow.
          workflowId: { ...wfId, name: taskId.name },
          entityMetadata: {},
          defaultInputs: {},
          fixedInputs: {},
          labels: {},
          annotations: {},
          authRole: spec.authRole,
          securityContext: spec.securityContext,
        },
        closure: {
          state: LaunchPlanState.INACTIVE,
          expectedInputs: ctx.compiler.launchPlanExpectedInputs(iface?.inputs),
          expectedOutputs: iface?.outputs ?? create(VariableMapSchema, {}),
          createdAt: t.ts,
          updatedAt: t.ts,
        },
      });
      ctx.db.run(
        "INSERT INTO launch_plans VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        lpId.project,
        lpId.domain,
        lpId.name,
        lpId.version,
        t.iso,
        t.iso,
        "generated",
        LaunchPlanState.INACTIVE,
        wfId.name,
        "NONE",
        toBinary(LaunchPlanSchema, launchPlan),
      );
      systemGenerated(ctx, ResourceType.LAUNCH_PLAN, lpId);
    }
    return { launchPlan, workflow };
  });
}

function systemGenerated(
  ctx: AdminContext,
  type: ResourceType,
  id: Identifier,
): void {
  ctx.db.run(
    "INSERT OR REPLACE INTO named_entities VALUES (?,?,?,?,?,'')",
    type,
    id.project,
    id.domain,
    id.name,
    NamedEntityState.SYSTEM_GENERATED,
  );
}

/** Checks user inputs against a launch plan and merges defaults and fixed inputs. */
function resolveInputs(
  ctx: AdminContext,
  lp: LaunchPlan,
  user: LiteralMap,
): LiteralMap {
  const expected = lp.closure?.expectedInputs?.parameters ?? {};
  const fixed = lp.spec?.fixedInputs?.literals ?? {};
  const out = create(LiteralMapSchema, {});
  for (const [name, lit] of Object.entries(user.literals)) {
    const p = expected[name];
    if (!p) {
      throw invalidArgument(
        name in fixed
          ? `invalid input ${name}: it is a fixed input of the launch plan and cannot be overridden`
          : `invalid input ${name}: not an input of launch plan ${
            idKey(lp.id!)
          }`,
      );
    }
    const want = p.var?.type;
    if (want) {
      const got = ctx.compiler.literalTypeForLiteral(lit);
      if (!got || !ctx.compiler.literalTypesCompatible(got, want)) {
        throw invalidArgument(
          `invalid ${name} input wrong type: expected ${typeName(want)}, got ${
            got ? typeName(got) : "a value without a type"
          }`,
        );
      }
    }
    out.literals[name] = lit;
  }
  for (const [name, p] of Object.entries(expected)) {
    if (name in out.literals) continue;
    if (p.behavior.case === "default") {
      out.literals[name] = p.behavior.value;
    } else if (p.behavior.case === "required" && p.behavior.value) {
      throw invalidArgument(`invalid input ${name}: missing (required)`);
    }
  }
  for (const [name, lit] of Object.entries(fixed)) out.literals[name] = lit;
  return out;
}

function typeName(t: LiteralType): string {
  return t.type.case === "simple"
    ? SimpleType[t.type.value]
    : t.type.case ?? "unknown";
}

/** Storage keys of one execution. */
function execKeys(id: WorkflowExecutionIdentifier) {
  const base = `metadata/${id.project}/${id.domain}/${id.name}`;
  return {
    inputs: `${base}/inputs.pb`,
    userInputs: `${base}/user_inputs.pb`,
    propeller: `metadata/propeller/${id.project}-${id.domain}-${id.name}`,
  };
}

/** Options of {@link createExecutionRecord}. */
interface CreateArgs {
  project: string;
  domain: string;
  name: string;
  spec: ExecutionSpec;
  inputs: LiteralMap;
  metadata?: Partial<ExecutionMetadata>;
}

/** Creates, stores and launches an execution. */
export async function createExecutionRecord(
  ctx: AdminContext,
  a: CreateArgs,
): Promise<WorkflowExecutionIdentifier> {
  checkProjectDomain(ctx, a.project, a.domain, "");
  const name = a.name || randomExecutionName();
  if (!NAME_RE.test(name) || name.length > 63) {
    throw invalidArgument(
      `invalid name [${name}]: execution names must match ^[a-z][a-z\\-0-9]*$ and be at most 63 characters`,
    );
  }
  const spec = create(ExecutionSpecSchema, a.spec);
  if (!spec.launchPlan) throw missing("spec.launch_plan");
  const target = spec.launchPlan;
  let lp: LaunchPlan;
  let wf: Workflow;
  let taskName = "";
  if (target.resourceType === ResourceType.TASK) {
    checkIdentifier(ctx, target, ResourceType.TASK, "spec.launch_plan");
    ({ launchPlan: lp, workflow: wf } = wrapperForTask(ctx, target, spec));
    taskName = target.name;
  } else {
    checkIdentifier(
      ctx,
      target,
      ResourceType.LAUNCH_PLAN,
      "spec.launch_plan",
    );
    lp = getLaunchPlan(ctx, target);
    wf = getWorkflow(ctx, lp.spec!.workflowId!);
  }
  const lpId = lp.id!;
  const full = resolveInputs(ctx, lp, a.inputs);
  const id = create(WorkflowExecutionIdentifierSchema, {
    project: a.project,
    domain: a.domain,
    name,
  });
  // Fill from the launch plan what the request left unset (as admin does).
  const lps = lp.spec!;
  spec.labels ??= lps.labels;
  spec.annotations ??= lps.annotations;
  spec.rawOutputDataConfig ??= lps.rawOutputDataConfig;
  spec.securityContext ??= lps.securityContext;
  spec.authRole ??= lps.authRole;
  spec.qualityOfService ??= lps.qualityOfService;
  spec.envs ??= lps.envs;
  spec.interruptible ??= lps.interruptible;
  if (!spec.maxParallelism) spec.maxParallelism = lps.maxParallelism;
  spec.overwriteCache ||= lps.overwriteCache;
  spec.inputs = undefined;
  spec.metadata = create(ExecutionMetadataSchema, {
    ...spec.metadata,
    ...a.metadata,
    $typeName: undefined,
    systemMetadata: {
      executionCluster: "sandbox",
      namespace: `${a.project}-${a.domain}`,
    },
  } as never);
  const t = now();
  const execution = create(ExecutionSchema, {
    id,
    spec,
    closure: {
      phase: WorkflowExecution_Phase.UNDEFINED,
      createdAt: t.ts,
      updatedAt: t.ts,
      workflowId: wf.id,
      stateChangeDetails: {
        state: ExecutionState.EXECUTION_ACTIVE,
        occurredAt: t.ts,
        principal: spec.metadata.principal,
      },
      notifications: spec.notificationOverrides.case === "notifications"
        ? spec.notificationOverrides.value.notifications
        : spec.notificationOverrides.case === "disableAll"
        ? []
        : lps.entityMetadata?.notifications ?? [],
    },
  });
  const keys = execKeys(id);
  ctx.db.tx(() => {
    if (
      ctx.db.get(
        "SELECT 1 FROM executions WHERE project=? AND domain=? AND name=?",
        id.project,
        id.domain,
        id.name,
      )
    ) {
      throw alreadyExists(
        `execution with name [${name}] already exists in ${id.project}/${id.domain}`,
      );
    }
    ctx.blobs.write(keys.inputs, toBinary(LiteralMapSchema, full));
    ctx.blobs.write(keys.userInputs, toBinary(LiteralMapSchema, a.inputs));
    saveExecution(ctx, execution, {
      inputsUri: ctx.blobs.nativeUrl(keys.inputs),
      userInputsUri: ctx.blobs.nativeUrl(keys.userInputs),
      taskName,
    });
  });
  if (ctx.launcher) {
    const request: LaunchRequest = {
      id,
      closure: wf.closure!.compiledWorkflow!,
      launchPlanId: lpId,
      spec,
      inputsUri: ctx.blobs.nativeUrl(keys.inputs),
      metadataPrefix: ctx.blobs.nativeUrl(keys.propeller),
      rawOutputPrefix: spec.rawOutputDataConfig?.outputLocationPrefix ||
        ctx.blobs.nativeUrl("raw"),
      parentNodeExecution: spec.metadata.parentNodeExecution,
    };
    try {
      await ctx.launcher.launch(request);
    } catch (e) {
      ctx.db.tx(() =>
        ctx.db.run(
          "DELETE FROM executions WHERE project=? AND domain=? AND name=?",
          id.project,
          id.domain,
          id.name,
        )
      );
      throw e;
    }
  }
  return id;
}

function readLiteralMap(ctx: AdminContext, uri: string): LiteralMap {
  if (!uri) return create(LiteralMapSchema, {});
  return fromBinary(LiteralMapSchema, ctx.blobs.readUrl(uri));
}

/** Builds the execution RPCs of AdminService. */
export function executionService(ctx: AdminContext): Impl {
  const db = ctx.db;
  return {
    async createExecution(req) {
      if (!req.project) throw missing("project");
      if (!req.domain) throw missing("domain");
      if (!req.spec) throw missing("spec");
      const inputs = req.inputs ?? req.spec.inputs ??
        create(LiteralMapSchema, {});
      const id = await createExecutionRecord(ctx, {
        project: req.project,
        domain: req.domain,
        name: req.name,
        spec: req.spec,
        inputs,
      });
      return { id };
    },
    async relaunchExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const old = loadExecution(ctx, req.id);
      const spec = create(ExecutionSpecSchema, old.execution.spec);
      spec.overwriteCache = req.overwriteCache;
      const id = await createExecutionRecord(ctx, {
        project: req.id.project,
        domain: req.id.domain,
        name: req.name,
        spec,
        inputs: readLiteralMap(ctx, old.userInputsUri),
        metadata: {
          mode: ExecutionMetadata_ExecutionMode.RELAUNCH,
          referenceExecution: req.id,
          parentNodeExecution: undefined,
          nesting: 0,
        },
      });
      return { id };
    },
    async recoverExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const old = loadExecution(ctx, req.id);
      const spec = create(ExecutionSpecSchema, old.execution.spec);
      const id = await createExecutionRecord(ctx, {
        project: req.id.project,
        domain: req.id.domain,
        name: req.name,
        spec,
        inputs: readLiteralMap(ctx, old.userInputsUri),
        metadata: {
          ...(req.metadata ?? {}),
          mode: ExecutionMetadata_ExecutionMode.RECOVERED,
          referenceExecution: req.id,
        },
      });
      return { id };
    },
    getExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      return loadExecution(ctx, req.id).execution;
    },
    listExecutions(req) {
      if (!req.id) throw missing("id");
      checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
      const where = ["project = ?", "domain = ?"];
      const params: (string | number)[] = [req.id.project, req.id.domain];
      // As FlyteAdmin: archived executions are hidden unless a filter asks for a state.
      if (!/\(\s*(execution\.)?state\s*,/.test(req.filters)) {
        where.push("state <> ?");
        params.push(ExecutionState.EXECUTION_ARCHIVED);
      }
      if (req.id.name) {
        where.push("name = ?");
        params.push(req.id.name);
      }
      const q = buildList(
        "executions",
        where,
        params,
        req,
        EXECUTION_COLUMNS,
        "execution",
        "created_at",
      );
      const page = listPage(db, q, ExecutionSchema);
      return { executions: page.items, token: page.token };
    },
    async terminateExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const id = req.id;
      const cause = req.cause || "terminated by user";
      db.tx(() => {
        const { execution } = loadExecution(ctx, id);
        const c = execution.closure!;
        if (
          TERMINAL.has(c.phase) ||
          c.phase === WorkflowExecution_Phase.ABORTING
        ) {
          throw failedPrecondition(
            `cannot abort execution ${id.project}/${id.domain}/${id.name}: it is already ${
              WorkflowExecution_Phase[c.phase]
            }`,
          );
        }
        const t = now();
        c.phase = ctx.launcher
          ? WorkflowExecution_Phase.ABORTING
          : WorkflowExecution_Phase.ABORTED;
        c.updatedAt = t.ts;
        c.outputResult = {
          case: "abortMetadata",
          value: {
            $typeName: "flyteidl.admin.AbortMetadata",
            cause,
            principal: "",
          },
        };
        if (!ctx.launcher && c.startedAt) {
          c.duration = durationFromMs(
            timestampDate(t.ts).getTime() -
              timestampDate(c.startedAt).getTime(),
          );
        }
        saveExecution(ctx, execution);
      });
      if (ctx.launcher) await ctx.launcher.terminate(id, cause);
      return {};
    },
    updateExecution(req) {
      checkExecutionId(ctx, req.id, "id");
      const id = req.id;
      db.tx(() => {
        const { execution } = loadExecution(ctx, id);
        const t = now();
        execution.closure!.stateChangeDetails = {
          $typeName: "flyteidl.admin.ExecutionStateChangeDetails",
          state: req.state,
          occurredAt: t.ts,
          principal: "",
        };
        saveExecution(ctx, execution);
      });
      return {};
    },
    getExecutionData(req) {
      checkExecutionId(ctx, req.id, "id");
      const { execution, inputsUri } = loadExecution(ctx, req.id);
      const full = readLiteralMap(ctx, inputsUri);
      const c = execution.closure!;
      let outputs = create(LiteralMapSchema, {});
      let outputsUri = "";
      if (c.outputResult.case === "outputs") {
        const d = c.outputResult.value.data;
        if (d.case === "uri") {
          outputsUri = d.value;
          outputs = readLiteralMap(ctx, d.value);
        } else if (d.case === "values") outputs = d.value;
      } else if (c.outputResult.case === "outputData") {
        outputs = c.outputResult.value;
      }
      return {
        inputs: urlBlob(ctx, inputsUri),
        outputs: outputsUri ? urlBlob(ctx, outputsUri) : undefined,
        fullInputs: full,
        fullOutputs: outputs,
      };
    },
  };
}

/** A UrlBlob (signed download URL + size) for a store URL. */
export function urlBlob(ctx: AdminContext, uri: string) {
  if (!uri) return undefined;
  try {
    const key = ctx.blobs.keyOf(uri);
    const bytes = ctx.blobs.read(key).length;
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
