/**
 * Datetime and duration conversions: protobuf Timestamp/Duration, and the
 * strings flytekit writes inside msgpack records (Python `isoformat()`,
 * pydantic ISO-8601 durations).
 *
 * @module
 */
import type { Duration as PbDuration, Timestamp } from "@bufbuild/protobuf/wkt";
import { Duration, PreciseDate } from "./values.ts";

/**
 * A Timestamp message for a Date (keeping a PreciseDate's extra nanos).
 *
 * @example
 * ```ts
 * import { timestampOf } from "./time.ts";
 * console.log(timestampOf(new Date(1500)).nanos); // 500000000
 * ```
 */
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

/**
 * A Date (a PreciseDate when sub-millisecond nanos are present).
 *
 * @example
 * ```ts
 * import { dateOf } from "./time.ts";
 * console.log(dateOf(1, 500_000_000).getTime()); // 1500
 * ```
 */
export function dateOf(seconds: number, nanos: number): Date {
  const ms = seconds * 1000 + Math.floor(nanos / 1e6);
  const sub = nanos % 1e6;
  return sub === 0 ? new Date(ms) : new PreciseDate(ms, sub);
}

/**
 * A Duration message.
 *
 * @example
 * ```ts
 * import { pbDurationOf } from "./time.ts";
 * import { Duration } from "./values.ts";
 * console.log(pbDurationOf(new Duration(2)).seconds); // 2n
 * ```
 */
export function pbDurationOf(d: Duration): PbDuration {
  return {
    $typeName: "google.protobuf.Duration",
    seconds: BigInt(d.seconds),
    nanos: d.nanos,
  };
}

/**
 * The UTC offset form of datetimes read by {@link parseIsoDatetime} from a
 * naive text ("") or one ending in "Z": written back in the same form, so a
 * record read from Python goes back byte for byte (a Python dataclass with a
 * naive datetime reads it back naive, not aware). Dates made in JS have no
 * entry and are written as aware UTC ("+00:00").
 */
const utcForm = new WeakMap<Date, "" | "Z">();

/** The offset form of an ISO text whose offset is none or "Z"; else undefined. */
function offsetFormOf(text: string): "" | "Z" | undefined {
  const last = text.charCodeAt(text.length - 1);
  if (last === 90 || last === 122) return "Z"; // Z z
  // Naive: the text ends in the time of day (no "+hh:mm" / "-hh:mm" after it).
  return /T[\d:.,]+$/.test(text) ? "" : undefined;
}

/**
 * Python's `datetime.isoformat()` of the value as an aware UTC datetime:
 * `2024-01-02T03:04:05.123456+00:00` (microseconds only when non-zero).
 * A Date read by {@link parseIsoDatetime} from a naive text (or one ending in
 * "Z") is written the same way back, without an offset (or with "Z").
 * Python datetimes cover the years 1 to 9999; others throw a RangeError.
 *
 * @example
 * ```ts
 * import { pythonIsoformat } from "./time.ts";
 * console.log(pythonIsoformat(new Date(0))); // "1970-01-01T00:00:00+00:00"
 * ```
 */
export function pythonIsoformat(date: Date): string {
  const form = utcForm.get(date);
  const s = utcIsoformat(date);
  return form === undefined ? s : s.slice(0, -6) + form;
}

function utcIsoformat(date: Date): string {
  // The common case (years 1000-9999, whole microseconds of a plain Date)
  // from the fields; the same text as the general form below, faster.
  const y = date.getUTCFullYear();
  if (y >= 1000 && y <= 9999 && !(date instanceof PreciseDate)) {
    const s = y + "-" + TWO_DIGITS[date.getUTCMonth() + 1] + "-" +
      TWO_DIGITS[date.getUTCDate()] + "T" + TWO_DIGITS[date.getUTCHours()] +
      ":" + TWO_DIGITS[date.getUTCMinutes()] + ":" +
      TWO_DIGITS[date.getUTCSeconds()];
    const ms = date.getUTCMilliseconds();
    return ms === 0 ? s + "+00:00" : s + "." + THREE_DIGITS[ms] + "000+00:00";
  }
  return pythonIsoformatGeneral(date);
}

const TWO_DIGITS: readonly string[] = Array.from(
  { length: 100 },
  (_, i) => String(i).padStart(2, "0"),
);
const THREE_DIGITS: readonly string[] = Array.from(
  { length: 1000 },
  (_, i) => String(i).padStart(3, "0"),
);

/**
 * {@link pythonIsoformat} by way of `toISOString` (every case; the fast
 * path is tested against it).
 *
 * @example
 * ```ts
 * import { pythonIsoformatGeneral } from "./time.ts";
 * console.log(pythonIsoformatGeneral(new Date(1))); // "1970-01-01T00:00:00.001000+00:00"
 * ```
 */
export function pythonIsoformatGeneral(date: Date): string {
  const iso = date.toISOString(); // "2024-01-02T03:04:05.123Z"
  if (iso.length !== 24 || iso.startsWith("0000")) {
    throw new RangeError(
      `${iso} is outside the years 1 to 9999 that Python datetimes cover`,
    );
  }
  const micros = date.getUTCMilliseconds() * 1000 +
    (date instanceof PreciseDate
      ? Math.floor(date.subMillisecondNanos / 1000)
      : 0);
  if (micros === 0) return iso.slice(0, 19) + "+00:00";
  return iso.slice(0, 19) + "." + String(micros).padStart(6, "0") + "+00:00";
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?)?$/;

/**
 * Parses an ISO-8601 datetime as Python writes it; a naive value is taken as
 * UTC (as flytekit does). Returns undefined when the text is not one.
 *
 * @example
 * ```ts
 * import { parseIsoDatetime } from "./time.ts";
 * console.log(parseIsoDatetime("2024-01-02T03:04:05")?.toISOString()); // naive = UTC
 * ```
 */
export function parseIsoDatetime(text: string): Date | undefined {
  const d = parseFlytekitDatetime(text) ?? parseIsoDatetimeGeneral(text);
  if (d !== undefined) {
    const form = offsetFormOf(text);
    if (form !== undefined) utcForm.set(d, form);
  }
  return d;
}

/** Decimal digits at [i, i + n) of `s`, or -1. */
function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The form flytekit writes (`YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, years
 * 100 and up) without the regular expression; undefined for anything else.
 * Computes exactly what {@link parseIsoDatetimeGeneral} computes.
 */
function parseFlytekitDatetime(text: string): Date | undefined {
  const n = text.length;
  if (n !== 25 && n !== 32) return undefined;
  if (
    text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 || !text.endsWith("+00:00")
  ) return undefined;
  let nanos = 0;
  if (n === 32) {
    if (text.charCodeAt(19) !== 46) return undefined;
    const f = digitsAt(text, 20, 6);
    if (f < 0) return undefined;
    nanos = f * 1000;
  }
  const y = digitsAt(text, 0, 4), mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2), h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2), s = digitsAt(text, 17, 2);
  if (y < 100 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) {
    return undefined;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(ms)) return undefined;
  return dateOf(Math.floor(ms / 1000), (ms % 1000 + 1000) % 1000 * 1e6 + nanos);
}

/**
 * {@link parseIsoDatetime} by the regular expression (every form; the fast
 * path is tested against it).
 *
 * @example
 * ```ts
 * import { parseIsoDatetimeGeneral } from "./time.ts";
 * console.log(parseIsoDatetimeGeneral("2024-01-02 03:04Z")?.toISOString()); // "2024-01-02T03:04:00.000Z"
 * ```
 */
export function parseIsoDatetimeGeneral(text: string): Date | undefined {
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

/**
 * Parses an ISO-8601 duration (pydantic's timedelta form), or undefined.
 *
 * @example
 * ```ts
 * import { parseIsoDuration } from "./time.ts";
 * console.log(parseIsoDuration("PT1M30.5S")?.toSeconds()); // 90.5
 * ```
 */
export function parseIsoDuration(text: string): Duration | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m || text.endsWith("P") || text.endsWith("T")) return undefined;
  const [, sign, w, d, h, mi, s] = m;
  const secs = (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 +
    Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
  const out = Duration.fromSeconds(sign === "-" ? -secs : secs);
  isoDurationText.set(out, text);
  return out;
}

/**
 * The text of Durations read by {@link parseIsoDuration} (a pydantic
 * model's timedelta), to write them back as they came; Durations are
 * immutable, so the text stays theirs.
 */
const isoDurationText = new WeakMap<Duration, string>();

/**
 * The ISO-8601 text a Duration was read from by {@link parseIsoDuration}
 * (so a pydantic record goes back byte for byte), else undefined.
 *
 * @example
 * ```ts
 * import { isoDurationTextOf, parseIsoDuration } from "./time.ts";
 * console.log(isoDurationTextOf(parseIsoDuration("PT1M30.5S")!)); // "PT1M30.5S"
 * ```
 */
export function isoDurationTextOf(d: Duration): string | undefined {
  return isoDurationText.get(d);
}
