/**
 * What a flow is given: resolved endpoints, client id, scopes and a fetch.
 *
 * @module
 */
import type { FetchFn } from "../oauth2.ts";

/** Inputs resolved from options and discovery. */
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
