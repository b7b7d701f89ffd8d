/**
 * Data transfers through FlyteAdmin's DataProxyService: uploads of local
 * files and directories (CreateUploadLocation, then an HTTP PUT to the
 * signed URL with the headers the server returned), downloads of `file://`,
 * signed `http(s)://`, `flyte://` and object-store URIs (GetData,
 * CreateDownloadLocation, CreateDownloadLink).
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
  FlyteError,
  FlyteInvalidInputError,
  toFlyteError,
} from "../client/errors.ts";
import { isLocalPath, localPathOf } from "./local.ts";

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
 * Where an upload goes: the project and domain whose upload area receives it.
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

async function statOrThrow(path: string, what: string) {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new FlyteInvalidInputError(`${what} [${path}] does not exist`, {
        cause: e,
      });
    }
    throw new FlyteInvalidInputError(
      `${what} [${path}] cannot be read: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

// node:crypto costs tens of ms to load in a fresh process; only transfers need it.
type Hash = { update(d: Uint8Array | string): Hash; digest(): Uint8Array };
let hasher: Promise<() => Hash> | undefined;
function newMd5(): Promise<() => Hash> {
  hasher ??= import("node:crypto").then((c) => () =>
    c.createHash("md5") as unknown as Hash
  );
  return hasher;
}

async function md5(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array((await newMd5())().update(data).digest());
}

/** The md5 of a file, read in chunks (the file is never whole in memory). */
async function md5File(path: string): Promise<Uint8Array> {
  const h = (await newMd5())();
  using file = await Deno.open(path);
  for await (const chunk of file.readable) h.update(chunk);
  return new Uint8Array(h.digest());
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Files of a directory, recursively, as sorted relative `/`-paths. */
async function listFiles(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await listFiles(root, r));
    else if (e.isFile) out.push(r);
    else if (e.isSymlink) {
      const s = await Deno.stat(`${root}/${r}`);
      if (s.isDirectory) out.push(...await listFiles(root, r));
      else out.push(r);
    }
  }
  return out.sort();
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * Uploads and downloads through one connection's DataProxyService.
 * `remote.data` on FlyteRemote; usable alone with any object holding a
 * DataProxyService client.
 *
 * A file is read into memory to send it (signed-URL stores such as S3 want
 * a Content-Length, which Deno's fetch does not send with a streamed body),
 * so an upload costs the size of its largest file in memory; a directory's
 * files are hashed as streams and sent one at a time.
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
  readonly #fetch: typeof fetch;

  /** Wraps the services; `fetchImpl` replaces the global fetch for the signed-URL requests. */
  constructor(services: DataServices, fetchImpl: typeof fetch = fetch) {
    this.#services = services;
    this.#fetch = fetchImpl;
  }

  /**
   * Uploads a local file or directory (a path or `file://` URL) to the
   * project/domain upload area; returns the remote URI to pass as a
   * FlyteFile / FlyteDirectory. Files are content-addressed by md5, as
   * flytekit's `upload_file` does; a directory's files share one folder
   * named by a hash over their relative paths and md5s.
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * const { uri } = await data.upload("/tmp/inputs", { project: "p", domain: "d" });
   * ```
   */
  async upload(localPath: string, options: UploadOptions): Promise<Uploaded> {
    if (!options.project || !options.domain) {
      throw new FlyteInvalidInputError(
        `upload of [${localPath}]: project and domain are required`,
      );
    }
    const path = localPathOf(localPath);
    const st = await statOrThrow(path, "local path");
    if (st.isDirectory) return await this.#uploadDirectory(path, options);
    const data = await Deno.readFile(path);
    const name = path.split("/").filter(Boolean).pop() ?? "file";
    const uri = await this.#put(path, data, await md5(data), options, {
      filename: name,
    });
    return { uri, directory: false, files: 1, bytes: data.length };
  }

  /**
   * Uploads bytes held in memory as one file named `filename` (content
   * addressed by md5 like {@link DataTransfer.upload}); returns the native URI.
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
    if (!options.project || !options.domain) {
      throw new FlyteInvalidInputError(
        `upload of [${filename}]: project and domain are required`,
      );
    }
    return await this.#put(filename, data, await md5(data), options, {
      filename,
    });
  }

  /**
   * Like {@link DataTransfer.uploadBytes}, for content-addressed names
   * (the name carries the content's digest): when the store already holds
   * the object at its upload location (asked through
   * CreateDownloadLocation and a one-byte ranged GET), nothing is sent.
   * Returns the native URI and whether bytes were sent.
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
    if (!options.project || !options.domain) {
      throw new FlyteInvalidInputError(
        `upload of [${filename}]: project and domain are required`,
      );
    }
    const digest = await md5(data);
    const loc = await this.#location(filename, digest, options, { filename });
    if (await this.#exists(loc.nativeUrl, data.length, options.signal)) {
      return { uri: loc.nativeUrl, uploaded: false };
    }
    return {
      uri: await this.#send(filename, data, digest, loc, options),
      uploaded: true,
    };
  }

  /** Whether an object of `size` bytes is at `nativeUrl` (false when unsure). */
  async #exists(
    nativeUrl: string,
    size: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    try {
      const loc = await this.#services.dataProxy.createDownloadLocation({
        nativeUrl,
      }, { signal });
      const res = await this.#fetch(loc.signedUrl, {
        headers: { Range: "bytes=0-0" },
        signal,
      });
      await res.body?.cancel();
      if (res.status === 206) {
        const total = /\/(\d+)$/.exec(res.headers.get("content-range") ?? "");
        return !total || Number(total[1]) === size;
      }
      return res.status === 200 &&
        Number(res.headers.get("content-length") ?? -1) === size;
    } catch {
      return false;
    }
  }

  async #uploadDirectory(dir: string, options: UploadOptions) {
    const files = await listFiles(dir);
    if (files.length === 0) {
      throw new FlyteInvalidInputError(
        `local directory [${dir}] is empty: nothing to upload`,
      );
    }
    // Hash every file first (streamed), then send them one at a time, so
    // memory holds at most one file, never the whole directory.
    const contents: { rel: string; md5: Uint8Array }[] = [];
    for (const rel of files) {
      contents.push({ rel, md5: await md5File(`${dir}/${rel}`) });
    }
    const manifest = (await newMd5())();
    for (const c of contents) {
      manifest.update(c.rel).update("\0").update(c.md5);
    }
    const root = base32(new Uint8Array(manifest.digest()));
    let prefix = "";
    let bytes = 0;
    for (const c of contents) {
      const data = await Deno.readFile(`${dir}/${c.rel}`);
      if (!equalBytes(await md5(data), c.md5)) {
        throw new FlyteError(
          `upload of [${dir}]: [${c.rel}] changed while it was being uploaded`,
        );
      }
      const uri = await this.#put(`${dir}/${c.rel}`, data, c.md5, options, {
        filename: c.rel,
        filenameRoot: root,
      });
      if (!uri.endsWith(`/${c.rel}`)) {
        throw new FlyteError(
          `upload of [${dir}/${c.rel}]: the server placed it at [${uri}], not under one directory prefix`,
        );
      }
      const p = uri.slice(0, uri.length - c.rel.length);
      if (prefix && p !== prefix) {
        throw new FlyteError(
          `upload of [${dir}]: the server placed its files under different prefixes ([${prefix}], [${p}])`,
        );
      }
      prefix = p;
      bytes += data.length;
    }
    return {
      uri: prefix.replace(/\/$/, ""),
      directory: true,
      files: contents.length,
      bytes,
    };
  }

  async #put(
    path: string,
    data: Uint8Array,
    digest: Uint8Array,
    options: UploadOptions,
    naming: { filename: string; filenameRoot?: string },
  ): Promise<string> {
    const loc = await this.#location(path, digest, options, naming);
    return await this.#send(path, data, digest, loc, options);
  }

  async #location(
    path: string,
    digest: Uint8Array,
    options: UploadOptions,
    naming: { filename: string; filenameRoot?: string },
  ) {
    try {
      return await this.#services.dataProxy.createUploadLocation({
        project: options.project,
        domain: options.domain,
        contentMd5: digest,
        filename: naming.filename,
        filenameRoot: naming.filenameRoot ?? "",
      }, { signal: options.signal });
    } catch (e) {
      throw toFlyteError(e, `create upload location for [${path}]`);
    }
  }

  async #send(
    path: string,
    data: Uint8Array,
    digest: Uint8Array,
    loc: {
      signedUrl: string;
      nativeUrl: string;
      headers: Record<string, string>;
    },
    options: UploadOptions,
  ): Promise<string> {
    const headers = new Headers(loc.headers);
    if (!headers.has("Content-MD5")) {
      headers.set("Content-MD5", base64(digest));
    }
    let res: Response;
    try {
      res = await this.#fetch(loc.signedUrl, {
        method: "PUT",
        headers,
        body: data as Uint8Array<ArrayBuffer>,
        signal: options.signal,
      });
    } catch (e) {
      throw new FlyteError(
        `upload of [${path}] to [${redact(loc.signedUrl)}] failed: ${
          (e as Error).message
        }`,
        { cause: e },
      );
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => "")).slice(0, 500);
      throw new FlyteError(
        `upload of [${path}] to [${
          redact(loc.signedUrl)
        }] failed: HTTP ${res.status} ${body}`.trim(),
      );
    }
    await res.body?.cancel();
    return loc.nativeUrl;
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
   * Downloads `uri` to `localPath` (parent directories created) and
   * returns `localPath`:
   * - `file://` URLs and plain paths are copied when this machine can read
   *   them (files and directories), else (`file://` URLs and absolute paths)
   *   fetched through a signed URL the server makes;
   * - `http(s)://` (signed URLs) are fetched;
   * - `flyte://` URLs are resolved with GetData: a file or directory
   *   literal is downloaded from its URI, a deck from its signed URL;
   * - other stores (`s3://`, `gs://`, ...) go through CreateDownloadLocation
   *   (single files only: a signed URL cannot list a directory).
   *
   * @example
   * ```ts
   * import { DataTransfer } from "./transfer.ts";
   * declare const data: DataTransfer;
   * await data.download("flyte://v1/flytesnacks/development/f123/n0/o/report", "./report.html");
   * ```
   */
  async download(uri: string, localPath: string): Promise<string> {
    if (!uri) throw new FlyteInvalidInputError("download: the URI is empty");
    if (!localPath) {
      throw new FlyteInvalidInputError(
        `download of [${uri}]: the local path is empty`,
      );
    }
    await Deno.mkdir(parentOf(localPath), { recursive: true });
    if (uri.startsWith("flyte://")) {
      const d = await this.getData(uri);
      if (d.kind === "signedUrls") {
        if (!d.value[0]) {
          throw new FlyteEntityNotExistError(`no data at [${uri}]`);
        }
        await this.#fetchTo(d.value[0], localPath, uri);
        return localPath;
      }
      const blob = d.kind === "literal" ? blobOf(d.value) : undefined;
      if (!blob) {
        throw new FlyteInvalidInputError(
          `download of [${uri}]: it is not a file or directory (${
            d.kind === "literalMap"
              ? "a map of all values; name one"
              : "a plain value; read it with getData"
          })`,
        );
      }
      return await this.download(blob, localPath);
    }
    if (/^https?:\/\//.test(uri)) {
      await this.#fetchTo(uri, localPath, uri);
      return localPath;
    }
    if (isLocalPath(uri)) {
      const src = localPathOf(uri);
      const st = await Deno.stat(src).catch(() => undefined);
      if (st?.isDirectory) {
        await copyDir(src, localPath);
        return localPath;
      }
      if (st?.isFile) {
        await Deno.copyFile(src, localPath);
        return localPath;
      }
      if (!uri.startsWith("file://") && !uri.startsWith("/")) {
        throw new FlyteInvalidInputError(
          `download: [${uri}] does not exist on this machine`,
        );
      }
      // A file:// URL or an absolute path (what the embedded sandbox's tasks
      // write) of a store on another machine: ask the server to sign it.
    }
    let loc;
    try {
      loc = await this.#services.dataProxy.createDownloadLocation({
        nativeUrl: uri,
      });
    } catch (e) {
      const err = toFlyteError(e, `create download location for [${uri}]`);
      if (isLocalPath(uri) && err instanceof FlyteInvalidInputError) {
        throw new FlyteInvalidInputError(
          `download: [${uri}] does not exist on this machine, and the server cannot serve it: ${err.message}`,
          { cause: err },
        );
      }
      throw err;
    }
    await this.#fetchTo(loc.signedUrl, localPath, uri);
    return localPath;
  }

  async #fetchTo(url: string, localPath: string, what: string) {
    let res: Response;
    try {
      res = await this.#fetch(url);
    } catch (e) {
      throw new FlyteError(
        `download of [${what}] from [${redact(url)}] failed: ${
          (e as Error).message
        }`,
        { cause: e },
      );
    }
    if (!res.ok || !res.body) {
      const body = (await res.text().catch(() => "")).slice(0, 500);
      const Err = res.status === 404 ? FlyteEntityNotExistError : FlyteError;
      throw new Err(
        `download of [${what}] from [${
          redact(url)
        }] failed: HTTP ${res.status} ${body}`.trim(),
      );
    }
    // Written beside the target, then renamed: no half-written file on failure.
    const tmp = `${localPath}.${crypto.randomUUID().slice(0, 8)}.part`;
    try {
      const f = await Deno.open(tmp, {
        write: true,
        create: true,
        truncate: true,
      });
      await res.body.pipeTo(f.writable);
      await Deno.rename(tmp, localPath);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw new FlyteError(
        `download of [${what}] to [${localPath}] failed: ${
          (e as Error).message
        }`,
        { cause: e },
      );
    }
  }
}

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

function blobOf(l: Literal): string | undefined {
  if (l.value.case === "scalar" && l.value.value.value.case === "blob") {
    return l.value.value.value.value.uri;
  }
  return undefined;
}

async function copyDir(src: string, dst: string) {
  for (const rel of await listFiles(src)) {
    const to = `${dst}/${rel}`;
    await Deno.mkdir(parentOf(to), { recursive: true });
    await Deno.copyFile(`${src}/${rel}`, to);
  }
}
