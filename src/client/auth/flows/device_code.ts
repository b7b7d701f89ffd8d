/**
 * OAuth2 device authorization grant (RFC 8628).
 *
 * @module
 */
import { FlyteAuthenticationError } from "../../errors.ts";
import { OAuth2Error, postForm, tokenFromResponse } from "../oauth2.ts";
import type { DevicePrompt, Token } from "../types.ts";
import type { FlowContext } from "./context.ts";

/**
 * Options of {@link deviceCodeFlow}.
 *
 * @example
 * ```ts
 * import type { DeviceCodeFlowOptions } from "./device_code.ts";
 * const o: DeviceCodeFlowOptions = {
 *   onPrompt: (p) => console.error(`enter ${p.userCode} at ${p.verificationUri}`),
 * };
 * console.log(typeof o.onPrompt);
 * ```
 */
export interface DeviceCodeFlowOptions {
  /** Shows the user what to do. */
  onPrompt: (prompt: DevicePrompt) => void | Promise<void>;
  /** Give up after this many ms (default: the code's lifetime). */
  timeoutMs?: number;
}

/**
 * Runs the flow: asks for a device code, shows the prompt, then polls the
 * token endpoint (honouring `interval` and `slow_down`) until the user
 * approves, denies, or the code expires.
 *
 * @example
 * ```ts ignore
 * import { deviceCodeFlow } from "./device_code.ts";
 * const token = await deviceCodeFlow(ctx, {
 *   onPrompt: (p) => console.error(`Go to ${p.verificationUri}, enter ${p.userCode}`),
 * });
 * ```
 */
export async function deviceCodeFlow(
  ctx: FlowContext,
  opts: DeviceCodeFlowOptions,
): Promise<Token> {
  if (!ctx.deviceAuthorizationEndpoint) {
    throw new FlyteAuthenticationError(
      "device flow: the server announced no device_authorization_endpoint",
    );
  }
  const start = await postForm(ctx.fetch, ctx.deviceAuthorizationEndpoint, {
    client_id: ctx.clientId,
    scope: ctx.scopes.join(" "),
    audience: ctx.audience,
  });
  const deviceCode = String(start.device_code ?? "");
  if (!deviceCode) {
    throw new FlyteAuthenticationError(
      `device flow: ${ctx.deviceAuthorizationEndpoint} returned no device_code`,
    );
  }
  const expiresIn = Number(start.expires_in) > 0
    ? Number(start.expires_in)
    : 600;
  let intervalMs = (Number(start.interval) > 0 ? Number(start.interval) : 5) *
    1000;
  await opts.onPrompt({
    userCode: String(start.user_code ?? ""),
    verificationUri: String(
      start.verification_uri ?? start.verification_url ?? "",
    ),
    verificationUriComplete: typeof start.verification_uri_complete ===
        "string"
      ? start.verification_uri_complete
      : undefined,
    expiresIn,
  });
  const deadline = Date.now() + (opts.timeoutMs ?? expiresIn * 1000);
  while (true) {
    await new Promise((r) => setTimeout(r, intervalMs));
    try {
      const json = await postForm(ctx.fetch, ctx.tokenUrl, {
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: deviceCode,
        client_id: ctx.clientId,
      });
      return tokenFromResponse(json, ctx.tokenUrl);
    } catch (err) {
      if (!(err instanceof OAuth2Error)) throw err;
      if (err.error === "slow_down") intervalMs += 5000;
      else if (err.error !== "authorization_pending") throw err;
    }
    if (Date.now() + intervalMs > deadline) {
      throw new FlyteAuthenticationError(
        "device flow: the user did not approve in time",
      );
    }
  }
}
