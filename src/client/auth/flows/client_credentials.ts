/**
 * OAuth2 client credentials grant (RFC 6749 §4.4), HTTP Basic client auth.
 *
 * @module
 */
import { postForm, tokenFromResponse } from "../oauth2.ts";
import type { Token } from "../types.ts";
import type { FlowContext } from "./context.ts";

/**
 * Gets a token with a client id and secret.
 *
 * @example
 * ```ts ignore
 * import { clientCredentialsFlow } from "./client_credentials.ts";
 * const token = await clientCredentialsFlow(ctx, "secret");
 * ```
 */
export async function clientCredentialsFlow(
  ctx: FlowContext,
  clientSecret: string,
): Promise<Token> {
  const json = await postForm(ctx.fetch, ctx.tokenUrl, {
    grant_type: "client_credentials",
    scope: ctx.scopes.join(" "),
    audience: ctx.audience,
  }, { user: ctx.clientId, password: clientSecret });
  return tokenFromResponse(json, ctx.tokenUrl);
}
