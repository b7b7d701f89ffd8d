/**
 * Multipart uploads of the S3 face: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload (the parts streamed one after another into the
 * object), AbortMultipartUpload. Parts live in `<dataDir>/s3-uploads/<id>/`,
 * outside the bucket, until the upload completes or is aborted.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Buffer } from "node:buffer";
import { invalidArgument, S3Error } from "./errors.ts";
import { objectPath } from "./objects.ts";
import { requestBody } from "./chunked.ts";
import {
  etagFromMd5,
  readSmallBody,
  type S3Call,
  type S3Context,
  sendXml,
  writeBody,
} from "./respond.ts";
import { parseXml, type XmlObject } from "./xml.ts";

function uploadDir(ctx: S3Context, c: S3Call): string {
  const id = c.query.get("uploadId") ?? "";
  const noSuch = new S3Error(
    404,
    "NoSuchUpload",
    "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    { UploadId: id },
  );
  if (!/^[0-9a-f]{32}$/.test(id)) throw noSuch;
  const dir = path.join(ctx.uploadsDir, id);
  let key: string;
  try {
    key = fs.readFileSync(path.join(dir, "key"), "utf8");
  } catch {
    throw noSuch;
  }
  if (key !== c.key) throw noSuch;
  return dir;
}

/**
 * CreateMultipartUpload (`POST ?uploads`).
 *
 * @example
 * ```ts ignore
 * await createUpload(ctx, call);
 * ```
 */
export async function createUpload(ctx: S3Context, c: S3Call): Promise<void> {
  objectPath(ctx.blobs, c.key);
  for await (const _ of requestBody(c.req, c.signed)) { /* no body */ }
  const id = randomBytes(16).toString("hex");
  const dir = path.join(ctx.uploadsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "key"), c.key);
  sendXml(c.res, 200, "InitiateMultipartUploadResult", {
    Bucket: ctx.blobs.bucket,
    Key: c.key,
    UploadId: id,
  });
}

function partNumberOf(c: S3Call): number {
  const text = c.query.get("partNumber") ?? "";
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 10000) {
    throw invalidArgument(
      "partNumber",
      text,
      "Part number must be an integer between 1 and 10000, inclusive",
    );
  }
  return n;
}

/**
 * UploadPart (`PUT ?partNumber=&uploadId=`).
 *
 * @example
 * ```ts ignore
 * await uploadPart(ctx, call);
 * ```
 */
export async function uploadPart(ctx: S3Context, c: S3Call): Promise<void> {
  const n = partNumberOf(c);
  const dir = uploadDir(ctx, c);
  if (c.req.headers["x-amz-copy-source"] !== undefined) {
    throw new S3Error(
      501,
      "NotImplemented",
      "UploadPartCopy is not supported by this sandbox",
    );
  }
  const tmp = path.join(dir, `${n}.${randomBytes(6).toString("hex")}.tmp`);
  const { md5 } = await writeBody(
    requestBody(c.req, c.signed),
    tmp,
    c.req.headers,
  );
  fs.renameSync(tmp, path.join(dir, String(n)));
  fs.writeFileSync(path.join(dir, `${n}.md5`), md5);
  c.res.writeHead(200, { etag: etagFromMd5(md5) });
  c.res.end();
}

/**
 * CompleteMultipartUpload (`POST ?uploadId=`): the listed parts, in
 * ascending order with matching ETags, become the object.
 *
 * @example
 * ```ts ignore
 * await completeUpload(ctx, call);
 * ```
 */
export async function completeUpload(
  ctx: S3Context,
  c: S3Call,
): Promise<void> {
  const dir = uploadDir(ctx, c);
  const doc = parseXml(
    await readSmallBody(requestBody(c.req, c.signed)),
    "CompleteMultipartUpload",
  );
  const parts = (doc.Part ?? []) as XmlObject[];
  if (!parts.length) {
    throw new S3Error(
      400,
      "MalformedXML",
      "CompleteMultipartUpload lists no Part",
    );
  }
  let previous = 0;
  const files: string[] = [];
  const md5s: Buffer[] = [];
  for (const p of parts) {
    const n = Number(p.PartNumber);
    if (!Number.isInteger(n) || n <= previous) {
      throw new S3Error(
        400,
        "InvalidPartOrder",
        "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
      );
    }
    previous = n;
    let md5: string;
    try {
      md5 = fs.readFileSync(path.join(dir, `${n}.md5`), "utf8");
    } catch {
      throw new S3Error(
        400,
        "InvalidPart",
        `part ${n} was not uploaded`,
        { PartNumber: String(n) },
      );
    }
    const want = String(p.ETag ?? "").replace(/&quot;/g, '"').replace(/"/g, "");
    const have = Buffer.from(md5, "base64").toString("hex");
    if (want !== have) {
      throw new S3Error(
        400,
        "InvalidPart",
        `part ${n}'s ETag is ${have}, not ${want}`,
        { PartNumber: String(n), ETag: want },
      );
    }
    files.push(path.join(dir, String(n)));
    md5s.push(Buffer.from(md5, "base64"));
  }
  const tmp = ctx.blobs.tempFor(c.key);
  const h = createHash("md5");
  try {
    const out = fs.createWriteStream(tmp);
    await pipeline(async function* () {
      for (const f of files) {
        for await (
          const chunk of fs.createReadStream(f, { highWaterMark: 1 << 20 })
        ) {
          h.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      }
    }, out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  ctx.blobs.commit(tmp, c.key, h.digest("base64"));
  fs.rmSync(dir, { recursive: true, force: true });
  const etag = `"${
    createHash("md5").update(Buffer.concat(md5s)).digest("hex")
  }-${files.length}"`;
  sendXml(c.res, 200, "CompleteMultipartUploadResult", {
    Location: `/${ctx.blobs.bucket}/${c.key}`,
    Bucket: ctx.blobs.bucket,
    Key: c.key,
    ETag: etag,
  });
}

/**
 * AbortMultipartUpload (`DELETE ?uploadId=`).
 *
 * @example
 * ```ts ignore
 * abortUpload(ctx, call);
 * ```
 */
export function abortUpload(ctx: S3Context, c: S3Call): void {
  const dir = uploadDir(ctx, c);
  fs.rmSync(dir, { recursive: true, force: true });
  c.res.writeHead(204);
  c.res.end();
}
