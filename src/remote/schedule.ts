/**
 * Cron schedule arithmetic for backfills: the ticks of a launch plan's
 * schedule between two dates, computed in UTC (as Flyte's native scheduler
 * does) with the `croner` parser.
 *
 * @module
 */
import { Cron } from "croner";
import type { Schedule } from "@flyteidl/admin/schedule_pb.ts";

/**
 * Normalises a Flyte cron schedule to the standard five-field form croner
 * reads: `cron_schedule.schedule` (five fields or `@hourly`-style macros) is
 * used as is; the deprecated `cron_expression` (AWS form: six fields ending in
 * a year, `?` for "any") has its year field dropped (only `*` is supported
 * there) and `?` replaced by `*`. Throws a TypeError otherwise.
 *
 * @example
 * ```ts
 * import { cronOf } from "./schedule.ts";
 * cronOf("0 10 * * ? *", "cronExpression"); // "0 10 * * *"
 * ```
 */
export function cronOf(
  expression: string,
  source: "cronSchedule" | "cronExpression",
): string {
  const text = expression.trim();
  if (text.startsWith("@")) {
    const macro = text.toLowerCase();
    const known = [
      "@yearly",
      "@annually",
      "@monthly",
      "@weekly",
      "@daily",
      "@midnight",
      "@hourly",
    ];
    if (!known.includes(macro)) {
      throw new TypeError(
        `schedule ${JSON.stringify(text)}: unknown macro (known: ${
          known.join(", ")
        })`,
      );
    }
    return macro;
  }
  const fields = text.split(/\s+/);
  if (source === "cronExpression" && fields.length === 6) {
    if (fields[5] !== "*") {
      throw new TypeError(
        `schedule ${
          JSON.stringify(text)
        }: a year field other than * is not supported`,
      );
    }
    fields.pop();
  }
  if (fields.length !== 5) {
    throw new TypeError(
      `schedule ${
        JSON.stringify(text)
      }: expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`,
    );
  }
  return fields.map((f) => f === "?" ? "*" : f).join(" ");
}

/**
 * The five-field cron of a launch plan schedule; throws a TypeError when the
 * schedule is missing or a fixed rate (backfills need a cron schedule).
 *
 * @example
 * ```ts
 * import { cronOfSchedule } from "./schedule.ts";
 * ```
 */
export function cronOfSchedule(schedule: Schedule | undefined): string {
  const expr = schedule?.ScheduleExpression;
  switch (expr?.case) {
    case "cronSchedule":
      return cronOf(expr.value.schedule, "cronSchedule");
    case "cronExpression":
      return cronOf(expr.value, "cronExpression");
    case "rate":
      throw new TypeError(
        "the launch plan has a fixed-rate schedule; backfill needs a cron schedule",
      );
    default:
      throw new TypeError(
        "the launch plan has no schedule; backfill needs a cron schedule",
      );
  }
}

/**
 * Every tick of `cron` (UTC) with `from <= tick <= to` — both ends included.
 * Throws a RangeError when `to` is before `from` or more than `max` ticks
 * (default 10,000) fall in the range.
 *
 * @example
 * ```ts
 * import { cronTicks } from "./schedule.ts";
 * cronTicks("0 * * * *", new Date("2024-01-01T00:00Z"), new Date("2024-01-01T02:00Z"));
 * // [00:00, 01:00, 02:00]
 * ```
 */
export function cronTicks(
  cron: string,
  from: Date,
  to: Date,
  max = 10_000,
): Date[] {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new RangeError("backfill dates must be valid dates");
  }
  if (to < from) {
    throw new RangeError(
      `backfill end ${to.toISOString()} is before its start ${from.toISOString()}`,
    );
  }
  let job: Cron;
  try {
    job = new Cron(cron, { timezone: "UTC", paused: true });
  } catch (e) {
    throw new TypeError(
      `schedule ${JSON.stringify(cron)}: ${(e as Error).message}`,
    );
  }
  const ticks: Date[] = [];
  let cursor: Date | null = job.nextRun(new Date(from.getTime() - 1));
  while (cursor && cursor <= to) {
    if (ticks.length >= max) {
      throw new RangeError(
        `backfill range holds more than ${max} schedule ticks; narrow the dates`,
      );
    }
    ticks.push(cursor);
    cursor = job.nextRun(cursor);
  }
  job.stop();
  return ticks;
}
