/**
 * Interactive mode from a real Deno Jupyter kernel (`deno jupyter`, driven
 * by nbclient): a task defined in a cell that uses a helper function and a
 * constant from another cell and an npm module imported by a cell's static
 * `import`, executed on a sandbox started in the notebook; an unshippable
 * reference (a socket) fails in the notebook naming the variable. Needs
 * Debian's python3-nbclient (`/usr/bin/python3`, installed by .ci/setup.sh).
 */
import {
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

const PY = "/usr/bin/python3";
const hasNbclient = (() => {
  try {
    return new Deno.Command(PY, {
      args: ["-c", "import nbclient"],
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
})();

const CELLS = [
  `import { startSandbox } from "../../../src/sandbox/mod.ts";
import { FlyteRemote, t, task } from "../../../mod.ts";
import { strToU8 } from "fflate";
const sb = await startSandbox({ port: 0, dataDir: Deno.env.get("NB_DATA_DIR") });
const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });`,
  `const SCALE = 10;
function helper(x: number): number { return x * SCALE; }`,
  `const calc = task({ name: "nb.calc", inputs: { x: t.int }, outputs: t.int }, ({ x }) => helper(x) + strToU8("ab").length);`,
  `const e = await remote.execute(calc, { x: 2 }, { wait: { pollInterval: 100 } });
console.log("RESULT " + JSON.stringify({ phase: e.phase, o0: e.outputs.o0, version: e.version }));`,
  `const conn = Deno.listen({ port: 0 });
const leaky = task({ name: "nb.leaky", outputs: t.int }, () => conn.addr.port);
try {
  await remote.execute(leaky, {});
} catch (err) {
  console.log("REFUSED " + (err as Error).name + " " + (err as Error).message);
}
conn.close();`,
  `await remote.close(); await sb.close(); console.log("CLOSED");`,
];

Deno.test({
  name:
    "interactive: a task defined in a Deno Jupyter notebook runs on the sandbox",
  async fn() {
    if (!hasNbclient) {
      throw new Error(
        `${PY} has no nbclient: run .ci/setup.sh (it installs Debian's python3-nbclient)`,
      );
    }
    const dir = await Deno.makeTempDir({ prefix: "interactive-nb-" });
    try {
      await Deno.mkdir(`${dir}/kernels/deno`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/kernels/deno/kernel.json`,
        JSON.stringify({
          argv: [
            Deno.execPath(),
            "jupyter",
            "--kernel",
            "--conn",
            "{connection_file}",
          ],
          display_name: "Deno",
          language: "typescript",
          env: { NO_COLOR: "1" },
        }),
      );
      await Deno.writeTextFile(`${dir}/cells.json`, JSON.stringify(CELLS));
      const r = await new Deno.Command(PY, {
        args: [
          `${repoRoot}/tests/helpers/run_notebook.py`,
          `${dir}/cells.json`,
          `${repoRoot}/tests/fixtures/interactive`,
        ],
        env: { JUPYTER_PATH: dir, NB_DATA_DIR: `${dir}/data` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = new TextDecoder().decode(r.stdout);
      assertEquals(r.code, 0, out + new TextDecoder().decode(r.stderr));
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      const result = JSON.parse(line!.slice(7));
      assertEquals(result.phase, "SUCCEEDED");
      assertEquals(result.o0, 22); // helper(2) = 20, plus strToU8("ab").length
      assertMatch(result.version, /^[A-Za-z0-9_-]{22}$/);
      assertStringIncludes(
        out,
        `REFUSED UnshippableReferenceError task "nb.leaky" refers to "conn"`,
      );
      assertStringIncludes(out, "CLOSED");
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
