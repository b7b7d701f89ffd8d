/**
 * Full sync beside flytekit (issue 16, "a full sync"):
 * `deno task bench:sync [--short] [--rounds N] [--data DIR] [--write]`.
 *
 * Starts a sandbox as a process of its own, runs a 100-node fan-out, a
 * 1,000-node fan-out and a 1,000-item map on it once (bench/sync_setup.ts;
 * with `--data DIR` the sandbox keeps its data there and a second run
 * reuses those executions), then, round by round and interleaved (who goes
 * first alternates), syncs each execution in fresh processes: this module
 * (bench/sync_ours.ts: `syncExecution` with nodes, node data and task
 * attempts over gRPC and over REST, and with nodes and node data only;
 * and a floor: only the admin calls such a sync makes, bare) and
 * flytekit 1.16 from the
 * project's .venv (bench/sync_flytekit.py: `sync_execution(ex,
 * sync_nodes=True)`), both then reading every top-level node's inputs and
 * outputs. Each process syncs three times: the first (cold: code not yet
 * compiled) and the median of the other two (warm) are reported, with the
 * process's peak RSS. Prints medians over the rounds (min … max) and the
 * ratios flytekit / ours; `--write` puts the table into bench/RESULTS.md
 * between the sync_bench markers. `--short` (100-node fan-out and a
 * 100-item map, one round) proves the bench runs. No timing is asserted.
 *
 * @module
 */
import { FlyteRemote } from "../mod.ts";
import { spawnSandboxProcess } from "../tests/helpers/sandbox_process.ts";
import { prepareShapes, type SyncShapes } from "./sync_setup.ts";

const args = Deno.args;
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const short = args.includes("--short");
const rounds = Number(flag("--rounds") ?? (short ? 1 : 5));
const RUNS = 3;
const sizes = short
  ? { fanOut: [100], mapItems: 100 }
  : { fanOut: [100, 1000], mapItems: 1000 };
const here = (f: string) => new URL(f, import.meta.url).pathname;
const repo = here("../");
const python = `${repo}.venv/bin/python`;
const load = () =>
  Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const started = Date.now();
const log = (s: string) =>
  console.error(
    `[sync_full ${((Date.now() - started) / 1000).toFixed(0)} s] ${s}`,
  );

const keep = flag("--data");
const dataDir = keep ?? await Deno.makeTempDir({ prefix: "sync-bench-" });
await Deno.mkdir(dataDir, { recursive: true });
const shapesFile = `${dataDir}/shapes-${short ? "short" : "full"}.json`;
const sb = await spawnSandboxProcess(`${dataDir}/sandbox`);

/** One fresh process's report. */
interface Report {
  ms: number[];
  nodes: number;
  values: number;
  hwm: number;
}

async function runSide(cmd: string, argv: string[]): Promise<Report> {
  const out = await new Deno.Command(cmd, {
    args: argv,
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /@@sync (.*)/.exec(text);
  if (!out.success || !m) {
    throw new Error(
      `${cmd} ${argv.join(" ")} failed:\n${text}\n${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return JSON.parse(m[1]);
}

/** One run of bench/sync_ours.ts in a fresh process: `mode` and extra args. */
const ours = (...mode: string[]) => (name: string) =>
  runSide(Deno.execPath(), [
    "run",
    "-A",
    "--config",
    `${repo}deno.json`,
    here("./sync_ours.ts"),
    sb.endpoint,
    name,
    String(RUNS),
    ...mode,
  ]);

const sides = {
  "ours (nodes + data + attempts)": ours("full"),
  "ours over REST (nodes + data + attempts)": ours("full", "rest"),
  "floor: the same admin calls, bare (gRPC)": ours("floor"),
  "ours (nodes + data)": ours("data"),
  "flytekit sync_execution(sync_nodes=True)": (name: string) =>
    runSide(python, [
      here("./sync_flytekit.py"),
      sb.endpoint.replace(/^https?:\/\//, ""),
      name,
      String(RUNS),
    ]),
};
type Side = keyof typeof sides;
const FLYTEKIT: Side = "flytekit sync_execution(sync_nodes=True)";

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

try {
  let shapes: SyncShapes;
  try {
    shapes = JSON.parse(await Deno.readTextFile(shapesFile));
    log(`reusing the executions in ${shapesFile}`);
  } catch {
    log(`sandbox at ${sb.endpoint}; running the executions (${dataDir})`);
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    shapes = await prepareShapes(remote, dataDir, sizes);
    await remote.close();
    await Deno.writeTextFile(shapesFile, JSON.stringify(shapes));
  }
  const loadBefore = load();
  log(`load ${loadBefore}; warming up`);
  for (const run of Object.values(sides)) {
    await run(Object.values(shapes.executions)[0]);
  }
  const results = new Map<string, Map<Side, Report[]>>();
  for (const shape of Object.keys(shapes.executions)) {
    results.set(shape, new Map(Object.keys(sides).map((s) => [s as Side, []])));
  }
  const names = Object.keys(sides) as Side[];
  for (let r = 0; r < rounds; r++) {
    for (const [shape, name] of Object.entries(shapes.executions)) {
      const order = r % 2 ? [...names].reverse() : names;
      for (const side of order) {
        const rep = await sides[side](name);
        results.get(shape)!.get(side)!.push(rep);
      }
    }
    log(`round ${r + 1}/${rounds} done, load ${load()}`);
  }

  const f = (x: number) => x >= 100 ? x.toFixed(0) : x.toFixed(1);
  const span = (xs: number[]) =>
    `${f(median(xs))} (${f(Math.min(...xs))} … ${f(Math.max(...xs))})`;
  const lines = [
    `| execution | client | nodes / values read | cold sync ms | warm sync ms | peak RSS MB | flytekit / ours (cold, warm) |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const [shape, bySide] of results) {
    const fk = bySide.get(FLYTEKIT)!;
    const cold = (rs: Report[]) => rs.map((x) => x.ms[0]);
    const warm = (rs: Report[]) => rs.map((x) => median(x.ms.slice(1)));
    for (const [side, rs] of bySide) {
      const ratio = side === FLYTEKIT
        ? "—"
        : `${(median(cold(fk)) / median(cold(rs))).toFixed(1)}×, ${
          (median(warm(fk)) / median(warm(rs))).toFixed(1)
        }×`;
      lines.push(
        `| ${shape} | ${side} | ${rs[0].nodes} / ${rs[0].values} | ${
          span(cold(rs))
        } | ${span(warm(rs))} | ${
          span(rs.map((x) => x.hwm / 2 ** 20))
        } | ${ratio} |`,
      );
    }
  }
  const cpu = /model name\s*:\s*(.*)/.exec(
    Deno.readTextFileSync("/proc/cpuinfo"),
  )?.[1] ?? "?";
  const header = `${
    new Date().toISOString().slice(0, 16).replace("T", " ")
  } UTC, ${navigator.hardwareConcurrency} cores (${cpu}), Deno ${Deno.version.deno}, flytekit from .venv; ${rounds} rounds, fresh processes, interleaved; load average ${loadBefore} before, ${load()} after.`;
  const table = `${header}\n\n${lines.join("\n")}\n`;
  console.log(`\n${table}`);
  if (args.includes("--write")) {
    const file = here("./RESULTS.md");
    const text = await Deno.readTextFile(file);
    const [open, close] = [
      "<!-- sync_bench:start -->",
      "<!-- sync_bench:end -->",
    ];
    const block = `${open}\n${table}${close}`;
    await Deno.writeTextFile(
      file,
      text.includes(open)
        ? text.replace(new RegExp(`${open}[\\s\\S]*${close}`), block)
        : `${text.trimEnd()}\n\n## Full sync beside flytekit (bench/sync_full.ts)\n\n${block}\n`,
    );
  }
} finally {
  sb.child.kill();
  await sb.child.status;
  if (!keep) await Deno.remove(dataDir, { recursive: true });
}
