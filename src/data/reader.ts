/**
 * Reading a file, directory or dataset output into the notebook:
 * `remote.data(out).text()`, `.json()`, `.bytes()`, `.stream()`,
 * `for await (const f of remote.data(dir).files())`, and a dataset's first
 * rows (CSV, JSON lines) read from the start of the data only.
 *
 * @module
 */
import { FlyteInvalidInputError } from "../client/errors.ts";
import {
  FlyteDirectory,
  FlyteFile,
  StructuredDataset,
} from "../types/values.ts";
import type { DownloadOptions } from "./download.ts";
import type { DataTransfer } from "./transfer.ts";

/** What {@link FlyteData} can read. */
export type DataSource =
  | FlyteFile
  | FlyteDirectory
  | StructuredDataset
  | string;

/**
 * A handle on remote data, bound to a DataTransfer: reads a file whole or
 * as a stream, lists a directory, and reads a dataset's first rows.
 * Obtained with `remote.data(value)`.
 *
 * @example
 * ```ts
 * import { FlyteData } from "./reader.ts";
 * declare const transfer: import("./transfer.ts").DataTransfer;
 * const report = new FlyteData(transfer, "flyte://v1/p/d/f123/n0/o/report");
 * console.log(await report.text());
 * ```
 */
export class FlyteData {
  readonly #tp: DataTransfer | Promise<DataTransfer>;
  /** The URI read. */
  readonly uri: string;
  /** The format (blob or dataset format, "" when unknown). */
  readonly format: string;
  /** Path relative to the listed directory (for entries of `files()`). */
  readonly path: string;
  /** Size in bytes when known (entries of `files()`), else -1. */
  readonly size: number;

  /** Binds `source` to `transfer`. */
  constructor(
    transfer: DataTransfer | Promise<DataTransfer>,
    source: DataSource,
    entry: { path?: string; size?: number } = {},
  ) {
    this.#tp = transfer;
    if (typeof source === "string") {
      this.uri = source;
      this.format = "";
    } else if (
      source instanceof FlyteFile || source instanceof FlyteDirectory ||
      source instanceof StructuredDataset
    ) {
      this.uri = source.uri;
      this.format = source.format;
    } else {
      throw new FlyteInvalidInputError(
        `data: expected a FlyteFile, FlyteDirectory, StructuredDataset or URI, got ${
          source === null ? "null" : typeof source
        }`,
      );
    }
    if (!this.uri) {
      throw new FlyteInvalidInputError("data: the value has no URI");
    }
    this.path = entry.path ?? "";
    this.size = entry.size ?? -1;
  }

  /**
   * The file's bytes as a stream (checked against the server's length/md5).
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const f: FlyteData;
   * await (await f.stream()).pipeTo(Deno.stdout.writable);
   * ```
   */
  async stream(): Promise<ReadableStream<Uint8Array>> {
    return await (await this.#tp).open(this.uri);
  }

  /**
   * The file's bytes.
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const f: FlyteData;
   * const b = await f.bytes();
   * ```
   */
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(
      await new Response(await this.stream()).arrayBuffer(),
    );
  }

  /**
   * The file as UTF-8 text.
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const f: FlyteData;
   * console.log(await f.text());
   * ```
   */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /**
   * The file parsed as JSON; a parse error names the URI.
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const f: FlyteData;
   * const cfg = await f.json<{ lr: number }>();
   * ```
   */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new FlyteInvalidInputError(
        `[${this.uri}] is not JSON: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  /**
   * The files of a directory (recursively, sorted), each a FlyteData with
   * its relative `path` and `size`.
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const dir: FlyteData;
   * for await (const f of dir.files()) console.log(f.path, f.size);
   * ```
   */
  async *files(): AsyncGenerator<FlyteData> {
    for (const e of await (await this.#tp).list(this.uri)) {
      yield new FlyteData(this.#tp, new FlyteFile(e.uri), e);
    }
  }

  /**
   * The first `n` rows of a CSV, JSON-lines or Parquet file or dataset (a
   * directory: its first file). CSV and JSON lines are read from the start
   * of the data only and CSV rows are objects keyed by the header, with
   * string values; Parquet (hyparquet) reads the footer and the row groups
   * holding those rows, through HTTP Range requests.
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const df: FlyteData;
   * console.table(await df.head(5));
   * ```
   */
  async head(n = 10): Promise<Record<string, unknown>[]> {
    let target: string = this.uri;
    let name = this.uri;
    const entries = await (await this.#tp).list(this.uri).catch(() =>
      undefined
    );
    if (entries) {
      const first = entries.find((e) => !/(^|\/)[._]/.test(e.path));
      if (!first) {
        throw new FlyteInvalidInputError(`[${this.uri}] has no files`);
      }
      target = first.uri;
      name = first.path;
    }
    const kind = formatOf(this.format, name);
    if (kind === "parquet") {
      const { cachedAsyncBuffer, parquetReadObjects } = await import(
        "hyparquet"
      );
      const file = cachedAsyncBuffer(await (await this.#tp).openRanges(target));
      try {
        return await parquetReadObjects({ file, rowStart: 0, rowEnd: n });
      } catch (e) {
        throw new FlyteInvalidInputError(
          `[${target}] cannot be read as Parquet: ${(e as Error).message}`,
          { cause: e },
        );
      }
    }
    if (!kind) {
      throw new FlyteInvalidInputError(
        `[${this.uri}]: first rows can be read from CSV, JSON lines or Parquet, not format [${
          this.format || name.split(".").pop()
        }]`,
      );
    }
    const out: Record<string, unknown>[] = [];
    let header: string[] | undefined;
    for await (const line of lines(await (await this.#tp).open(target))) {
      if (out.length >= n) break;
      if (line.trim() === "") continue;
      if (kind === "jsonl") {
        try {
          out.push(JSON.parse(line));
        } catch (e) {
          throw new FlyteInvalidInputError(
            `[${target}] row ${out.length + 1} is not JSON: ${
              (e as Error).message
            }`,
          );
        }
      } else if (!header) header = csvFields(line);
      else {
        const f = csvFields(line);
        out.push(Object.fromEntries(header.map((h, i) => [h, f[i] ?? ""])));
      }
    }
    return out;
  }

  /**
   * Downloads to `localPath` (see DataTransfer.download).
   *
   * @example
   * ```ts
   * import type { FlyteData } from "./reader.ts";
   * declare const f: FlyteData;
   * await f.download("./out.csv", { overwrite: true });
   * ```
   */
  async download(
    localPath: string,
    options?: DownloadOptions,
  ): Promise<string> {
    return await (await this.#tp).download(this.uri, localPath, options);
  }
}

function formatOf(
  format: string,
  name: string,
): "csv" | "jsonl" | "parquet" | undefined {
  const f = (format || name.split(".").pop() || "").toLowerCase();
  if (f === "csv") return "csv";
  if (f === "parquet" || f === "pq") return "parquet";
  if (f === "jsonl" || f === "ndjson" || f === "jsonlines") return "jsonl";
  return undefined;
}

/** Lines of a UTF-8 stream; cancels the stream when the reader stops. */
async function* lines(s: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = s.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        yield buf.slice(0, i).replace(/\r$/, "");
        buf = buf.slice(i + 1);
      }
    }
    if (buf) yield buf;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Fields of one CSV line (quoted fields with `""` escapes; no newlines inside). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}
