/**
 * Creating an execution: the name checked (or drawn), the target resolved
 * (a launch plan, or a task through its generated wrapper), the inputs
 * checked against the launch plan and merged with its defaults and fixed
 * inputs, the spec filled from the launch plan, the record stored and the
 * execution handed to the {@link ExecutionLauncher} when one is configured.
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import {
  ResourceType,
  type WorkflowExecutionIdentifier,
  WorkflowExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type ExecutionMetadata,
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
import type { LaunchPlan } from "@flyteidl/admin/launch_plan_pb.ts";
import type { Workflow } from "@flyteidl/admin/workflow_pb.ts";
import { type LiteralType, SimpleType } from "@flyteidl/core/types_pb.ts";
import type { LaunchRequest } from "../launcher.ts";
import {
  type AdminContext,
  checkIdentifier,
  checkProjectDomain,
  idKey,
  now,
} from "./context.ts";
import { alreadyExists, invalidArgument, missing } from "./errors.ts";
import { getLaunchPlan, getWorkflow } from "./registry.ts";
import { saveExecution } from "./executions.ts";
import { wrapperForTask } from "./task_wrapper.ts";

const NAME_RE = /^[a-z][a-z\-0-9]*$/;

/**
 * "a" + 19 random lowercase letters/digits, as FlyteAdmin names executions.
 *
 * @example
 * ```ts
 * import { randomExecutionName } from "./execution_create.ts";
 * randomExecutionName().length; // 20
 * ```
 */
export function randomExecutionName(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(19);
  let s = "a";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
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

/**
 * What {@link createExecutionRecord} creates: where, under which name ("" to
 * draw one), the spec, the user's inputs and metadata to set.
 *
 * @example
 * ```ts
 * import type { CreateArgs } from "./execution_create.ts";
 * declare const spec: import("@flyteidl/admin/execution_pb.ts").ExecutionSpec;
 * declare const inputs: import("@flyteidl/core/literals_pb.ts").LiteralMap;
 * const a: CreateArgs = { project: "p", domain: "development", name: "", spec, inputs };
 * ```
 */
export interface CreateArgs {
  /** Project of the execution. */
  project: string;
  /** Domain of the execution. */
  domain: string;
  /** Execution name; "" draws one. */
  name: string;
  /** The spec (its launch_plan names a launch plan or a task). */
  spec: ExecutionSpec;
  /** The inputs as the user gave them. */
  inputs: LiteralMap;
  /** Metadata set over the spec's (mode, reference execution, ...). */
  metadata?: Partial<ExecutionMetadata>;
}

/**
 * Creates, stores and launches an execution.
 *
 * @example
 * ```ts
 * import { type CreateArgs, createExecutionRecord } from "./execution_create.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const args: CreateArgs;
 * const id = await createExecutionRecord(ctx, args);
 * ```
 */
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
