/**
 * HTTP handling of the blob store's signed URLs: PUT (upload; the body is
 * streamed to a temporary file while its md5 is computed, and kept only
 * when it matches the signed md5 and a sent Content-MD5), GET and HEAD
 * (streamed from disk with Content-Length and, when known, Content-MD5;
 * single `Range: bytes=` requests answered with 206; a directory answers
 * with a JSON listing of its files).
 *
 * @module
 */
import type * as http from "node:http";
import type * as http2 from "node:http2";
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Buffer } from "node:buffer";
import { BLOB_ROUTE, type BlobStore, SignedUrlError } from "../blobs/store.ts";

type NodeReq = http.IncomingMessage | http2.Http2ServerRequest;
type NodeRes = http.ServerResponse | http2.Http2ServerResponse;

/** Largest accepted upload (8 GiB). */
const MAX_UPLOAD = 8 * 1024 ** 3;
/** Files up to this size get a Content-MD5 on GET even when not cached. */
const MD5_ON_GET = 64 * 1024 ** 2;
/** Content type of directory listings (src/data reads it). */
const LISTING_TYPE = "application/vnd.flyte-deno.listing+json";

function fail(res: NodeRes, status: number, message: string) {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(message);
}

function listDir(root: string, rel = ""): { name: string; size: number }[] {
  const out: { name: string; size: number }[] = [];
  const dir = rel ? `${root}/${rel}` : root;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.endsWith(".tmp")) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    const st = fs.statSync(`${root}/${r}`);
    if (st.isDirectory()) out.push(...listDir(root, r));
    else if (st.isFile()) out.push({ name: r, size: st.size });
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** One `bytes=` range (inclusive ends), "bad" when unsatisfiable, else undefined. */
function rangeOf(
  header: string | string[] | undefined,
  size: number,
): [number, number] | "bad" | undefined {
  if (typeof header !== "string") return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? "bad" : [start, end];
}

async function put(
  blobs: BlobStore,
  req: NodeReq,
  res: NodeRes,
  key: string,
  md5: string,
) {
  const declared = Number(req.headers["content-length"] ?? -1);
  if (declared > MAX_UPLOAD) return fail(res, 413, "upload too large");
  const tmp = blobs.tempFor(key);
  const h = createHash("md5");
  let size = 0;
  try {
    const out = fs.createWriteStream(tmp);
    await pipeline(
      req as AsyncIterable<Buffer>,
      async function* (src: AsyncIterable<Buffer>) {
        for await (const c of src) {
          size += c.length;
          if (size > MAX_UPLOAD) throw new Error("upload too large");
          h.update(c);
          yield c;
        }
      },
      out,
    );
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const tooLarge = (e as Error).message === "upload too large";
    return fail(res, tooLarge ? 413 : 400, (e as Error).message);
  }
  const actual = h.digest("base64");
  const refuse = (msg: string) => {
    fs.rmSync(tmp, { force: true });
    fail(res, 400, msg);
  };
  if (declared >= 0 && declared !== size) {
    return refuse(`body has ${size} bytes, Content-Length said ${declared}`);
  }
  const sent = req.headers["content-md5"];
  if (typeof sent === "string" && sent !== actual) {
    return refuse(
      `Content-MD5 header [${sent}] does not match the body's md5 [${actual}]`,
    );
  }
  if (md5 && md5 !== actual) {
    return refuse(
      `body md5 [${actual}] does not match the md5 this URL was signed for [${md5}]`,
    );
  }
  blobs.commit(tmp, key, actual);
  res.writeHead(200, {
    etag: `"${Buffer.from(actual, "base64").toString("hex")}"`,
  });
  res.end();
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
  if (verb === "PUT") return await put(blobs, req, res, key, md5);
  if (verb === "GET" || verb === "HEAD") {
    const abs = blobs.pathOf(key);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      return fail(res, 404, `no object at ${key}`);
    }
    if (st.isDirectory()) {
      const body = Buffer.from(JSON.stringify({ files: listDir(abs) }));
      res.writeHead(200, {
        "content-type": LISTING_TYPE,
        "content-length": String(body.length),
      });
      if (verb === "HEAD") res.end();
      else res.end(body);
      return;
    }
    const range = rangeOf(req.headers["range"], st.size);
    if (range === "bad") {
      res.writeHead(416, { "content-range": `bytes */${st.size}` });
      res.end();
      return;
    }
    if (range) {
      const [start, end] = range;
      res.writeHead(206, {
        "content-type": "application/octet-stream",
        "content-length": String(end - start + 1),
        "content-range": `bytes ${start}-${end}/${st.size}`,
        "accept-ranges": "bytes",
      });
      if (verb === "HEAD") return void res.end();
      await pipeline(
        fs.createReadStream(abs, { start, end }),
        res as NodeJS.WritableStream,
      ).catch(() => {});
      return;
    }
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      "content-length": String(st.size),
      "accept-ranges": "bytes",
    };
    const sum = st.size <= MD5_ON_GET ? blobs.md5Of(key) : blobs.knownMd5(key);
    if (sum) headers["content-md5"] = sum;
    res.writeHead(200, headers);
    if (verb === "HEAD") return void res.end();
    await pipeline(fs.createReadStream(abs), res as NodeJS.WritableStream)
      .catch(() => {});
    return;
  }
  fail(res, 405, `method ${verb} not allowed on signed URLs`);
}

handleBlobRequest.matches = (pathname: string): boolean =>
  pathname.startsWith(BLOB_ROUTE);
