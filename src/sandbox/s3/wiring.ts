/**
 * How the sandbox presents its S3 face: the demo cluster's port and
 * credentials, the endpoint clients use, the environment task processes
 * get, and the data proxy's presigned upload URLs.
 *
 * @module
 */
import { isLoopbackHost } from "../server/guard.ts";
import { presign } from "./sigv4.ts";
import { SIGNED_MD5_PARAM } from "./object_ops.ts";

/** Port of the demo cluster's MinIO: the S3 face's when admin is on {@link DEFAULT_PORT}. */
export const DEFAULT_S3_PORT = 30002;

/** The demo cluster's MinIO credentials, the S3 face's default on loopback. */
export const DEMO_S3_CREDENTIALS: Readonly<
  { accessKeyId: string; secretAccessKey: string }
> = { accessKeyId: "minio", secretAccessKey: "miniostorage" };

/**
 * Where and how to reach the sandbox's S3 face.
 *
 * @example
 * ```ts
 * import type { SandboxS3 } from "./wiring.ts";
 * const url = (s: SandboxS3) => `${s.endpoint}/${s.bucket}/`;
 * ```
 */
export interface SandboxS3 {
  /** `http://127.0.0.1:<port>` (`http://localhost:30002` on the default ports). */
  endpoint: string;
  /** Bound port. */
  port: number;
  /** The one bucket (native URLs are `s3://<bucket>/...`). */
  bucket: string;
  /** Access key id requests are signed with. */
  accessKeyId: string;
  /** Secret access key. */
  secretAccessKey: string;
  /** Region the bucket reports (`us-east-1`). */
  region: string;
}

/**
 * The S3 face's endpoint as clients on this machine use it: `localhost` on
 * the default port (as flytekit's `Config.for_sandbox()` writes it), the
 * listening host otherwise (127.0.0.1 for a wildcard address).
 *
 * @example
 * ```ts
 * import { s3Endpoint } from "./wiring.ts";
 * s3Endpoint("127.0.0.1", 30002); // "http://localhost:30002"
 * ```
 */
export function s3Endpoint(host: string, port: number): string {
  if (port === DEFAULT_S3_PORT && isLoopbackHost(host)) {
    return `http://localhost:${port}`;
  }
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${h.includes(":") ? `[${h}]` : h}:${port}`;
}

/**
 * What a demo-cluster pod has to reach MinIO: flytekit's FLYTE_AWS_* and the
 * standard AWS variables for other clients (botocore, the AWS SDKs).
 *
 * @example
 * ```ts
 * import { taskS3Env } from "./wiring.ts";
 * taskS3Env({ endpoint: "http://127.0.0.1:9000", port: 9000, bucket: "b", accessKeyId: "k", secretAccessKey: "s", region: "us-east-1" }).FLYTE_AWS_ENDPOINT;
 * ```
 */
export function taskS3Env(s3: SandboxS3): Record<string, string> {
  const endpoint = s3.endpoint.replace("//localhost:", "//127.0.0.1:");
  return {
    FLYTE_AWS_ENDPOINT: endpoint,
    FLYTE_AWS_ACCESS_KEY_ID: s3.accessKeyId,
    FLYTE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_REGION: s3.region,
    AWS_DEFAULT_REGION: s3.region,
  };
}

/**
 * The data proxy's upload URLs: SigV4-presigned PUTs on the S3 face (as
 * FlyteAdmin presigns them on S3/MinIO), the expected md5 signed in.
 *
 * @example
 * ```ts
 * import { uploadSigner } from "./wiring.ts";
 * const sign = uploadSigner({ endpoint: "http://127.0.0.1:9000", port: 9000, bucket: "b", accessKeyId: "k", secretAccessKey: "s", region: "us-east-1" });
 * sign("a/b.txt", new Date(Date.now() + 60_000), "");
 * ```
 */
export function uploadSigner(
  s3: SandboxS3,
): (key: string, expiresAt: Date, md5: string) => string {
  const base = s3.endpoint.replace("//localhost:", "//127.0.0.1:");
  return (key, expiresAt, md5) => {
    const seconds = Math.min(
      604_800,
      Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000)),
    );
    const path = key.split("/").map(encodeURIComponent).join("/");
    return presign(
      "PUT",
      new URL(`${base}/${s3.bucket}/${path}`),
      s3,
      seconds,
      { region: s3.region, query: md5 ? { [SIGNED_MD5_PARAM]: md5 } : {} },
    );
  };
}
