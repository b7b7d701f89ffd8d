/**
 * A TypeScript workflow with a branch, a map and an approval gate, executed
 * interactively (no version) on the sandbox's engine: every task runs
 * through the runtime from its bundle; the workflow's version comes from
 * its templates and its tasks' versions, and re-executing it registers and
 * uploads nothing.
 */
import { assertEquals, assertMatch } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { control_wf } from "../fixtures/interactive/control.ts";

Deno.test("interactive: a TS workflow with a branch, a map and a gate runs end to end", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-wf-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const exec = await remote.execute(control_wf, { x: 3, xs: [1, 2, 3] });
    assertMatch(exec.version, /^[A-Za-z0-9_-]{22}$/);
    const interactive = await remote.interactive();
    const names = interactive.lastReport!.tasks.map((t) => t.name).sort();
    assertEquals(names, ["control.double", "control.negate", "control.total"]);
    // One module, one bundle: uploaded once.
    assertEquals(
      interactive.lastReport!.tasks.filter((t) => t.uploaded).length,
      1,
    );
    let approved = false;
    const done = await remote.wait(exec, {
      pollInterval: 100,
      timeout: 120_000,
      onProgress: async (e) => {
        if (approved) return;
        for await (const s of remote.signals.listSignals(e)) {
          if (s.signalId === "approve-sum") {
            await remote.signals.approve("approve-sum", e);
            approved = true;
          }
        }
      },
    });
    assertEquals(done.phase, "SUCCEEDED", done.error?.message);
    // bias = double(3) = 6; map doubles [1,2,3] → 12; total 18; doubled → 36.
    assertEquals(done.outputs.o0, 36);

    const again = await remote.execute(control_wf, { x: -2, xs: [] });
    assertEquals(again.version, exec.version);
    assertEquals(interactive.lastReport!.uploadedBytes, 0);
    assertEquals(
      interactive.lastReport!.tasks.some((t) => t.registered),
      false,
    );
    await remote.executions.terminate(again, "done with the test").catch(
      () => {},
    );
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
