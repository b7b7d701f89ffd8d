/**
 * Auth options and the token shape shared by the flows.
 *
 * @module
 */

/**
 * Options every flow accepts.
 *
 * @example
 * ```ts
 * import type { CommonAuthOptions } from "./types.ts";
 * const common: CommonAuthOptions = { scopes: ["all"], tokenCacheFile: false };
 * console.log(common.scopes);
 * ```
 */
export interface CommonAuthOptions {
  /**
   * Metadata header carrying `Bearer <token>`. Default: the name the server
   * announces (`authorization_metadata_key` in its public client config),
   * else `flyte-authorization`.
   */
  headerName?: string;
  /**
   * OAuth2 client id. Default: the id the server announces in its public
   * client config (`flytectl` for Flyte's own auth server).
   */
  clientId?: string;
  /** Scopes to request. Default: the scopes the server announces. */
  scopes?: string[];
  /** Audience to request. Default: the audience the server announces. */
  audience?: string;
  /**
   * Token endpoint. Default: `token_endpoint` from the server's OAuth2
   * metadata (`/.well-known/oauth-authorization-server`).
   */
  tokenUrl?: string;
  /**
   * File caching tokens across processes, created with mode 0600 (only its
   * owner can read it). `false` disables caching. Default:
   * `~/.flyte/deno-token-cache.json` for the interactive flows (PKCE, device
   * code), no cache for the others.
   */
  tokenCacheFile?: string | false;
}

/**
 * No credentials: an UNAUTHENTICATED answer is reported as it is.
 *
 * @example
 * ```ts
 * import type { NoAuth } from "./types.ts";
 * const auth: NoAuth = { type: "none" };
 * console.log(auth.type);
 * ```
 */
export interface NoAuth {
  /** Discriminator. */
  type: "none";
}

/**
 * OAuth2 client credentials (flytectl `ClientSecret`): the id and secret are
 * sent with HTTP Basic auth to the token endpoint.
 *
 * @example
 * ```ts
 * import type { ClientCredentialsAuth } from "./types.ts";
 * const auth: ClientCredentialsAuth = {
 *   type: "clientCredentials",
 *   clientId: "ci-bot",
 *   clientSecret: Deno.env.get("FLYTE_CREDENTIALS_CLIENT_SECRET") ?? "",
 * };
 * console.log(auth.clientId);
 * ```
 */
export interface ClientCredentialsAuth extends CommonAuthOptions {
  /** Discriminator. */
  type: "clientCredentials";
  /** Client id (required for this flow). */
  clientId: string;
  /** Client secret. */
  clientSecret: string;
}

/**
 * Authorization code with PKCE (flytectl `Pkce`, the default of Flyte's
 * clients): the authorization URL is printed (and opened in a browser when
 * there is one) and a listener on the redirect URI receives the code.
 *
 * @example
 * ```ts
 * import type { PkceAuth } from "./types.ts";
 * const auth: PkceAuth = { type: "pkce", openBrowser: false };
 * console.log(auth.type);
 * ```
 */
export interface PkceAuth extends CommonAuthOptions {
  /** Discriminator. */
  type: "pkce";
  /**
   * Redirect URI the listener serves. Default: the one the server announces,
   * else `http://localhost:53593/callback`. Must be http on a loopback host.
   */
  redirectUri?: string;
  /** Open a browser when one is available (default true). */
  openBrowser?: boolean;
  /**
   * Called with the authorization URL. Default: print it to stderr.
   */
  onAuthorizeUrl?: (url: string) => void | Promise<void>;
  /** How long to wait for the redirect, in ms (default 300000). */
  timeoutMs?: number;
}

/**
 * OAuth2 device authorization grant (flytectl `DeviceFlow`, RFC 8628).
 *
 * @example
 * ```ts
 * import type { DeviceCodeAuth } from "./types.ts";
 * const auth: DeviceCodeAuth = {
 *   type: "deviceCode",
 *   onPrompt: (p) => console.error(`enter ${p.userCode} at ${p.verificationUri}`),
 * };
 * console.log(auth.type);
 * ```
 */
export interface DeviceCodeAuth extends CommonAuthOptions {
  /** Discriminator. */
  type: "deviceCode";
  /**
   * Called with what the user must do. Default: print the verification URI
   * and user code to stderr.
   */
  onPrompt?: (prompt: DevicePrompt) => void | Promise<void>;
  /** How long to wait for the user, in ms (default: the code's lifetime). */
  timeoutMs?: number;
}

/**
 * What the device flow asks the user to do.
 *
 * @example
 * ```ts
 * import type { DevicePrompt } from "./types.ts";
 * const p: DevicePrompt = {
 *   userCode: "ABCD-EFGH",
 *   verificationUri: "https://idp.example.com/device",
 *   expiresIn: 600,
 * };
 * console.log(p.userCode);
 * ```
 */
export interface DevicePrompt {
  /** Code the user types in. */
  userCode: string;
  /** Page where the user types it. */
  verificationUri: string;
  /** Page with the code filled in, when the server offers one. */
  verificationUriComplete?: string;
  /** Seconds until the code expires. */
  expiresIn: number;
}

/**
 * An external command prints a token on stdout (flytectl `ExternalCommand`);
 * it is run again whenever the server rejects the token.
 *
 * @example
 * ```ts
 * import type { ExternalCommandAuth } from "./types.ts";
 * const auth: ExternalCommandAuth = {
 *   type: "externalCommand",
 *   command: ["gcloud", "auth", "print-identity-token"],
 * };
 * console.log(auth.command[0]);
 * ```
 */
export interface ExternalCommandAuth extends CommonAuthOptions {
  /** Discriminator. */
  type: "externalCommand";
  /** Program and arguments, e.g. `["gcloud", "auth", "print-identity-token"]`. */
  command: string[];
}

/**
 * A fixed token; a rejection is final.
 *
 * @example
 * ```ts
 * import type { StaticTokenAuth } from "./types.ts";
 * const auth: StaticTokenAuth = { type: "staticToken", token: "eyJhbGciOi..." };
 * console.log(auth.type);
 * ```
 */
export interface StaticTokenAuth extends CommonAuthOptions {
  /** Discriminator. */
  type: "staticToken";
  /** The access token (without `Bearer `). */
  token: string;
}

/**
 * How the connection authenticates. Credentials are only sought after the
 * server first answers UNAUTHENTICATED (or when a cached token exists).
 *
 * @example
 * ```ts
 * import type { AuthOptions } from "./types.ts";
 * const auth: AuthOptions = {
 *   type: "clientCredentials",
 *   clientId: "my-app",
 *   clientSecret: Deno.env.get("FLYTE_CREDENTIALS_CLIENT_SECRET") ?? "",
 * };
 * console.log(auth.type);
 * ```
 */
export type AuthOptions =
  | NoAuth
  | ClientCredentialsAuth
  | PkceAuth
  | DeviceCodeAuth
  | ExternalCommandAuth
  | StaticTokenAuth;

/**
 * An access token with what is known about it.
 *
 * @example
 * ```ts
 * import type { Token } from "./types.ts";
 * const t: Token = { accessToken: "a", expiresAt: Date.now() + 3600_000 };
 * console.log(t.accessToken);
 * ```
 */
export interface Token {
  /** The access token. */
  accessToken: string;
  /** Refresh token, when the server issued one. */
  refreshToken?: string;
  /** Expiry, ms since the epoch, when known. */
  expiresAt?: number;
}

/**
 * What discovery found out about the server's auth.
 *
 * @example
 * ```ts
 * import type { AuthMetadata } from "./types.ts";
 * function describe(m: AuthMetadata | null) {
 *   return m ? `token from ${m.tokenEndpoint}, header ${m.headerName}` : "auth off";
 * }
 * console.log(describe(null));
 * ```
 */
export interface AuthMetadata {
  /** Header to put the token in. */
  headerName: string;
  /** Client id the server suggests. */
  clientId: string;
  /** Redirect URI the server suggests (PKCE). */
  redirectUri: string;
  /** Scopes the server suggests. */
  scopes: string[];
  /** Audience the server suggests. */
  audience: string;
  /** OAuth2 issuer. */
  issuer: string;
  /** Token endpoint. */
  tokenEndpoint: string;
  /** Authorization endpoint (PKCE). */
  authorizationEndpoint: string;
  /** Device authorization endpoint (device flow), "" if none. */
  deviceAuthorizationEndpoint: string;
}
