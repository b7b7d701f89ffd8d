/**
 * Launch plans: CreateLaunchPlan (expected inputs from the workflow's
 * interface, re-registration checked), Get/List/ListIds, UpdateLaunchPlan
 * (one ACTIVE version per name), GetActiveLaunchPlan and
 * ListActiveLaunchPlans; the launch plan row and interface helpers the
 * workflow compiler and the single-task wrapper use.
 *
 * @module
 */
import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanClosureSchema,
  LaunchPlanSchema,
  LaunchPlanSpecSchema,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import {
  type TypedInterface,
  TypedInterfaceSchema,
  VariableMapSchema,
} from "@flyteidl/core/interface_pb.ts";
import type { Columns } from "../store/query.ts";
import {
  type AdminContext,
  checkIdentifier,
  checkProjectDomain,
  enumColumn,
  idKey,
  now,
} from "./context.ts";
import { invalidArgument, missing, notFound } from "./errors.ts";
import { touchNamedEntity } from "./named_entities.ts";
import {
  assertNewVersion,
  compileErrorToStatus,
  diffFields,
  digest,
  getLaunchPlan,
  getWorkflow,
  listIds,
  listVersioned,
  rowId,
  VERSIONED_COLUMNS,
} from "./registry.ts";

const LP_COLUMNS: Columns = {
  ...VERSIONED_COLUMNS,
  updated_at: { col: "updated_at", kind: "time" },
  state: enumColumn("state", LaunchPlanState),
  "workflow.name": { col: "workflow_name", kind: "text" },
  schedule_type: { col: "schedule_type", kind: "text" },
};

/**
 * Interface of a launch plan as the compiler sees it (expected inputs +
 * outputs).
 *
 * @example
 * ```ts
 * import { launchPlanInterface } from "./launch_plans.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
 * launchPlanInterface(create(LaunchPlanSchema)).inputs?.variables; // {}
 * ```
 */
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

/**
 * Inserts a launch plan row (its state, the workflow name it is listed by
 * and its schedule type beside the message).
 *
 * @example
 * ```ts
 * import { insertLaunchPlanRow } from "./launch_plans.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const lp: import("@flyteidl/admin/launch_plan_pb.ts").LaunchPlan;
 * insertLaunchPlanRow(ctx, lp, new Date().toISOString(), "generated", "wf", "NONE");
 * ```
 */
export function insertLaunchPlanRow(
  ctx: AdminContext,
  lp: LaunchPlan,
  createdAt: string,
  specDigest: string,
  workflowName: string,
  scheduleType: "RATE" | "CRON" | "NONE",
): void {
  ctx.db.run(
    "INSERT INTO launch_plans VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    ...rowId(lp.id!),
    createdAt,
    createdAt,
    specDigest,
    lp.closure?.state ?? LaunchPlanState.INACTIVE,
    workflowName,
    scheduleType,
    toBinary(LaunchPlanSchema, lp),
  );
}

/**
 * Builds the launch plan RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { launchPlanService } from "./launch_plans.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = launchPlanService(ctx);
 * ```
 */
export function launchPlanService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;
  return {
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
        assertNewVersion(
          ctx,
          "launch_plans",
          "launch plan",
          id,
          specBytes,
          (row) => {
            const old = fromBinary(LaunchPlanSchema, row.data as Uint8Array);
            return equals(LaunchPlanSpecSchema, old.spec!, spec)
              ? undefined
              : diffFields(LaunchPlanSpecSchema, old.spec!, spec);
          },
        );
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
        insertLaunchPlanRow(
          ctx,
          lp,
          t.iso,
          digest(specBytes),
          spec.workflowId!.name,
          scheduleType,
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
        ctx,
        "launch_plans",
        LaunchPlanSchema,
        "launch_plan",
        req,
        LP_COLUMNS,
      );
      return { launchPlans: r.items, token: r.token };
    },
    listLaunchPlanIds(req) {
      return listIds(ctx, "launch_plans", req);
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
      if (!row) throw notFound("active launch plan", idKey({ ...req.id }));
      return fromBinary(LaunchPlanSchema, row.data as Uint8Array);
    },
    listActiveLaunchPlans(req) {
      const r = listVersioned(
        ctx,
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
  };
}
