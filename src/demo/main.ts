/**
 * `deno task demo`: the product in one command. Starts the embedded sandbox
 * in a temporary data directory, writes two TypeScript tasks and a workflow
 * as a newcomer would, executes the workflow interactively (no Dockerfile,
 * no version, no registration step), waits with progress, prints outputs
 * and console URLs, edits one task and shows the new versions, re-executes
 * the unchanged task and shows that nothing was uploaded again, uploads a
 * file and reads it back, and stops the sandbox.
 *
 * @example
 * ```sh
 * deno task demo
 * ```
 *
 * @module
 */
import { startSandbox } from "../sandbox/mod.ts";
import { FlyteRemote } from "../remote/mod.ts";
import type { RemoteExecution } from "../remote/models.ts";
import type { LocalDefinition } from "../remote/register.ts";

const CHECKOUT = new URL("../../", import.meta.url);
const at = (p: string) => new URL(p, CHECKOUT).href;

/** The task modules, as a user would write them (one task per module). */
function scaleModule(factor: number) {
  return `import { t, task } from "${at("mod.ts")}";

/** Multiplies every number by ${factor}. */
export const scale = task(
  { name: "demo.scale", inputs: { xs: t.list(t.int) }, outputs: t.list(t.int) },
  ({ xs }) => xs.map((x) => x * ${factor}),
);
`;
}

const REPORT = `import { t, task } from "${at("mod.ts")}";

/** Sums numbers and says so. */
export const report = task(
  {
    name: "demo.report",
    inputs: { xs: t.list(t.int), who: t.string },
    outputs: { total: t.int, text: t.string },
  },
  ({ xs, who }) => {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, text: \`\${who}: the total is \${total}\` };
  },
);
`;

function pipelineModule(rev: number) {
  return `import { t, workflow } from "${at("mod.ts")}";
import { scale } from "./scale.ts?rev=${rev}";
import { report } from "./report.ts";

/** scale, then report. */
export const pipeline = workflow(
  {
    name: "demo.pipeline",
    inputs: { xs: t.list(t.int), who: t.string },
    outputs: { total: t.int, text: t.string },
  },
  ({ xs, who }) => report({ xs: scale({ xs }), who }),
);
`;
}

const log = (s = "") => console.log(s);

async function load<T>(path: string, rev: number): Promise<T> {
  const mod = await import(`file://${path}?rev=${rev}`);
  return Object.values(mod)[0] as T;
}

async function run(
  remote: FlyteRemote,
  def: LocalDefinition,
  inputs: Record<string, unknown>,
): Promise<RemoteExecution> {
  const started = performance.now();
  let last = "";
  const exec = await remote.execute(def, inputs, {
    wait: {
      pollInterval: 100,
      onProgress: (e) => {
        if (e.phase !== last) {
          last = e.phase;
          log(`    … ${e.name} ${e.phase}`);
        }
      },
    },
  });
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  log(`  ${def.name} version ${exec.version}: ${exec.phase} in ${secs} s`);
  const interactive = await remote.interactive();
  for (const t of interactive.lastReport!.tasks) {
    log(
      `    task ${t.name} ${t.version}: bundle ${
        t.bundleSha256.slice(0, 12)
      } (${t.bundleBytes} bytes) ${
        t.uploaded ? "uploaded" : "not uploaded (already there)"
      }, ${t.registered ? "registered" : "already registered"}`,
    );
  }
  if (exec.phase !== "SUCCEEDED") {
    throw new Error(`${def.name} ${exec.phase}: ${exec.error?.message}`);
  }
  log(`  outputs: ${JSON.stringify(exec.outputs)}`);
  log(`  console: ${remote.generateConsoleUrl(exec)}`);
  return exec;
}

/** Runs the demo; resolves when everything is stopped. */
export async function demo(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flyte-deno-demo-" });
  log(`Starting the embedded Flyte sandbox (data in ${dir}/sandbox) …`);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/sandbox` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    log(`Sandbox ready at ${sb.endpoint}\n`);
    const code = `${dir}/code`;
    await Deno.mkdir(code);
    await Deno.writeTextFile(`${code}/scale.ts`, scaleModule(2));
    await Deno.writeTextFile(`${code}/report.ts`, REPORT);
    await Deno.writeTextFile(`${code}/pipeline.ts`, pipelineModule(1));
    log(
      `1. Two TypeScript tasks and a workflow (${code}), executed interactively:`,
    );
    const pipeline = await load<LocalDefinition>(`${code}/pipeline.ts`, 1);
    const e1 = await run(remote, pipeline, { xs: [1, 2, 3], who: "demo" });

    log(
      `\n2. Edit scale.ts (x * 2 → x * 3) and execute the workflow again: new versions`,
    );
    await Deno.writeTextFile(`${code}/scale.ts`, scaleModule(3));
    await Deno.writeTextFile(`${code}/pipeline.ts`, pipelineModule(2));
    const pipeline2 = await load<LocalDefinition>(`${code}/pipeline.ts`, 2);
    const e2 = await run(remote, pipeline2, { xs: [1, 2, 3], who: "demo" });
    log(`  workflow version ${e1.version} → ${e2.version}`);

    log(
      `\n3. Re-execute the unchanged report task on its own: nothing uploaded`,
    );
    const report = await load<LocalDefinition>(`${code}/report.ts`, 1);
    await run(remote, report, { xs: [3, 6, 9], who: "again" });

    log(`\n4. Upload a file through the data proxy and read it back`);
    await Deno.writeTextFile(`${dir}/hello.txt`, "hello from flyte-deno\n");
    const up = await remote.upload(`${dir}/hello.txt`);
    await remote.download(up.uri, `${dir}/hello-back.txt`);
    const back = await Deno.readTextFile(`${dir}/hello-back.txt`);
    log(`  ${up.uri}\n  read back: ${JSON.stringify(back)}`);
    if (back !== "hello from flyte-deno\n") {
      throw new Error("read back differs");
    }
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  log(`\nSandbox stopped. Done.`);
}

if (import.meta.main) {
  const started = performance.now();
  await demo();
  log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
