// Each auth flow end to end: a Connection calls an in-test AdminService
// (node:http2 + connectNodeAdapter) that demands a token issued by the test
// OAuth2 server; discovery goes through AuthMetadataService.
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import * as http2 from "node:http2";
// Its servers get the GOAWAY workaround before any session exists.
import "../helpers/grpc.ts";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  AuthMetadataService,
  OAuth2MetadataResponseSchema,
  PublicClientAuthConfigResponseSchema,
} from "@flyteidl/service/auth_pb.ts";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import {
  type AuthOptions,
  createConnection,
  FlyteAuthenticationError,
  toFlyteError,
} from "../../src/client/mod.ts";
import {
  type OAuth2Server,
  startOAuth2Server,
} from "../helpers/oauth2_server.ts";

interface AdminOptions {
  idp?: OAuth2Server;
  headerName?: string;
  staticTokens?: string[];
  authOff?: boolean;
}

/** An AdminService that demands `<header>: Bearer <live token>`. */
async function startProtectedAdmin(o: AdminOptions) {
  const header = o.headerName ?? "flyte-authorization";
  const calls = { ok: 0, rejected: 0, discovery: 0 };
  const routes = (router: ConnectRouter) => {
    router.service(AdminService, {
      getVersion(_req, ctx) {
        const v = ctx.requestHeader.get(header) ?? "";
        const token = v.replace(/^Bearer /, "");
        const live = v.startsWith("Bearer ") &&
          (o.staticTokens?.includes(token) || o.idp?.validate(token));
        if (!live) {
          calls.rejected++;
          throw new ConnectError(
            `missing or invalid ${header}`,
            Code.Unauthenticated,
          );
        }
        calls.ok++;
        return create(GetVersionResponseSchema, {
          controlPlaneVersion: { Version: "secured" },
        });
      },
    });
    if (!o.authOff) {
      router.service(AuthMetadataService, {
        getPublicClientConfig() {
          calls.discovery++;
          return create(PublicClientAuthConfigResponseSchema, {
            clientId: "flytectl",
            redirectUri: "http://localhost:53593/callback",
            scopes: ["all", "offline"],
            authorizationMetadataKey: header,
          });
        },
        getOAuth2Metadata() {
          if (!o.idp) {
            throw new ConnectError("no IdP", Code.Unimplemented);
          }
          return create(OAuth2MetadataResponseSchema, {
            issuer: o.idp.issuer,
            tokenEndpoint: o.idp.tokenEndpoint,
            authorizationEndpoint: o.idp.authorizationEndpoint,
            deviceAuthorizationEndpoint: o.idp.deviceAuthorizationEndpoint,
          });
        },
      });
    }
  };
  const server = http2.createServer(connectNodeAdapter({ routes }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function withSetup(
  o: Omit<AdminOptions, "idp"> & {
    idp?: Parameters<typeof startOAuth2Server>[0];
  },
  fn: (
    ctx: {
      idp?: OAuth2Server;
      admin: Awaited<ReturnType<typeof startProtectedAdmin>>;
      connect: (auth: AuthOptions) => ReturnType<typeof createConnection>;
    },
  ) => Promise<void>,
) {
  const idp = o.idp ? await startOAuth2Server(o.idp) : undefined;
  const admin = await startProtectedAdmin({ ...o, idp });
  const conns: ReturnType<typeof createConnection>[] = [];
  try {
    await fn({
      idp,
      admin,
      connect: (auth) => {
        const c = createConnection({ endpoint: admin.endpoint, auth });
        conns.push(c);
        return c;
      },
    });
  } finally {
    conns.forEach((c) => c.close());
    await admin.close();
    await idp?.close();
  }
}

Deno.test("auth: client credentials, then refresh when the token is revoked", async () => {
  await withSetup(
    { idp: { clients: [{ id: "svc", secret: "s e/c:ret" }] } },
    async ({ idp, admin, connect }) => {
      const conn = connect({
        type: "clientCredentials",
        clientId: "svc",
        clientSecret: "s e/c:ret",
      });
      const v = await conn.admin.getVersion({});
      assertEquals(v.controlPlaneVersion?.Version, "secured");
      assertEquals(admin.calls.rejected, 1); // the first, anonymous call
      assertEquals(admin.calls.discovery, 1);
      // Concurrent calls share the token (and would share one flow run).
      await Promise.all([1, 2, 3, 4].map(() => conn.admin.getVersion({})));
      assertEquals(idp!.counts.client_credentials, 1);
      assertEquals(admin.calls.rejected, 1); // token reused
      idp!.expireAccessTokens();
      await conn.admin.getVersion({});
      assertEquals(idp!.counts.refresh_token, 1);
      assertEquals(idp!.counts.client_credentials, 1);
      assertEquals(admin.calls.ok, 6);
    },
  );
});

Deno.test("auth: concurrent first calls run the flow once", async () => {
  await withSetup(
    { idp: { clients: [{ id: "svc", secret: "x" }] } },
    async ({ idp, admin, connect }) => {
      const conn = connect({
        type: "clientCredentials",
        clientId: "svc",
        clientSecret: "x",
      });
      await Promise.all([1, 2, 3, 4, 5].map(() => conn.admin.getVersion({})));
      assertEquals(idp!.counts.client_credentials, 1);
      assertEquals(admin.calls.ok, 5);
    },
  );
});

Deno.test("auth: client credentials with a wrong secret is a FlyteAuthenticationError", async () => {
  await withSetup(
    { idp: { clients: [{ id: "svc", secret: "right" }] } },
    async ({ connect }) => {
      const conn = connect({
        type: "clientCredentials",
        clientId: "svc",
        clientSecret: "wrong",
      });
      const err = toFlyteError(
        await assertRejects(() => conn.admin.getVersion({})),
        "get version",
      );
      assert(err instanceof FlyteAuthenticationError, err.message);
      assertStringIncludes(err.message, "invalid_client");
    },
  );
});

Deno.test("auth: PKCE with the local redirect listener and a 0600 token cache", async () => {
  await withSetup(
    { idp: { clients: [{ id: "flytectl" }] } },
    async ({ idp, admin, connect }) => {
      const dir = await Deno.makeTempDir();
      const cacheFile = `${dir}/tokens.json`;
      const redirectUri = `http://127.0.0.1:${freePort()}/callback`;
      const urls: string[] = [];
      const auth: AuthOptions = {
        type: "pkce",
        redirectUri,
        openBrowser: false,
        tokenCacheFile: cacheFile,
        // "The browser": follows the IdP's redirect back to the listener.
        onAuthorizeUrl: async (url) => {
          urls.push(url);
          const res = await fetch(url);
          assertStringIncludes(await res.text(), "You can close this window");
        },
      };
      const conn = connect(auth);
      assertEquals(
        (await conn.admin.getVersion({})).controlPlaneVersion?.Version,
        "secured",
      );
      const u = new URL(urls[0]);
      assertEquals(u.searchParams.get("client_id"), "flytectl");
      assertEquals(u.searchParams.get("code_challenge_method"), "S256");
      assertEquals(u.searchParams.get("scope"), "all offline");
      assertEquals(idp!.counts.authorization_code, 1);
      if (Deno.build.os !== "windows") {
        assertEquals((await Deno.stat(cacheFile)).mode! & 0o777, 0o600);
      }
      const cached = JSON.parse(await Deno.readTextFile(cacheFile));
      assertEquals(Object.keys(cached).length, 1);
      // A second connection (another process, say) uses the cached token
      // without a flow and without a rejected first call.
      const rejectedBefore = admin.calls.rejected;
      const conn2 = connect(auth);
      await conn2.admin.getVersion({});
      assertEquals(idp!.counts.authorize, 1);
      assertEquals(admin.calls.rejected, rejectedBefore);
      assertEquals(urls.length, 1);
      // Revoked access token: the refresh token renews it, no new sign-in.
      idp!.expireAccessTokens();
      await conn2.admin.getVersion({});
      assertEquals(idp!.counts.refresh_token, 1);
      assertEquals(idp!.counts.authorize, 1);
    },
  );
});

Deno.test("auth: PKCE denied by the user", async () => {
  await withSetup(
    { idp: { clients: [{ id: "flytectl" }], denyAuthorization: true } },
    async ({ connect }) => {
      const conn = connect({
        type: "pkce",
        redirectUri: `http://127.0.0.1:${freePort()}/callback`,
        openBrowser: false,
        tokenCacheFile: false,
        onAuthorizeUrl: async (url) => {
          await (await fetch(url)).body?.cancel();
        },
      });
      const err = toFlyteError(
        await assertRejects(() => conn.admin.getVersion({})),
      );
      assert(err instanceof FlyteAuthenticationError, err.message);
      assertStringIncludes(err.message, "access_denied (the user said no)");
    },
  );
});

Deno.test("auth: device code flow", async () => {
  await withSetup(
    { idp: { clients: [{ id: "flytectl" }], deviceInterval: 0.05 } },
    async ({ idp, connect }) => {
      const prompts: string[] = [];
      const conn = connect({
        type: "deviceCode",
        tokenCacheFile: false,
        onPrompt: (p) => {
          prompts.push(p.verificationUri);
          // The user approves a little later; the client keeps polling.
          setTimeout(() => idp!.approveDevice(p.userCode), 150);
        },
      });
      assertEquals(
        (await conn.admin.getVersion({})).controlPlaneVersion?.Version,
        "secured",
      );
      assertEquals(prompts, [`${idp!.issuer}/device`]);
      assert(
        idp!.counts["urn:ietf:params:oauth:grant-type:device_code"] >= 2,
        "polled at least once while pending",
      );
    },
  );
});

Deno.test("auth: external command, with the header name the server announces", async () => {
  await withSetup(
    { staticTokens: ["from-command"], headerName: "x-custom-auth" },
    async ({ admin, connect }) => {
      const conn = connect({
        type: "externalCommand",
        command: [Deno.execPath(), "eval", "console.log('from-command')"],
      });
      await conn.admin.getVersion({});
      assertEquals(admin.calls.ok, 1);
      // A failing command is reported with its name and stderr.
      const bad = connect({
        type: "externalCommand",
        command: [
          Deno.execPath(),
          "eval",
          "console.error('no creds'); Deno.exit(3)",
        ],
      });
      const err = toFlyteError(
        await assertRejects(() => bad.admin.getVersion({})),
      );
      assert(err instanceof FlyteAuthenticationError);
      assertStringIncludes(err.message, "exited with code 3: no creds");
    },
  );
});

Deno.test("auth: static token accepted, and a rejected one is final", async () => {
  await withSetup({ staticTokens: ["good"] }, async ({ admin, connect }) => {
    await connect({ type: "staticToken", token: "good" }).admin.getVersion({});
    assertEquals(admin.calls.ok, 1);
    const err = toFlyteError(
      await assertRejects(() =>
        connect({ type: "staticToken", token: "bad" }).admin.getVersion({})
      ),
    );
    assert(err instanceof FlyteAuthenticationError);
    assertStringIncludes(
      err.message,
      "the server rejected the token from staticToken auth: missing or invalid",
    );
  });
});

Deno.test("auth: none configured against a server that demands it", async () => {
  await withSetup({ staticTokens: ["x"] }, async ({ connect }) => {
    const err = toFlyteError(
      await assertRejects(() => connect({ type: "none" }).admin.getVersion({})),
    );
    assert(err instanceof FlyteAuthenticationError);
    assertStringIncludes(
      err.message,
      "missing or invalid flyte-authorization (the server requires authentication and no auth is configured",
    );
  });
});

Deno.test("auth: a server with auth off answers UNIMPLEMENTED to discovery", async () => {
  await withSetup({ authOff: true }, async ({ connect }) => {
    const conn = connect({ type: "pkce" });
    assertEquals(await conn.authenticator.metadata(), null);
  });
});

Deno.test("auth: a token about to expire is refreshed before the call", async () => {
  await withSetup(
    {
      // 10 s lifetime is inside the 30 s renewal margin: every call renews.
      idp: { clients: [{ id: "svc", secret: "x" }], accessTokenTtlSeconds: 10 },
    },
    async ({ idp, admin, connect }) => {
      const conn = connect({
        type: "clientCredentials",
        clientId: "svc",
        clientSecret: "x",
      });
      await conn.admin.getVersion({});
      const rejected = admin.calls.rejected;
      await conn.admin.getVersion({});
      assertEquals(idp!.counts.refresh_token, 1);
      assertEquals(admin.calls.rejected, rejected); // no rejected call first
    },
  );
});

Deno.test("auth: proxy command sets proxy-authorization, re-run when rejected", async () => {
  let proxyToken = "p1";
  const seen: string[] = [];
  const routes = (router: ConnectRouter) =>
    router.service(AdminService, {
      getVersion(_req, ctx) {
        const v = ctx.requestHeader.get("proxy-authorization") ?? "";
        seen.push(v);
        if (v !== `Bearer ${proxyToken}`) {
          throw new ConnectError("proxy: bad token", Code.Unauthenticated);
        }
        return create(GetVersionResponseSchema, {});
      },
    });
  const server = http2.createServer(connectNodeAdapter({ routes }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const file = await Deno.makeTempFile();
  await Deno.writeTextFile(file, "p1\n");
  const conn = createConnection({
    endpoint: `http://127.0.0.1:${port}`,
    auth: { type: "none" },
    proxyCommand: ["cat", file],
  });
  try {
    await conn.admin.getVersion({});
    await conn.admin.getVersion({});
    assertEquals(seen, ["Bearer p1", "Bearer p1"]);
    // The proxy rotates its token; the command now prints the new one.
    proxyToken = "p2";
    await Deno.writeTextFile(file, "p2\n");
    await conn.admin.getVersion({});
    assertEquals(seen.slice(2), ["Bearer p1", "Bearer p2"]);
  } finally {
    conn.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
