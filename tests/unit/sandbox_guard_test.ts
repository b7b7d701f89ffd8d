import {
  checkRequest,
  guardPolicy,
  isLoopbackHost,
} from "../../src/sandbox/server/guard.ts";
import { bodyTypeAccepted } from "../../src/sandbox/server/rest.ts";
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";

const url = new URL("http://127.0.0.1:30080/api/v1/tasks");
const check = (
  headers: Record<string, string>,
  policy = guardPolicy({ host: "127.0.0.1" }),
  at = url,
) => checkRequest(policy, at, new Headers(headers));

Deno.test("guard: loopback Host names pass, foreign ones (DNS rebinding) are refused", () => {
  for (
    const host of [
      "127.0.0.1:30080",
      "localhost:30080",
      "[::1]:30080",
      "LOCALHOST",
    ]
  ) {
    assertEquals(check({ host }), undefined, host);
  }
  const r = check({ host: "attacker.example:30080" });
  assertEquals(r?.status, 403);
  assertStringIncludes(r!.message, "attacker.example:30080");
  // The listening host and configured names are the sandbox's too.
  const wide = guardPolicy({ host: "10.1.2.3", allowedHosts: ["sb.lan"] });
  assertEquals(check({ host: "10.1.2.3:30080" }, wide), undefined);
  assertEquals(check({ host: "sb.lan" }, wide), undefined);
  assertEquals(guardPolicy({ host: "0.0.0.0" }).hosts.has("0.0.0.0"), false);
});

Deno.test("guard: only the sandbox's own Origin passes", () => {
  const host = "127.0.0.1:30080";
  assertEquals(check({ host, origin: "http://127.0.0.1:30080" }), undefined);
  for (
    const origin of [
      "https://evil.example",
      "null",
      "http://127.0.0.1:8888",
      "http://localhost:30080",
    ]
  ) {
    assertEquals(check({ host, origin })?.status, 403, origin);
  }
});

Deno.test("guard: a token is needed everywhere but health, signed blobs and auth metadata", () => {
  const p = guardPolicy({ host: "127.0.0.1", token: "tok" });
  const host = "127.0.0.1:30080";
  assertEquals(check({ host }, p)?.status, 401);
  assertEquals(check({ host, authorization: "Bearer nope" }, p)?.status, 401);
  assertEquals(check({ host, authorization: "Bearer tok" }, p), undefined);
  // With a token, clients on other machines may use any name for it.
  assertEquals(
    check({ host: "sandbox.lan:30080", authorization: "Bearer tok" }, p),
    undefined,
  );
  assertEquals(check({ host: "sandbox.lan:30080" }, p)?.status, 401);
  assertEquals(
    check({ host, "flyte-authorization": "bearer tok" }, p),
    undefined,
  );
  assertEquals(
    check({ host, cookie: "a=b; flyte_sandbox_token=tok" }, p),
    undefined,
  );
  assertEquals(
    check({ host }, p, new URL("http://h/console?token=tok")),
    undefined,
  );
  for (
    const path of [
      "/healthcheck",
      "/sandbox/blobs/x",
      "/flyteidl.service.AuthMetadataService/GetOAuth2Metadata",
    ]
  ) {
    assertEquals(
      check({ host }, p, new URL(`http://h${path}`)),
      undefined,
      path,
    );
  }
});

Deno.test("guard: loopback detection and REST body types", () => {
  assertEquals(
    ["127.0.0.1", "127.9.9.9", "localhost", "::1", "[::1]"].map(isLoopbackHost),
    [true, true, true, true, true],
  );
  assertEquals(["0.0.0.0", "10.0.0.1", "example.com"].map(isLoopbackHost), [
    false,
    false,
    false,
  ]);
  assertEquals(
    [
      "application/json",
      "application/json; charset=utf-8",
      "Application/Octet-Stream",
      "text/plain",
      "",
      "multipart/form-data",
    ].map(bodyTypeAccepted),
    [true, true, true, false, false, false],
  );
});
