/**
 * The sandbox blob store: files under `<dataDir>/blobs`, addressed by a key
 * (`a/b/c.pb`) whose native URL is `s3://<bucket>/<key>` (the sandbox's S3
 * face, src/sandbox/s3, serves the same files). `file://` URLs and absolute
 * paths into the store (older data directories) stay readable. Signed URLs carry an
 * HMAC-SHA256 over method, key, expiry and (for uploads) the expected md5;
 * keys can never escape the store.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Raised for a key or URL that is malformed or outside the store. */
export class BlobKeyError extends Error {
  /**
   * @example
   * ```ts
   * import { BlobKeyError } from "./store.ts";
   * throw new BlobKeyError("key [../x] escapes the store");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "BlobKeyError";
  }
}

/** Why a signed-URL request was refused (HTTP status and message). */
export class SignedUrlError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  /**
   * @example
   * ```ts
   * import { SignedUrlError } from "./store.ts";
   * throw new SignedUrlError(403, "signature mismatch");
   * ```
   */
  constructor(status: number, message: string) {
    super(message);
    this.name = "SignedUrlError";
    this.status = status;
  }
}

/** The bucket of Flyte's demo cluster, the sandbox's default. */
export const DEFAULT_BUCKET = "my-s3-bucket";

/** The route prefix under which signed URLs are served. */
export const BLOB_ROUTE = "/sandbox/blobs/";

/**
 * Files under a root directory, with signed URLs.
 *
 * @example
 * ```ts
 * import { BlobStore } from "./store.ts";
 * const dir = Deno.makeTempDirSync();
 * const blobs = BlobStore.open(dir);
 * blobs.write("a/b.txt", new TextEncoder().encode("hi"));
 * console.log(blobs.nativeUrl("a/b.txt"));
 * ```
 */
export class BlobStore {
  /** Absolute root directory of the blobs. */
  readonly root: string;
  /** The bucket native URLs name (`s3://<bucket>/<key>`). */
  readonly bucket: string;
  readonly #secret: Uint8Array;
  /** Base URL (`http://host:port`) used in signed URLs; set once the server listens. */
  baseUrl = "";
  /**
   * Makes upload URLs elsewhere: when set (the sandbox sets its S3 face's
   * SigV4 presigner), `signedUrl("PUT", ...)` answers what it returns for
   * the key, expiry and expected md5 (base64, "" for any body).
   */
  uploadSigner?: (key: string, expiresAt: Date, md5: string) => string;

  private constructor(root: string, secret: Uint8Array, bucket: string) {
    this.root = root;
    this.#secret = secret;
    this.bucket = bucket;
  }

  /**
   * Opens the store under `<dataDir>/blobs`, creating the HMAC secret once.
   * `bucket` (default {@link DEFAULT_BUCKET}) is the bucket of its native URLs.
   */
  static open(dataDir: string, bucket: string = DEFAULT_BUCKET): BlobStore {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new BlobKeyError(
        `invalid bucket name [${bucket}]: 3-63 lower-case letters, digits, '.' or '-'`,
      );
    }
    const root = path.resolve(dataDir, "blobs");
    fs.mkdirSync(root, { recursive: true });
    const secretPath = path.resolve(dataDir, "blob-secret");
    let secret: Uint8Array;
    try {
      secret = fs.readFileSync(secretPath);
    } catch {
      secret = randomBytes(32);
      fs.writeFileSync(secretPath, secret, { mode: 0o600 });
    }
    return new BlobStore(root, secret, bucket);
  }

  /** Checks a key and returns its absolute path; throws BlobKeyError if it could escape. */
  pathOf(key: string): string {
    if (!key || key.includes("\0") || key.includes("\\")) {
      throw new BlobKeyError(`invalid blob key [${key}]`);
    }
    const parts = key.split("/");
    if (
      key.startsWith("/") ||
      parts.some((p) => p === ".." || p === "." || p === "")
    ) {
      throw new BlobKeyError(
        `invalid blob key [${key}]: empty, '.' or '..' segments are not allowed`,
      );
    }
    const abs = path.resolve(this.root, key);
    if (!abs.startsWith(this.root + path.sep)) {
      throw new BlobKeyError(`blob key [${key}] escapes the store`);
    }
    return abs;
  }

  /** `s3://<bucket>/<key>`: the native URL of a key. */
  nativeUrl(key: string): string {
    this.pathOf(key);
    return `s3://${this.bucket}/${key}`;
  }

  /** `file://` URL of a key's file (what older data directories hold). */
  fileUrl(key: string): string {
    return pathToFileURL(this.pathOf(key)).href;
  }

  /**
   * The key of an `s3://<bucket>/<key>` URL, of a `file://` URL or of an
   * absolute path (older data directories, see engine/local_refs.ts) inside
   * the store; throws BlobKeyError otherwise.
   */
  keyOf(url: string): string {
    if (url.startsWith("s3://")) {
      const prefix = `s3://${this.bucket}/`;
      if (!url.startsWith(prefix)) {
        throw new BlobKeyError(
          `URL [${url}] is not in this sandbox's bucket [${this.bucket}]`,
        );
      }
      const key = url.slice(prefix.length).replace(/\/+$/, "");
      this.pathOf(key);
      return key;
    }
    let p: string;
    try {
      if (url.startsWith("/")) p = url;
      else if (url.startsWith("file://")) p = fileURLToPath(url);
      else throw new Error("not file://");
    } catch {
      throw new BlobKeyError(
        `URL [${url}] is not an s3://${this.bucket}/ URL, file:// URL or absolute path of this sandbox's blob store`,
      );
    }
    const abs = path.resolve(p);
    if (!abs.startsWith(this.root + path.sep)) {
      throw new BlobKeyError(
        `URL [${url}] is outside this sandbox's blob store (${this.root})`,
      );
    }
    const key = abs.slice(this.root.length + 1).split(path.sep).join("/");
    this.pathOf(key);
    return key;
  }

  /** Whether a key exists. */
  exists(key: string): boolean {
    return fs.existsSync(this.pathOf(key));
  }

  /** Reads a key. */
  read(key: string): Uint8Array {
    return fs.readFileSync(this.pathOf(key));
  }

  /** Reads an `s3://` or `file://` URL of this store. */
  readUrl(url: string): Uint8Array {
    return this.read(this.keyOf(url));
  }

  /** Writes a key atomically (temp file + rename); records its md5 beside it. */
  write(key: string, data: Uint8Array): void {
    const abs = this.pathOf(key);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, abs);
  }

  /** Base64 md5 of a stored key, or undefined when absent (read in chunks). */
  md5Of(key: string): string | undefined {
    const abs = this.pathOf(key);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const known = this.#md5s.get(abs);
    if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) {
      return known.md5;
    }
    const h = createHash("md5");
    const fd = fs.openSync(abs, "r");
    try {
      const buf = new Uint8Array(1 << 20);
      let n;
      while ((n = fs.readSync(fd, buf)) > 0) h.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    const md5 = h.digest("base64");
    this.#md5s.set(abs, { md5, mtimeMs: st.mtimeMs, size: st.size });
    return md5;
  }

  /**
   * The md5 recorded when `key` was last committed, if it is unchanged.
   *
   * @example
   * ```ts
   * import { BlobStore } from "./store.ts";
   * const blobs = BlobStore.open(Deno.makeTempDirSync());
   * console.log(blobs.knownMd5("a/b.txt")); // undefined
   * ```
   */
  knownMd5(key: string): string | undefined {
    const abs = this.pathOf(key);
    const known = this.#md5s.get(abs);
    try {
      const st = fs.statSync(abs);
      if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) {
        return known.md5;
      }
    } catch {
      // absent
    }
    return undefined;
  }

  readonly #md5s = new Map<
    string,
    { md5: string; mtimeMs: number; size: number }
  >();

  /**
   * A temporary file beside `key`'s place (parents created), for a
   * streamed write finished by {@link BlobStore.commit}.
   *
   * @example
   * ```ts
   * import { BlobStore, md5Base64 } from "./store.ts";
   * const blobs = BlobStore.open(Deno.makeTempDirSync());
   * const tmp = blobs.tempFor("a/b.txt");
   * Deno.writeTextFileSync(tmp, "hi");
   * blobs.commit(tmp, "a/b.txt", md5Base64(new TextEncoder().encode("hi")));
   * ```
   */
  tempFor(key: string): string {
    const abs = this.pathOf(key);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    return `${abs}.${randomBytes(6).toString("hex")}.tmp`;
  }

  /**
   * Renames a temporary file into `key`'s place, recording its md5.
   *
   * @example
   * ```ts
   * import { BlobStore } from "./store.ts";
   * const blobs = BlobStore.open(Deno.makeTempDirSync());
   * const tmp = blobs.tempFor("k");
   * Deno.writeTextFileSync(tmp, "");
   * blobs.commit(tmp, "k", "1B2M2Y8AsgTpgAmY7PhCfg==");
   * ```
   */
  commit(tmp: string, key: string, md5: string): void {
    const abs = this.pathOf(key);
    fs.renameSync(tmp, abs);
    const st = fs.statSync(abs);
    this.#md5s.set(abs, { md5, mtimeMs: st.mtimeMs, size: st.size });
  }

  #sign(method: string, key: string, expires: number, md5: string): string {
    return createHmac("sha256", this.#secret).update(
      `${method}\n${key}\n${expires}\n${md5}`,
    ).digest("base64url");
  }

  /**
   * A signed URL for `method` (PUT or GET) on `key`, valid until
   * `expiresAt`; a PUT URL signed with `md5` (base64) only accepts that body.
   * With an {@link BlobStore.uploadSigner}, PUT URLs are its.
   */
  signedUrl(
    method: "PUT" | "GET",
    key: string,
    expiresAt: Date,
    md5 = "",
  ): string {
    this.pathOf(key);
    if (method === "PUT" && this.uploadSigner) {
      return this.uploadSigner(key, expiresAt, md5);
    }
    if (!this.baseUrl) throw new Error("blob store has no base URL yet");
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const q = new URLSearchParams({
      method,
      expires: String(expires),
    });
    if (md5) q.set("md5", md5);
    q.set("signature", this.#sign(method, key, expires, md5));
    return `${this.baseUrl}${BLOB_ROUTE}${
      key.split("/").map(encodeURIComponent).join("/")
    }?${q}`;
  }

  /**
   * Checks a signed-URL request; returns the key. Throws SignedUrlError
   * (403 bad signature / method, 403 expired, 400 malformed).
   */
  verify(method: string, pathname: string, query: URLSearchParams): {
    key: string;
    md5: string;
  } {
    let key: string;
    try {
      key = pathname.slice(BLOB_ROUTE.length).split("/").map(
        decodeURIComponent,
      ).join("/");
      this.pathOf(key);
    } catch (e) {
      throw new SignedUrlError(400, (e as Error).message);
    }
    const signed = query.get("method") ?? "";
    const sig = query.get("signature") ?? "";
    const expiresText = query.get("expires") ?? "";
    const md5 = query.get("md5") ?? "";
    if (!sig || !/^\d+$/.test(expiresText)) {
      throw new SignedUrlError(
        400,
        "signed URL lacks its expires or signature parameter",
      );
    }
    const wantMethod = method === "HEAD" ? "GET" : method;
    if (signed !== wantMethod) {
      throw new SignedUrlError(
        403,
        `signed URL is for ${signed || "no method"}, not ${method}`,
      );
    }
    const expected = Buffer.from(
      this.#sign(signed, key, Number(expiresText), md5),
    );
    const got = Buffer.from(sig);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new SignedUrlError(403, "signed URL signature does not match");
    }
    if (Number(expiresText) * 1000 < Date.now()) {
      throw new SignedUrlError(403, "signed URL has expired");
    }
    return { key, md5 };
  }
}

import { Buffer } from "node:buffer";

/**
 * Base64 md5 of bytes.
 *
 * @example
 * ```ts
 * import { md5Base64 } from "./store.ts";
 * md5Base64(new Uint8Array()); // "1B2M2Y8AsgTpgAmY7PhCfg=="
 * ```
 */
export function md5Base64(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}
