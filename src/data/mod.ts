/**
 * Data transfers through the data proxy (flyteidl DataProxyService), for
 * FlyteRemote and for anyone holding a connection:
 *
 * - {@link DataTransfer.upload}: a local file or directory to the
 *   project/domain upload area (CreateUploadLocation with the md5, then a
 *   PUT to the signed URL with the headers the server returned);
 * - {@link DataTransfer.download}: `file://`, signed `http(s)://`,
 *   `flyte://` (GetData) and object-store URIs (CreateDownloadLocation) to
 *   a local path; {@link DataTransfer.getData}, {@link DataTransfer.deckUrl}
 *   (CreateDownloadLink);
 * - {@link uploadLocalInputs}: what `execute` uses to replace local paths
 *   given for file/directory inputs by uploaded FlyteFile/FlyteDirectory
 *   values.
 *
 * Errors name the offending local path or URI. Directories are uploaded file
 * by file under one folder whose name hashes the relative paths and md5s;
 * files of subdirectories are sent with a `/` in their file name, which
 * FlyteAdmin and the embedded sandbox accept.
 *
 * May import: src/client (errors), src/types (FlyteFile, FlyteDirectory),
 * the generated flyteidl bindings, `node:crypto` (loaded on first transfer). Never
 * src/remote or src/sandbox.
 *
 * @example
 * ```ts
 * import { DataTransfer } from "./mod.ts";
 * declare const services: import("./mod.ts").DataServices;
 * const data = new DataTransfer(services);
 * const { uri } = await data.upload("./data.csv", { project: "flytesnacks", domain: "development" });
 * await data.download(uri, "/tmp/data.csv");
 * ```
 *
 * @module
 */
export {
  base32,
  type DataServices,
  DataTransfer,
  type Uploaded,
  type UploadOptions,
} from "./transfer.ts";
export { uploadLocalInputs } from "./inputs.ts";
export {
  hasLocalBlobs,
  isLocalPath,
  localPathIn,
  localPathOf,
} from "./local.ts";
