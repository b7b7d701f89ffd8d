import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { ScheduleSchema } from "@flyteidl/admin/schedule_pb.ts";
import {
  cronOf,
  cronOfSchedule,
  cronTicks,
} from "../../src/remote/schedule.ts";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

Deno.test("cron ticks include both the start and the end date", () => {
  assertEquals(
    iso(cronTicks(
      "0 0 * * *",
      new Date("2024-01-01T00:00:00Z"),
      new Date("2024-01-03T00:00:00Z"),
    )),
    [
      "2024-01-01T00:00:00.000Z",
      "2024-01-02T00:00:00.000Z",
      "2024-01-03T00:00:00.000Z",
    ],
  );
  // An end just before a tick excludes that tick; a start just after excludes it.
  assertEquals(
    iso(cronTicks(
      "@daily",
      new Date("2024-01-01T00:00:00.001Z"),
      new Date("2024-01-02T23:59:59Z"),
    )),
    ["2024-01-02T00:00:00.000Z"],
  );
  assertEquals(
    cronTicks(
      "30 * * * *",
      new Date("2024-01-01T00:00:00Z"),
      new Date("2024-01-01T00:29:00Z"),
    ),
    [],
  );
});

Deno.test("cron ticks are computed in UTC and respect weekdays", () => {
  // Mondays 09:00 UTC in January 2024: 1, 8, 15, 22, 29.
  assertEquals(
    iso(cronTicks(
      "0 9 * * 1",
      new Date("2024-01-01T00:00:00Z"),
      new Date("2024-01-31T23:59:59Z"),
    )).map((s) => s.slice(0, 13)),
    [
      "2024-01-01T09",
      "2024-01-08T09",
      "2024-01-15T09",
      "2024-01-22T09",
      "2024-01-29T09",
    ],
  );
});

Deno.test("cron ticks: bad ranges and runaway ranges are errors", () => {
  assertThrows(
    () => cronTicks("@hourly", new Date("2024-01-02"), new Date("2024-01-01")),
    RangeError,
    "before its start",
  );
  assertThrows(
    () =>
      cronTicks(
        "* * * * *",
        new Date("2024-01-01"),
        new Date("2024-02-01"),
        100,
      ),
    RangeError,
    "more than 100",
  );
  assertThrows(
    () =>
      cronTicks("99 * * * *", new Date("2024-01-01"), new Date("2024-01-02")),
    TypeError,
    "99 * * * *",
  );
});

Deno.test("flyte schedules: cron_schedule, legacy cron_expression, rate, none", () => {
  assertEquals(cronOf("0 10 * * ? *", "cronExpression"), "0 10 * * *");
  assertThrows(
    () => cronOf("0 10 * * ? 2024", "cronExpression"),
    TypeError,
    "year",
  );
  assertThrows(
    () => cronOf("0 0 10 * * *", "cronSchedule"),
    TypeError,
    "5 fields",
  );
  assertThrows(() => cronOf("@every5m", "cronSchedule"), TypeError, "macro");
  assertEquals(cronOf("@HOURLY", "cronSchedule"), "@hourly");
  assertEquals(
    cronOfSchedule(create(ScheduleSchema, {
      ScheduleExpression: {
        case: "cronSchedule",
        value: { schedule: "*/5 * * * *" },
      },
    })),
    "*/5 * * * *",
  );
  assertThrows(
    () =>
      cronOfSchedule(create(ScheduleSchema, {
        ScheduleExpression: { case: "rate", value: { value: 5 } },
      })),
    TypeError,
    "fixed-rate",
  );
  assertThrows(() => cronOfSchedule(undefined), TypeError, "no schedule");
});
