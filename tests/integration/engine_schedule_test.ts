import { assert, assertEquals } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { ExecutionMetadata_ExecutionMode } from "@flyteidl/admin/execution_pb.ts";
import { FixedRateUnit } from "@flyteidl/admin/schedule_pb.ts";
import { WorkflowExecution_Phase as WfPhase } from "@flyteidl/core/execution_pb.ts";
import { closure, Recorder, taskNode, writeProgram } from "./engine_harness.ts";
import { scheduledExecutionName } from "../../src/sandbox/engine/scheduler.ts";

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

Deno.test("engine scheduler: fixed-rate and cron launch plans fire on time, catch up after a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-sched-" });
  const program = await writeProgram(dir);
  const rec = new Recorder(dir);
  let now = T0 + 3.5 * 60_000;
  const engine = await rec.startEngine({
    scheduler: { intervalMs: 3_600_000, now: () => now },
  });
  try {
    const c = closure(
      program,
      [{ name: "inc", op: "inc", inputs: ["x"] }],
      [taskNode("n0", "inc", { x: 1 })],
      { o: "n0.o0" },
    );
    rec.launchPlans.set("every-minute", c);
    rec.launchPlans.set("cron", c);
    const lpId = (name: string) => ({
      resourceType: 3,
      project: "p",
      domain: "d",
      name,
      version: "v1",
    });
    rec.activeLaunchPlans = [
      create(LaunchPlanSchema, {
        id: lpId("every-minute"),
        spec: {
          entityMetadata: {
            schedule: {
              ScheduleExpression: {
                case: "rate",
                value: { value: 1, unit: FixedRateUnit.MINUTE },
              },
            },
          },
        },
        closure: { updatedAt: timestampFromMs(T0) },
      }),
      create(LaunchPlanSchema, {
        id: lpId("cron"),
        spec: {
          entityMetadata: {
            schedule: {
              ScheduleExpression: {
                case: "cronSchedule",
                value: { schedule: "*/2 * * * *" },
              },
              kickoffTimeInputArg: "kickoff",
            },
          },
        },
        closure: { updatedAt: timestampFromMs(T0) },
      }),
    ];
    const first = await engine.scheduler!.tick();
    // rate: T0+1, +2, +3 min; cron */2: T0+2 min
    assertEquals(first.length, 4);
    const rateNames = [1, 2, 3].map((m) =>
      scheduledExecutionName(lpId("every-minute") as never, T0 + m * 60_000)
    );
    for (const n of rateNames) assert(first.includes(n), n);
    const cronRun = rec.created.find((x) =>
      x.spec.launchPlan?.name === "cron"
    )!;
    assertEquals(
      cronRun.spec.metadata?.mode,
      ExecutionMetadata_ExecutionMode.SCHEDULED,
    );
    assertEquals(
      timestampMs(cronRun.spec.metadata!.scheduledAt!),
      T0 + 2 * 60_000,
    );
    const kick = cronRun.inputs?.literals.kickoff;
    assert(
      kick?.value.case === "scalar" &&
        kick.value.value.value.case === "primitive",
    );
    assertEquals(kick.value.value.value.value.value.case, "datetime");
    // nothing new at the same instant
    assertEquals((await engine.scheduler!.tick()).length, 0);
    for (const n of first) {
      assertEquals(await rec.finished(n), WfPhase.SUCCEEDED);
    }
  } finally {
    await engine.close();
  }
  // restart: ticks missed while down are caught up, none fired twice
  now = T0 + 5.5 * 60_000;
  const again = await rec.startEngine({
    scheduler: { intervalMs: 3_600_000, now: () => now },
  });
  try {
    const caught = await again.scheduler!.tick();
    assertEquals(
      caught.sort(),
      [
        scheduledExecutionName(
          { project: "p", domain: "d", name: "cron", version: "v1" } as never,
          T0 + 4 * 60_000,
        ),
        scheduledExecutionName(
          {
            project: "p",
            domain: "d",
            name: "every-minute",
            version: "v1",
          } as never,
          T0 + 4 * 60_000,
        ),
        scheduledExecutionName(
          {
            project: "p",
            domain: "d",
            name: "every-minute",
            version: "v1",
          } as never,
          T0 + 5 * 60_000,
        ),
      ].sort(),
    );
    for (const n of caught) {
      assertEquals(await rec.finished(n), WfPhase.SUCCEEDED);
    }
  } finally {
    await again.close();
  }
});
