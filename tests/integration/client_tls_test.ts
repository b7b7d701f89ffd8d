// TLS: gRPC and REST against servers whose certificate is signed by a test
// CA, trusted through caCertFile. The certificates below were made once
// with openssl (EC P-256, valid for 100 years, SAN localhost + 127.0.0.1);
// the CA's key was discarded. They protect nothing.
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import * as http2 from "node:http2";
// Its servers get the GOAWAY workaround before any session exists.
import "../helpers/grpc.ts";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { toBinary } from "@bufbuild/protobuf";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { GetVersionResponseSchema } from "@flyteidl/admin/version_pb.ts";
import { createConnection, toFlyteError } from "../../src/client/mod.ts";

const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBoTCCAUegAwIBAgIUTXstTNIMhm6zsjMFyT+D3KCJwB8wCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZmx5dGUtZGVubyB0ZXN0IENBMCAXDTI2MTEyNjE5MDc0MloY
DzIxMjYxMTAyMTkwNzQyWjAdMRswGQYDVQQDDBJmbHl0ZS1kZW5vIHRlc3QgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR/7Ver2Wy8vzWQi5YFdDahlGcFgCiO
RaC5nMoEubz+Gk7wxDyjHJuB41gPMMwpqeQu0bc9/xSPwhDpR7xMC0rTo2MwYTAd
BgNVHQ4EFgQUNyqb78JZdGlJKGuV1WZyGRa7+y4wHwYDVR0jBBgwFoAUNyqb78JZ
dGlJKGuV1WZyGRa7+y4wDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
CgYIKoZIzj0EAwIDSAAwRQIhAPJXogmqFunSitA7e2ZE6mHZQJsXIGETSrHidGoB
U4i1AiAE8+SR7srff/W2OE/CmyRIZ0ba9vD0AhtIZMtwozBAAw==
-----END CERTIFICATE-----
`;

const SERVER_CERT = `-----BEGIN CERTIFICATE-----
MIIBwjCCAWigAwIBAgIUDlRI9PN4gjHAxW/Du/azYOGAr6gwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZmx5dGUtZGVubyB0ZXN0IENBMCAXDTI2MTEyNjE5MDc0MloY
DzIxMjYxMTAyMTkwNzQyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjO
PQIBBggqhkjOPQMBBwNCAATwaJgnaKHoPRcLf6VmhuhOr6u1hbwAhygpNBrM6pe9
8kAWsB/DaKnA675kLGOVaQY/zY7os8B6vkPN86f5MMtlo4GMMIGJMBoGA1UdEQQT
MBGCCWxvY2FsaG9zdIcEfwAAATAJBgNVHRMEAjAAMAsGA1UdDwQEAwIHgDATBgNV
HSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUN5USP45Lxes2tjeZzVaWYrToaOkw
HwYDVR0jBBgwFoAUNyqb78JZdGlJKGuV1WZyGRa7+y4wCgYIKoZIzj0EAwIDSAAw
RQIhAJDmmUHLobD1nesh0hF2w2akD0UXqnQHXovGHdqgZv61AiAt3qRBCf60LoD7
RCQVob+HUIWmVSEnGEY29YzvOv4xfQ==
-----END CERTIFICATE-----
`;

const SERVER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0LImtbGDFmoC9lnD
o8mVqSovbzSL7mVzNyAB/Bu30b2hRANCAATwaJgnaKHoPRcLf6VmhuhOr6u1hbwA
hygpNBrM6pe98kAWsB/DaKnA675kLGOVaQY/zY7os8B6vkPN86f5MMtl
-----END PRIVATE KEY-----
`;

const version = () =>
  create(GetVersionResponseSchema, { controlPlaneVersion: { Version: "tls" } });

async function startGrpcTls() {
  const routes = (router: ConnectRouter) =>
    router.service(AdminService, { getVersion: version });
  const server = http2.createSecureServer(
    { cert: SERVER_CERT, key: SERVER_KEY },
    connectNodeAdapter({ routes }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function caFile(): Promise<string> {
  const f = await Deno.makeTempFile({ suffix: ".pem" });
  await Deno.writeTextFile(f, CA_PEM);
  return f;
}

Deno.test("TLS: gRPC trusts a server signed by the CA in caCertFile", async () => {
  const s = await startGrpcTls();
  const conn = createConnection({
    endpoint: `localhost:${s.port}`,
    caCertFile: await caFile(),
  });
  const untrusted = createConnection({
    endpoint: `localhost:${s.port}`,
    maxRetries: 0,
  });
  try {
    assertEquals(conn.insecure, false);
    assertEquals(conn.baseUrl, `https://localhost:${s.port}`);
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "tls");
    // Without the CA the certificate is refused.
    const err = toFlyteError(
      await assertRejects(() => untrusted.admin.getVersion({})),
    );
    assert(
      /certificate|self.signed|issuer|UnknownIssuer/i.test(err.message),
      err.message,
    );
  } finally {
    conn.close();
    untrusted.close();
    await s.close();
  }
});

Deno.test("TLS: REST over fetch trusts the CA in caCertFile", async () => {
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: SERVER_CERT,
    key: SERVER_KEY,
    onListen() {},
  }, () =>
    new Response(
      toBinary(GetVersionResponseSchema, version()) as Uint8Array<ArrayBuffer>,
      { headers: { "content-type": "application/octet-stream" } },
    ));
  const conn = createConnection({
    endpoint: `https://localhost:${server.addr.port}`,
    transport: "rest",
    caCertFile: await caFile(),
  });
  try {
    const v = await conn.admin.getVersion({});
    assertEquals(v.controlPlaneVersion?.Version, "tls");
  } finally {
    conn.close();
    await server.shutdown();
  }
});
