/**
 * What every S3 handler shares: the face's context, the request as handlers
 * see it, XML and error answers, streamed writes of request bodies.
 *
 * @module
 */
import type * as http from "node:http";
import * as fs from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { checkCrc32 } from "./chunked.ts";
import { pipeline } from "node:stream/promises";
import type { BlobStore } from "../blobs/store.ts";
import { S3Error } from "./errors.ts";
import type { SignedRequest } from "./sigv4.ts";
import { xmlDocument, type XmlObject } from "./xml.ts";

/**
 * The face's state shared by every request.
 *
 * @example
 * ```ts
 * import type { S3Context } from "./respond.ts";
 * const bucketOf = (c: S3Context) => c.blobs.bucket;
 * ```
 */
export interface S3Context {
  /** The blob store the bucket is. */
  blobs: BlobStore;
  /** Folder of multipart uploads in progress (outside the bucket). */
  uploadsDir: string;
  /** Region the bucket reports. */
  region: string;
}

/**
 * One authenticated request on the bucket.
 *
 * @example
 * ```ts
 * import type { S3Call } from "./respond.ts";
 * const keyOf = (c: S3Call) => c.key;
 * ```
 */
export interface S3Call {
  /** The node:http request (its body unread). */
  req: http.IncomingMessage;
  /** The response. */
  res: http.ServerResponse;
  /** The object key (decoded), "" for the bucket itself. */
  key: string;
  /** Decoded query parameters. */
  query: URLSearchParams;
  /** What the request's signature covered. */
  signed: SignedRequest;
}

/** Largest single PUT (S3's 5 GiB; multipart uploads assemble larger objects). */
const MAX_OBJECT = 5 * 1024 ** 3;

/** Largest XML request body read (DeleteObjects, CompleteMultipartUpload). */
const MAX_XML_BODY = 4 * 1024 * 1024;

/**
 * Answers an XML document.
 *
 * @example
 * ```ts ignore
 * sendXml(res, 200, "DeleteResult", { Deleted: [] });
 * ```
 */
export function sendXml(
  res: http.ServerResponse,
  status: number,
  root: string,
  body: XmlObject,
  headers: Record<string, string> = {},
): void {
  const text = Buffer.from(xmlDocument(root, body));
  res.writeHead(status, {
    ...headers,
    "content-type": "application/xml",
    "content-length": String(text.length),
  });
  res.end(text);
}

import { Buffer } from "node:buffer";

/**
 * Answers an error as S3 does (XML `<Error>`; a HEAD gets the status only).
 *
 * @example
 * ```ts ignore
 * sendError(req, res, new S3Error(404, "NoSuchKey", "The specified key does not exist."), "/b/k");
 * ```
 */
export function sendError(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  e: S3Error,
  resource: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  if (req.method === "HEAD") {
    res.writeHead(e.status, {
      "x-amz-request-id": requestId,
      "x-minio-error-code": e.code,
    });
    res.end();
    return;
  }
  sendXml(res, e.status, "Error", {
    Code: e.code,
    Message: e.message,
    ...e.extra,
    Resource: resource,
    RequestId: requestId,
  }, { "x-amz-request-id": requestId });
}

/**
 * Reads a small XML request body whole (bounded), decoded as the request's
 * payload says.
 *
 * @example
 * ```ts ignore
 * const text = await readSmallBody(body);
 * ```
 */
export async function readSmallBody(
  body: AsyncIterable<Uint8Array>,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    size += c.length;
    if (size > MAX_XML_BODY) {
      throw new S3Error(
        400,
        "MaxMessageLengthExceeded",
        `the request body is longer than ${MAX_XML_BODY} bytes`,
      );
    }
    parts.push(c);
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * Streams a body into `tmp`, computing its md5; checks a sent
 * `Content-MD5`, `x-amz-checksum-crc32` and the md5 a presigned URL was
 * signed for (BadDigest), and
 * `x-amz-decoded-content-length`. Removes `tmp` on any failure.
 *
 * @example
 * ```ts ignore
 * const { md5, size } = await writeBody(body, tmp, req.headers);
 * ```
 */
export async function writeBody(
  body: AsyncIterable<Uint8Array>,
  tmp: string,
  headers: http.IncomingHttpHeaders,
  signedMd5 = "",
): Promise<{ md5: string; size: number }> {
  const h = createHash("md5");
  const sentCrc = headers["x-amz-checksum-crc32"];
  let crc = 0;
  let size = 0;
  try {
    await pipeline(
      body,
      async function* (src: AsyncIterable<Uint8Array>) {
        for await (const c of src) {
          size += c.length;
          if (size > MAX_OBJECT) {
            throw new S3Error(
              400,
              "EntityTooLarge",
              `Your proposed upload exceeds the maximum allowed object size (${MAX_OBJECT} bytes; use a multipart upload)`,
            );
          }
          h.update(c);
          if (typeof sentCrc === "string") crc = crc32(c, crc);
          yield c;
        }
      },
      fs.createWriteStream(tmp),
    );
    const md5 = h.digest("base64");
    if (typeof sentCrc === "string") checkCrc32(sentCrc, crc);
    const sent = headers["content-md5"];
    if (typeof sent === "string" && sent !== md5) {
      throw new S3Error(
        400,
        "BadDigest",
        "the Content-MD5 you specified did not match what we received",
      );
    }
    if (signedMd5 && signedMd5 !== md5) {
      throw new S3Error(
        400,
        "BadDigest",
        `the body's md5 [${md5}] does not match the md5 this URL was signed for [${signedMd5}]`,
      );
    }
    const decoded = headers["x-amz-decoded-content-length"];
    if (typeof decoded === "string" && Number(decoded) !== size) {
      throw new S3Error(
        400,
        "IncompleteBody",
        `x-amz-decoded-content-length says ${decoded} bytes, the body has ${size}`,
      );
    }
    return { md5, size };
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A quoted hex ETag from a base64 md5.
 *
 * @example
 * ```ts
 * import { etagFromMd5 } from "./respond.ts";
 * etagFromMd5("1B2M2Y8AsgTpgAmY7PhCfg=="); // "\"d41d8cd98f00b204e9800998ecf8427e\""
 * ```
 */
export function etagFromMd5(md5: string): string {
  return `"${Buffer.from(md5, "base64").toString("hex")}"`;
}
