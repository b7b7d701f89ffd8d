/**
 * Identifiers FlyteAdmin would not take (issue 14, item 4): refused by the
 * sandbox with INVALID_ARGUMENT naming the field, and by the client before
 * anything is sent.
 */
import { ConnectError } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { FlyteInvalidInputError } from "../../src/client/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { identifierProblem } from "../../src/names/mod.ts";
import { adminClient, freshSandbox, squareTask } from "./sandbox_fixtures.ts";

const BAD_NAMES: [string, string, string][] = [
  ["path traversal", "../../etc/passwd", "'/'"],
  ["100,000 characters", "n".repeat(100_000), "100000 characters"],
  ["NUL byte", "a\u0000b", "control characters"],
  ["right-to-left override", "evil\u202etxt.exe", "text-direction"],
  ["zero-width space", "ta\u200bsk", "invisible"],
  ["backslash", "a\\b", "'\\'"],
  ["dot-dot", "..", "'.' or '..'"],
];

function withName(name: string, version = "v1") {
  const req = squareTask(version);
  req.id!.name = name;
  req.spec!.template!.id!.name = name;
  return req;
}

Deno.test("sandbox: bad names and versions are INVALID_ARGUMENT naming the field", async () => {
  const sb = await freshSandbox();
  try {
    const admin = adminClient(sb);
    for (const [what, name, expect] of BAD_NAMES) {
      const e = await assertRejects(
        () => admin.createTask(withName(name)),
        ConnectError,
      );
      assertEquals(e.code, Code.InvalidArgument, what);
      assertStringIncludes(e.rawMessage, "id.name", what);
      assertStringIncludes(e.rawMessage, expect, what);
    }
    const v = await assertRejects(
      () => admin.createTask(squareTask("a/b/../c")),
      ConnectError,
    );
    assertEquals(v.code, Code.InvalidArgument);
    assertStringIncludes(v.rawMessage, "id.version [a/b/../c]");
    // A fine one still registers.
    await admin.createTask(withName("my_module.tasks.square-2"));
  } finally {
    await sb.close();
  }
});

Deno.test("client: registerTask refuses a version with '/' before sending it", async () => {
  const sb = await freshSandbox();
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const spec = squareTask("a/b/../c").spec!;
    const e = await assertRejects(
      () => remote.entities.registerTask(spec),
      FlyteInvalidInputError,
    );
    assertStringIncludes(
      e.message,
      "id.version [a/b/../c] must not contain '/'",
    );
    const ok = await remote.entities.registerTask(squareTask("v7").spec!);
    assertEquals(ok.id.version, "v7");
  } finally {
    await remote.close();
    await sb.close();
  }
});

Deno.test("identifierProblem: shows invisible characters escaped and long values cut", () => {
  assertStringIncludes(identifierProblem("name", "a\u200bb")!, "a\\u200bb");
  assertEquals(identifierProblem("name", "x".repeat(255)), undefined);
  assertStringIncludes(
    identifierProblem("name", "x".repeat(256))!,
    "256 characters long",
  );
  assertStringIncludes(identifierProblem("name", "")!, "empty");
});
