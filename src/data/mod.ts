/**
 * Data through the data proxy (flyteidl DataProxyService), for FlyteRemote
 * and for anyone holding a connection:
 *
 * - {@link DataTransfer}: uploads of local files/directories and of
 *   in-memory values ({@link DataTransfer.uploadValue},
 *   {@link DataTransfer.uploadDirectory}), streamed with Content-Length
 *   and md5; downloads and reads of `file://`, signed `http(s)://`,
 *   `flyte://` and object-store URIs, streamed and checked;
 * - {@link FlyteData}: `remote.data(out).text()`, `.json()`, `.bytes()`,
 *   `.stream()`, `.files()`, `.head(n)` (CSV, JSON lines);
 * - {@link FlyteFS}: open/read/write/ls/exists/stat/put/get;
 * - {@link fileOf} / {@link directoryOf}: in-memory values as
 *   FlyteFile / FlyteDirectory inputs ({@link uploadLocalInputs} uploads
 *   them, once per value, for `execute`).
 *
 * Errors name the offending local path, URI or value:
 * FlyteInvalidInputError, FlyteEntityNotExistError,
 * FlyteEntityAlreadyExistsError, {@link FlyteTransferError},
 * {@link FlyteIntegrityError}.
 *
 * May import: src/client (errors), src/types (FlyteFile, FlyteDirectory),
 * the generated flyteidl bindings, `node:*` (loaded on first transfer).
 * Never src/remote or src/sandbox.
 *
 * @example
 * ```ts
 * import { DataTransfer } from "./mod.ts";
 * declare const services: import("./mod.ts").DataServices;
 * const data = new DataTransfer(services);
 * const { uri } = await data.upload("./data.csv", { project: "flytesnacks", domain: "development" });
 * await data.download(uri, "/tmp/data.csv", { overwrite: true });
 * ```
 *
 * @module
 */
export {
  base32,
  type DataServices,
  DataTransfer,
  type RemoteUploadOptions,
  type TransferOptions,
  type Uploaded,
  type UploadOptions,
  type ValueUploadOptions,
} from "./transfer.ts";
export { uploadLocalInputs } from "./inputs.ts";
export {
  hasLocalBlobs,
  isLocalPath,
  localPathIn,
  localPathOf,
  withPlaceholders,
} from "./local.ts";
export {
  directoryOf,
  fileOf,
  InlineDirectory,
  InlineFile,
  type InlineValue,
  type JsonValue,
} from "./inline.ts";
export { type DataSource, FlyteData } from "./reader.ts";
export { FlyteFS, type FlyteFSEntry } from "./fs.ts";
export { FlyteIntegrityError, FlyteTransferError } from "./errors.ts";
export type { ProgressCallback, TransferProgress } from "./progress.ts";
export type { DownloadOptions, RemoteEntry } from "./download.ts";
export type { RangeReader } from "./ranges.ts";
export type { PutFn, PutResult } from "./http.ts";
