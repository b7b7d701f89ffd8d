/**
 * `deno task demo` (the README's first command) runs to the end and exits 0:
 * interactive executes on the embedded sandbox, a new version after an
 * edit, no upload for the unchanged task, a file uploaded and read back.
 */
import {
  assertEquals,
  assertMatch,
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
  assertStringIncludes(out, `outputs: {"o0":[2,4,6]}`);
  assertStringIncludes(out, `outputs: {"o0":[3,6,9]}`);
  assertStringIncludes(out, "the total is 18");
  assertMatch(out, /version (\S{22}) → (?!\1)\S{22}\n/);
  assertMatch(out, /version (\S{22}) → \1 \(unchanged\)/);
  assertStringIncludes(out, "not uploaded (already there), already registered");
  assertMatch(
    out,
    /console: http:\/\/127\.0\.0\.1:\d+\/console\/projects\/flytesnacks\/domains\/development\/executions\//,
  );
  assertStringIncludes(out, `read back: "hello from flyte-deno\\n"`);
  assertStringIncludes(out, "Sandbox stopped.");
});
