/**
 * AWS Signature Version 4 checking, as S3 does it: the `Authorization`
 * header form, presigned query URLs (`X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`)
 * and the per-chunk signatures of `aws-chunked` bodies
 * (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`). The canonical URI is the path as
 * sent (S3 does not normalise or re-encode it); the region is the one the
 * client signed for; the service must be `s3`.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { S3Error } from "./errors.ts";

/** The sandbox's S3 credentials. */
export interface S3Credentials {
  /** Access key id (`minio` on the demo cluster). */
  accessKeyId: string;
  /** Secret access key (`miniostorage` on the demo cluster). */
  secretAccessKey: string;
}

/**
 * What a checked request signed: the values a streamed body's chunk
 * signatures chain from, and the payload hash it declared.
 *
 * @example
 * ```ts
 * import type { SignedRequest } from "./sigv4.ts";
 * const seed = (s: SignedRequest) => s.signature;
 * ```
 */
export interface SignedRequest {
  /** `x-amz-content-sha256` (or `UNSIGNED-PAYLOAD` for presigned URLs). */
  payloadHash: string;
  /** The request's signature (the seed of chunk signatures). */
  signature: string;
  /** `YYYYMMDDTHHMMSSZ` the request was signed at. */
  amzDate: string;
  /** `date/region/s3/aws4_request`. */
  scope: string;
  /** The derived signing key. */
  signingKey: Buffer;
}

import { Buffer } from "node:buffer";

const ALGORITHM = "AWS4-HMAC-SHA256";
/** Largest clock difference accepted for header-signed requests (S3's 15 minutes). */
const MAX_SKEW_MS = 15 * 60_000;
/** Longest presigned URL life (S3's 7 days). */
const MAX_EXPIRES = 604_800;

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac("sha256", key).update(data).digest();

/**
 * Hex sha256 of bytes or a string.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sigv4.ts";
 * sha256Hex(""); // "e3b0c442..."
 * ```
 */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The sha256 of an empty body. */
export const EMPTY_SHA256 = sha256Hex("");

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The raw query string's pairs, decoded, in order. */
function queryPairs(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery.split("&").filter(Boolean).map((p) => {
    const i = p.indexOf("=");
    return i < 0
      ? [decode(p), ""]
      : [decode(p.slice(0, i)), decode(p.slice(i + 1))];
  });
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) =>
      a[0] < b[0]
        ? -1
        : a[0] > b[0]
        ? 1
        : a[1] < b[1]
        ? -1
        : a[1] > b[1]
        ? 1
        : 0
    )
    .map(([k, v]) => `${k}=${v}`).join("&");
}

/**
 * The signing key for a date (`YYYYMMDD`), region and service.
 *
 * @example
 * ```ts
 * import { signingKey } from "./sigv4.ts";
 * signingKey("miniostorage", "20260101", "us-east-1", "s3").length; // 32
 * ```
 */
export function signingKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  return hmac(
    hmac(hmac(hmac(`AWS4${secret}`, date), region), service),
    "aws4_request",
  );
}

/**
 * A request as the checker sees it: method, the raw path and query as sent,
 * and lower-case headers.
 *
 * @example
 * ```ts
 * import type { RequestToCheck } from "./sigv4.ts";
 * const r: RequestToCheck = { method: "GET", rawPath: "/b/k", rawQuery: "", headers: { host: "127.0.0.1:30002" } };
 * ```
 */
export interface RequestToCheck {
  /** HTTP method. */
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  /** The query exactly as sent, without `?`. */
  rawQuery: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

function header(r: RequestToCheck, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function canonicalRequest(
  r: RequestToCheck,
  signedHeaders: string[],
  pairs: [string, string][],
  payloadHash: string,
): string {
  const headers = signedHeaders.map((h) => {
    const v = header(r, h);
    if (v === undefined) {
      throw new S3Error(
        403,
        "SignatureDoesNotMatch",
        `signed header [${h}] is not in the request`,
      );
    }
    return `${h}:${v.trim().replace(/\s+/g, " ")}\n`;
  }).join("");
  return [
    r.method,
    r.rawPath || "/",
    canonicalQuery(pairs),
    headers,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

/**
 * The string to sign of a canonical request.
 *
 * @example
 * ```ts
 * import { stringToSign } from "./sigv4.ts";
 * stringToSign("20260101T000000Z", "20260101/us-east-1/s3/aws4_request", "GET\n/\n\n\n\nUNSIGNED-PAYLOAD");
 * ```
 */
export function stringToSign(
  amzDate: string,
  scope: string,
  canonical: string,
): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function scopeParts(
  credential: string,
  creds: S3Credentials,
  amzDate: string,
): { scope: string; date: string; region: string } {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    throw new S3Error(
      400,
      "AuthorizationHeaderMalformed",
      `the credential [${credential}] is not <key>/<date>/<region>/s3/aws4_request`,
    );
  }
  const [key, date, region, service] = parts;
  if (key !== creds.accessKeyId) {
    throw new S3Error(
      403,
      "InvalidAccessKeyId",
      `the access key id [${key}] is not this sandbox's`,
    );
  }
  if (service !== "s3") {
    throw new S3Error(
      400,
      "AuthorizationHeaderMalformed",
      `the credential is for service [${service}], not s3`,
    );
  }
  if (!amzDate.startsWith(date)) {
    throw new S3Error(
      400,
      "AuthorizationHeaderMalformed",
      `the credential date [${date}] is not the request date [${amzDate}]`,
    );
  }
  return { scope: parts.slice(1).join("/"), date, region };
}

/**
 * Checks a request's SigV4 signature (header or presigned query form) with
 * the sandbox's credentials. Throws {@link S3Error} (AccessDenied for an
 * unsigned or expired request, InvalidAccessKeyId, SignatureDoesNotMatch,
 * RequestTimeTooSkewed, AuthorizationHeaderMalformed, InvalidArgument naming
 * a bad `X-Amz-*` parameter).
 *
 * @example
 * ```ts ignore
 * import { verifyRequest } from "./sigv4.ts";
 * const signed = verifyRequest(request, { accessKeyId: "minio", secretAccessKey: "miniostorage" });
 * ```
 */
export function verifyRequest(
  r: RequestToCheck,
  creds: S3Credentials,
  now: number = Date.now(),
): SignedRequest {
  const pairs = queryPairs(r.rawQuery);
  const q = new Map(pairs);
  const auth = header(r, "authorization");
  if (auth) {
    const m =
      /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/
        .exec(auth.trim());
    if (!m) {
      throw new S3Error(
        400,
        "AuthorizationHeaderMalformed",
        "the Authorization header is not AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...",
      );
    }
    const amzDate = header(r, "x-amz-date") ?? "";
    const at = parseAmzDate(amzDate);
    if (Number.isNaN(at)) {
      throw new S3Error(
        403,
        "AccessDenied",
        "the request has no valid x-amz-date header (YYYYMMDDTHHMMSSZ)",
      );
    }
    if (Math.abs(now - at) > MAX_SKEW_MS) {
      throw new S3Error(
        403,
        "RequestTimeTooSkewed",
        `the request time ${amzDate} is too far from the sandbox's clock`,
      );
    }
    const { scope, date, region } = scopeParts(m[1], creds, amzDate);
    const signed = m[2].split(";");
    if (!signed.includes("host")) {
      throw new S3Error(
        400,
        "AuthorizationHeaderMalformed",
        "the signed headers must include host",
      );
    }
    const payloadHash = header(r, "x-amz-content-sha256") ?? "";
    if (!payloadHash) {
      throw new S3Error(
        400,
        "InvalidRequest",
        "missing required header for this request: x-amz-content-sha256",
      );
    }
    const key = signingKey(creds.secretAccessKey, date, region, "s3");
    const sts = stringToSign(
      amzDate,
      scope,
      canonicalRequest(r, signed, pairs, payloadHash),
    );
    const expected = createHmac("sha256", key).update(sts).digest("hex");
    if (!sameHex(expected, m[3])) {
      throw new S3Error(
        403,
        "SignatureDoesNotMatch",
        "the request signature we calculated does not match the signature you provided; check your secret access key and signing method",
      );
    }
    return { payloadHash, signature: m[3], amzDate, scope, signingKey: key };
  }
  if (q.has("X-Amz-Signature") || q.has("X-Amz-Algorithm")) {
    const need = (name: string) => {
      const v = q.get(name);
      if (!v) {
        throw new S3Error(
          400,
          "AuthorizationQueryParametersError",
          `presigned URL lacks its ${name} parameter`,
          { ArgumentName: name },
        );
      }
      return v;
    };
    if (need("X-Amz-Algorithm") !== ALGORITHM) {
      throw new S3Error(
        400,
        "InvalidArgument",
        `X-Amz-Algorithm must be ${ALGORITHM}`,
        {
          ArgumentName: "X-Amz-Algorithm",
          ArgumentValue: q.get("X-Amz-Algorithm")!,
        },
      );
    }
    const amzDate = need("X-Amz-Date");
    const at = parseAmzDate(amzDate);
    if (Number.isNaN(at)) {
      throw new S3Error(
        400,
        "InvalidArgument",
        "X-Amz-Date must be YYYYMMDDTHHMMSSZ",
        { ArgumentName: "X-Amz-Date", ArgumentValue: amzDate },
      );
    }
    const expiresText = need("X-Amz-Expires");
    const expires = Number(expiresText);
    if (!/^\d+$/.test(expiresText) || expires < 1 || expires > MAX_EXPIRES) {
      throw new S3Error(
        400,
        "InvalidArgument",
        `X-Amz-Expires must be a number of seconds from 1 to ${MAX_EXPIRES}`,
        { ArgumentName: "X-Amz-Expires", ArgumentValue: expiresText },
      );
    }
    const { scope, date, region } = scopeParts(
      need("X-Amz-Credential"),
      creds,
      amzDate,
    );
    const signed = need("X-Amz-SignedHeaders").split(";");
    const sig = need("X-Amz-Signature");
    const payloadHash = header(r, "x-amz-content-sha256") ?? "UNSIGNED-PAYLOAD";
    const key = signingKey(creds.secretAccessKey, date, region, "s3");
    const sts = stringToSign(
      amzDate,
      scope,
      canonicalRequest(
        r,
        signed,
        pairs.filter(([k]) => k !== "X-Amz-Signature"),
        payloadHash,
      ),
    );
    const expected = createHmac("sha256", key).update(sts).digest("hex");
    if (!sameHex(expected, sig)) {
      throw new S3Error(
        403,
        "SignatureDoesNotMatch",
        "the request signature we calculated does not match the signature you provided; check your secret access key and signing method",
      );
    }
    if (now > at + expires * 1000) {
      throw new S3Error(403, "AccessDenied", "Request has expired");
    }
    if (at - now > MAX_SKEW_MS) {
      throw new S3Error(
        403,
        "RequestTimeTooSkewed",
        `the presigned URL is dated ${amzDate}, in the future`,
      );
    }
    return { payloadHash, signature: sig, amzDate, scope, signingKey: key };
  }
  throw new S3Error(
    403,
    "AccessDenied",
    "anonymous access is refused: sign requests (SigV4) with the sandbox's access key",
  );
}

/**
 * The expected signature of one `aws-chunked` chunk, chained from the
 * previous signature (the request's for the first chunk).
 *
 * @example
 * ```ts ignore
 * import { chunkSignature } from "./sigv4.ts";
 * const next = chunkSignature(signed, previous, chunkSha256Hex);
 * ```
 */
export function chunkSignature(
  s: SignedRequest,
  previous: string,
  chunkSha256: string,
): string {
  const sts = [
    "AWS4-HMAC-SHA256-PAYLOAD",
    s.amzDate,
    s.scope,
    previous,
    EMPTY_SHA256,
    chunkSha256,
  ].join("\n");
  return createHmac("sha256", s.signingKey).update(sts).digest("hex");
}

/**
 * Signs a presigned URL (the query form) for `method` on `url`, as an S3
 * client would: used for the data proxy's signed URLs and in tests.
 *
 * @example
 * ```ts
 * import { presign } from "./sigv4.ts";
 * presign("GET", new URL("http://127.0.0.1:30002/my-s3-bucket/a.txt"),
 *   { accessKeyId: "minio", secretAccessKey: "miniostorage" }, 3600);
 * ```
 */
export function presign(
  method: string,
  url: URL,
  creds: S3Credentials,
  expiresSeconds: number,
  options: {
    region?: string;
    now?: Date;
    headers?: Record<string, string>;
    /** Extra query parameters, covered by the signature. */
    query?: Record<string, string>;
  } = {},
): string {
  const now = options.now ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(
    /\.\d{3}/,
    "",
  );
  const date = amzDate.slice(0, 8);
  const region = options.region ?? "us-east-1";
  const scope = `${date}/${region}/s3/aws4_request`;
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    headers[k.toLowerCase()] = v;
  }
  const signed = Object.keys(headers).sort();
  const u = new URL(url);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    u.searchParams.set(k, v);
  }
  u.searchParams.set("X-Amz-Algorithm", ALGORITHM);
  u.searchParams.set("X-Amz-Credential", `${creds.accessKeyId}/${scope}`);
  u.searchParams.set("X-Amz-Date", amzDate);
  u.searchParams.set("X-Amz-Expires", String(expiresSeconds));
  u.searchParams.set("X-Amz-SignedHeaders", signed.join(";"));
  const rawQuery = u.search.slice(1).replace(/\+/g, "%20");
  const canonical = canonicalRequest(
    { method, rawPath: u.pathname, rawQuery, headers },
    signed,
    queryPairs(rawQuery),
    "UNSIGNED-PAYLOAD",
  );
  const sig = createHmac(
    "sha256",
    signingKey(creds.secretAccessKey, date, region, "s3"),
  ).update(stringToSign(amzDate, scope, canonical)).digest("hex");
  return `${u.origin}${u.pathname}?${
    canonicalQuery(queryPairs(rawQuery))
  }&X-Amz-Signature=${sig}`;
}
