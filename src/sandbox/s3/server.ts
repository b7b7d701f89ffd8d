/**
 * The sandbox's S3 face: an HTTP/1.1 server (node:http) on its own port
 * answering the S3 subset Flyte's clients use (flytekit through s3fs and
 * botocore, the AWS SDK for JavaScript) over the blob store's files, the
 * way MinIO stands beside FlyteAdmin in Flyte's demo cluster. Path-style
 * addressing (`/<bucket>/<key>`); every request passes the sandbox's
 * Host/Origin guard and must be SigV4-signed with the sandbox's access key.
 *
 * @module
 */
import * as http from "node:http";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import type { BlobStore } from "../blobs/store.ts";
import { checkRequest, type GuardPolicy } from "../server/guard.ts";
import { S3Error } from "./errors.ts";
import { type S3Credentials, verifyRequest } from "./sigv4.ts";
import { type S3Call, type S3Context, sendError } from "./respond.ts";
import { deleteMany, deleteOne, getObject, putObject } from "./object_ops.ts";
import {
  bucketLocation,
  createBucket,
  headBucket,
  listBuckets,
  listObjectsOp,
} from "./bucket_ops.ts";
import {
  abortUpload,
  completeUpload,
  createUpload,
  uploadPart,
} from "./multipart.ts";

/**
 * Options of {@link startS3Face}.
 *
 * @example
 * ```ts
 * import type { S3FaceOptions } from "./server.ts";
 * const o: Partial<S3FaceOptions> = { host: "127.0.0.1", port: 0 };
 * ```
 */
export interface S3FaceOptions {
  /** The blob store; its bucket is the one bucket served. */
  blobs: BlobStore;
  /** Data directory (multipart parts go to `<dataDir>/s3-uploads`). */
  dataDir: string;
  /** Interface to bind. */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** The access key requests must be signed with. */
  credentials: S3Credentials;
  /** The sandbox's Host/Origin guard (its token is not needed: SigV4 is the credential). */
  guard: GuardPolicy;
  /** Region reported; default us-east-1. */
  region?: string;
}

/**
 * A running S3 face.
 *
 * @example
 * ```ts
 * import type { S3Face } from "./server.ts";
 * const stop = (f: S3Face) => f.close();
 * ```
 */
export interface S3Face {
  /** Bound port. */
  port: number;
  /** `http://<host>:<port>`. */
  endpoint: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Subresources the face does not implement (answered NotImplemented, naming them). */
const UNSUPPORTED = [
  "acl",
  "tagging",
  "versioning",
  "versions",
  "policy",
  "cors",
  "lifecycle",
  "website",
  "logging",
  "notification",
  "replication",
  "encryption",
  "object-lock",
  "retention",
  "legal-hold",
  "torrent",
  "restore",
  "select",
  "attributes",
  "accelerate",
  "requestPayment",
  "ownershipControls",
  "publicAccessBlock",
];

function headersOf(req: http.IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
  }
  return h;
}

async function dispatch(
  ctx: S3Context,
  c: S3Call,
  bucket: string,
): Promise<void> {
  const m = c.req.method ?? "GET";
  const q = c.query;
  if (!bucket) {
    if (m === "GET") return listBuckets(ctx, c);
    throw new S3Error(405, "MethodNotAllowed", `${m} on / is not allowed`);
  }
  if (bucket !== ctx.blobs.bucket) {
    if (m === "PUT" && !c.key) return createBucket(ctx, bucket);
    throw new S3Error(
      404,
      "NoSuchBucket",
      `The specified bucket does not exist (this sandbox serves [${ctx.blobs.bucket}])`,
      { BucketName: bucket },
    );
  }
  const unsupported = UNSUPPORTED.find((s) => q.has(s));
  if (unsupported) {
    throw new S3Error(
      501,
      "NotImplemented",
      `the ?${unsupported} subresource is not implemented by this sandbox`,
    );
  }
  if (!c.key) {
    if (m === "HEAD") return headBucket(ctx, c);
    if (m === "GET" && q.has("location")) return bucketLocation(ctx, c);
    if (m === "GET" && q.has("uploads")) {
      throw new S3Error(
        501,
        "NotImplemented",
        "ListMultipartUploads is not implemented by this sandbox",
      );
    }
    if (m === "GET") return listObjectsOp(ctx, c);
    if (m === "POST" && q.has("delete")) return await deleteMany(ctx, c);
    if (m === "PUT") return createBucket(ctx, bucket);
    throw new S3Error(
      405,
      "MethodNotAllowed",
      `${m} on the bucket is not allowed`,
    );
  }
  if (q.has("uploadId")) {
    if (m === "PUT") return await uploadPart(ctx, c);
    if (m === "POST") return await completeUpload(ctx, c);
    if (m === "DELETE") return abortUpload(ctx, c);
    throw new S3Error(
      501,
      "NotImplemented",
      "ListParts is not implemented by this sandbox",
    );
  }
  if (m === "POST" && q.has("uploads")) return await createUpload(ctx, c);
  if (m === "GET" || m === "HEAD") return await getObject(ctx, c);
  if (m === "PUT") return await putObject(ctx, c);
  if (m === "DELETE") return await deleteOne(ctx, c);
  throw new S3Error(
    405,
    "MethodNotAllowed",
    `${m} on an object is not allowed`,
  );
}

function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error(
      400,
      "InvalidURI",
      `Couldn't parse the specified URI: ${s}`,
    );
  }
}

/**
 * Starts the S3 face.
 *
 * @example
 * ```ts ignore
 * const face = await startS3Face({ blobs, dataDir, host: "127.0.0.1", port: 0,
 *   credentials: { accessKeyId: "minio", secretAccessKey: "miniostorage" }, guard });
 * await face.close();
 * ```
 */
export function startS3Face(options: S3FaceOptions): Promise<S3Face> {
  const ctx: S3Context = {
    blobs: options.blobs,
    uploadsDir: path.join(options.dataDir, "s3-uploads"),
    region: options.region ?? "us-east-1",
  };
  const server = http.createServer(async (req, res) => {
    const raw = req.url ?? "/";
    const qi = raw.indexOf("?");
    const rawPath = qi < 0 ? raw : raw.slice(0, qi);
    const rawQuery = qi < 0 ? "" : raw.slice(qi + 1);
    const resource = decodePathSafe(rawPath);
    res.setHeader("server", "flyte-deno-sandbox");
    try {
      const headers = headersOf(req);
      // Built from the parts: a path starting with "//" must not become a host.
      const url = new URL(
        `http://s3${rawPath.replace(/^\/+/, "/")}?${rawQuery}`,
      );
      const refusal = checkRequest(options.guard, url, headers, {
        selfAuthenticated: true,
      });
      if (refusal) throw new S3Error(403, "AccessDenied", refusal.message);
      const signed = verifyRequest(
        {
          method: req.method ?? "GET",
          rawPath,
          rawQuery,
          headers: req.headers,
        },
        options.credentials,
      );
      const parts = rawPath.replace(/^\/+/, "").split("/");
      const bucket = decodePath(parts[0] ?? "");
      const key = decodePath(parts.slice(1).join("/"));
      await dispatch(
        ctx,
        { req, res, key, query: url.searchParams, signed },
        bucket,
      );
    } catch (e) {
      req.resume();
      const err = e instanceof S3Error
        ? e
        : new S3Error(500, "InternalError", (e as Error).message ?? String(e));
      if (err.status === 500) console.error("s3 face:", e);
      sendError(req, res, err, resource);
    }
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const port = (server.address() as AddressInfo).port;
      const h = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        port,
        endpoint: `http://${h}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function decodePathSafe(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}
