/**
 * Authorization code grant with PKCE (RFC 7636, S256), as Flyte's clients do
 * it: print the authorization URL, open a browser when there is one, and
 * wait for the redirect on a local listener.
 *
 * @module
 */
import { FlyteAuthenticationError } from "../../errors.ts";
import { postForm, tokenFromResponse } from "../oauth2.ts";
import type { Token } from "../types.ts";
import type { FlowContext } from "./context.ts";

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A fresh code verifier (43 characters) and its S256 challenge.
 *
 * @example
 * ```ts
 * import { pkcePair } from "./pkce.ts";
 * const { verifier, challenge } = await pkcePair();
 * console.log(verifier.length, challenge.length); // 43 43
 * ```
 */
export async function pkcePair(): Promise<
  { verifier: string; challenge: string }
> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(verifier),
  );
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/**
 * Opens `url` in the user's browser when one is available ($BROWSER, or a
 * desktop session on Linux, or macOS/Windows); returns whether it tried.
 *
 * @example
 * ```ts ignore
 * import { openBrowser } from "./pkce.ts";
 * openBrowser("https://example.com");
 * ```
 */
export function openBrowser(url: string): boolean {
  const env = (k: string) => Deno.env.get(k);
  let cmd: string[] | undefined;
  if (env("BROWSER")) cmd = [env("BROWSER")!, url];
  else if (Deno.build.os === "darwin") cmd = ["open", url];
  else if (Deno.build.os === "windows") cmd = ["cmd", "/c", "start", "", url];
  else if (env("DISPLAY") || env("WAYLAND_DISPLAY")) cmd = ["xdg-open", url];
  if (!cmd) return false;
  try {
    const child = new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.unref();
    child.status.catch(() => {});
    return true;
  } catch {
    return false;
  }
}

/**
 * Options of {@link pkceFlow}.
 *
 * @example
 * ```ts
 * import type { PkceFlowOptions } from "./pkce.ts";
 * const o: PkceFlowOptions = {
 *   redirectUri: "http://localhost:53593/callback",
 *   openBrowser: false,
 *   onAuthorizeUrl: (url) => console.error(url),
 *   timeoutMs: 300_000,
 * };
 * console.log(o.redirectUri);
 * ```
 */
export interface PkceFlowOptions {
  /** Redirect URI to listen on (http, loopback host, explicit port). */
  redirectUri: string;
  /** Try to open a browser. */
  openBrowser: boolean;
  /** Receives the authorization URL. */
  onAuthorizeUrl: (url: string) => void | Promise<void>;
  /** Give up after this many ms. */
  timeoutMs: number;
}

const DONE_PAGE =
  "<!doctype html><title>Flyte</title><p>Signed in to Flyte. You can close this window.</p>";

/**
 * Runs the flow and returns the token.
 *
 * @throws {FlyteAuthenticationError} for a bad redirect URI, an error or a
 * state mismatch on the redirect, a failed code exchange, or a timeout.
 *
 * @example
 * ```ts ignore
 * import { pkceFlow } from "./pkce.ts";
 * const token = await pkceFlow(ctx, {
 *   redirectUri: "http://localhost:53593/callback",
 *   openBrowser: true,
 *   onAuthorizeUrl: (u) => console.error(`Open ${u}`),
 *   timeoutMs: 300_000,
 * });
 * ```
 */
export async function pkceFlow(
  ctx: FlowContext,
  opts: PkceFlowOptions,
): Promise<Token> {
  let redirect: URL;
  try {
    redirect = new URL(opts.redirectUri);
  } catch (cause) {
    throw new FlyteAuthenticationError(
      `auth.redirectUri ${JSON.stringify(opts.redirectUri)}: not a URL`,
      { cause },
    );
  }
  if (redirect.protocol !== "http:" || !redirect.port) {
    throw new FlyteAuthenticationError(
      `auth.redirectUri ${
        JSON.stringify(opts.redirectUri)
      }: must be http://<loopback host>:<port>/<path>`,
    );
  }
  if (!ctx.authorizationEndpoint) {
    throw new FlyteAuthenticationError(
      "PKCE: the server announced no authorization_endpoint",
    );
  }
  const { verifier, challenge } = await pkcePair();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const authUrl = new URL(ctx.authorizationEndpoint);
  const q = authUrl.searchParams;
  q.set("response_type", "code");
  q.set("client_id", ctx.clientId);
  q.set("redirect_uri", opts.redirectUri);
  if (ctx.scopes.length) q.set("scope", ctx.scopes.join(" "));
  if (ctx.audience) q.set("audience", ctx.audience);
  q.set("state", state);
  q.set("code_challenge", challenge);
  q.set("code_challenge_method", "S256");

  const abort = new AbortController();
  let settle!: (r: { code?: string; error?: string }) => void;
  const received = new Promise<{ code?: string; error?: string }>((r) =>
    settle = r
  );
  const hostname = redirect.hostname.replace(/^\[(.*)\]$/, "$1");
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname,
      port: Number(redirect.port),
      signal: abort.signal,
      onListen() {},
    }, (req) => {
      const u = new URL(req.url);
      if (u.pathname !== redirect.pathname) {
        return new Response("not found", { status: 404 });
      }
      const p = u.searchParams;
      if (p.get("state") !== state) {
        settle({ error: "state mismatch on the redirect" });
        return new Response("state mismatch", { status: 400 });
      }
      if (p.get("error")) {
        settle({
          error: `${p.get("error")}${
            p.get("error_description") ? ` (${p.get("error_description")})` : ""
          }`,
        });
        return new Response(`sign-in failed: ${p.get("error")}`, {
          status: 400,
        });
      }
      settle({ code: p.get("code") ?? undefined });
      return new Response(DONE_PAGE, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    });
  } catch (cause) {
    throw new FlyteAuthenticationError(
      `PKCE: cannot listen on ${opts.redirectUri}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const timer = setTimeout(
    () => settle({ error: `no redirect within ${opts.timeoutMs} ms` }),
    opts.timeoutMs,
  );
  try {
    const url = authUrl.toString();
    await opts.onAuthorizeUrl(url);
    if (opts.openBrowser) openBrowser(url);
    const got = await received;
    if (got.error || !got.code) {
      throw new FlyteAuthenticationError(
        `PKCE: ${got.error ?? "the redirect carried no code"}`,
      );
    }
    const json = await postForm(ctx.fetch, ctx.tokenUrl, {
      grant_type: "authorization_code",
      code: got.code,
      redirect_uri: opts.redirectUri,
      client_id: ctx.clientId,
      code_verifier: verifier,
    });
    return tokenFromResponse(json, ctx.tokenUrl);
  } finally {
    clearTimeout(timer);
    abort.abort();
    await server.finished.catch(() => {});
  }
}
