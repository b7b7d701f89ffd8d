/**
 * JavaScript value classes for the Flyte types that have no plain JS
 * counterpart: durations, datetimes with sub-millisecond precision, files,
 * directories, structured datasets and task errors.
 *
 * @module
 */

/**
 * A span of time, as a Flyte DURATION (google.protobuf.Duration): whole
 * seconds and nanoseconds with the same sign. Python sees a `timedelta`.
 *
 * @example
 * ```ts
 * import { Duration } from "./values.ts";
 * const d = Duration.fromMillis(1500);
 * console.log(d.seconds, d.nanos, d.toSeconds()); // 1 500000000 1.5
 * ```
 */
export class Duration {
  /** Whole seconds (same sign as `nanos`). */
  readonly seconds: number;
  /** Nanoseconds, -999,999,999 to 999,999,999 (same sign as `seconds`). */
  readonly nanos: number;

  /**
   * Makes a duration of `seconds` plus `nanos`.
   *
   * @param seconds whole seconds (a safe integer)
   * @param nanos nanoseconds; normalised so that both parts share a sign
   */
  constructor(seconds: number, nanos = 0) {
    if (!Number.isSafeInteger(seconds) || !Number.isInteger(nanos)) {
      throw new RangeError(
        `Duration needs integer seconds and nanos, got ${seconds}, ${nanos}`,
      );
    }
    let s = seconds + Math.trunc(nanos / 1e9);
    let n = nanos % 1e9;
    if (s > 0 && n < 0) {
      s -= 1;
      n += 1e9;
    } else if (s < 0 && n > 0) {
      s += 1;
      n -= 1e9;
    }
    this.seconds = s;
    this.nanos = n === 0 ? 0 : n; // no -0
  }

  /**
   * A duration of `ms` milliseconds (fractions kept to the nanosecond).
   *
   * @example
   * ```ts
   * import { Duration } from "./values.ts";
   * console.log(Duration.fromMillis(-250).toMillis()); // -250
   * ```
   */
  static fromMillis(ms: number): Duration {
    if (!Number.isFinite(ms)) throw new RangeError(`bad duration ${ms} ms`);
    const s = Math.trunc(ms / 1000);
    return new Duration(s, Math.round((ms - s * 1000) * 1e6));
  }

  /**
   * A duration of `s` seconds (fractions kept to the microsecond, as
   * Python's timedelta keeps them).
   *
   * @example
   * ```ts
   * import { Duration } from "./values.ts";
   * console.log(Duration.fromSeconds(90.5).toString()); // "PT90.5S"
   * ```
   */
  static fromSeconds(s: number): Duration {
    if (!Number.isFinite(s)) throw new RangeError(`bad duration ${s} s`);
    const whole = Math.trunc(s);
    const micros = Math.round((s - whole) * 1e6);
    return new Duration(whole, micros * 1000);
  }

  /**
   * Total milliseconds as a number.
   *
   * @example
   * ```ts
   * import { Duration } from "./values.ts";
   * console.log(new Duration(2, 5e8).toMillis()); // 2500
   * ```
   */
  toMillis(): number {
    return this.seconds * 1000 + this.nanos / 1e6;
  }

  /**
   * Total seconds as a number (Python's `total_seconds()`).
   *
   * @example
   * ```ts
   * import { Duration } from "./values.ts";
   * console.log(new Duration(2, 5e8).toSeconds()); // 2.5
   * ```
   */
  toSeconds(): number {
    return this.seconds + this.nanos / 1e9;
  }

  /**
   * ISO-8601 form, e.g. `PT1.5S` or `-PT3S`.
   *
   * @example
   * ```ts
   * import { Duration } from "./values.ts";
   * console.log(String(Duration.fromMillis(3000))); // "PT3S"
   * ```
   */
  toString(): string {
    const neg = this.seconds < 0 || this.nanos < 0;
    const s = Math.abs(this.seconds);
    const n = Math.abs(this.nanos);
    const frac = n === 0
      ? ""
      : "." + String(n).padStart(9, "0").replace(/0+$/, "");
    return `${neg ? "-" : ""}PT${s}${frac}S`;
  }
}

/**
 * A Date that keeps the sub-millisecond part of a Flyte DATETIME
 * (google.protobuf.Timestamp), so a value read from Python (which has
 * microseconds) goes back unchanged. It is a real `Date` otherwise.
 *
 * @example
 * ```ts
 * import { PreciseDate } from "./values.ts";
 * const d = new PreciseDate(Date.UTC(2024, 0, 2), 123_456);
 * console.log(d.toISOString(), d.subMillisecondNanos); // "2024-01-02T00:00:00.000Z" 123456
 * ```
 */
export class PreciseDate extends Date {
  /** Nanoseconds beyond the millisecond, 0 to 999,999. */
  readonly subMillisecondNanos: number;

  /**
   * Makes a Date with extra sub-millisecond nanoseconds.
   *
   * @param epochMillis whole milliseconds since the epoch
   * @param subMillisecondNanos 0 to 999,999 further nanoseconds
   */
  constructor(epochMillis: number, subMillisecondNanos: number) {
    super(epochMillis);
    if (
      !Number.isInteger(subMillisecondNanos) || subMillisecondNanos < 0 ||
      subMillisecondNanos > 999_999
    ) {
      throw new RangeError(`bad sub-millisecond nanos ${subMillisecondNanos}`);
    }
    this.subMillisecondNanos = subMillisecondNanos;
  }
}

/**
 * A file by URI: a Flyte Blob of SINGLE dimensionality (flytekit's
 * `FlyteFile`). The type engine passes the URI through as it is; uploading
 * local files is the data layer's job.
 *
 * @example
 * ```ts
 * import { FlyteFile } from "./values.ts";
 * const f = new FlyteFile("s3://bucket/data.csv", { format: "csv" });
 * console.log(f.uri, f.format); // "s3://bucket/data.csv" "csv"
 * ```
 */
export class FlyteFile {
  /** Where the file is. */
  readonly uri: string;
  /** The blob format ("" when not given), e.g. "csv". */
  readonly format: string;
  /** Literal metadata (flytekit's `FlyteFile.metadata`). */
  readonly metadata: Readonly<Record<string, string>>;

  /**
   * Makes a file reference.
   *
   * @param uri where the file is
   * @param options format and metadata
   */
  constructor(
    uri: string,
    options: { format?: string; metadata?: Record<string, string> } = {},
  ) {
    this.uri = uri;
    this.format = options.format ?? "";
    this.metadata = options.metadata ?? {};
  }

  /**
   * The URI.
   *
   * @example
   * ```ts
   * import { FlyteFile } from "./values.ts";
   * console.log(`${new FlyteFile("file:///tmp/a")}`); // "file:///tmp/a"
   * ```
   */
  toString(): string {
    return this.uri;
  }
}

/**
 * A directory by URI prefix: a Flyte Blob of MULTIPART dimensionality
 * (flytekit's `FlyteDirectory`).
 *
 * @example
 * ```ts
 * import { FlyteDirectory } from "./values.ts";
 * const d = new FlyteDirectory("s3://bucket/images/");
 * console.log(d.uri); // "s3://bucket/images/"
 * ```
 */
export class FlyteDirectory {
  /** Where the directory is. */
  readonly uri: string;
  /** The blob format ("" when not given). */
  readonly format: string;

  /**
   * Makes a directory reference.
   *
   * @param uri the directory prefix
   * @param options format
   */
  constructor(uri: string, options: { format?: string } = {}) {
    this.uri = uri;
    this.format = options.format ?? "";
  }

  /**
   * The URI.
   *
   * @example
   * ```ts
   * import { FlyteDirectory } from "./values.ts";
   * console.log(`${new FlyteDirectory("file:///tmp/d")}`); // "file:///tmp/d"
   * ```
   */
  toString(): string {
    return this.uri;
  }
}

/**
 * A structured dataset (a dataframe) by URI and format (flytekit's
 * `StructuredDataset`), e.g. a folder of parquet files.
 *
 * @example
 * ```ts
 * import { StructuredDataset } from "./values.ts";
 * const sd = new StructuredDataset("s3://bucket/df", { format: "parquet" });
 * console.log(sd.format); // "parquet"
 * ```
 */
export class StructuredDataset {
  /** Where the data is. */
  readonly uri: string;
  /** The file format, e.g. "parquet" ("" when unknown). */
  readonly format: string;

  /**
   * Makes a dataset reference.
   *
   * @param uri where the data is
   * @param options format
   */
  constructor(uri: string, options: { format?: string } = {}) {
    this.uri = uri;
    this.format = options.format ?? "";
  }

  /**
   * The URI.
   *
   * @example
   * ```ts
   * import { StructuredDataset } from "./values.ts";
   * console.log(`${new StructuredDataset("s3://b/df")}`); // "s3://b/df"
   * ```
   */
  toString(): string {
    return this.uri;
  }
}

/**
 * A task error carried as a value (Flyte simple type ERROR, flytekit's
 * `FlyteError`), e.g. the input of a failure-handling node.
 *
 * @example
 * ```ts
 * import { FlyteErrorValue } from "./values.ts";
 * const e = new FlyteErrorValue("n0", "boom");
 * console.log(e.failedNodeId, e.message); // "n0" "boom"
 * ```
 */
export class FlyteErrorValue {
  /** The node that failed. */
  readonly failedNodeId: string;
  /** Its error message. */
  readonly message: string;

  /**
   * Makes an error value.
   *
   * @param failedNodeId the node that failed
   * @param message its error message
   */
  constructor(failedNodeId: string, message: string) {
    this.failedNodeId = failedNodeId;
    this.message = message;
  }
}
