/**
 * FlyteFS: a small file system over a Flyte backend, on Web Streams.
 * Paths are `flyte://v1/<project>/<domain>/<execution>/<node>[/<attempt>]/<i|o>[/<name>]`
 * URIs (resolved through GetData), the storage URIs the backend hands out
 * (`file://`, `s3://`... through CreateDownloadLocation), signed
 * `http(s)://` URLs, and local paths. Writes go to the project/domain
 * upload area (the backend picks the place: CreateUploadLocation).
 *
 * @module
 */
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import type { FlyteFile } from "../types/values.ts";
import type { DownloadOptions } from "./download.ts";
import type { InlineValue } from "./inline.ts";
import type {
  DataTransfer,
  Uploaded,
  UploadOptions,
  ValueUploadOptions,
} from "./transfer.ts";

/**
 * One entry of {@link FlyteFS.ls} or the answer of {@link FlyteFS.stat}.
 *
 * @example
 * ```ts
 * import type { FlyteFSEntry } from "./fs.ts";
 * const show = (e: FlyteFSEntry) => console.log(e.type, e.name, e.size);
 * ```
 */
export interface FlyteFSEntry {
  /** Last path part (or the output/input name). */
  name: string;
  /** The entry's URI. */
  uri: string;
  /** A file, a directory, or (flyte:// maps) a dataset or plain value. */
  type: "file" | "directory" | "dataset" | "value";
  /** Size in bytes (-1 unknown or not a file). */
  size: number;
}

/**
 * A file system over a DataTransfer, writing to one project/domain.
 *
 * @example
 * ```ts
 * import { FlyteFS } from "./fs.ts";
 * declare const transfer: import("./transfer.ts").DataTransfer;
 * const fs = new FlyteFS(transfer, { project: "flytesnacks", domain: "development" });
 * const f = await fs.write("notes.txt", "hello");
 * console.log(new TextDecoder().decode(await fs.read(f.uri)));
 * ```
 */
export class FlyteFS {
  readonly #t: DataTransfer;
  readonly #scope: UploadOptions;

  /** A file system writing to `scope`'s upload area. */
  constructor(transfer: DataTransfer, scope: UploadOptions) {
    this.#t = transfer;
    this.#scope = scope;
  }

  /**
   * Opens `uri` for reading (a stream of its bytes), or, with mode `"w"`,
   * a new file named `uri` in the upload area for writing: write to
   * `writable`, close it, and `file` resolves to the uploaded FlyteFile.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * const r = await fs.open("flyte://v1/p/d/f123/n0/o/report");
   * const w = fs.open("out.txt", "w");
   * const writer = w.writable.getWriter();
   * await writer.write(new TextEncoder().encode("hi"));
   * await writer.close();
   * console.log((await w.file).uri);
   * ```
   */
  open(uri: string): Promise<ReadableStream<Uint8Array>>;
  /** Opens a new file in the upload area for writing. */
  open(name: string, mode: "w"): {
    writable: WritableStream<Uint8Array>;
    file: Promise<FlyteFile>;
  };
  open(
    uri: string,
    mode: "r" | "w" = "r",
  ): Promise<ReadableStream<Uint8Array>> | {
    writable: WritableStream<Uint8Array>;
    file: Promise<FlyteFile>;
  } {
    if (mode === "r") return this.#t.open(uri);
    const { readable, writable } = new TransformStream<
      Uint8Array,
      Uint8Array
    >();
    const file = this.#t.uploadValue(readable, { ...this.#scope, name: uri });
    file.catch(() => {});
    return { writable, file };
  }

  /**
   * The bytes of a file.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * const b = await fs.read("flyte://v1/p/d/f123/n0/o/model");
   * ```
   */
  async read(uri: string): Promise<Uint8Array> {
    return new Uint8Array(
      await new Response(await this.#t.open(uri)).arrayBuffer(),
    );
  }

  /**
   * Writes a value (bytes, text, JSON, Blob, stream) as a new file named
   * `name` in the upload area; returns its FlyteFile.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * const f = await fs.write("rows.json", [{ a: 1 }]);
   * ```
   */
  async write(
    name: string,
    value: InlineValue,
    options: Omit<ValueUploadOptions, "project" | "domain" | "name"> = {},
  ): Promise<FlyteFile> {
    return await this.#t.uploadValue(value, {
      ...this.#scope,
      ...options,
      name,
    });
  }

  /**
   * The direct children of a directory (directories first made of the
   * deeper files), or, for a `flyte://.../o` or `.../i` URI, the named
   * values of that node.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * for (const e of await fs.ls("flyte://v1/p/d/f123/n0/o")) console.log(e.name, e.type);
   * ```
   */
  async ls(uri: string): Promise<FlyteFSEntry[]> {
    if (/^flyte:\/\/.*\/[io]$/.test(uri)) {
      const d = await this.#t.getData(uri);
      if (d.kind !== "literalMap") {
        throw new FlyteInvalidInputError(`[${uri}] is not a map of values`);
      }
      return Object.entries(d.value.literals).sort(([a], [b]) => a < b ? -1 : 1)
        .map(([name, l]) => {
          const blob = l.value.case === "scalar" &&
              l.value.value.value.case === "blob"
            ? l.value.value.value.value
            : undefined;
          const dataset = l.value.case === "scalar" &&
            l.value.value.value.case === "structuredDataset";
          return {
            name,
            uri: `${uri}/${name}`,
            type: dataset
              ? "dataset"
              : !blob
              ? "value"
              : blob.metadata?.type?.dimensionality === 1
              ? "directory"
              : "file",
            size: -1,
          };
        });
    }
    const base = uri.replace(/\/+$/, "");
    const seen = new Map<string, FlyteFSEntry>();
    for (const e of await this.#t.list(uri)) {
      const i = e.path.indexOf("/");
      const name = i < 0 ? e.path : e.path.slice(0, i);
      if (seen.has(name)) continue;
      seen.set(name, {
        name,
        uri: i < 0 ? e.uri : `${base}/${name}`,
        type: i < 0 ? "file" : "directory",
        size: i < 0 ? e.size : -1,
      });
    }
    return [...seen.values()];
  }

  /**
   * What `uri` is: a file (with its size) or a directory; a
   * FlyteEntityNotExistError naming it when absent.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * const s = await fs.stat("file:///tmp/data.csv");
   * ```
   */
  async stat(uri: string): Promise<FlyteFSEntry> {
    const name = uri.replace(/\/+$/, "").split("/").pop() ?? uri;
    let entries;
    try {
      entries = await this.#t.list(uri);
    } catch (e) {
      if (!(e instanceof FlyteInvalidInputError)) throw e;
      // A file: its size from one byte-range request (or a local stat).
      const r = await this.#t.openRanges(uri);
      return { name, uri, type: "file", size: r.byteLength };
    }
    return {
      name,
      uri,
      type: "directory",
      size: entries.reduce((n, e) => n + Math.max(0, e.size), 0),
    };
  }

  /**
   * Whether `uri` names a file or directory.
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * if (await fs.exists("flyte://v1/p/d/f123/n0/o/report")) console.log("ready");
   * ```
   */
  async exists(uri: string): Promise<boolean> {
    try {
      const s = await this.#t.open(uri);
      await s.cancel();
      return true;
    } catch (e) {
      if (e instanceof FlyteEntityNotExistError) return false;
      if (
        e instanceof FlyteInvalidInputError &&
        /is a directory/.test(e.message)
      ) return true;
      if (
        e instanceof FlyteInvalidInputError &&
        /does not exist/.test(e.message)
      ) return false;
      throw e;
    }
  }

  /**
   * Uploads a local file or directory (recursively, keeping its structure).
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * const { value } = await fs.put("./images");
   * ```
   */
  async put(
    localPath: string,
    options: Omit<UploadOptions, "project" | "domain"> = {},
  ): Promise<Uploaded> {
    return await this.#t.upload(localPath, { ...this.#scope, ...options });
  }

  /**
   * Downloads a file or directory (recursively, keeping its structure).
   *
   * @example
   * ```ts
   * import type { FlyteFS } from "./fs.ts";
   * declare const fs: FlyteFS;
   * await fs.get("flyte://v1/p/d/f123/n0/o/images", "./images", { overwrite: true });
   * ```
   */
  async get(
    uri: string,
    localPath: string,
    options?: DownloadOptions,
  ): Promise<string> {
    return await this.#t.download(uri, localPath, options);
  }
}
