/**
 * Auth discovery through AuthMetadataService: the public client config
 * (client id, redirect URI, scopes, header name, audience) and the OAuth2
 * server metadata. UNIMPLEMENTED means the server has auth turned off.
 *
 * @module
 */
import {
  Code,
  ConnectError,
  createClient,
  type Transport,
} from "@connectrpc/connect";
import { toFlyteError } from "../errors.ts";
import type { AuthMetadata } from "./types.ts";

/**
 * Reads the server's auth metadata; `null` when auth is off.
 *
 * @throws {FlyteError} when the server cannot be asked (other than
 * UNIMPLEMENTED).
 *
 * @example
 * ```ts ignore
 * import { discoverAuthMetadata } from "./discovery.ts";
 * const meta = await discoverAuthMetadata(transport);
 * console.log(meta?.headerName ?? "auth is off");
 * ```
 */
export async function discoverAuthMetadata(
  transport: Transport,
): Promise<AuthMetadata | null> {
  // Loaded here: discovery runs only when a server asks for credentials.
  const { AuthMetadataService } = await import("@flyteidl/service/auth_pb.ts");
  const client = createClient(AuthMetadataService, transport);
  const [pub, oauth] = await Promise.allSettled([
    client.getPublicClientConfig({}),
    client.getOAuth2Metadata({}),
  ]);
  const unimplemented = (r: PromiseSettledResult<unknown>) =>
    r.status === "rejected" &&
    ConnectError.from(r.reason).code === Code.Unimplemented;
  if (unimplemented(pub)) return null;
  if (pub.status === "rejected") {
    throw toFlyteError(pub.reason, "auth discovery: GetPublicClientConfig");
  }
  // Without OAuth2 metadata the header name is still useful (external
  // command, static token); flows that need endpoints say so.
  const o = oauth.status === "fulfilled" ? oauth.value : undefined;
  const p = pub.value;
  return {
    headerName: p.authorizationMetadataKey,
    clientId: p.clientId,
    redirectUri: p.redirectUri,
    scopes: p.scopes,
    audience: p.audience,
    issuer: o?.issuer ?? "",
    tokenEndpoint: o?.tokenEndpoint ?? "",
    authorizationEndpoint: o?.authorizationEndpoint ?? "",
    deviceAuthorizationEndpoint: o?.deviceAuthorizationEndpoint ?? "",
  };
}
