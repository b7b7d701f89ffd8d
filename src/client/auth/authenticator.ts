/**
 * The authenticator: holds the current token, runs the configured flow when
 * the server says UNAUTHENTICATED, refreshes, and keeps the token cache.
 * {@link authInterceptor} plugs it into a Connect transport.
 *
 * @module
 */
import {
  Code,
  ConnectError,
  type Interceptor,
  type UnaryRequest,
} from "@connectrpc/connect";
import { FlyteAuthenticationError } from "../errors.ts";
import { clientCredentialsFlow } from "./flows/client_credentials.ts";
import type { FlowContext } from "./flows/context.ts";
import { deviceCodeFlow } from "./flows/device_code.ts";
import { externalCommandFlow } from "./flows/external_command.ts";
import { pkceFlow } from "./flows/pkce.ts";
import { type FetchFn, refreshToken } from "./oauth2.ts";
import { defaultTokenCacheFile, TokenCache } from "./token_cache.ts";
import type { AuthMetadata, AuthOptions, Token } from "./types.ts";

/**
 * The header used when neither options nor server name one.
 *
 * @example
 * ```ts
 * import { DEFAULT_AUTH_HEADER } from "./authenticator.ts";
 * console.log(DEFAULT_AUTH_HEADER); // "flyte-authorization"
 * ```
 */
export const DEFAULT_AUTH_HEADER = "flyte-authorization";

/** Tokens this close to expiry (ms) are renewed before use. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * What an {@link Authenticator} needs besides its options.
 *
 * @example
 * ```ts
 * import type { AuthenticatorParams } from "./authenticator.ts";
 * const p: AuthenticatorParams = {
 *   options: { type: "none" },
 *   endpointKey: "localhost:30080",
 *   discover: () => Promise.resolve(null),
 * };
 * console.log(p.endpointKey);
 * ```
 */
export interface AuthenticatorParams {
  /** The auth options. */
  options: AuthOptions;
  /** Identifies the server in the token cache (e.g. `host:port`). */
  endpointKey: string;
  /**
   * Reads the server's auth metadata; resolves `null` when the server has
   * auth turned off (UNIMPLEMENTED).
   */
  discover: () => Promise<AuthMetadata | null>;
  /** fetch for the OAuth2 endpoints (carries TLS settings). */
  fetch?: FetchFn;
}

/**
 * Obtains and renews tokens for one connection. Concurrent renewals share
 * one flow run.
 *
 * @example
 * ```ts
 * import { Authenticator } from "./authenticator.ts";
 * const auth = new Authenticator({
 *   options: { type: "staticToken", token: "t0k" },
 *   endpointKey: "localhost:30080",
 *   discover: () => Promise.resolve(null),
 * });
 * const [name, value] = await auth.renew();
 * console.log(name, value); // "flyte-authorization" "Bearer t0k"
 * ```
 */
export class Authenticator {
  readonly #options: AuthOptions;
  readonly #discover: () => Promise<AuthMetadata | null>;
  readonly #fetch: FetchFn;
  readonly #cache: TokenCache | undefined;
  readonly #cacheKey: string;
  #metadata: Promise<AuthMetadata | null> | undefined;
  #token: Token | undefined;
  #headerName: string | undefined;
  #cacheLoaded = false;
  #inflight: Promise<[string, string]> | undefined;
  /** How many times a flow (not a refresh) ran; for tests and diagnostics. */
  flowRuns = 0;
  /** How many refresh-token exchanges succeeded. */
  refreshes = 0;

  /** Creates an authenticator; nothing happens until it is used. */
  constructor(params: AuthenticatorParams) {
    this.#options = params.options;
    this.#discover = params.discover;
    this.#fetch = params.fetch ?? fetch;
    const o = params.options;
    const interactive = o.type === "pkce" || o.type === "deviceCode";
    const file = o.type === "none"
      ? false
      : o.tokenCacheFile ?? (interactive ? defaultTokenCacheFile() : false);
    this.#cache = file ? new TokenCache(file) : undefined;
    this.#cacheKey = `${params.endpointKey}|${o.type}|${
      "clientId" in o ? o.clientId ?? "" : ""
    }`;
  }

  /** The auth options. */
  get options(): AuthOptions {
    return this.#options;
  }

  /** The server's auth metadata (discovered once, then cached). */
  metadata(): Promise<AuthMetadata | null> {
    if (!this.#metadata) {
      this.#metadata = this.#discover();
      // A failed discovery is retried next time.
      this.#metadata.catch(() => this.#metadata = undefined);
    }
    return this.#metadata;
  }

  /**
   * The header to send now, or undefined when no token is held yet. A token
   * about to expire is renewed first.
   */
  async header(): Promise<[string, string] | undefined> {
    if (!this.#cacheLoaded) {
      this.#cacheLoaded = true;
      const cached = await this.#cache?.get(this.#cacheKey);
      if (cached && !this.#token) {
        this.#token = cached;
        this.#headerName = cached.headerName;
      }
    }
    const t = this.#token;
    if (!t) return undefined;
    if (
      t.expiresAt !== undefined && t.expiresAt - EXPIRY_MARGIN_MS < Date.now()
    ) {
      return await this.renew(t.accessToken);
    }
    return [this.#headerName ?? DEFAULT_AUTH_HEADER, `Bearer ${t.accessToken}`];
  }

  /**
   * Gets a new token because `rejected` (the access token the server
   * refused, if any) no longer works: refresh when possible, else run the
   * flow. Returns the header to send.
   *
   * @throws {FlyteAuthenticationError} when no credentials can be obtained.
   */
  renew(rejected?: string): Promise<[string, string]> {
    const t = this.#token;
    if (t && t.accessToken !== rejected && !this.#expiring(t)) {
      return Promise.resolve([
        this.#headerName ?? DEFAULT_AUTH_HEADER,
        `Bearer ${t.accessToken}`,
      ]);
    }
    if (!this.#inflight) {
      this.#inflight = this.#renew(rejected).finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  #expiring(t: Token): boolean {
    return t.expiresAt !== undefined &&
      t.expiresAt - EXPIRY_MARGIN_MS < Date.now();
  }

  async #renew(rejected?: string): Promise<[string, string]> {
    const o = this.#options;
    if (o.type === "none") {
      throw new FlyteAuthenticationError(
        "the server requires authentication but no auth is configured " +
          "(set auth in the connection options, or FLYTE_CREDENTIALS_* / admin.authType in the config)",
      );
    }
    const meta = await this.metadata();
    this.#headerName = o.headerName || meta?.headerName || DEFAULT_AUTH_HEADER;
    const ctx: FlowContext = {
      fetch: this.#fetch,
      clientId: o.clientId || meta?.clientId || "",
      scopes: o.scopes ?? meta?.scopes ?? [],
      audience: o.audience ?? meta?.audience ?? "",
      tokenUrl: o.tokenUrl || meta?.tokenEndpoint || "",
      authorizationEndpoint: meta?.authorizationEndpoint ?? "",
      deviceAuthorizationEndpoint: meta?.deviceAuthorizationEndpoint ?? "",
      redirectUri: meta?.redirectUri ?? "",
    };
    const needsOAuth = o.type === "clientCredentials" || o.type === "pkce" ||
      o.type === "deviceCode";
    if (needsOAuth && !ctx.tokenUrl) {
      throw new FlyteAuthenticationError(
        `auth ${o.type}: the server announced no token endpoint ` +
          "(its auth metadata is missing or UNIMPLEMENTED); set auth.tokenUrl",
      );
    }
    let token: Token | undefined;
    const old = this.#token;
    if (needsOAuth && old?.refreshToken) {
      try {
        token = await refreshToken(
          ctx.fetch,
          ctx.tokenUrl,
          ctx.clientId,
          old.refreshToken,
          ctx.scopes,
          o.type === "clientCredentials"
            ? { user: o.clientId, password: o.clientSecret }
            : undefined,
        );
        this.refreshes++;
      } catch {
        token = undefined; // refresh token expired or revoked: run the flow
      }
    }
    if (!token) {
      this.#token = undefined;
      await this.#cache?.set(this.#cacheKey, undefined);
      token = await this.#flow(ctx, rejected);
      this.flowRuns++;
    }
    this.#token = token;
    await this.#cache?.set(this.#cacheKey, {
      ...token,
      headerName: this.#headerName,
    });
    return [this.#headerName, `Bearer ${token.accessToken}`];
  }

  #flow(ctx: FlowContext, rejected?: string): Promise<Token> {
    const o = this.#options;
    switch (o.type) {
      case "clientCredentials":
        if (!o.clientId || !o.clientSecret) {
          throw new FlyteAuthenticationError(
            "auth clientCredentials: clientId and clientSecret are required",
          );
        }
        return clientCredentialsFlow(
          { ...ctx, clientId: o.clientId },
          o.clientSecret,
        );
      case "pkce":
        return pkceFlow(ctx, {
          redirectUri: o.redirectUri || ctx.redirectUri ||
            "http://localhost:53593/callback",
          openBrowser: o.openBrowser ?? true,
          onAuthorizeUrl: o.onAuthorizeUrl ??
            ((url) =>
              console.error(
                `Sign in to Flyte: open this URL in a browser:\n${url}`,
              )),
          timeoutMs: o.timeoutMs ?? 300_000,
        });
      case "deviceCode":
        return deviceCodeFlow(ctx, {
          onPrompt: o.onPrompt ?? ((p) =>
            console.error(
              `Sign in to Flyte: go to ${
                p.verificationUriComplete ?? p.verificationUri
              } and enter the code ${p.userCode}`,
            )),
          timeoutMs: o.timeoutMs,
        });
      case "externalCommand":
        return externalCommandFlow(o.command);
      case "staticToken":
        if (!o.token) {
          throw new FlyteAuthenticationError(
            "auth staticToken: token is empty",
          );
        }
        if (rejected === o.token) {
          throw new FlyteAuthenticationError(
            "auth staticToken: the server rejected the token",
          );
        }
        return Promise.resolve({ accessToken: o.token });
      default:
        throw new FlyteAuthenticationError(
          `auth: unknown type ${JSON.stringify((o as { type: unknown }).type)}`,
        );
    }
  }
}

/**
 * A Connect interceptor that sends the authenticator's token and, on
 * UNAUTHENTICATED, renews it and retries the call once. Calls to
 * AuthMetadataService go through untouched (they are anonymous).
 *
 * @example
 * ```ts
 * import { Authenticator, authInterceptor } from "./authenticator.ts";
 * const interceptor = authInterceptor(new Authenticator({
 *   options: { type: "none" },
 *   endpointKey: "localhost:30080",
 *   discover: () => Promise.resolve(null),
 * }));
 * console.log(typeof interceptor); // "function"
 * ```
 */
export function authInterceptor(auth: Authenticator): Interceptor {
  return (next) => async (req) => {
    if (req.service.typeName === "flyteidl.service.AuthMetadataService") {
      return await next(req);
    }
    const sent = await auth.header();
    if (sent) req.header.set(sent[0], sent[1]);
    try {
      return await next(req);
    } catch (err) {
      if (
        req.stream ||
        !(err instanceof ConnectError) ||
        err.code !== Code.Unauthenticated
      ) {
        throw err;
      }
      if (auth.options.type === "none") {
        throw new ConnectError(
          `${err.rawMessage} (the server requires authentication and no auth is configured: ` +
            "set auth in the connection options, or FLYTE_CREDENTIALS_* / admin.authType in the config)",
          Code.Unauthenticated,
          err.metadata,
          undefined,
          err,
        );
      }
      const rejected = sent?.[1].replace(/^Bearer /, "");
      let header: [string, string];
      try {
        header = await auth.renew(rejected);
      } catch (cause) {
        if (cause instanceof FlyteAuthenticationError) {
          throw new ConnectError(
            cause.message,
            Code.Unauthenticated,
            err.metadata,
            undefined,
            cause,
          );
        }
        throw cause;
      }
      if (sent && sent[0] !== header[0]) req.header.delete(sent[0]);
      req.header.set(header[0], header[1]);
      try {
        return await next(req as UnaryRequest);
      } catch (again) {
        if (
          again instanceof ConnectError && again.code === Code.Unauthenticated
        ) {
          throw new ConnectError(
            `the server rejected the token from ${auth.options.type} auth: ${again.rawMessage}`,
            Code.Unauthenticated,
            again.metadata,
            undefined,
            again,
          );
        }
        throw again;
      }
    }
  };
}
