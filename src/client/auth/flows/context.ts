/**
 * What a flow is given: resolved endpoints, client id, scopes and a fetch.
 *
 * @module
 */
import type { FetchFn } from "../oauth2.ts";

/**
 * Inputs resolved from options and discovery.
 *
 * @example
 * ```ts
 * import type { FlowContext } from "./context.ts";
 * const ctx: FlowContext = {
 *   fetch,
 *   clientId: "flytectl",
 *   scopes: ["all"],
 *   audience: "",
 *   tokenUrl: "https://idp.example.com/token",
 *   authorizationEndpoint: "https://idp.example.com/authorize",
 *   deviceAuthorizationEndpoint: "",
 *   redirectUri: "http://localhost:53593/callback",
 * };
 * console.log(ctx.clientId);
 * ```
 */
export interface FlowContext {
  /** fetch carrying the connection's TLS settings. */
  fetch: FetchFn;
  /** Client id. */
  clientId: string;
  /** Scopes to request. */
  scopes: string[];
  /** Audience to request ("" for none). */
  audience: string;
  /** Token endpoint. */
  tokenUrl: string;
  /** Authorization endpoint (PKCE). */
  authorizationEndpoint: string;
  /** Device authorization endpoint (device flow). */
  deviceAuthorizationEndpoint: string;
  /** Redirect URI suggested by the server (PKCE). */
  redirectUri: string;
}
