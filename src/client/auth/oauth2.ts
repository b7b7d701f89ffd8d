/**
 * Token endpoint requests (RFC 6749 §4.4, §5, §6; RFC 8628 §3.4).
 *
 * @module
 */
import { FlyteAuthenticationError } from "../errors.ts";
import type { Token } from "./types.ts";

/**
 * A fetch function (lets TLS settings travel with it).
 *
 * @example
 * ```ts
 * import type { FetchFn } from "./oauth2.ts";
 * const f: FetchFn = fetch;
 * console.log(typeof f);
 * ```
 */
export type FetchFn = typeof fetch;

/**
 * An OAuth2 error answer (`error`, `error_description`).
 *
 * @example
 * ```ts
 * import { OAuth2Error } from "./oauth2.ts";
 * const e = new OAuth2Error("invalid_grant", "refresh token expired", "https://idp/token");
 * console.log(e.error, e.message);
 * ```
 */
export class OAuth2Error extends FlyteAuthenticationError {
  /** The `error` field, e.g. `invalid_grant`, `authorization_pending`. */
  readonly error: string;

  /** Creates the error for `error` with its description. */
  constructor(error: string, description: string, url: string) {
    super(
      `OAuth2 ${url}: ${error}${description ? ` (${description})` : ""}`,
      { serverMessage: description || error },
    );
    this.error = error;
  }
}

/**
 * POSTs a form to an OAuth2 endpoint and returns the JSON answer; an error
 * answer becomes an {@link OAuth2Error}.
 *
 * @example
 * ```ts ignore
 * import { postForm } from "./oauth2.ts";
 * const body = await postForm(fetch, "https://idp/token", { grant_type: "client_credentials" });
 * ```
 */
export async function postForm(
  fetchFn: FetchFn,
  url: string,
  form: Record<string, string | undefined>,
  basic?: { user: string; password: string },
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) body.set(k, v);
  const headers = new Headers({
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  });
  if (basic) {
    // RFC 6749 §2.3.1: form-urlencode id and secret, then base64.
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    headers.set(
      "authorization",
      `Basic ${btoa(`${enc(basic.user)}:${enc(basic.password)}`)}`,
    );
  }
  let res: Response;
  try {
    res = await fetchFn(url, { method: "POST", headers, body, signal });
  } catch (cause) {
    throw new FlyteAuthenticationError(
      `OAuth2 ${url}: request failed: ${(cause as Error).message}`,
      { cause },
    );
  }
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FlyteAuthenticationError(
      `OAuth2 ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!res.ok || typeof json.error === "string") {
    throw new OAuth2Error(
      String(json.error ?? `http_${res.status}`),
      String(json.error_description ?? ""),
      url,
    );
  }
  return json;
}

/**
 * Reads a token answer (`access_token`, `refresh_token`, `expires_in`).
 *
 * @example
 * ```ts
 * import { tokenFromResponse } from "./oauth2.ts";
 * const t = tokenFromResponse({ access_token: "a", expires_in: 60 }, "x");
 * console.log(t.accessToken); // "a"
 * ```
 */
export function tokenFromResponse(
  json: Record<string, unknown>,
  url: string,
  now = Date.now(),
): Token {
  if (typeof json.access_token !== "string" || !json.access_token) {
    throw new FlyteAuthenticationError(
      `OAuth2 ${url}: answer has no access_token`,
    );
  }
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === "string"
      ? json.refresh_token
      : undefined,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0
      ? now + expiresIn * 1000
      : undefined,
  };
}

/**
 * Exchanges a refresh token for a new access token.
 *
 * @example
 * ```ts ignore
 * import { refreshToken } from "./oauth2.ts";
 * const t = await refreshToken(fetch, "https://idp/token", "flytectl", "r1");
 * ```
 */
export async function refreshToken(
  fetchFn: FetchFn,
  tokenUrl: string,
  clientId: string,
  refresh: string,
  scopes: string[] = [],
  basic?: { user: string; password: string },
): Promise<Token> {
  const json = await postForm(fetchFn, tokenUrl, {
    grant_type: "refresh_token",
    refresh_token: refresh,
    client_id: basic ? undefined : clientId,
    scope: scopes.join(" "),
  }, basic);
  const t = tokenFromResponse(json, tokenUrl);
  // RFC 6749 §6: the server may keep the old refresh token.
  return { ...t, refreshToken: t.refreshToken ?? refresh };
}
