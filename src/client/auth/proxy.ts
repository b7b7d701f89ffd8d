/**
 * Proxy authorization (flytekit's `proxy_command`, flytectl's
 * `admin.proxyCommand`): for endpoints behind an identity-aware proxy, a
 * command prints a token sent as `proxy-authorization: Bearer <token>` on
 * every call, including anonymous discovery calls. The token is fetched on
 * the first call and fetched again (and the call retried once) when a call
 * fails with UNAUTHENTICATED.
 *
 * @module
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { FlyteAuthenticationError } from "../errors.ts";
import { externalCommandFlow } from "./flows/external_command.ts";

/**
 * The header the proxy token goes in.
 *
 * @example
 * ```ts
 * import { PROXY_AUTH_HEADER } from "./proxy.ts";
 * console.log(PROXY_AUTH_HEADER); // "proxy-authorization"
 * ```
 */
export const PROXY_AUTH_HEADER = "proxy-authorization";

/**
 * An interceptor adding the proxy token from `command`.
 *
 * @example
 * ```ts
 * import { proxyAuthInterceptor } from "./proxy.ts";
 * const i = proxyAuthInterceptor(["gcloud", "auth", "print-identity-token"]);
 * console.log(typeof i); // "function"
 * ```
 */
export function proxyAuthInterceptor(command: string[]): Interceptor {
  let token: Promise<string> | undefined;
  const fetchToken = (stale?: string): Promise<string> => {
    if (!token || stale !== undefined) {
      const p = externalCommandFlow(command).then((t) => t.accessToken);
      p.catch(() => token === p && (token = undefined));
      token = p;
    }
    return token;
  };
  const wrap = (cause: unknown, metadata?: Headers) =>
    cause instanceof FlyteAuthenticationError
      ? new ConnectError(
        `proxy auth: ${cause.message}`,
        Code.Unauthenticated,
        metadata,
        undefined,
        cause,
      )
      : cause;
  return (next) => async (req) => {
    let sent: string;
    try {
      sent = await fetchToken();
    } catch (cause) {
      throw wrap(cause);
    }
    req.header.set(PROXY_AUTH_HEADER, `Bearer ${sent}`);
    try {
      return await next(req);
    } catch (err) {
      if (
        req.stream || !(err instanceof ConnectError) ||
        err.code !== Code.Unauthenticated
      ) throw err;
      let fresh: string;
      try {
        fresh = await fetchToken(sent);
      } catch (cause) {
        throw wrap(cause, err.metadata);
      }
      if (fresh === sent) throw err; // not the proxy's doing
      req.header.set(PROXY_AUTH_HEADER, `Bearer ${fresh}`);
      return await next(req);
    }
  };
}
