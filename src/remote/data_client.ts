/**
 * The data sub-client (`remote.data`): called with a file, directory,
 * dataset or URI it is a reader (`remote.data(x).text()`); its methods move
 * data through the data proxy (uploads to the project/domain upload area,
 * downloads, GetData). The transfer code (src/data/transfer.ts) loads on
 * first use.
 *
 * @module
 */
import { FlyteInvalidInputError } from "../client/errors.ts";
import type {
  DataTransfer,
  RemoteUploadOptions,
  Uploaded,
} from "../data/transfer.ts";
import type { DownloadOptions } from "../data/download.ts";
import type { InlineDirectory, InlineValue } from "../data/inline.ts";
import { type DataSource, FlyteData } from "../data/reader.ts";
import type { FlyteDirectory, FlyteFile } from "../types/values.ts";
import type { RemoteContext } from "./context.ts";

/**
 * The data sub-client: call it to read, use its methods to transfer. Every
 * upload goes to the project/domain upload area [the remote's defaults];
 * the same content to the same name goes to the same place and is sent once.
 *
 * @example
 * ```ts
 * import { FlyteRemote } from "./remote.ts";
 * const remote = await FlyteRemote.forSandbox();
 * const dir = await remote.data.uploadDirectory({ "a.csv": "x\n1\n" });
 * console.log((await remote.data(dir).files()).length);
 * ```
 */
export interface RemoteData {
  /**
   * A reader of a file, directory or dataset (an output value or a URI):
   * `.text()`, `.json()`, `.bytes()`, `.stream()`, `.files()`, `.head(n)`,
   * `.download(path)`. See src/data/reader.ts.
   */
  (source: DataSource): FlyteData;
  /** The same reader as calling the sub-client: `remote.data.read(x)` is `remote.data(x)`. */
  read(source: DataSource): FlyteData;
  /** Uploads an in-memory value as a file named `options.name`; returns the FlyteFile to pass as an input. */
  upload(
    value: InlineValue,
    options: RemoteUploadOptions & { name: string },
  ): Promise<FlyteFile>;
  /** Uploads a local file or directory (a path or `file://` URL); returns its URI and what was sent. */
  upload(localPath: string, options?: RemoteUploadOptions): Promise<Uploaded>;
  /** Uploads a Blob/File, bytes or a stream (a File keeps its name). */
  upload(
    value: Exclude<InlineValue, string>,
    options?: RemoteUploadOptions,
  ): Promise<FlyteFile>;
  /**
   * Uploads named values (relative paths, `/` for subfolders) as one
   * directory; returns the FlyteDirectory to pass as an input.
   */
  uploadDirectory(
    entries: InlineDirectory | Record<string, InlineValue>,
    options?: RemoteUploadOptions,
  ): Promise<FlyteDirectory>;
  /**
   * Downloads a FlyteFile, a FlyteDirectory or a URI (`file://`, signed
   * `http(s)://`, `flyte://v1/...`, `s3://`...) to `localPath`, streamed;
   * returns `localPath`. An existing target is refused unless `overwrite`.
   */
  download(
    source: FlyteFile | FlyteDirectory | string,
    localPath: string,
    options?: DownloadOptions,
  ): Promise<string>;
  /** Reads data by `flyte://v1/...` URL (GetData): a literal map, one literal, or signed URLs (decks). */
  getData(
    flyteUrl: string,
  ): Promise<Awaited<ReturnType<DataTransfer["getData"]>>>;
}

/**
 * Makes the data sub-client of a remote (FlyteRemote does; the transfer
 * code is loaded on the first transfer).
 *
 * @example
 * ```ts
 * import { createRemoteData } from "./data_client.ts";
 * import type { RemoteContext } from "./context.ts";
 * declare const ctx: RemoteContext;
 * const data = createRemoteData(ctx);
 * ```
 */
export function createRemoteData(ctx: RemoteContext): RemoteData {
  let loaded: Promise<DataTransfer> | undefined;
  const transfer = () =>
    loaded ??= import("../data/transfer.ts").then((m) =>
      m.DataTransfer.for(ctx.services)
    );
  const scoped = <O extends RemoteUploadOptions>(o: O) => ({
    ...o,
    ...ctx.scope(o.project, o.domain),
  });
  const read = (source: DataSource) => new FlyteData(transfer(), source);
  return Object.assign(read, {
    read,
    async upload(
      value: InlineValue,
      options: RemoteUploadOptions = {},
    ): Promise<Uploaded | FlyteFile> {
      const o = scoped(options);
      if (typeof value === "string" && options.name === undefined) {
        return await (await transfer()).upload(value, o);
      }
      return await (await transfer()).uploadValue(value, o);
    },
    async uploadDirectory(
      entries: InlineDirectory | Record<string, InlineValue>,
      options: RemoteUploadOptions = {},
    ): Promise<FlyteDirectory> {
      return await (await transfer()).uploadDirectory(entries, scoped(options));
    },
    async download(
      source: FlyteFile | FlyteDirectory | string,
      localPath: string,
      options?: DownloadOptions,
    ): Promise<string> {
      const uri = typeof source === "string" ? source : source?.uri;
      if (typeof uri !== "string") {
        throw new FlyteInvalidInputError(
          "download: expected a FlyteFile, a FlyteDirectory or a URI",
        );
      }
      return await (await transfer()).download(uri, localPath, options);
    },
    async getData(flyteUrl: string) {
      return await (await transfer()).getData(flyteUrl);
    },
  }) as RemoteData;
}
