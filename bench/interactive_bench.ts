/**
 * Interactive mode on the embedded sandbox (its real engine): the first
 * execute of a new task (capture with `deno bundle`, zip, version, upload,
 * register, run through the runtime, wait), a warm re-execute of an
 * unchanged one, and the bundle build of a task importing a large npm
 * package (@aws-sdk/client-s3), whose size is printed.
 *
 * `deno bench -A bench/interactive_bench.ts`; results in bench/RESULTS.md.
 */
import { startSandbox } from "../src/sandbox/mod.ts";
import { FlyteRemote } from "../src/remote/mod.ts";
import { buildBundle } from "../src/bundle/bundle.ts";
import { bundleModule } from "../src/bundle/capture_module.ts";
import type { TaskDefinition } from "../src/sdk/contract.ts";

const root = new URL("../", import.meta.url);
const dir = await Deno.makeTempDir({ prefix: "interactive-bench-" });
const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
const samples: Record<string, number[]> = {};
function record(name: string, ms: number) {
  (samples[name] ??= []).push(ms);
}
globalThis.addEventListener("unload", () => {
  for (const [name, xs] of Object.entries(samples)) {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    console.log(`median ${name}: ${mid.toFixed(0)} ms over ${s.length} runs`);
  }
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch { /* best effort */ }
});

let n = 0;
async function newTask(): Promise<TaskDefinition> {
  n++;
  const path = `${dir}/task${n}.ts`;
  await Deno.writeTextFile(
    path,
    `import { t, task } from "${new URL("mod.ts", root).href}";
export const add = task({ name: "bench.add${n}", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a + ${n});
`,
  );
  return (await import(`file://${path}`)).add;
}

const wait = { pollInterval: 20 };
const warm = await newTask();
await remote.execute(warm, { a: 1 }, { wait });

Deno.bench({
  name: "first execute of a new task (bundle, upload, register, run, wait)",
  n: 5,
  warmup: 1,
  async fn(b) {
    const def = await newTask();
    b.start();
    const t0 = performance.now();
    const e = await remote.execute(def, { a: 1 }, { wait });
    b.end();
    record("first execute", performance.now() - t0);
    if (e.phase !== "SUCCEEDED") throw new Error(e.error?.message);
  },
});

Deno.bench({
  name: "warm re-execute of an unchanged task (nothing uploaded or registered)",
  n: 10,
  warmup: 1,
  async fn() {
    const t0 = performance.now();
    const e = await remote.execute(warm, { a: 1 }, { wait });
    record("warm re-execute", performance.now() - t0);
    if (e.phase !== "SUCCEEDED") throw new Error(e.error?.message);
  },
});

const s3Module = `${dir}/s3task.ts`;
await Deno.writeTextFile(
  s3Module,
  `import { t, task } from "${new URL("mod.ts", root).href}";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
export const buckets = task({ name: "bench.buckets", outputs: t.int }, async () =>
  (await new S3Client({}).send(new ListBucketsCommand({}))).Buckets?.length ?? 0);
`,
);
let reported = false;
Deno.bench({
  name:
    "bundle build of a task importing @aws-sdk/client-s3 (deno bundle + zip)",
  n: 3,
  warmup: 0,
  async fn() {
    const t0 = performance.now();
    const program = await bundleModule(s3Module, {
      config: new URL("deno.json", root).pathname,
      cache: false,
    });
    const b = buildBundle({ program, tasks: ["bench.buckets"] });
    record("S3 task bundle build", performance.now() - t0);
    if (!reported) {
      reported = true;
      console.log(
        `bundle of the S3 task: program ${program.length} bytes, zip ${b.bytes.length} bytes`,
      );
    }
  },
});
