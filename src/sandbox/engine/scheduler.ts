/**
 * FlyteAdmin's native scheduler (propeller-contract.md §7), done over the
 * AdminService API: active launch plans with a `cron_schedule` (5 fields or
 * an `@` descriptor, UTC) or a fixed `rate` get an execution per tick, named
 * deterministically (`"f"` + 19 hex chars of a UUID built from FNV-1 64 of
 * `project:domain:name:version:<unix seconds>`), with metadata SCHEDULED and
 * `scheduled_at`; cron ticks pass `kickoff_time_input_arg`. The last tick
 * fired per launch plan is kept in the engine's store, so ticks missed while
 * the sandbox was down are caught up on restart.
 *
 * @module
 */
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { LaunchPlan } from "@flyteidl/admin/launch_plan_pb.ts";
import { FixedRateUnit, type Schedule } from "@flyteidl/admin/schedule_pb.ts";
import { ExecutionMetadata_ExecutionMode } from "@flyteidl/admin/execution_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";

const MINUTE = 60_000;
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/**
 * A parsed 5-field cron expression (UTC).
 *
 * @example
 * ```ts
 * import { CronExpression } from "./scheduler.ts";
 * const c = CronExpression.parse("*\/15 * * * *");
 * new Date(c.next(Date.UTC(2026, 0, 1, 0, 7))).toISOString(); // "2026-01-01T00:15:00.000Z"
 * ```
 */
export class CronExpression {
  readonly #minutes: Set<number>;
  readonly #hours: Set<number>;
  readonly #days: Set<number>;
  readonly #months: Set<number>;
  readonly #weekdays: Set<number>;
  readonly #dayStar: boolean;
  readonly #weekdayStar: boolean;

  private constructor(f: string[]) {
    this.#minutes = field(f[0], 0, 59, "minute");
    this.#hours = field(f[1], 0, 23, "hour");
    this.#days = field(f[2], 1, 31, "day of month");
    this.#months = field(f[3], 1, 12, "month");
    this.#weekdays = new Set(
      [...field(f[4], 0, 7, "day of week")].map((d) => d % 7),
    );
    this.#dayStar = f[2] === "*" || f[2] === "?";
    this.#weekdayStar = f[4] === "*" || f[4] === "?";
  }

  /** Parses `expr`; throws a message naming the bad field. */
  static parse(expr: string): CronExpression {
    const text = DESCRIPTORS[expr.trim().toLowerCase()] ?? expr.trim();
    const f = text.split(/\s+/);
    if (f.length !== 5) {
      throw new Error(
        `cron schedule "${expr}": expected 5 fields or an @ descriptor`,
      );
    }
    return new CronExpression(f);
  }

  #dayMatches(d: Date): boolean {
    const dom = this.#days.has(d.getUTCDate());
    const dow = this.#weekdays.has(d.getUTCDay());
    if (this.#dayStar && this.#weekdayStar) return true;
    if (this.#dayStar) return dow;
    if (this.#weekdayStar) return dom;
    return dom || dow;
  }

  /** The first matching minute strictly after `afterMs`. */
  next(afterMs: number): number {
    let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
    const limit = t + 5 * 366 * 24 * 60 * MINUTE;
    while (t < limit) {
      const d = new Date(t);
      if (!this.#months.has(d.getUTCMonth() + 1) || !this.#dayMatches(d)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
        continue;
      }
      if (!this.#hours.has(d.getUTCHours())) {
        t = Date.UTC(
          d.getUTCFullYear(),
          d.getUTCMonth(),
          d.getUTCDate(),
          d.getUTCHours() + 1,
        );
        continue;
      }
      if (this.#minutes.has(d.getUTCMinutes())) return t;
      t += MINUTE;
    }
    throw new Error("cron schedule never fires");
  }
}

function field(
  text: string,
  min: number,
  max: number,
  what: string,
): Set<number> {
  const out = new Set<number>();
  const num = (s: string) => {
    const n = NAMES[s.toLowerCase()] ?? Number(s);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(
        `cron ${what} field "${text}": ${s} is out of range ${min}-${max}`,
      );
    }
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`cron ${what} field "${text}": bad step ${stepText}`);
    }
    let lo: number, hi: number;
    if (range === "*" || range === "?") [lo, hi] = [min, max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-");
      [lo, hi] = [num(a), num(b)];
    } else {
      lo = num(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/**
 * FNV-1 (not 1a) 64-bit hash of a string.
 *
 * @example
 * ```ts
 * import { fnv1_64 } from "./scheduler.ts";
 * fnv1_64("").toString(16); // "cbf29ce484222325"
 * ```
 */
export function fnv1_64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    h ^= BigInt(b);
  }
  return h;
}

/**
 * The name of the execution a schedule creates for a tick.
 *
 * @example
 * ```ts
 * import { scheduledExecutionName } from "./scheduler.ts";
 * scheduledExecutionName({ project: "p", domain: "d", name: "lp", version: "v" } as never, 0).length; // 20
 * ```
 */
export function scheduledExecutionName(
  lp: Identifier,
  scheduledMs: number,
): string {
  const seconds = Math.floor(scheduledMs / 1000);
  const h = fnv1_64(
    `${lp.project}:${lp.domain}:${lp.name}:${lp.version}:${seconds}`,
  );
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setBigUint64(0, h, true);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return "f" + hex.slice(0, 19);
}

/**
 * Ticks of one schedule in (after, until], at most `max`.
 *
 * @example
 * ```ts
 * import { ticksBetween } from "./scheduler.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { ScheduleSchema } from "@flyteidl/admin/schedule_pb.ts";
 * const hourly = create(ScheduleSchema, { ScheduleExpression: { case: "rate", value: { value: 1, unit: 1 } } });
 * ticksBetween(hourly, 0, 2 * 3600_000); // [3600000, 7200000]
 * ```
 */
export function ticksBetween(
  schedule: Schedule,
  afterMs: number,
  untilMs: number,
  max = 100,
): number[] {
  const out: number[] = [];
  const e = schedule.ScheduleExpression;
  if (e.case === "cronSchedule") {
    const cron = CronExpression.parse(e.value.schedule);
    for (
      let t = cron.next(afterMs);
      t <= untilMs && out.length < max;
      t = cron.next(t)
    ) {
      out.push(t);
    }
  } else if (e.case === "rate") {
    const unit = e.value.unit === FixedRateUnit.HOUR
      ? 60 * MINUTE
      : e.value.unit === FixedRateUnit.DAY
      ? 24 * 60 * MINUTE
      : MINUTE;
    const every = Math.max(1, e.value.value) * unit;
    for (
      let t = afterMs + every;
      t <= untilMs && out.length < max;
      t += every
    ) out.push(t);
  }
  return out;
}

/**
 * Where the scheduler keeps the last tick fired per launch plan.
 *
 * @example
 * ```ts
 * import type { ScheduleState } from "./scheduler.ts";
 * const mem = new Map<string, number>();
 * const state: ScheduleState = { lastTick: (k) => mem.get(k), setLastTick: (k, t) => void mem.set(k, t) };
 * ```
 */
export interface ScheduleState {
  /** Last fired tick (ms), if any. */
  lastTick(key: string): number | undefined;
  /** Records a fired tick. */
  setLastTick(key: string, ms: number): void;
}

/**
 * Options of {@link Scheduler}.
 *
 * @example
 * ```ts
 * import type { SchedulerOptions } from "./scheduler.ts";
 * const o: Partial<SchedulerOptions> = { intervalMs: 1000 };
 * ```
 */
export interface SchedulerOptions {
  /** AdminService client. */
  admin: Client<typeof AdminService>;
  /** Persistent last-tick store. */
  state: ScheduleState;
  /** How often to look at active launch plans, ms. Default 1000. */
  intervalMs?: number;
  /** Clock (ms since epoch). Default Date.now. */
  now?: () => number;
}

/**
 * Fires scheduled launch plans. Call {@link Scheduler.tick} (the loop does it
 * every `intervalMs`) to create the executions that are due.
 *
 * @example
 * ```ts ignore
 * import { Scheduler } from "./scheduler.ts";
 * const s = new Scheduler({ admin, state });
 * s.start();
 * ```
 */
export class Scheduler {
  readonly #o: SchedulerOptions;
  #timer?: ReturnType<typeof setInterval>;
  #lastError = "";
  #busy = false;

  /** Creates a stopped scheduler. */
  constructor(o: SchedulerOptions) {
    this.#o = o;
  }

  /** Starts the periodic loop. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.tick().catch((e) => {
        const msg = String((e as Error)?.message ?? e);
        if (msg !== this.#lastError) console.error("scheduler:", msg);
        this.#lastError = msg;
      });
    }, this.#o.intervalMs ?? 1000);
  }

  /** Stops the loop. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #activeLaunchPlans(): Promise<LaunchPlan[]> {
    const admin = this.#o.admin;
    const out: LaunchPlan[] = [];
    const projects = await admin.listProjects({ limit: 1000 });
    for (const p of projects.projects) {
      for (const d of p.domains) {
        let token = "";
        do {
          const page = await admin.listActiveLaunchPlans({
            project: p.id,
            domain: d.id,
            limit: 100,
            token,
          });
          out.push(...page.launchPlans);
          token = page.token;
        } while (token);
      }
    }
    return out;
  }

  /** Creates every execution due now; returns the names created. */
  async tick(): Promise<string[]> {
    if (this.#busy) return [];
    this.#busy = true;
    try {
      const now = (this.#o.now ?? Date.now)();
      const created: string[] = [];
      for (const lp of await this.#activeLaunchPlans()) {
        const schedule = lp.spec?.entityMetadata?.schedule;
        const id = lp.id;
        if (
          !schedule || !id || schedule.ScheduleExpression.case === undefined
        ) continue;
        if (schedule.ScheduleExpression.case === "cronExpression") continue; // deprecated: rejected by admin
        const key = `${id.project}:${id.domain}:${id.name}:${id.version}`;
        let last = this.#o.state.lastTick(key);
        if (last === undefined) {
          // First sight: start from the activation time (no catch-up before it).
          const since = lp.closure?.updatedAt
            ? timestampMs(lp.closure.updatedAt)
            : now;
          last = Math.min(since, now);
          this.#o.state.setLastTick(key, last);
        }
        let ticks: number[];
        try {
          ticks = ticksBetween(schedule, last, now);
        } catch (e) {
          console.error(
            `scheduler: launch plan ${key}: ${(e as Error).message}`,
          );
          continue;
        }
        for (const t of ticks) {
          const name = scheduledExecutionName(id, t);
          const inputs = schedule.ScheduleExpression.case === "cronSchedule" &&
              schedule.kickoffTimeInputArg
            ? {
              literals: {
                [schedule.kickoffTimeInputArg]: {
                  value: {
                    case: "scalar" as const,
                    value: {
                      value: {
                        case: "primitive" as const,
                        value: {
                          value: {
                            case: "datetime" as const,
                            value: timestampFromMs(t),
                          },
                        },
                      },
                    },
                  },
                },
              },
            }
            : undefined;
          try {
            await this.#o.admin.createExecution({
              project: id.project,
              domain: id.domain,
              name,
              inputs,
              spec: {
                launchPlan: id,
                metadata: {
                  mode: ExecutionMetadata_ExecutionMode.SCHEDULED,
                  scheduledAt: timestampFromMs(t),
                },
              },
            });
            created.push(name);
          } catch (e) {
            if (ConnectError.from(e).code !== Code.AlreadyExists) {
              console.error(
                `scheduler: ${key} tick ${new Date(t).toISOString()}: ${e}`,
              );
              break; // retry this tick next round
            }
          }
          this.#o.state.setLastTick(key, t);
        }
      }
      return created;
    } finally {
      this.#busy = false;
    }
  }
}
