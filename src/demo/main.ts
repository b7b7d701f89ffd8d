/**
 * `deno task demo`: the product in one command. Starts the embedded sandbox
 * in a temporary data directory, writes two TypeScript task modules as a
 * newcomer would, executes them interactively (no Dockerfile, no version,
 * no registration step), waits with progress, prints outputs and console
 * URLs, edits one task and shows its new version, re-executes the unchanged
 * one and shows that nothing was uploaded again, uploads a file and reads
 * it back, and stops the sandbox.
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
import type { TaskDefinition } from "../sdk/contract.ts";

const CHECKOUT = new URL("../../", import.meta.url);
const at = (p: string) => new URL(p, CHECKOUT).href;

/** The task modules, as a user would write them. */
function doubleModule(factor: number) {
  return `import { t } from "${at("src/types/mod.ts")}";
import { defineTask } from "${at("tests/helpers/taskdef.ts")}";

/** Doubles (or, after the edit, triples) every number. */
export const scale = defineTask({
  name: "demo.scale",
  inputs: { xs: t.list(t.int) },
  outputs: { o0: t.list(t.int) },
  site: import.meta.url,
}, ({ xs }: { xs: number[] }) => xs.map((x) => x * ${factor}));
`;
}

const REPORT = `import { t } from "${at("src/types/mod.ts")}";
import { defineTask } from "${at("tests/helpers/taskdef.ts")}";

/** Sums numbers and says so. */
export const report = defineTask({
  name: "demo.report",
  inputs: { xs: t.list(t.int), who: t.string },
  outputs: { total: t.int, text: t.string },
  site: import.meta.url,
}, ({ xs, who }: { xs: number[]; who: string }) => {
  const total = xs.reduce((a, b) => a + b, 0);
  return { total, text: \`\${who}: the total is \${total}\` };
});
`;

const log = (s = "") => console.log(s);

async function load(path: string, rev: number): Promise<TaskDefinition> {
  const mod = await import(`file://${path}?rev=${rev}`);
  return Object.values(mod)[0] as TaskDefinition;
}

async function run(
  remote: FlyteRemote,
  def: TaskDefinition,
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
  const interactive = await remote.interactive();
  const t = interactive.lastReport!.tasks[0];
  log(
    `  ${def.name} version ${exec.version}: ${exec.phase} in ${
      ((performance.now() - started) / 1000).toFixed(2)
    } s; bundle ${t.bundleSha256.slice(0, 12)} (${t.bundleBytes} bytes) ${
      t.uploaded ? "uploaded" : "not uploaded (already there)"
    }, ${t.registered ? "registered" : "already registered"}`,
  );
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
    await Deno.writeTextFile(`${code}/scale.ts`, doubleModule(2));
    await Deno.writeTextFile(`${code}/report.ts`, REPORT);
    log(
      `1. Two TypeScript tasks (${code}/scale.ts, report.ts), executed interactively:`,
    );
    const scale = await load(`${code}/scale.ts`, 1);
    const report = await load(`${code}/report.ts`, 1);
    const e1 = await run(remote, scale, { xs: [1, 2, 3] });
    const xs = e1.outputs.o0 as number[];
    const e2 = await run(remote, report, { xs, who: "demo" });

    log(`\n2. Edit scale.ts (x * 2 → x * 3) and execute again: a new version`);
    await Deno.writeTextFile(`${code}/scale.ts`, doubleModule(3));
    const scale2 = await load(`${code}/scale.ts`, 2);
    const e3 = await run(remote, scale2, { xs: [1, 2, 3] });
    log(`  version ${e1.version} → ${e3.version}`);

    log(
      `\n3. Re-execute the unchanged report task: same version, nothing uploaded`,
    );
    const e4 = await run(remote, report, {
      xs: e3.outputs.o0 as number[],
      who: "demo",
    });
    log(`  version ${e2.version} → ${e4.version} (unchanged)`);

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
