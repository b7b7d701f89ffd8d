/**
 * Dependencies point one way (../shared/design.md): src/display imports only
 * src/types, the flyteidl bindings and protobuf's runtime, so the notebook
 * and the sandbox's console draw with the same code; remote and sandbox may
 * import display, never the other way round.
 */
import { assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";
import { join } from "node:path";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g;

Deno.test("src/display imports only src/types and flyteidl", async () => {
  const bad: string[] = [];
  let seen = 0;
  const dir = join(repoRoot, "src/display");
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(join(dir, e.name));
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      seen++;
      const ok = spec.startsWith("./") || spec.startsWith("../types/") ||
        spec.startsWith("@flyteidl/") || spec.startsWith("@bufbuild/protobuf");
      if (!ok) bad.push(`${e.name}: ${spec}`);
    }
  }
  assertEquals(bad, []);
  assertEquals(
    seen > 20,
    true,
    `only ${seen} imports read: the pattern is broken`,
  );
});
