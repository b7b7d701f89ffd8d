/**
 * The common script: tasks defined and executed at the top level of the file
 * being run, with no `import.meta.main` guard. Bundling the file whole would
 * run that top-level work again in the container, so the tasks ship as
 * closures (their functions, the helpers and constants they use, imports by
 * specifier), like notebook cells: the script's own work runs once.
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

const SCRIPT = (marker: string) =>
  `import { FlyteRemote, t, task } from "${repoRoot}/mod.ts";
import { startSandbox } from "${repoRoot}/src/sandbox/mod.ts";
import { strToU8 } from "fflate";

// Top-level work: must happen once, here, never in the task's container.
Deno.writeTextFileSync(${JSON.stringify(marker)}, "ran\\n", { append: true });

const GREETING = "hello";
function shout(s: string): string {
  return s.toUpperCase() + "!".repeat(strToU8("ab").length);
}

const sb = await startSandbox({ port: 0, dataDir: await Deno.makeTempDir() });
const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
const greet = task(
  { name: "script.greet", inputs: { name: t.string }, outputs: t.string },
  ({ name }) => shout(\`\${GREETING} \${name}\`),
);
const exec = await remote.execute(greet, { name: "flyte" }, { wait: { display: false } });
console.log("RESULT", exec.phase, exec.outputs.o0);
await remote.close();
await sb.close();
`;

Deno.test("interactive: a script executing its tasks at top level without a guard runs its top level once", async () => {
  // Inside the checkout, as a user's script sits in their project: the
  // nearest deno.json (the repository's) resolves its imports.
  await Deno.mkdir(`${repoRoot}/.test-scripts`, { recursive: true });
  const dir = await Deno.makeTempDir({
    dir: `${repoRoot}/.test-scripts`,
    prefix: "main-script-",
  });
  try {
    const marker = `${dir}/ran.txt`;
    await Deno.writeTextFile(`${dir}/script.ts`, SCRIPT(marker));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        `${repoRoot}/deno.json`,
        `${dir}/script.ts`,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, text);
    assertStringIncludes(text, "RESULT SUCCEEDED HELLO FLYTE!!");
    assertEquals(await Deno.readTextFile(marker), "ran\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
