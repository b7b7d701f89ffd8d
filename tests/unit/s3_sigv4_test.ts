/**
 * SigV4 checking of the sandbox's S3 face against AWS's published examples
 * (the S3 SigV4 documentation: GET with a header signature, a presigned
 * URL, a STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload with its chunk
 * signatures), plus what must be refused.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import {
  presign,
  type RequestToCheck,
  verifyRequest,
} from "../../src/sandbox/s3/sigv4.ts";
import { decodeAwsChunked, requestBody } from "../../src/sandbox/s3/chunked.ts";
import { S3Error } from "../../src/sandbox/s3/errors.ts";

const AWS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const AT = Date.UTC(2013, 4, 24, 0, 0, 0);
const SCOPE = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

function getExample(signature: string): RequestToCheck {
  return {
    method: "GET",
    rawPath: "/test.txt",
    rawQuery: "",
    headers: {
      host: "examplebucket.s3.amazonaws.com",
      range: "bytes=0-9",
      "x-amz-content-sha256":
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20130524T000000Z",
      authorization:
        `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=${signature}`,
    },
  };
}

const GET_SIG =
  "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

Deno.test("sigv4: AWS's GET Object example verifies; a changed header or secret does not", () => {
  const ok = verifyRequest(getExample(GET_SIG), AWS, AT);
  assertEquals(ok.signature, GET_SIG);
  const tampered = getExample(GET_SIG);
  tampered.headers.range = "bytes=0-10";
  const e = assertThrows(() => verifyRequest(tampered, AWS, AT), S3Error);
  assertEquals(e.code, "SignatureDoesNotMatch");
  const wrong = assertThrows(
    () =>
      verifyRequest(getExample(GET_SIG), {
        ...AWS,
        secretAccessKey: "other",
      }, AT),
    S3Error,
  );
  assertEquals([wrong.status, wrong.code], [403, "SignatureDoesNotMatch"]);
  const otherKey = assertThrows(
    () =>
      verifyRequest(getExample(GET_SIG), { ...AWS, accessKeyId: "minio" }, AT),
    S3Error,
  );
  assertEquals(otherKey.code, "InvalidAccessKeyId");
  const late = assertThrows(
    () => verifyRequest(getExample(GET_SIG), AWS, AT + 16 * 60_000),
    S3Error,
  );
  assertEquals(late.code, "RequestTimeTooSkewed");
});

const PRESIGNED_QUERY =
  "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

Deno.test("sigv4: AWS's presigned URL example verifies until it expires; presign() makes the same URL", () => {
  const req = (rawQuery: string): RequestToCheck => ({
    method: "GET",
    rawPath: "/test.txt",
    rawQuery,
    headers: { host: "examplebucket.s3.amazonaws.com" },
  });
  verifyRequest(req(PRESIGNED_QUERY), AWS, AT + 3600_000);
  const expired = assertThrows(
    () => verifyRequest(req(PRESIGNED_QUERY), AWS, AT + 86401_000),
    S3Error,
  );
  assertEquals([expired.code, expired.message], [
    "AccessDenied",
    "Request has expired",
  ]);
  const bad = assertThrows(
    () =>
      verifyRequest(
        req(PRESIGNED_QUERY.replace("X-Amz-Expires=86400", "X-Amz-Expires=x")),
        AWS,
        AT,
      ),
    S3Error,
  );
  assertEquals([bad.code, bad.extra.ArgumentName], [
    "InvalidArgument",
    "X-Amz-Expires",
  ]);
  const url = presign(
    "GET",
    new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
    AWS,
    86400,
    { now: new Date(AT) },
  );
  assert(
    url.endsWith(
      "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    ),
    url,
  );
  const unsigned = assertThrows(
    () => verifyRequest(req(""), AWS, AT),
    S3Error,
  );
  assertEquals([unsigned.status, unsigned.code], [403, "AccessDenied"]);
});

/** AWS's chunked upload example: 65536 + 1024 bytes of 'a', 64 KiB chunks. */
function chunkedExample(): { req: RequestToCheck; body: Uint8Array } {
  const seed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  const req: RequestToCheck = {
    method: "PUT",
    rawPath: "/examplebucket/chunkObject.txt",
    rawQuery: "",
    headers: {
      host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "content-length": "66824",
      authorization:
        `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${seed}`,
    },
  };
  const enc = new TextEncoder();
  const a = (n: number) => new Uint8Array(n).fill(0x61);
  const parts = [
    enc.encode(
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n",
    ),
    a(65536),
    enc.encode(
      "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n",
    ),
    a(1024),
    enc.encode(
      "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n",
    ),
  ];
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return { req, body };
}

/** Feeds `body` in small irregular pieces, as a socket would. */
async function* pieces(body: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0, n = 7; i < body.length; i += n, n = (n * 31) % 9001 + 1) {
    yield body.subarray(i, Math.min(body.length, i + n));
  }
}

async function drain(src: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of src) n += c.length;
  return n;
}

Deno.test("sigv4: AWS's aws-chunked upload example decodes with every chunk signature checked", async () => {
  const { req, body } = chunkedExample();
  assertEquals(body.length, 66824);
  const signed = verifyRequest(req, AWS, AT);
  assertEquals(await drain(requestBody(pieces(body), signed)), 66560);
  // One flipped data byte breaks its chunk's signature.
  const broken = body.slice();
  broken[200] = 0x62;
  const e = await assertRejects(
    () => drain(decodeAwsChunked(pieces(broken), signed)),
    S3Error,
  );
  assertEquals(e.code, "SignatureDoesNotMatch");
  // A body cut short is an IncompleteBody error.
  const cut = await assertRejects(
    () => drain(decodeAwsChunked(pieces(body.subarray(0, 60000)), signed)),
    S3Error,
  );
  assertEquals(cut.code, "IncompleteBody");
});

Deno.test("sigv4: a declared payload sha256 is checked against the body", async () => {
  const enc = new TextEncoder();
  const signed = {
    payloadHash:
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", // "hello"
    signature: "",
    amzDate: "",
    scope: "",
    signingKey: new Uint8Array() as never,
  };
  assertEquals(
    await drain(requestBody(pieces(enc.encode("hello")), signed)),
    5,
  );
  const e = await assertRejects(
    () => drain(requestBody(pieces(enc.encode("hellO")), signed)),
    S3Error,
  );
  assertEquals(e.code, "XAmzContentSHA256Mismatch");
});

Deno.test("aws-chunked: an unsigned body's CRC32 trailer is checked", async () => {
  const enc = new TextEncoder();
  const body = (crc: string) =>
    enc.encode(`5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`);
  const unsigned = {
    payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    signature: "",
    amzDate: "",
    scope: "",
    signingKey: new Uint8Array() as never,
  };
  // crc32("hello") = 0x3610a686
  assertEquals(await drain(requestBody(pieces(body("NhCmhg==")), unsigned)), 5);
  const e = await assertRejects(
    () => drain(requestBody(pieces(body("AAAAAA==")), unsigned)),
    S3Error,
  );
  assertEquals(e.code, "BadDigest");
});
