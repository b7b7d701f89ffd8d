/**
 * The sandbox's front door against the browser: a web page the user has open
 * must not be able to register or run anything through a sandbox on their
 * machine, nor read its answers.
 *
 * - Host: without a token, the `Host` (or HTTP/2 `:authority`) must name the
 *   sandbox — loopback names, the host it listens on, or a configured one —
 *   so DNS rebinding (a hostile name resolving to 127.0.0.1) gets 403. With
 *   a token any name may be used (clients on other machines reach it by
 *   whatever name they know; a rebinding page has no token).
 * - Origin: a request that carries an `Origin` other than the sandbox's own
 *   (`http://` + its Host) gets 403, on every route. Browsers send Origin on
 *   every cross-origin write, "simple" text/plain POSTs included; command-line
 *   clients (gRPC, flytekit, curl) send none.
 * - Token: when the sandbox has one (printed at start, as Jupyter does;
 *   always when it listens beyond loopback), every route but the health
 *   checks and the signed blob URLs (whose signature is their credential)
 *   needs it as `Authorization: Bearer <token>` (or Flyte's
 *   `flyte-authorization` header), a `token` query parameter, or the cookie
 *   set after a page was opened with one.
 *
 * Owns nothing else; used by server.ts for every request, by the S3 face
 * (src/sandbox/s3, whose SigV4 signatures stand in for the token) and,
 * through the engine's `logGuard` hook, by the task-log server.
 *
 * @example
 * ```ts
 * import { checkRequest, guardPolicy } from "./guard.ts";
 * const policy = guardPolicy({ host: "127.0.0.1" });
 * const refusal = checkRequest(policy, new URL("http://x/api/v1/tasks"),
 *   new Headers({ host: "evil.example:30080" }));
 * console.log(refusal?.status); // 403
 * ```
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";

/** Names that always mean this machine. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** The cookie a token-protected sandbox sets once a page presented the token. */
export const TOKEN_COOKIE = "flyte_sandbox_token";

/**
 * What {@link checkRequest} enforces.
 *
 * @example
 * ```ts
 * import { guardPolicy, type GuardPolicy } from "./guard.ts";
 * const p: GuardPolicy = guardPolicy({ host: "0.0.0.0", token: "s3cret" });
 * console.log(p.token); // "s3cret"
 * ```
 */
export interface GuardPolicy {
  /** Host names (lower case, no port) a request may name. */
  readonly hosts: ReadonlySet<string>;
  /** The token every protected route needs, when set. */
  readonly token?: string;
}

/**
 * Builds a policy: loopback names, the listening host (unless it is a
 * wildcard address) and `allowedHosts`.
 *
 * @example
 * ```ts
 * import { guardPolicy } from "./guard.ts";
 * console.log(guardPolicy({ host: "10.0.0.5", allowedHosts: ["sb.lan"] }).hosts.has("sb.lan")); // true
 * ```
 */
export function guardPolicy(options: {
  host: string;
  allowedHosts?: readonly string[];
  token?: string;
}): GuardPolicy {
  const hosts = new Set(LOOPBACK);
  const add = (h: string) => {
    const name = h.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (name && name !== "0.0.0.0" && name !== "::") hosts.add(name);
  };
  add(options.host);
  for (const h of options.allowedHosts ?? []) add(h);
  return { hosts, token: options.token || undefined };
}

/**
 * True for interfaces only this machine can reach.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./guard.ts";
 * console.log(isLoopbackHost("127.0.0.1"), isLoopbackHost("0.0.0.0")); // true false
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return LOOPBACK.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A refused request: the status and the reason sent back.
 *
 * @example
 * ```ts
 * import type { Refusal } from "./guard.ts";
 * const r: Refusal = { status: 403, message: "forbidden" };
 * console.log(r.status);
 * ```
 */
export interface Refusal {
  /** 401 (token missing or wrong) or 403 (foreign Host or Origin). */
  status: 401 | 403;
  /** Why, for the response body. */
  message: string;
}

/** The host name of a Host header value (`name:port`, `[v6]:port`). */
function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]") >>> 0);
  const colon = v.lastIndexOf(":");
  return colon >= 0 && v.indexOf(":") === colon ? v.slice(0, colon) : v;
}

/**
 * Routes that need no token: liveness probes, self-authenticating signed
 * URLs, and the auth metadata a client reads to learn how to authenticate
 * (FlyteAdmin serves it to anyone too).
 */
function tokenExempt(pathname: string): boolean {
  return pathname === "/healthcheck" ||
    pathname === "/grpc.health.v1.Health/Check" ||
    pathname.startsWith("/sandbox/blobs/") ||
    pathname.startsWith("/flyteidl.service.AuthMetadataService/") ||
    pathname.startsWith("/.well-known/") ||
    pathname === "/config/v1/flyte_client";
}

function presentedToken(url: URL, headers: Headers): string | undefined {
  for (const name of ["authorization", "flyte-authorization"]) {
    const v = headers.get(name);
    const m = v?.match(/^\s*bearer\s+(.+?)\s*$/i);
    if (m) return m[1];
  }
  const q = url.searchParams.get("token");
  if (q) return q;
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Compares two secrets in time independent of where they first differ. */
function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks one request; `undefined` means it may proceed. A
 * `selfAuthenticated` request carries its own credential (the S3 face's
 * SigV4 signatures) and needs no token; Host and Origin are still checked.
 *
 * @example
 * ```ts
 * import { checkRequest, guardPolicy } from "./guard.ts";
 * const p = guardPolicy({ host: "127.0.0.1" });
 * const ok = checkRequest(p, new URL("http://127.0.0.1:30080/api/v1/projects"),
 *   new Headers({ host: "127.0.0.1:30080" }));
 * console.log(ok); // undefined
 * ```
 */
export function checkRequest(
  policy: GuardPolicy,
  url: URL,
  headers: Headers,
  options: { selfAuthenticated?: boolean } = {},
): Refusal | undefined {
  const host = headers.get("host") ?? headers.get(":authority") ?? "";
  // With a token (a sandbox reachable from other machines), any name may
  // reach it: a rebinding page cannot know the token. Without one, only the
  // sandbox's own names.
  if (host && !policy.token && !policy.hosts.has(hostName(host))) {
    return {
      status: 403,
      message:
        `host ${host} is not this sandbox's (allowed: ${
          [...policy.hosts].join(", ")
        }; ` +
        `start it with allowedHosts / --allowed-host to add one)`,
    };
  }
  const origin = headers.get("origin");
  if (
    origin !== null &&
    (!host || origin.toLowerCase() !== `http://${host.toLowerCase()}`)
  ) {
    return {
      status: 403,
      message: `cross-origin request from ${origin} refused`,
    };
  }
  if (
    policy.token && !options.selfAuthenticated && !tokenExempt(url.pathname)
  ) {
    const given = presentedToken(url, headers);
    if (given === undefined || !sameSecret(given, policy.token)) {
      return {
        status: 401,
        message: given === undefined
          ? "this sandbox needs its token (printed when it started): Authorization: Bearer <token>, or ?token=<token>"
          : "wrong sandbox token",
      };
    }
  }
  return undefined;
}

/**
 * The same check for a Fetch API request (the task-log server), as a
 * ready 401/403 response or `undefined`.
 *
 * @example
 * ```ts
 * import { guardPolicy, refuseFetch } from "./guard.ts";
 * const p = guardPolicy({ host: "127.0.0.1" });
 * const res = refuseFetch(p, new Request("http://127.0.0.1:1/logs/x", { headers: { origin: "https://evil.example" } }));
 * console.log(res?.status); // 403
 * ```
 */
export function refuseFetch(
  policy: GuardPolicy,
  req: Request,
): Response | undefined {
  const url = new URL(req.url);
  const headers = new Headers(req.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  const r = checkRequest(policy, url, headers);
  return r
    ? new Response(r.message, {
      status: r.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    })
    : undefined;
}
