import { assert } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

Deno.test("committed flyteidl bindings equal a fresh generation", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "proto/generate.ts", "--check"],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  assert(out.success, text);
});
