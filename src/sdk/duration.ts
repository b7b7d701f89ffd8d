/**
 * Durations as options take them: seconds, `"1h30m"`-style strings, or
 * `{ seconds, nanos }`.
 *
 * @module
 */
import { DefinitionError } from "./errors.ts";

/**
 * A duration: a number of seconds, a string of `<n><unit>` parts (units
 * `ms`, `s`, `m`, `h`, `d`), or `{ seconds, nanos }`.
 *
 * @example
 * ```ts
 * import type { DurationLike } from "./duration.ts";
 * const d: DurationLike = "1h30m";
 * console.log(d);
 * ```
 */
export type DurationLike = number | string | {
  seconds: number | bigint;
  nanos?: number;
};

const UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/**
 * A protobuf Duration init (`{ seconds: bigint, nanos }`) for `d`; `where`
 * names the option in errors.
 *
 * @example
 * ```ts
 * import { toPbDuration } from "./duration.ts";
 * console.log(toPbDuration("1m30s", "timeout").seconds); // 90n
 * ```
 */
export function toPbDuration(
  d: DurationLike,
  where: string,
): { seconds: bigint; nanos: number } {
  let total: number;
  if (typeof d === "number") total = d;
  else if (typeof d === "string") {
    const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== d) {
      throw new DefinitionError(
        where,
        `cannot read the duration ${
          JSON.stringify(d)
        } (use e.g. "90s", "1h30m")`,
      );
    }
    total = parts.reduce((s, p) => s + Number(p[1]) * UNITS[p[2]], 0);
  } else if (typeof d === "object" && d !== null && "seconds" in d) {
    return { seconds: BigInt(d.seconds), nanos: d.nanos ?? 0 };
  } else {
    throw new DefinitionError(where, `expected a duration, got ${String(d)}`);
  }
  if (!Number.isFinite(total) || total < 0) {
    throw new DefinitionError(where, `expected a duration, got ${String(d)}`);
  }
  const seconds = Math.floor(total);
  return {
    seconds: BigInt(seconds),
    nanos: Math.round((total - seconds) * 1e9),
  };
}
