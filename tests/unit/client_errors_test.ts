import { assert, assertEquals } from "../helpers/assert.ts";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  FlyteAuthenticationError,
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  type FlyteError,
  FlyteInvalidInputError,
  FlytePermissionError,
  FlyteSystemError,
  FlyteSystemUnavailableError,
  FlyteTimeoutError,
  parseEndpoint,
  toFlyteError,
} from "../../src/client/mod.ts";
import { TokenCache } from "../../src/client/auth/token_cache.ts";
import { isRetryable } from "../../src/client/transport/retry.ts";
import { codeFromHttpStatus } from "../../src/client/transport/rest.ts";

Deno.test("toFlyteError maps each gRPC code to its class, keeping the server message", () => {
  const cases: [Code, new (...a: never[]) => FlyteError][] = [
    [Code.NotFound, FlyteEntityNotExistError],
    [Code.AlreadyExists, FlyteEntityAlreadyExistsError],
    [Code.InvalidArgument, FlyteInvalidInputError],
    [Code.Unauthenticated, FlyteAuthenticationError],
    [Code.PermissionDenied, FlytePermissionError],
    [Code.Unavailable, FlyteSystemUnavailableError],
    [Code.DeadlineExceeded, FlyteTimeoutError],
    [Code.Internal, FlyteSystemError],
  ];
  for (const [code, cls] of cases) {
    const src = new ConnectError("server says no", code, { "x-a": "1" });
    const e = toFlyteError(src, "fetch workflow p/d/wf@v1");
    assert(e instanceof cls, `${code} -> ${e.constructor.name}`);
    assertEquals(e.code, code);
    assertEquals(e.serverMessage, "server says no");
    assertEquals(e.metadata.get("x-a"), "1");
    assertEquals(e.cause, src);
    assertEquals(
      e.message,
      `fetch workflow p/d/wf@v1: ${e.codeName}: server says no`,
    );
  }
  // A FlyteError wrapped by Connect (thrown in an interceptor) is unwrapped.
  const inner = new FlyteAuthenticationError("token endpoint down");
  const wrapped = ConnectError.from(inner);
  const e = toFlyteError(wrapped, "list projects");
  assert(e instanceof FlyteAuthenticationError);
  assertEquals(e.message, "list projects: token endpoint down");
  assertEquals(e.cause, inner);
  // Plain errors become FlyteSystemError with the cause kept.
  const plain = toFlyteError(new TypeError("boom"));
  assert(plain instanceof FlyteSystemError);
  assertEquals(plain.code, Code.Unknown);
});

Deno.test("parseEndpoint: the forms Flyte users write", () => {
  assertEquals(
    parseEndpoint("dns:///localhost:30080", true).baseUrl,
    "http://localhost:30080",
  );
  assertEquals(
    parseEndpoint("flyte.example.com").baseUrl,
    "https://flyte.example.com:443",
  );
  assertEquals(
    parseEndpoint("flyte.example.com", true).authority,
    "flyte.example.com:80",
  );
  assertEquals(
    parseEndpoint("http://h:1/prefix/").baseUrl,
    "http://h:1/prefix",
  );
  assertEquals(parseEndpoint("https://h:8443", true).secure, true);
  assertEquals(parseEndpoint("[::1]:8089", true).authority, "[::1]:8089");
  for (const bad of ["", "ftp://h:1", "h:notaport"]) {
    let err: unknown;
    try {
      parseEndpoint(bad);
    } catch (e) {
      err = e;
    }
    assert(
      err instanceof FlyteInvalidInputError,
      `rejects ${JSON.stringify(bad)}`,
    );
  }
});

Deno.test("isRetryable: UNAVAILABLE and vanished connections only", () => {
  assert(isRetryable(new ConnectError("x", Code.Unavailable)));
  assert(isRetryable(new ConnectError("read ECONNRESET", Code.Aborted)));
  assert(isRetryable(new ConnectError("received GOAWAY", Code.Internal)));
  assert(!isRetryable(new ConnectError("x", Code.Internal)));
  assert(!isRetryable(new ConnectError("x", Code.NotFound)));
  assert(!isRetryable(new ConnectError("x", Code.DeadlineExceeded)));
});

Deno.test("TokenCache: 0600 file, and a file others can read is ignored", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/sub/cache.json`;
  const cache = new TokenCache(file);
  await cache.set("k", { accessToken: "a", headerName: "h" });
  assertEquals((await cache.get("k"))?.accessToken, "a");
  if (Deno.build.os === "windows") return;
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  await Deno.chmod(file, 0o644);
  assertEquals(await cache.get("k"), undefined);
  await cache.set("k", undefined);
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
});

Deno.test("codeFromHttpStatus: grpc-gateway's mapping, 502 from proxies", () => {
  assertEquals(codeFromHttpStatus(400), Code.InvalidArgument);
  assertEquals(codeFromHttpStatus(401), Code.Unauthenticated);
  assertEquals(codeFromHttpStatus(403), Code.PermissionDenied);
  assertEquals(codeFromHttpStatus(404), Code.NotFound);
  assertEquals(codeFromHttpStatus(409), Code.AlreadyExists);
  assertEquals(codeFromHttpStatus(501), Code.Unimplemented);
  assertEquals(codeFromHttpStatus(502), Code.Unavailable);
  assertEquals(codeFromHttpStatus(503), Code.Unavailable);
  assertEquals(codeFromHttpStatus(504), Code.DeadlineExceeded);
  assertEquals(codeFromHttpStatus(418), Code.Unknown);
});
