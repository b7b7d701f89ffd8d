/**
 * Sandbox memory across executions (issue 14, item 7): the sandbox process
 * (as `deno task sandbox` runs it, and without its V8 flag, side by side in
 * one run) serves 500 executions of a no-op container task in bursts of 50;
 * its RSS (VmRSS of the process) is read at start, after the first burst,
 * right after all 500, and once the idle sandbox has settled (V8's memory
 * reducer gives back the garbage heap some seconds after the work stops; the
 * reading is the lowest of 30 s sampled every 5 s). `deno task bench:memory
 * [executions]`; results go in bench/RESULTS.md by hand.
 *
 * @module
 */
import { FlyteRemote } from "../src/remote/mod.ts";
import { deferGoawayEvents } from "../src/http2/goaway.ts";

deferGoawayEvents();
const root = new URL("..", import.meta.url).pathname;
const TOTAL = Number(Deno.args[0] ?? 500);
const BURST = 50;

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function run(label: string, v8Flags: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "mem-bench-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...v8Flags,
      `${root}src/sandbox/main.ts`,
      "--port",
      "0",
      "--data-dir",
      dir,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/\S+:\d+/.test(text)) {
    text += (await reader.read()).value ?? "";
  }
  reader.releaseLock();
  const endpoint = /http:\/\/\S+:\d+/.exec(text)![0];
  const remote = await FlyteRemote.forSandbox({ endpoint });
  const id = {
    project: "flytesnacks",
    domain: "development",
    name: "mem.noop",
    version: "v1",
  };
  await remote.registerTask({
    template: {
      id,
      type: "raw-container",
      metadata: {},
      interface: {},
      target: {
        case: "container",
        value: { image: "busybox", command: ["true"] },
      },
    },
  });
  const task = await remote.fetchTask(id.name, { version: "v1" });
  await new Promise((r) => setTimeout(r, 1000));
  const rows: [string, number][] = [["start", rssMb(child.pid)]];
  for (let done = 0; done < TOTAL; done += BURST) {
    const execs = await Promise.all(
      Array.from({ length: BURST }, () => remote.execute(task, {})),
    );
    await Promise.all(execs.map((e) => remote.wait(e, { pollInterval: 100 })));
    await new Promise((r) => setTimeout(r, 1000));
    if (done === 0 || done + BURST >= TOTAL) {
      rows.push([`after ${done + BURST}`, rssMb(child.pid)]);
    }
  }
  let settled = Infinity;
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 5000));
    settled = Math.min(settled, rssMb(child.pid));
  }
  rows.push(["settled", settled]);
  await remote.close();
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dir, { recursive: true });
  const start = rows[0][1];
  console.log(
    `${label.padEnd(34)} ${
      rows.map(([k, v]) => `${k} ${v} MB`).join(", ")
    }; settled growth after ${TOTAL}: +${settled - start} MB (${
      (settled / start).toFixed(2)
    }x)`,
  );
}

await run("deno task sandbox (semi-space 4 MB)", [
  "--v8-flags=--max-semi-space-size=4",
]);
await run("V8 defaults", []);
