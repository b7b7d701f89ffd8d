/**
 * Request bodies as S3 clients send them: plain (checked against a declared
 * `x-amz-content-sha256`), or `aws-chunked` (`STREAMING-*` payloads, as
 * botocore and the AWS SDK for JavaScript send uploads), each chunk's
 * signature checked in its chain when the payload is signed. Streamed: a
 * chunk's bytes are passed on as they arrive, so a failure is reported at
 * the end of the body and the writer keeps nothing.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import { Buffer } from "node:buffer";
import { S3Error } from "./errors.ts";
import { chunkSignature, type SignedRequest } from "./sigv4.ts";

const SIGNED_STREAMING = new Set([
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
]);
const UNSIGNED_STREAMING = new Set(["STREAMING-UNSIGNED-PAYLOAD-TRAILER"]);

/** Longest chunk header or trailer line accepted. */
const MAX_LINE = 8192;

function malformed(why: string): S3Error {
  return new S3Error(
    400,
    "IncompleteBody",
    `the aws-chunked request body is malformed: ${why}`,
  );
}

/**
 * Base64 of a CRC32 as S3 writes it (4 bytes, big-endian).
 *
 * @example
 * ```ts
 * import { crc32Base64 } from "./chunked.ts";
 * crc32Base64(0x3610a686); // "NhCmhg=="
 * ```
 */
export function crc32Base64(crc: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc >>> 0);
  return b.toString("base64");
}

/**
 * Throws BadDigest unless `sent` (an `x-amz-checksum-crc32` value) is `crc`.
 *
 * @example
 * ```ts
 * import { checkCrc32 } from "./chunked.ts";
 * checkCrc32("NhCmhg==", 0x3610a686);
 * ```
 */
export function checkCrc32(sent: string, crc: number): void {
  if (sent !== crc32Base64(crc)) {
    throw new S3Error(
      400,
      "BadDigest",
      `the CRC32 checksum you specified [${sent}] did not match what we received [${
        crc32Base64(crc)
      }]`,
    );
  }
}

/**
 * Decodes an `aws-chunked` body, checking each chunk's signature against
 * `signed` when given, and a trailing `x-amz-checksum-crc32` (other
 * checksum algorithms are not checked).
 *
 * @example
 * ```ts ignore
 * for await (const bytes of decodeAwsChunked(req, signed)) out.write(bytes);
 * ```
 */
export async function* decodeAwsChunked(
  src: AsyncIterable<Uint8Array>,
  signed?: SignedRequest,
): AsyncGenerator<Buffer> {
  const it = src[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let previous = signed?.signature ?? "";
  let crc = 0;
  const more = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return false;
    const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
    buf = buf.length ? Buffer.concat([buf, b]) : b;
    return true;
  };
  const line = async (atEnd?: () => string): Promise<string> => {
    for (;;) {
      const i = buf.indexOf("\r\n");
      if (i >= 0) {
        const s = buf.subarray(0, i).toString("latin1");
        buf = buf.subarray(i + 2);
        return s;
      }
      if (buf.length > MAX_LINE) throw malformed("a chunk header is too long");
      if (!(await more())) {
        if (atEnd) return atEnd();
        throw malformed("the body ended inside a chunk header");
      }
    }
  };
  for (;;) {
    const header = await line();
    const [sizeHex, ...extensions] = header.split(";");
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeHex.trim())) {
      throw malformed(`chunk header [${header.slice(0, 80)}] has no size`);
    }
    const size = parseInt(sizeHex.trim(), 16);
    const sig = extensions.map((e) => e.trim()).find((e) =>
      e.startsWith("chunk-signature=")
    )?.slice("chunk-signature=".length);
    if (signed && !sig) throw malformed("a chunk has no chunk-signature");
    const h = signed ? createHash("sha256") : undefined;
    let left = size;
    while (left > 0) {
      if (!buf.length && !(await more())) {
        throw malformed("the body ended inside a chunk");
      }
      const take = buf.subarray(0, Math.min(left, buf.length));
      buf = buf.subarray(take.length);
      left -= take.length;
      h?.update(take);
      crc = crc32(take, crc);
      yield take;
    }
    if (signed && h) {
      const want = chunkSignature(signed, previous, h.digest("hex"));
      const a = Buffer.from(want);
      const b = Buffer.from(sig ?? "");
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        throw new S3Error(
          403,
          "SignatureDoesNotMatch",
          "a chunk signature of the aws-chunked body does not match",
        );
      }
      previous = want;
    }
    if (size === 0) {
      // Trailers (x-amz-checksum-*, x-amz-trailer-signature) up to an empty line.
      for (let t = await line(() => ""); t !== ""; t = await line(() => "")) {
        const i = t.indexOf(":");
        const name = t.slice(0, i).trim().toLowerCase();
        if (name === "x-amz-checksum-crc32") {
          checkCrc32(t.slice(i + 1).trim(), crc);
        }
      }
      return;
    }
    if ((await line()) !== "") {
      throw malformed("a chunk is longer than its size");
    }
  }
}

/**
 * The body of a request as bytes to store: decoded when `aws-chunked`,
 * checked against a hex `x-amz-content-sha256` otherwise
 * (`XAmzContentSHA256Mismatch` at its end), as is.
 *
 * @example
 * ```ts ignore
 * const body = requestBody(req, signed);
 * ```
 */
export function requestBody(
  src: AsyncIterable<Uint8Array>,
  signed: SignedRequest,
): AsyncIterable<Uint8Array> {
  const p = signed.payloadHash;
  if (SIGNED_STREAMING.has(p)) return decodeAwsChunked(src, signed);
  if (UNSIGNED_STREAMING.has(p)) return decodeAwsChunked(src);
  if (/^[0-9a-f]{64}$/.test(p)) {
    return (async function* () {
      const h = createHash("sha256");
      for await (const c of src) {
        h.update(c);
        yield c;
      }
      if (h.digest("hex") !== p) {
        throw new S3Error(
          400,
          "XAmzContentSHA256Mismatch",
          "the provided x-amz-content-sha256 header does not match what was computed",
        );
      }
    })();
  }
  if (p !== "UNSIGNED-PAYLOAD") {
    throw new S3Error(
      400,
      "InvalidArgument",
      `x-amz-content-sha256 [${p}] is not a sha256, UNSIGNED-PAYLOAD or a STREAMING-* payload`,
      { ArgumentName: "x-amz-content-sha256", ArgumentValue: p },
    );
  }
  return src;
}
