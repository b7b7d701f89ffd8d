/**
 * Content versions: the same source gives the same version in two
 * processes started from different folders with different DENO_DIRs, and
 * from a copy of the module in another folder; a one-character change
 * gives a new version (for that task only when it lives in its own module).
 */
import {
  assertEquals,
  assertMatch,
  assertNotEquals,
} from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

const PROBE = `${repoRoot}/tests/fixtures/interactive/version_probe.ts`;

function moduleSource(body: string): string {
  return `import { t } from "file://${repoRoot}/src/types/mod.ts";
import { task } from "file://${repoRoot}/src/sdk/mod.ts";
import { strToU8 } from "fflate";
export const size = task({ name: "v.size", inputs: { s: t.string }, outputs: t.int },
  ({ s }: { s: string }) => ${body});
`;
}

async function versions(
  module: string,
  cwd: string,
  denoDir: string,
): Promise<Record<string, string>> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${repoRoot}/deno.json`, PROBE, module],
    cwd,
    env: { DENO_DIR: denoDir },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 0, err);
  return JSON.parse(
    new TextDecoder().decode(r.stdout).trim().split("\n").pop()!,
  );
}

/** A project config like the checkout's, with npm packages in the (per-test) DENO_DIR cache. */
async function projectConfig(dir: string) {
  const repo = JSON.parse(await Deno.readTextFile(`${repoRoot}/deno.json`));
  const imports = {
    ...repo.imports,
    "@flyteidl/": `${repoRoot}/proto/gen/flyteidl/`,
  };
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ imports, nodeModulesDir: "none", lock: false }),
  );
}

Deno.test("versions: same source, other process/folder/DENO_DIR → same version; one character → new", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "interactive-version-" });
  try {
    for (const d of ["a", "b", "c", "cwd1", "cwd2"]) {
      await Deno.mkdir(`${tmp}/${d}`);
    }
    for (const d of ["a", "b", "c"]) await projectConfig(`${tmp}/${d}`);
    await Deno.writeTextFile(
      `${tmp}/a/flows.ts`,
      moduleSource("strToU8(s).length"),
    );
    await Deno.writeTextFile(
      `${tmp}/b/flows.ts`,
      moduleSource("strToU8(s).length"),
    );
    await Deno.writeTextFile(
      `${tmp}/c/flows.ts`,
      moduleSource("strToU8(s).length + 1"),
    );
    const fromA1 = await versions(
      `file://${tmp}/a/flows.ts`,
      `${tmp}/cwd1`,
      `${tmp}/deno-dir-1`,
    );
    const fromA2 = await versions(
      `file://${tmp}/a/flows.ts`,
      `${tmp}/cwd2`,
      `${tmp}/deno-dir-2`,
    );
    const fromB = await versions(
      `file://${tmp}/b/flows.ts`,
      repoRoot,
      `${tmp}/deno-dir-2`,
    );
    const fromC = await versions(
      `file://${tmp}/c/flows.ts`,
      repoRoot,
      `${tmp}/deno-dir-1`,
    );
    assertMatch(fromA1["v.size"], /^[A-Za-z0-9_-]{22}$/);
    assertEquals(fromA2, fromA1);
    assertEquals(fromB, fromA1);
    assertNotEquals(fromC["v.size"], fromA1["v.size"]);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
});
