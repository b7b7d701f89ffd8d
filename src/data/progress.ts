/**
 * Progress of a transfer, reported to a callback (which the notebook
 * display draws): bytes and files done and expected, and the rate.
 *
 * @module
 */

/**
 * One progress report.
 *
 * @example
 * ```ts
 * import type { TransferProgress } from "./progress.ts";
 * const show = (p: TransferProgress) => console.log(`${p.bytes}/${p.totalBytes} B, ${p.rate} B/s`);
 * ```
 */
export interface TransferProgress {
  /** "upload" or "download". */
  direction: "upload" | "download";
  /** Bytes moved so far. */
  bytes: number;
  /** Bytes expected in all (0 when unknown). */
  totalBytes: number;
  /** Files finished. */
  files: number;
  /** Files expected (0 when unknown). */
  totalFiles: number;
  /** Mean rate since the start, bytes per second. */
  rate: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
  /** Whether this is the last report. */
  done: boolean;
}

/**
 * Called with progress reports (at most about ten a second, and once at
 * the end).
 *
 * @example
 * ```ts
 * import type { ProgressCallback } from "./progress.ts";
 * const onProgress: ProgressCallback = (p) => p.done && console.log(p.rate);
 * ```
 */
export type ProgressCallback = (p: TransferProgress) => void;

/**
 * Counts bytes and files and reports to a callback, throttled.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const p = new Progress("upload", (r) => console.log(r.bytes), { bytes: 10, files: 1 });
 * p.add(10);
 * p.file();
 * p.finish();
 * ```
 */
export class Progress {
  readonly #cb?: ProgressCallback;
  readonly #start = performance.now();
  #last = 0;
  /** Report fields. */
  readonly state: Omit<TransferProgress, "rate" | "elapsedMs" | "done">;

  /** A tracker for one transfer. */
  constructor(
    direction: "upload" | "download",
    cb?: ProgressCallback,
    totals: { bytes?: number; files?: number } = {},
  ) {
    this.#cb = cb;
    this.state = {
      direction,
      bytes: 0,
      totalBytes: totals.bytes ?? 0,
      files: 0,
      totalFiles: totals.files ?? 0,
    };
  }

  /** Adds to the expected totals. */
  expect(bytes: number, files = 0): void {
    this.state.totalBytes += bytes;
    this.state.totalFiles += files;
  }

  /** Counts moved bytes. */
  add(bytes: number): void {
    this.state.bytes += bytes;
    this.#report(false);
  }

  /** Counts a finished file. */
  file(): void {
    this.state.files += 1;
    this.#report(false);
  }

  /** Sends the last report. */
  finish(): void {
    this.#report(true);
  }

  #report(done: boolean) {
    if (!this.#cb) return;
    const now = performance.now();
    if (!done && now - this.#last < 100) return;
    this.#last = now;
    const elapsedMs = now - this.#start;
    this.#cb({
      ...this.state,
      rate: elapsedMs > 0
        ? Math.round(this.state.bytes / (elapsedMs / 1000))
        : 0,
      elapsedMs,
      done,
    });
  }
}
