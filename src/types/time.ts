/**
 * Datetime and duration conversions: protobuf Timestamp/Duration, and the
 * strings flytekit writes inside msgpack records (Python `isoformat()`,
 * pydantic ISO-8601 durations).
 *
 * @module
 */
import type { Duration as PbDuration, Timestamp } from "@bufbuild/protobuf/wkt";
import { Duration, PreciseDate } from "./values.ts";

/** A Timestamp message for a Date (keeping a PreciseDate's extra nanos). */
export function timestampOf(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  const extra = date instanceof PreciseDate ? date.subMillisecondNanos : 0;
  return {
    $typeName: "google.protobuf.Timestamp",
    seconds: BigInt(seconds),
    nanos: (ms - seconds * 1000) * 1e6 + extra,
  };
}

/** A Date (a PreciseDate when sub-millisecond nanos are present). */
export function dateOf(seconds: number, nanos: number): Date {
  const ms = seconds * 1000 + Math.floor(nanos / 1e6);
  const sub = nanos % 1e6;
  return sub === 0 ? new Date(ms) : new PreciseDate(ms, sub);
}

/** A Duration message. */
export function pbDurationOf(d: Duration): PbDuration {
  return {
    $typeName: "google.protobuf.Duration",
    seconds: BigInt(d.seconds),
    nanos: d.nanos,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * Python's `datetime.isoformat()` of the value as an aware UTC datetime:
 * `2024-01-02T03:04:05.123456+00:00` (microseconds only when non-zero).
 */
export function pythonIsoformat(date: Date): string {
  const micros = date.getUTCMilliseconds() * 1000 +
    (date instanceof PreciseDate
      ? Math.floor(date.subMillisecondNanos / 1000)
      : 0);
  const y = date.getUTCFullYear();
  return `${pad(y, 4)}-${pad(date.getUTCMonth() + 1)}-${
    pad(date.getUTCDate())
  }T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${
    pad(date.getUTCSeconds())
  }${micros ? "." + pad(micros, 6) : ""}+00:00`;
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?)?$/;

/**
 * Parses an ISO-8601 datetime as Python writes it; a naive value is taken as
 * UTC (as flytekit does). Returns undefined when the text is not one.
 */
export function parseIsoDatetime(text: string): Date | undefined {
  const m = ISO_DATETIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", tz] = m;
  const nanos = Number((frac + "000000000").slice(0, 9));
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (+y < 100) {
    const dt = new Date(ms);
    dt.setUTCFullYear(+y);
    ms = dt.getTime();
  }
  if (Number.isNaN(ms)) return undefined;
  if (tz && tz !== "Z" && tz !== "z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const parts = tz.slice(1).replace(/:/g, "");
    const oh = Number(parts.slice(0, 2));
    const om = Number(parts.slice(2, 4) || "0");
    const os = Number(parts.slice(4) || "0");
    ms -= sign * ((oh * 60 + om) * 60 + os) * 1000;
  }
  return dateOf(Math.floor(ms / 1000), (ms % 1000 + 1000) % 1000 * 1e6 + nanos);
}

const ISO_DURATION =
  /^([+-])?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO-8601 duration (pydantic's timedelta form), or undefined. */
export function parseIsoDuration(text: string): Duration | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m || text.endsWith("P") || text.endsWith("T")) return undefined;
  const [, sign, w, d, h, mi, s] = m;
  const secs = (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 +
    Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
  return Duration.fromSeconds(sign === "-" ? -secs : secs);
}
