/**
 * HTTP handling of the blob store's signed URLs: PUT (upload; checks the
 * signed md5 and a sent Content-MD5 before anything is stored), GET and HEAD.
 *
 * @module
 */
import type * as http from "node:http";
import type * as http2 from "node:http2";
import { Buffer } from "node:buffer";
import {
  BLOB_ROUTE,
  type BlobStore,
  md5Base64,
  SignedUrlError,
} from "../blobs/store.ts";

type NodeReq = http.IncomingMessage | http2.Http2ServerRequest;
type NodeRes = http.ServerResponse | http2.Http2ServerResponse;

/** Largest accepted upload (2 GiB). */
const MAX_UPLOAD = 2 * 1024 ** 3;

function fail(res: NodeRes, status: number, message: string) {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(message);
}

/**
 * Serves one signed-URL request.
 *
 * @example
 * ```ts
 * import { handleBlobRequest } from "./blobs.ts";
 * console.log(handleBlobRequest.matches("/sandbox/blobs/a")); // true
 * ```
 */
export async function handleBlobRequest(
  blobs: BlobStore,
  req: NodeReq,
  res: NodeRes,
  url: URL,
  verb: string,
): Promise<void> {
  let key: string;
  let md5: string;
  try {
    ({ key, md5 } = blobs.verify(verb, url.pathname, url.searchParams));
  } catch (e) {
    if (e instanceof SignedUrlError) return fail(res, e.status, e.message);
    throw e;
  }
  if (verb === "PUT") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_UPLOAD) return fail(res, 413, "upload too large");
      chunks.push(c);
    }
    const body = new Uint8Array(Buffer.concat(chunks));
    const actual = md5Base64(body);
    const sent = req.headers["content-md5"];
    if (typeof sent === "string" && sent !== actual) {
      return fail(
        res,
        400,
        `Content-MD5 header [${sent}] does not match the body's md5 [${actual}]`,
      );
    }
    if (md5 && md5 !== actual) {
      return fail(
        res,
        400,
        `body md5 [${actual}] does not match the md5 this URL was signed for [${md5}]`,
      );
    }
    blobs.write(key, body);
    res.writeHead(200, {
      etag: `"${Buffer.from(actual, "base64").toString("hex")}"`,
    });
    res.end();
    return;
  }
  if (verb === "GET" || verb === "HEAD") {
    if (!blobs.exists(key)) return fail(res, 404, `no object at ${key}`);
    const data = blobs.read(key);
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": String(data.length),
    });
    if (verb === "HEAD") res.end();
    else res.end(Buffer.from(data));
    return;
  }
  fail(res, 405, `method ${verb} not allowed on signed URLs`);
}

handleBlobRequest.matches = (pathname: string): boolean =>
  pathname.startsWith(BLOB_ROUTE);
