/**
 * `deno task demo` (the README's first command) runs to the end and exits 0:
 * a workflow of two TypeScript tasks executed interactively on the embedded
 * sandbox, new versions after an edit, no upload for the unchanged task, a
 * file uploaded and read back.
 */
import {
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

Deno.test("deno task demo runs end to end and exits 0", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "demo"],
    cwd: repoRoot,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  const err = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 0, `${out}\n${err}`);
  assertStringIncludes(out, `"demo: the total is 12"`);
  assertStringIncludes(out, `"demo: the total is 18"`);
  assertStringIncludes(out, `"again: the total is 18"`);
  // The edit gives the workflow and the edited task new versions...
  assertMatch(out, /workflow version (\S{22}) → (?!\1)\S{22}\n/);
  const scale = [...out.matchAll(/task demo\.scale (\S{22}): /g)];
  assertEquals(scale.length, 2);
  assertNotEquals(scale[0][1], scale[1][1]);
  // ...while the unchanged task keeps its version and is not uploaded again.
  const report = [...out.matchAll(/task demo\.report (\S{22}): [^\n]*/g)];
  assertEquals(report.length, 3);
  assertEquals(new Set(report.map((m) => m[1])).size, 1);
  assertMatch(report[0][0], / uploaded, registered$/);
  for (const m of report.slice(1)) {
    assertStringIncludes(
      m[0],
      "not uploaded (already there), already registered",
    );
  }
  assertMatch(
    out,
    /console: http:\/\/127\.0\.0\.1:\d+\/console\/projects\/flytesnacks\/domains\/development\/executions\//,
  );
  assertStringIncludes(out, `read back: "hello from flyte-deno\\n"`);
  assertStringIncludes(out, "Sandbox stopped.");
});
