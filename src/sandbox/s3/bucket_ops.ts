/**
 * Bucket operations of the S3 face: ListObjectsV2 (and V1), HeadBucket,
 * GetBucketLocation, ListBuckets, CreateBucket (refused: one bucket).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { invalidArgument, S3Error } from "./errors.ts";
import { etagOf, type ListEntry, listObjects, statObject } from "./objects.ts";
import type { S3Call, S3Context } from "./respond.ts";
import { sendXml } from "./respond.ts";
import type { XmlObject } from "./xml.ts";

const OWNER = { ID: "flyte-deno-sandbox", DisplayName: "sandbox" };

/**
 * ListBuckets: the one bucket.
 *
 * @example
 * ```ts ignore
 * listBuckets(ctx, call);
 * ```
 */
export function listBuckets(ctx: S3Context, c: S3Call): void {
  sendXml(c.res, 200, "ListAllMyBucketsResult", {
    Owner: OWNER,
    Buckets: {
      Bucket: [{
        Name: ctx.blobs.bucket,
        CreationDate: "2024-01-01T00:00:00.000Z",
      }],
    },
  });
}

/**
 * HeadBucket.
 *
 * @example
 * ```ts ignore
 * headBucket(ctx, call);
 * ```
 */
export function headBucket(ctx: S3Context, c: S3Call): void {
  c.res.writeHead(200, { "x-amz-bucket-region": ctx.region });
  c.res.end();
}

/**
 * GetBucketLocation (empty for us-east-1, as S3 answers).
 *
 * @example
 * ```ts ignore
 * bucketLocation(ctx, call);
 * ```
 */
export function bucketLocation(ctx: S3Context, c: S3Call): void {
  sendXml(c.res, 200, "LocationConstraint", {
    "#text": ctx.region === "us-east-1" ? "" : ctx.region,
  });
}

/**
 * CreateBucket: the sandbox has exactly one bucket.
 *
 * @example
 * ```ts ignore
 * createBucket(ctx, call, "other");
 * ```
 */
export function createBucket(ctx: S3Context, bucket: string): never {
  if (bucket === ctx.blobs.bucket) {
    throw new S3Error(
      409,
      "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it.",
      { BucketName: bucket },
    );
  }
  throw new S3Error(
    403,
    "AccessDenied",
    `this sandbox serves one bucket, [${ctx.blobs.bucket}]; it cannot create [${bucket}]`,
    { BucketName: bucket },
  );
}

function maxKeysOf(q: URLSearchParams): number {
  const text = q.get("max-keys");
  if (text === null || text === "") return 1000;
  if (!/^\d+$/.test(text)) {
    throw invalidArgument(
      "max-keys",
      text,
      "Provided max-keys not an integer or within integer range",
    );
  }
  return Math.min(Number(text), 1000);
}

const token = {
  encode: (s: string) => Buffer.from(s, "utf8").toString("base64url"),
  decode(t: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(t)) {
      throw invalidArgument(
        "continuation-token",
        t,
        "The continuation token provided is incorrect",
      );
    }
    return Buffer.from(t, "base64url").toString("utf8");
  },
};

/**
 * ListObjectsV2 (`list-type=2`: prefix, delimiter, continuation-token,
 * start-after, max-keys, encoding-type) and ListObjects (V1: marker).
 *
 * @example
 * ```ts ignore
 * listObjectsV2(ctx, call);
 * ```
 */
export function listObjectsOp(ctx: S3Context, c: S3Call): void {
  const q = c.query;
  const v2 = q.get("list-type") === "2";
  const listType = q.get("list-type");
  if (listType !== null && listType !== "2") {
    throw invalidArgument("list-type", listType, "list-type must be 2");
  }
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const maxKeys = maxKeysOf(q);
  const encodingType = q.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") {
    throw invalidArgument(
      "encoding-type",
      encodingType,
      "Invalid Encoding Method specified in Request",
    );
  }
  const enc = (s: string) =>
    encodingType === "url" ? encodeURIComponent(s).replace(/%2F/g, "/") : s;
  const ct = q.get("continuation-token");
  const startAfter = q.get("start-after") ?? "";
  const marker = q.get("marker") ?? "";
  const after = v2 ? (ct !== null ? token.decode(ct) : startAfter) : marker;
  const contents: XmlObject[] = [];
  const prefixes: XmlObject[] = [];
  let last = "";
  let truncated = false;
  let count = 0;
  if (maxKeys > 0) {
    for (const e of listObjects(ctx.blobs, { prefix, delimiter, after })) {
      if (count === maxKeys) {
        truncated = true;
        break;
      }
      count++;
      last = name(e);
      if (e.kind === "prefix") {
        prefixes.push({ Prefix: enc(e.prefix) });
        continue;
      }
      const o = statObject(ctx.blobs, e.key);
      if (!o) {
        count--;
        continue; // removed meanwhile
      }
      contents.push({
        Key: enc(e.key),
        LastModified: o.mtime.toISOString(),
        ETag: etagOf(ctx.blobs, o, false),
        Size: o.size,
        StorageClass: "STANDARD",
        ...(v2 ? {} : { Owner: OWNER }),
      });
    }
  }
  const body: XmlObject = {
    Name: ctx.blobs.bucket,
    Prefix: enc(prefix),
    ...(v2 ? {} : { Marker: enc(marker) }),
    MaxKeys: maxKeys,
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    ...(encodingType ? { EncodingType: encodingType } : {}),
    IsTruncated: truncated,
    ...(v2
      ? {
        KeyCount: count,
        ...(ct !== null ? { ContinuationToken: ct } : {}),
        ...(startAfter ? { StartAfter: enc(startAfter) } : {}),
        ...(truncated ? { NextContinuationToken: token.encode(last) } : {}),
      }
      : truncated && delimiter
      ? { NextMarker: enc(last) }
      : {}),
    Contents: contents,
    CommonPrefixes: prefixes,
  };
  sendXml(c.res, 200, "ListBucketResult", body);
}

const name = (e: ListEntry) => e.kind === "key" ? e.key : e.prefix;
