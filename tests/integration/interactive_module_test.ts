/**
 * Interactive mode with module-file tasks on the sandbox's real engine:
 * bundle (deno bundle), version, upload once, register, run through the
 * runtime; re-executing an unchanged task uploads and registers nothing;
 * a throwing task and a wrong return value fail as USER errors naming them.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import {
  add,
  boom,
  greet,
  one,
  wrongType,
} from "../fixtures/interactive/flows.ts";

Deno.test("interactive: module-file tasks run on the sandbox through the runtime", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-module-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const e1 = await remote.execute(add, { a: 2, b: 40 }, { wait: true });
    assertEquals(e1.phase, "SUCCEEDED", JSON.stringify(e1.error));
    assertEquals(e1.outputs.o0, 42);
    assertMatch(e1.version, /^[A-Za-z0-9_-]{22}$/);
    const interactive = await remote.interactive();
    assertEquals(interactive.lastReport?.tasks[0].uploaded, true);
    assertEquals(interactive.lastReport?.tasks[0].registered, true);

    const e2 = await remote.execute(greet, { who: "flyte" }, { wait: true });
    assertEquals(e2.phase, "SUCCEEDED", JSON.stringify(e2.error));
    assertEquals(e2.outputs, { text: "HELLO FLYTE!", bytes: 12 });
    // Same module, same bundle: already uploaded by this process.
    assertEquals(interactive.lastReport?.tasks[0].uploaded, false);
    assertEquals(interactive.lastReport?.tasks[0].registered, true);

    const e3 = await remote.execute(add, { a: 1, b: 1 }, { wait: true });
    assertEquals(e3.outputs.o0, 2);
    assertEquals(e3.version, e1.version);
    assertEquals(interactive.lastReport?.tasks[0].uploaded, false);
    assertEquals(interactive.lastReport?.tasks[0].registered, false);

    // register() without a version is interactive too: same version, nothing new.
    const reg = await remote.register(add);
    assertEquals(reg.task?.id.version, e1.version);
    assertEquals(reg.ids, []);
    // An explicit version goes through the sdk's path and registers that version.
    const explicit = await remote.register(add, { version: "v-explicit" });
    assertEquals(explicit.task?.id.version, "v-explicit");

    // One named output, returned as an object (singleOutput false).
    const e6 = await remote.execute(one, {}, { wait: true });
    assertEquals(e6.outputs, { total: 5 });

    const e4 = await remote.execute(boom, {}, { wait: true });
    assertEquals(e4.phase, "FAILED");
    assertStringIncludes(e4.error?.message ?? "", "boom from the task");
    assertEquals(e4.error?.kind, 1); // USER

    const e5 = await remote.execute(wrongType, {}, { wait: true });
    assertEquals(e5.phase, "FAILED");
    assertStringIncludes(e5.error?.message ?? "", "flows.wrong_type");
    assert((e5.error?.code ?? "").includes("OutputsTypeError"));
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
