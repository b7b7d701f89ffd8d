/**
 * The terminal fallback of the live display: a progress line redrawn on
 * stderr when stderr is a TTY (run under util-linux `script`, which gives
 * the child a pseudo-terminal), and nothing at all when it is not.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

const program = `
import { LiveDisplay } from "${repoRoot}/src/display/mod.ts";
const live = new LiveDisplay();
console.log("target=" + live.target);
await live.update({ "text/plain": "exec-1 RUNNING 1.0 s · 1/3 nodes", "text/html": "" });
await live.update({ "text/plain": "exec-1 SUCCEEDED 2.0 s · 3/3 nodes", "text/html": "" });
await live.close();
`;

async function run(viaTty: boolean): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, program);
  const deno = [
    Deno.execPath(),
    "run",
    "-A",
    "--no-check",
    "--config",
    `${repoRoot}/deno.json`,
    file,
  ];
  const cmd = viaTty
    ? new Deno.Command("script", {
      args: ["-qec", deno.map((a) => `'${a}'`).join(" "), "/dev/null"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(deno[0], {
      args: deno.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    });
  const out = await cmd.output();
  await Deno.remove(file);
  assert(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
}

Deno.test("live display: a progress line redrawn in place on a TTY's stderr", async () => {
  const text = await run(true);
  assertStringIncludes(text, "target=tty");
  assertStringIncludes(text, "\rexec-1 RUNNING 1.0 s · 1/3 nodes");
  assertStringIncludes(text, "\rexec-1 SUCCEEDED 2.0 s · 3/3 nodes");
});

Deno.test("live display: nothing on stderr when it is not a TTY", async () => {
  const text = await run(false);
  assertEquals(text.trim(), "target=none");
});
