/**
 * Object operations of the S3 face: GetObject (with a single Range),
 * HeadObject, PutObject, CopyObject, DeleteObject, DeleteObjects.
 *
 * @module
 */
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { S3Error } from "./errors.ts";
import { deleteObject, etagOf, objectPath, statObject } from "./objects.ts";
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

/**
 * Query parameter of the sandbox's presigned upload URLs (the data proxy's):
 * the base64 md5 the body must have. It is part of the signed query, so it
 * cannot be changed or dropped without breaking the signature; FlyteAdmin's
 * signed URLs bind the md5 the same way (S3 through a signed Content-MD5).
 */
export const SIGNED_MD5_PARAM = "x-flyte-content-md5";

/** Read size of object bodies (fewer, larger socket writes than the 64 KiB default). */
const READ_CHUNK = 1 << 20;

const noSuchKey = (key: string) =>
  new S3Error(404, "NoSuchKey", "The specified key does not exist.", {
    Key: key,
  });

/** One `bytes=` range (inclusive ends) of an object of `size` bytes. */
function rangeOf(
  header: string | undefined,
  size: number,
): [number, number] | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined; // ignored, as S3 does
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) {
    throw new S3Error(
      416,
      "InvalidRange",
      "The requested range is not satisfiable",
      { RangeRequested: header, ActualObjectSize: String(size) },
    );
  }
  return [start, end];
}

/**
 * GetObject and HeadObject.
 *
 * @example
 * ```ts ignore
 * await getObject(ctx, call);
 * ```
 */
export async function getObject(ctx: S3Context, c: S3Call): Promise<void> {
  const o = statObject(ctx.blobs, c.key);
  if (!o) throw noSuchKey(c.key);
  const range = rangeOf(
    typeof c.req.headers.range === "string" ? c.req.headers.range : undefined,
    o.size,
  );
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "accept-ranges": "bytes",
    "last-modified": o.mtime.toUTCString(),
    etag: etagOf(ctx.blobs, o),
  };
  const head = c.req.method === "HEAD";
  if (range) {
    const [start, end] = range;
    headers["content-length"] = String(end - start + 1);
    headers["content-range"] = `bytes ${start}-${end}/${o.size}`;
    c.res.writeHead(206, headers);
    if (head || end < start) return void c.res.end();
    await pipeline(
      fs.createReadStream(o.path, { start, end, highWaterMark: READ_CHUNK }),
      c.res,
    )
      .catch(() => {});
    return;
  }
  headers["content-length"] = String(o.size);
  c.res.writeHead(200, headers);
  if (head || o.size === 0) return void c.res.end();
  await pipeline(
    fs.createReadStream(o.path, { highWaterMark: READ_CHUNK }),
    c.res,
  )
    .catch(() => {});
}

/**
 * PutObject (and CopyObject when `x-amz-copy-source` is set). A key ending
 * in `/` with an empty body (a "folder" marker) is accepted and stores
 * nothing: folders exist only where keys share a prefix.
 *
 * @example
 * ```ts ignore
 * await putObject(ctx, call);
 * ```
 */
export async function putObject(ctx: S3Context, c: S3Call): Promise<void> {
  const source = c.req.headers["x-amz-copy-source"];
  if (typeof source === "string") return copyObject(ctx, c, source);
  const body = requestBody(c.req, c.signed);
  if (c.key.endsWith("/")) {
    let size = 0;
    for await (const b of body) size += b.length;
    if (size > 0) {
      throw new S3Error(
        400,
        "InvalidArgument",
        "a key ending in / must have an empty body in this sandbox",
        {
          ArgumentName: "key",
          ArgumentValue: c.key,
        },
      );
    }
    c.res.writeHead(200, { etag: etagFromMd5("1B2M2Y8AsgTpgAmY7PhCfg==") });
    return void c.res.end();
  }
  objectPath(ctx.blobs, c.key);
  if (fs.existsSync(ctx.blobs.pathOf(c.key)) && !statObject(ctx.blobs, c.key)) {
    throw new S3Error(
      409,
      "InvalidArgument",
      `key [${c.key}] is a prefix of other keys in this sandbox's store and cannot also be an object`,
      {
        ArgumentName: "key",
        ArgumentValue: c.key,
      },
    );
  }
  let tmp: string;
  try {
    tmp = ctx.blobs.tempFor(c.key);
  } catch (e) {
    throw new S3Error(
      409,
      "InvalidArgument",
      `key [${c.key}] cannot be stored: a prefix of it is an object (${
        (e as Error).message
      })`,
      {
        ArgumentName: "key",
        ArgumentValue: c.key,
      },
    );
  }
  // Signed into a presigned URL (see SIGNED_MD5_PARAM): only that body.
  const signedMd5 = c.query.get(SIGNED_MD5_PARAM) ?? "";
  const { md5 } = await writeBody(body, tmp, c.req.headers, signedMd5);
  ctx.blobs.commit(tmp, c.key, md5);
  c.res.writeHead(200, { etag: etagFromMd5(md5) });
  c.res.end();
}

async function copyObject(
  ctx: S3Context,
  c: S3Call,
  source: string,
): Promise<void> {
  let s = source.split("?")[0];
  try {
    s = decodeURIComponent(s);
  } catch {
    // used as sent
  }
  s = s.replace(/^\/+/, "");
  const slash = s.indexOf("/");
  const bucket = slash < 0 ? s : s.slice(0, slash);
  const key = slash < 0 ? "" : s.slice(slash + 1);
  if (bucket !== ctx.blobs.bucket || !key) {
    throw new S3Error(
      bucket !== ctx.blobs.bucket ? 404 : 400,
      bucket !== ctx.blobs.bucket ? "NoSuchBucket" : "InvalidArgument",
      bucket !== ctx.blobs.bucket
        ? `the copy source bucket [${bucket}] does not exist`
        : "x-amz-copy-source must be <bucket>/<key>",
      { ArgumentName: "x-amz-copy-source", ArgumentValue: source },
    );
  }
  const from = statObject(ctx.blobs, key);
  if (!from) throw noSuchKey(key);
  for await (const _ of requestBody(c.req, c.signed)) { /* no body */ }
  objectPath(ctx.blobs, c.key);
  const md5 = ctx.blobs.md5Of(key)!;
  if (c.key !== key) {
    const tmp = ctx.blobs.tempFor(c.key);
    fs.copyFileSync(from.path, tmp);
    ctx.blobs.commit(tmp, c.key, md5);
  }
  const st = fs.statSync(ctx.blobs.pathOf(c.key));
  sendXml(c.res, 200, "CopyObjectResult", {
    LastModified: st.mtime.toISOString(),
    ETag: etagFromMd5(md5),
  });
}

/**
 * DeleteObject: 204 whether or not the key existed, as S3 answers.
 *
 * @example
 * ```ts ignore
 * deleteOne(ctx, call);
 * ```
 */
export async function deleteOne(ctx: S3Context, c: S3Call): Promise<void> {
  for await (const _ of requestBody(c.req, c.signed)) { /* no body */ }
  if (!c.key.endsWith("/")) deleteObject(ctx.blobs, c.key);
  c.res.writeHead(204);
  c.res.end();
}

/**
 * DeleteObjects (`POST ?delete`): up to 1,000 keys; each answered as
 * Deleted or as an Error.
 *
 * @example
 * ```ts ignore
 * await deleteMany(ctx, call);
 * ```
 */
export async function deleteMany(ctx: S3Context, c: S3Call): Promise<void> {
  const doc = parseXml(
    await readSmallBody(requestBody(c.req, c.signed)),
    "Delete",
  );
  const objects = (doc.Object ?? []) as XmlObject[];
  if (objects.length > 1000) {
    throw new S3Error(
      400,
      "MalformedXML",
      `a DeleteObjects request names at most 1000 keys, not ${objects.length}`,
    );
  }
  const quiet = String(doc.Quiet ?? "false") === "true";
  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const o of objects) {
    const key = String(o.Key ?? "");
    try {
      if (!key) {
        throw new S3Error(400, "InvalidArgument", "an Object has no Key");
      }
      if (!key.endsWith("/")) deleteObject(ctx.blobs, key);
      if (!quiet) deleted.push({ Key: key });
    } catch (e) {
      const err = e instanceof S3Error
        ? e
        : new S3Error(500, "InternalError", (e as Error).message);
      errors.push({ Key: key, Code: err.code, Message: err.message });
    }
  }
  sendXml(c.res, 200, "DeleteResult", { Deleted: deleted, Error: errors });
}
