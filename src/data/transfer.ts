/**
 * Data transfers through FlyteAdmin's DataProxyService: uploads of local
 * files and directories and of in-memory values (CreateUploadLocation,
 * then a streamed HTTP PUT with its Content-Length and md5 to the signed
 * URL), reads and downloads of `file://`, signed `http(s)://`, `flyte://`
 * and object-store URIs (GetData, CreateDownloadLocation,
 * CreateDownloadLink).
 *
 * @module
 */
import { base32 as rfc4648Base32 } from "rfc4648";
import type { Client } from "@connectrpc/connect";
import type { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { ArtifactType } from "@flyteidl/service/dataproxy_pb.ts";
import type { Literal, LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { NodeExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
  toFlyteError,
} from "../client/errors.ts";
import { FlyteDirectory, FlyteFile } from "../types/values.ts";
import { localPathOf } from "./local.ts";
import { type PutFn, putStream } from "./http.ts";
import { Progress, type ProgressCallback } from "./progress.ts";
import { bytesSource, fileSource } from "./source.ts";
import type { InlineDirectory, InlineValue } from "./inline.ts";
import {
  send,
  sendDirectory,
  sendEntries,
  sendValue,
  type UploadContext,
} from "./upload.ts";
import {
  checkFlyteUrl,
  type DownloadOptions,
  downloadTo,
  list,
  openRead,
  type ReadContext,
  type RemoteEntry,
} from "./download.ts";
import { openRanges, type RangeReader } from "./ranges.ts";

/**
 * The one service client data transfers need (a src/client `Connection`
 * has it).
 *
 * @example
 * ```ts
 * import type { DataServices } from "./transfer.ts";
 * declare const conn: DataServices;
 * ```
 */
export interface DataServices {
  /** flyteidl.service.DataProxyService. */
  dataProxy: Client<typeof DataProxyService>;
}

/**
 * Where an upload goes: the project and domain whose upload area receives
 * it; progress reports.
 *
 * @example
 * ```ts
 * import type { UploadOptions } from "./transfer.ts";
 * const o: UploadOptions = { project: "flytesnacks", domain: "development" };
 * ```
 */
export interface UploadOptions {
  /** Project of the upload area. */
  project: string;
  /** Domain of the upload area. */
  domain: string;
  /** Aborts the transfer. */
  signal?: AbortSignal;
  /** Progress reports (bytes, files, rate). */
  onProgress?: ProgressCallback;
}

/**
 * An in-memory upload: where, and the remote file name (and format).
 *
 * @example
 * ```ts
 * import type { ValueUploadOptions } from "./transfer.ts";
 * const o: ValueUploadOptions = { project: "p", domain: "d", name: "rows.json" };
 * ```
 */
export interface ValueUploadOptions extends UploadOptions {
  /** Remote file name (a relative path); required except for a File. */
  name?: string;
  /** Blob format of the FlyteFile / FlyteDirectory made. */
  format?: string;
}

/**
 * Options of `FlyteRemote.upload` / `uploadDirectory`: a value upload
 * whose project and domain default to the remote's.
 *
 * @example
 * ```ts
 * import type { RemoteUploadOptions } from "./transfer.ts";
 * const o: RemoteUploadOptions = { name: "rows.json", onProgress: (p) => console.log(p.bytes) };
 * ```
 */
export type RemoteUploadOptions =
  & Partial<Pick<UploadOptions, "project" | "domain">>
  & Omit<ValueUploadOptions, "project" | "domain">;

/**
 * How a DataTransfer moves bytes.
 *
 * @example
 * ```ts
 * import type { TransferOptions } from "./transfer.ts";
 * const o: TransferOptions = { concurrency: 8 };
 * ```
 */
export interface TransferOptions {
  /** Files of a directory moved at once [4]. */
  concurrency?: number;
  /** The PUT client [node:http / node:https with a Content-Length]. */
  put?: PutFn;
  /** Read `file://` URIs from this disk when they exist here [true]. */
  readLocal?: boolean;
}

/**
 * The result of an upload.
 *
 * @example
 * ```ts
 * import type { Uploaded } from "./transfer.ts";
 * const show = (u: Uploaded) => console.log(u.uri, u.files);
 * ```
 */
export interface Uploaded {
  /** The remote (native) URI: the file, or the directory prefix. */
  uri: string;
  /** Whether a directory was uploaded. */
  directory: boolean;
  /** How many files were sent. */
  files: number;
  /** Bytes sent. */
  bytes: number;
  /** The value to pass as an input (a FlyteFile or a FlyteDirectory). */
  value: FlyteFile | FlyteDirectory;
}

/**
 * RFC 4648 base32 with padding: how FlyteAdmin names content-addressed
 * upload folders (`uploads/<project>/<domain>/<base32 md5>/<file>`).
 *
 * @example
 * ```ts
 * import { base32 } from "./transfer.ts";
 * base32(new TextEncoder().encode("f")); // "MY======"
 * ```
 */
export function base32(bytes: Uint8Array): string {
  return rfc4648Base32.stringify(bytes);
}

const shared = new WeakMap<DataServices, DataTransfer>();

/**
 * Uploads and downloads through one connection's DataProxyService.
 * Uploads stream files (never whole in memory) with their Content-Length
 * and md5; downloads stream to a temporary file renamed into place; a
 * directory moves a few files at a time. Each instance remembers what it
 * sent, so the same content to the same place is sent once.
 *
 * @example
 * ```ts
 * import { DataTransfer } from "./transfer.ts";
 * declare const services: import("./transfer.ts").DataServices;
 * const data = new DataTransfer(services);
 * const up = await data.upload("./data.csv", { project: "flytesnacks", domain: "development" });
 * await data.download(up.uri, "/tmp/copy.csv");
 * ```
 */
export class DataTransfer {
  readonly #services: DataServices;
  readonly #up: UploadContext;
  readonly #read: ReadContext;

  /** Wraps the services; `fetchImpl` replaces the global fetch for downloads. */
  constructor(
    services: DataServices,
    fetchImpl: typeof fetch = fetch,
    options: TransferOptions = {},
  ) {
    this.#services = services;
    const concurrency = Math.max(1, options.concurrency ?? 4);
    this.#up = {
      dataProxy: services.dataProxy,
      put: options.put ?? putStream,
      sent: new Map(),
      concurrency,
    };
    this.#read = {
      dataProxy: services.dataProxy,
      fetch: fetchImpl,
      readLocal: options.readLocal ?? true,
      concurrency,
    };
  }

  /**
   * The DataTransfer shared by everything using `services` (so uploads
   * made by `execute` and by `remote.upload` are remembered together).
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const services: import("./transfer.ts").DataServices;
   * DataTransfer.for(services) === DataTransfer.for(services); // true
   * ```
   */
  static for(services: DataServices): DataTransfer {
    let t = shared.get(services);
    if (!t) shared.set(services, t = new DataTransfer(services));
    return t;
  }

  /**
   * Uploads a local file or directory (a path or `file://` URL) to the
   * project/domain upload area; returns the remote URI and the
   * FlyteFile / FlyteDirectory to pass as an input. Files are
   * content-addressed by md5; a directory's files share one folder named
   * by a hash over their relative paths and md5s.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const { value } = await data.upload("/tmp/inputs", { project: "p", domain: "d" });
   * ```
   */
  async upload(localPath: string, options: UploadOptions): Promise<Uploaded> {
    checkScope(localPath, options);
    const path = localPathOf(localPath);
    const st = await Deno.stat(path).catch((e) => {
      throw new FlyteInvalidInputError(
        e instanceof Deno.errors.NotFound
          ? `local path [${path}] does not exist`
          : `local path [${path}] cannot be read: ${(e as Error).message}`,
        { cause: e },
      );
    });
    if (st.isDirectory) {
      const r = await sendDirectory(this.#up, path, options);
      return { ...r, directory: true, value: new FlyteDirectory(r.uri) };
    }
    const name = path.split("/").filter(Boolean).pop() ?? "file";
    const src = await fileSource(path, name);
    const progress = new Progress("upload", options.onProgress, {
      bytes: src.size,
      files: 1,
    });
    const { uri } = await send(this.#up, src, options, progress);
    progress.finish();
    return {
      uri,
      directory: false,
      files: 1,
      bytes: src.size,
      value: new FlyteFile(uri),
    };
  }

  /**
   * Uploads an in-memory value (bytes, text, a JSON-serialisable object,
   * a Blob/File, a ReadableStream or async iterable of bytes) as a file
   * named `options.name`; returns the FlyteFile to pass as an input.
   * Streams are spooled to a temporary file while hashed.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const f = await data.uploadValue({ a: 1 }, { project: "p", domain: "d", name: "a.json" });
   * ```
   */
  async uploadValue(
    value: InlineValue,
    options: ValueUploadOptions,
  ): Promise<FlyteFile> {
    checkScope(options.name ?? "value", options);
    const name = options.name ??
      (value instanceof File && value.name ? value.name : undefined);
    return await sendValue(this.#up, value, { ...options, name: name! });
  }

  /**
   * Uploads named values (relative paths, `/` for subfolders) as one
   * directory; returns the FlyteDirectory to pass as an input.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const d = await data.uploadDirectory({ "a.txt": "alpha", "sub/b.json": { b: 1 } }, { project: "p", domain: "d" });
   * ```
   */
  async uploadDirectory(
    entries: InlineDirectory | Record<string, InlineValue>,
    options: ValueUploadOptions,
  ): Promise<FlyteDirectory> {
    checkScope("directory of values", options);
    return await sendEntries(this.#up, entries, options);
  }

  /**
   * Uploads bytes held in memory as one file named `filename` (content
   * addressed by md5, sent once); returns the native URI.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const uri = await data.uploadBytes(new Uint8Array([1]), "one.bin", { project: "p", domain: "d" });
   * ```
   */
  async uploadBytes(
    data: Uint8Array,
    filename: string,
    options: UploadOptions,
  ): Promise<string> {
    return (await this.uploadValue(data, { ...options, name: filename })).uri;
  }

  /**
   * Like {@link DataTransfer.uploadBytes}, for content-addressed names (the
   * name carries the content's digest): when the store already holds an
   * object of that size at the upload location — asked of the backend, so
   * across processes too — nothing is sent. Returns the native URI and
   * whether bytes were sent.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const r = await data.uploadBytesOnce(new Uint8Array([1]), "blob-<sha>.bin", { project: "p", domain: "d" });
   * console.log(r.uri, r.uploaded);
   * ```
   */
  async uploadBytesOnce(
    data: Uint8Array,
    filename: string,
    options: UploadOptions,
  ): Promise<{ uri: string; uploaded: boolean }> {
    checkScope(filename, options);
    // Hashed once: the same source answers "is it there?" and is sent.
    const src = await bytesSource(data, filename);
    const loc = await this.#services.dataProxy.createUploadLocation({
      project: options.project,
      domain: options.domain,
      filename,
      contentMd5: src.md5,
    }, { signal: options.signal });
    try {
      const there = await openRanges(this.#read, loc.nativeUrl);
      if (there.byteLength === data.length) {
        return { uri: loc.nativeUrl, uploaded: false };
      }
    } catch {
      // Not there (or not readable): send it.
    }
    const progress = new Progress("upload", options.onProgress, {
      bytes: src.size,
      files: 1,
    });
    const { uri } = await send(this.#up, src, options, progress);
    progress.finish();
    return { uri, uploaded: true };
  }

  /**
   * A stream of the file at `uri` (`flyte://`, signed URL, `file://`,
   * object store); it errors with FlyteIntegrityError if the bytes do not
   * match the length or md5 the server reported.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const s = await data.open("flyte://v1/p/d/f123/n0/o/report");
   * ```
   */
  async open(uri: string): Promise<ReadableStream<Uint8Array>> {
    return (await openRead(this.#read, uri)).stream;
  }

  /**
   * Random access to the file at `uri` (HTTP Range requests through a
   * signed URL, offsets for a local file), e.g. for a Parquet footer.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const r = await data.openRanges("flyte://v1/p/d/f123/n0/o/df");
   * const tail = await r.slice(r.byteLength - 8);
   * ```
   */
  async openRanges(uri: string): Promise<RangeReader> {
    return await openRanges(this.#read, uri);
  }

  /**
   * The files under a directory URI, recursively (relative path, URI, size).
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * for (const f of await data.list("flyte://v1/p/d/f123/n0/o/images")) console.log(f.path);
   * ```
   */
  async list(uri: string): Promise<RemoteEntry[]> {
    return await list(this.#read, uri);
  }

  /**
   * Reads `flyte://v1/{project}/{domain}/{execution}/{node}[/{attempt}]/{i|o|d}[/{name}]`
   * through GetData: a literal map (all inputs/outputs), one literal (when
   * a name is given), or signed URLs (decks).
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const out = await data.getData("flyte://v1/flytesnacks/development/f123/n0/o");
   * ```
   */
  async getData(
    flyteUrl: string,
  ): Promise<
    | { kind: "literalMap"; value: LiteralMap }
    | { kind: "literal"; value: Literal }
    | { kind: "signedUrls"; value: string[] }
  > {
    if (!flyteUrl.startsWith("flyte://")) {
      throw new FlyteInvalidInputError(
        `getData: [${flyteUrl}] is not a flyte:// URL`,
      );
    }
    checkFlyteUrl(flyteUrl);
    let r;
    try {
      r = await this.#services.dataProxy.getData({ flyteUrl });
    } catch (e) {
      throw toFlyteError(e, `get data of [${flyteUrl}]`);
    }
    switch (r.data.case) {
      case "literalMap":
        return { kind: "literalMap", value: r.data.value };
      case "literal":
        return { kind: "literal", value: r.data.value };
      case "preSignedUrls":
        return { kind: "signedUrls", value: r.data.value.signedUrl };
      default:
        throw new FlyteEntityNotExistError(`no data at [${flyteUrl}]`);
    }
  }

  /**
   * A signed URL for a deck of a node execution (CreateDownloadLink).
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * declare const node: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
   * const url = await data.deckUrl(node);
   * ```
   */
  async deckUrl(node: NodeExecutionIdentifier): Promise<string> {
    const where =
      `${node.executionId?.project}/${node.executionId?.domain}/${node.executionId?.name}/${node.nodeId}`;
    let r;
    try {
      r = await this.#services.dataProxy.createDownloadLink({
        artifactType: ArtifactType.DECK,
        source: { case: "nodeExecutionId", value: node },
      });
    } catch (e) {
      throw toFlyteError(e, `create download link for the deck of ${where}`);
    }
    const url = r.preSignedUrls?.signedUrl[0] ?? r.signedUrl[0];
    if (!url) throw new FlyteEntityNotExistError(`no deck link for ${where}`);
    return url;
  }

  /**
   * Downloads `uri` (a file or a directory, recursively) to `localPath`
   * (parent directories created) and returns `localPath`. The data is
   * streamed to a temporary sibling renamed into place, so a failure leaves
   * nothing behind; an existing target is refused unless `overwrite`.
   * `file://` URIs readable here are copied; `http(s)://` fetched;
   * `flyte://` resolved with GetData; other stores go through
   * CreateDownloadLocation.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * await data.download("flyte://v1/flytesnacks/development/f123/n0/o/report", "./report.html");
   * ```
   */
  async download(
    uri: string,
    localPath: string,
    options: DownloadOptions = {},
  ): Promise<string> {
    if (!uri) throw new FlyteInvalidInputError("download: the URI is empty");
    return await downloadTo(this.#read, uri, localPath, options);
  }
}

function checkScope(what: string, o: UploadOptions) {
  if (!o?.project || !o?.domain) {
    throw new FlyteInvalidInputError(
      `upload of [${what}]: project and domain are required`,
    );
  }
}
