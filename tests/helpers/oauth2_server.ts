/**
 * A small real OAuth2 authorization server on loopback for the auth tests:
 * RFC 8414 metadata, a token endpoint with the client_credentials,
 * refresh_token, authorization_code (+PKCE S256) and device_code grants, an
 * authorize endpoint that approves (or denies) at once and redirects, a
 * device authorization endpoint, and a test-only endpoint where "the user"
 * approves a device code. Tokens are opaque random strings; `validate` tells
 * a resource server whether one is live.
 *
 * @module
 */

/** A registered client. */
export interface OAuth2Client {
  /** Client id. */
  id: string;
  /** Secret for confidential clients; public clients have none. */
  secret?: string;
}

/** Options of {@link startOAuth2Server}. */
export interface OAuth2ServerOptions {
  /** Registered clients. */
  clients: OAuth2Client[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Issue refresh tokens (default true). */
  issueRefreshTokens?: boolean;
  /** The authorize endpoint denies instead of approving (default false). */
  denyAuthorization?: boolean;
  /** Device flow polling interval in seconds (default 1). */
  deviceInterval?: number;
}

/** A running server. */
export interface OAuth2Server {
  /** `http://127.0.0.1:<port>`. */
  issuer: string;
  /** Token endpoint URL. */
  tokenEndpoint: string;
  /** Authorize endpoint URL. */
  authorizationEndpoint: string;
  /** Device authorization endpoint URL. */
  deviceAuthorizationEndpoint: string;
  /** Whether `token` is a live access token; returns its client id. */
  validate(token: string): string | undefined;
  /** Revokes every access token (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Approves a pending device code by its user code. */
  approveDevice(userCode: string): Promise<void>;
  /** Requests per grant type and endpoint, for assertions. */
  counts: Record<string, number>;
  /** Stops the server. */
  close(): Promise<void>;
}

function random(n = 24): string {
  const b = crypto.getRandomValues(new Uint8Array(n));
  return btoa(String.fromCharCode(...b)).replace(/[+/=]/g, "").slice(0, n);
}

async function s256(v: string): Promise<string> {
  const d = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(v)),
  );
  return btoa(String.fromCharCode(...d)).replace(/\+/g, "-").replace(
    /\//g,
    "_",
  ).replace(/=+$/, "");
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
    },
  });
}

function oauthError(error: string, description = "", status = 400) {
  return json({ error, error_description: description }, status);
}

/**
 * Starts the server on 127.0.0.1 with a free port.
 *
 * @example
 * ```ts ignore
 * const idp = await startOAuth2Server({ clients: [{ id: "c", secret: "s" }] });
 * await idp.close();
 * ```
 */
export function startOAuth2Server(
  options: OAuth2ServerOptions,
): Promise<OAuth2Server> {
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const clients = new Map(options.clients.map((c) => [c.id, c]));
  const access = new Map<string, { client: string; exp: number }>();
  const refresh = new Map<string, { client: string; scope: string }>();
  const codes = new Map<
    string,
    { client: string; redirect: string; challenge: string; scope: string }
  >();
  const devices = new Map<
    string,
    { client: string; userCode: string; approved: boolean; scope: string }
  >();
  const counts: Record<string, number> = {};
  const bump = (k: string) => counts[k] = (counts[k] ?? 0) + 1;
  let base = "";

  function issue(client: string, scope: string) {
    const token = random(32);
    access.set(token, { client, exp: Date.now() + ttl * 1000 });
    const body: Record<string, unknown> = {
      access_token: token,
      token_type: "Bearer",
      expires_in: ttl,
      scope,
    };
    if (options.issueRefreshTokens ?? true) {
      const r = random(32);
      refresh.set(r, { client, scope });
      body.refresh_token = r;
    }
    return json(body);
  }

  /** Client authentication: HTTP Basic, or client_id in the form. */
  function authClient(
    req: Request,
    form: URLSearchParams,
  ): OAuth2Client | Response {
    const h = req.headers.get("authorization");
    if (h?.startsWith("Basic ")) {
      const [id, secret] = atob(h.slice(6)).split(":").map((s) =>
        decodeURIComponent(s.replace(/\+/g, " "))
      );
      const c = clients.get(id);
      if (!c || c.secret !== secret) {
        return oauthError("invalid_client", "bad client credentials", 401);
      }
      return c;
    }
    const c = clients.get(form.get("client_id") ?? "");
    if (!c) return oauthError("invalid_client", "unknown client", 401);
    if (c.secret) {
      return oauthError(
        "invalid_client",
        "confidential client needs Basic",
        401,
      );
    }
    return c;
  }

  async function token(req: Request): Promise<Response> {
    const form = new URLSearchParams(await req.text());
    const grant = form.get("grant_type") ?? "";
    bump(grant);
    const c = authClient(req, form);
    if (c instanceof Response) return c;
    switch (grant) {
      case "client_credentials":
        if (!c.secret) return oauthError("unauthorized_client");
        return issue(c.id, form.get("scope") ?? "");
      case "refresh_token": {
        const r = refresh.get(form.get("refresh_token") ?? "");
        if (!r || r.client !== c.id) return oauthError("invalid_grant");
        refresh.delete(form.get("refresh_token")!);
        return issue(c.id, r.scope);
      }
      case "authorization_code": {
        const code = codes.get(form.get("code") ?? "");
        if (!code || code.client !== c.id) return oauthError("invalid_grant");
        codes.delete(form.get("code")!);
        if (code.redirect !== form.get("redirect_uri")) {
          return oauthError("invalid_grant", "redirect_uri mismatch");
        }
        const verifier = form.get("code_verifier") ?? "";
        if (await s256(verifier) !== code.challenge) {
          return oauthError("invalid_grant", "PKCE verification failed");
        }
        return issue(c.id, code.scope);
      }
      case "urn:ietf:params:oauth:grant-type:device_code": {
        const d = devices.get(form.get("device_code") ?? "");
        if (!d || d.client !== c.id) return oauthError("expired_token");
        if (!d.approved) return oauthError("authorization_pending");
        devices.delete(form.get("device_code")!);
        return issue(c.id, d.scope);
      }
      default:
        return oauthError("unsupported_grant_type", grant);
    }
  }

  function authorize(req: Request): Response {
    bump("authorize");
    const q = new URL(req.url).searchParams;
    const redirect = q.get("redirect_uri") ?? "";
    const c = clients.get(q.get("client_id") ?? "");
    if (!c || !redirect) {
      return oauthError("invalid_request", "client/redirect");
    }
    const back = new URL(redirect);
    back.searchParams.set("state", q.get("state") ?? "");
    if (options.denyAuthorization) {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "the user said no");
    } else {
      if (
        q.get("response_type") !== "code" ||
        q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")
      ) {
        back.searchParams.set("error", "invalid_request");
      } else {
        const code = random();
        codes.set(code, {
          client: c.id,
          redirect,
          challenge: q.get("code_challenge")!,
          scope: q.get("scope") ?? "",
        });
        back.searchParams.set("code", code);
      }
    }
    return new Response(null, {
      status: 302,
      headers: { location: back.toString() },
    });
  }

  async function deviceAuthorize(req: Request): Promise<Response> {
    bump("device_authorization");
    const form = new URLSearchParams(await req.text());
    const c = clients.get(form.get("client_id") ?? "");
    if (!c) return oauthError("invalid_client", "unknown client", 401);
    const deviceCode = random(32);
    const userCode = random(8).toUpperCase();
    devices.set(deviceCode, {
      client: c.id,
      userCode,
      approved: false,
      scope: form.get("scope") ?? "",
    });
    return json({
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: `${base}/device`,
      verification_uri_complete: `${base}/device?user_code=${userCode}`,
      expires_in: 600,
      interval: options.deviceInterval ?? 1,
    });
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      switch (`${req.method} ${url.pathname}`) {
        case "GET /.well-known/oauth-authorization-server":
          return json({
            issuer: base,
            authorization_endpoint: `${base}/oauth2/authorize`,
            token_endpoint: `${base}/oauth2/token`,
            device_authorization_endpoint: `${base}/oauth2/device/code`,
            jwks_uri: `${base}/oauth2/jwks`,
            response_types_supported: ["code"],
            grant_types_supported: [
              "client_credentials",
              "refresh_token",
              "authorization_code",
              "urn:ietf:params:oauth:grant-type:device_code",
            ],
            code_challenge_methods_supported: ["S256"],
            token_endpoint_auth_methods_supported: ["client_secret_basic"],
            scopes_supported: ["all", "offline"],
          });
        case "POST /oauth2/token":
          return await token(req);
        case "GET /oauth2/authorize":
          return authorize(req);
        case "POST /oauth2/device/code":
          return await deviceAuthorize(req);
        case "POST /device/approve": {
          const userCode = (await req.text()).trim();
          for (const d of devices.values()) {
            if (d.userCode === userCode) {
              d.approved = true;
              return new Response("approved");
            }
          }
          return new Response("unknown user code", { status: 404 });
        }
        default:
          return new Response("not found", { status: 404 });
      }
    },
  );
  base = `http://127.0.0.1:${server.addr.port}`;
  return Promise.resolve({
    issuer: base,
    tokenEndpoint: `${base}/oauth2/token`,
    authorizationEndpoint: `${base}/oauth2/authorize`,
    deviceAuthorizationEndpoint: `${base}/oauth2/device/code`,
    validate(token) {
      const t = access.get(token);
      return t && t.exp > Date.now() ? t.client : undefined;
    },
    expireAccessTokens() {
      access.clear();
    },
    async approveDevice(userCode) {
      const res = await fetch(`${base}/device/approve`, {
        method: "POST",
        body: userCode,
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`approve ${userCode}: HTTP ${res.status}`);
    },
    counts,
    close: () => server.shutdown(),
  });
}
