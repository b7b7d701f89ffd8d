/**
 * The notebook suite (`deno task test:notebooks`): executes every notebook
 * in notebooks/ headless with the Deno kernel through Jupyter's own client
 * (run_notebooks.py, Debian's python3-nbclient), checks each cell's outputs,
 * exports the executed notebooks to HTML, and screenshots them and the
 * sandbox's console pages in headless Chromium, in light and dark colour
 * schemes. Everything lands in one folder, printed at the start and end.
 *
 * The kernelspec is written inside that folder and found through
 * JUPYTER_PATH, so nothing depends on the user's Jupyter directories.
 */
import { join } from "node:path";
import { repoRoot } from "../helpers/paths.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { registerPipeline } from "../integration/display_fixtures.ts";
import { Browser } from "./screenshot.ts";

const out = Deno.env.get("NOTEBOOK_OUT") ??
  await Deno.makeTempDir({ prefix: "flyte-deno-notebooks-" });
const shots = join(out, "screenshots");
await Deno.mkdir(shots, { recursive: true });
console.log(`notebook suite output: ${out}`);

// The kernelspec, inside the output folder.
const kernelDir = join(out, "jupyter", "kernels", "deno");
await Deno.mkdir(kernelDir, { recursive: true });
await Deno.writeTextFile(
  join(kernelDir, "kernel.json"),
  JSON.stringify(
    {
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
    },
    null,
    2,
  ),
);

const only = Deno.args.length ? Deno.args : undefined;
const notebooks = [...Deno.readDirSync(join(repoRoot, "notebooks"))]
  .filter((e) =>
    e.name.endsWith(".ipynb") && (!only || only.some((o) => e.name.includes(o)))
  )
  .map((e) => join(repoRoot, "notebooks", e.name))
  .sort();

const failures: string[] = [];
const run = await new Deno.Command("/usr/bin/python3", {
  args: [join(repoRoot, "tests/notebooks/run_notebooks.py"), out, ...notebooks],
  env: {
    JUPYTER_PATH: join(out, "jupyter"),
    JUPYTER_RUNTIME_DIR: join(out, "runtime"),
    JUPYTER_CONFIG_DIR: join(out, "config"),
    JUPYTER_PLATFORM_DIRS: "1",
    NO_COLOR: "1",
  },
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!run.success) failures.push(`run_notebooks.py exited with ${run.code}`);

const browser = await Browser.launch();
const shoot = async (name: string, url: string, minText: number) => {
  for (const dark of [false, true]) {
    const file = join(shots, `${name}.${dark ? "dark" : "light"}.png`);
    const { height, text } = await browser.screenshot(url, file, dark);
    console.log(`  screenshot ${file} (${height} px, ${text} chars of text)`);
    if (text < minText) {
      failures.push(`${name}: only ${text} characters of text (blank page?)`);
    }
  }
};
try {
  for (const nb of notebooks) {
    const base = nb.split("/").pop()!.replace(/\.ipynb$/, "");
    for (const theme of ["light", "dark"]) {
      const html = join(out, `${base}.${theme}.html`);
      try {
        await Deno.stat(html);
      } catch {
        failures.push(`${base}: no ${theme} HTML export`);
        continue;
      }
      const file = join(shots, `notebook-${base}.${theme}.png`);
      const { height, text } = await browser.screenshot(
        `file://${html}`,
        file,
        theme === "dark",
      );
      console.log(`  screenshot ${file} (${height} px, ${text} chars of text)`);
      if (text < 500) failures.push(`${base}: blank notebook export`);
    }
  }

  // The console pages, on a sandbox of its own with a finished and a failed execution.
  const dataDir = join(out, "sandbox");
  const sb = await startSandbox({ port: 0, dataDir });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await registerPipeline(remote);
    const lp = await remote.fetchLaunchPlan("pipeline");
    const exec = await remote.execute(lp, {
      n: 5,
      name: `<img src=x onerror=alert(1)> & "friends"`,
    }, { wait: true });
    await remote.syncExecution(exec, { nodes: true });
    const node = await remote.monitor.syncNodeExecution(
      exec.nodeExecutions.get("n1")!,
    );
    const base = sb.endpoint;
    await shoot(
      "console-executions",
      `${base}/console/projects/flytesnacks/domains/development/executions`,
      50,
    );
    await shoot("console-execution", remote.generateConsoleUrl(exec), 200);
    await shoot("console-node", remote.generateConsoleUrl(node), 100);
    await shoot(
      "console-task-execution",
      remote.generateConsoleUrl(node.taskExecutions[0]),
      100,
    );
    await shoot(
      "console-task",
      remote.generateConsoleUrl(await remote.fetchTask("double")),
      100,
    );
    await shoot(
      "console-workflow",
      remote.generateConsoleUrl(await remote.fetchWorkflow("pipeline")),
      100,
    );
    await shoot("console-launch-plan", remote.generateConsoleUrl(lp), 100);
  } finally {
    await remote.close();
    await sb.close();
  }
} finally {
  await browser.close();
}

console.log(`\nscreenshots: ${shots}`);
if (failures.length) {
  console.log(`notebook suite FAILED:\n  ${failures.join("\n  ")}`);
  Deno.exit(1);
}
console.log("notebook suite ok");
