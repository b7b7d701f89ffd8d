/**
 * s3:// reads and writes with the AWS SDK for JavaScript (v3), configured
 * from the standard AWS environment variables; the endpoint comes from
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` or `FLYTE_AWS_ENDPOINT` when set
 * (path-style addressing then, as MinIO and moto want).
 *
 * @module
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

let client: S3Client | undefined;

function s3(): S3Client {
  if (client) return client;
  const endpoint = Deno.env.get("AWS_ENDPOINT_URL_S3") ??
    Deno.env.get("AWS_ENDPOINT_URL") ?? Deno.env.get("FLYTE_AWS_ENDPOINT");
  client = new S3Client({
    region: Deno.env.get("AWS_REGION") ?? Deno.env.get("AWS_DEFAULT_REGION") ??
      "us-east-1",
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  return client;
}

function split(uri: string): { Bucket: string; Key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error("not an s3://bucket/key URI");
  return { Bucket: m[1], Key: m[2] };
}

/**
 * Reads an object.
 *
 * @example
 * ```ts
 * import { s3Read } from "./s3.ts";
 * const bytes = await s3Read("s3://my-bucket/data/inputs.pb");
 * ```
 */
export async function s3Read(uri: string): Promise<Uint8Array> {
  const r = await s3().send(new GetObjectCommand(split(uri)));
  return await r.Body!.transformToByteArray();
}

/**
 * Writes an object.
 *
 * @example
 * ```ts
 * import { s3Write } from "./s3.ts";
 * await s3Write("s3://my-bucket/out/outputs.pb", new Uint8Array());
 * ```
 */
export async function s3Write(uri: string, data: Uint8Array): Promise<void> {
  await s3().send(new PutObjectCommand({ ...split(uri), Body: data }));
}
