/**
 * flyte-deno beside flytekit, one sandbox, one run (issue 16):
 * `deno task bench:flytekit [--short]`.
 *
 * Starts one sandbox as a process of its own (src/sandbox/main.ts, port 0),
 * prepares what the rows need (bench/flytekit/setup.ts), starts a
 * long-lived ops process per side (bench/flytekit/ours_ops.ts and
 * bench/flytekit/flytekit_ops.py, the project's .venv), then runs every
 * row (bench/flytekit/specs.ts) round by round, ours and flytekit
 * interleaved (who goes first alternates), curl beside the transfers, and
 * the fresh-process first call as new `deno run` / `python` processes.
 * The full mode writes its table to bench/RESULTS.md (the section between
 * the bench:flytekit markers); `--short` (small sizes, one round, for CI)
 * prints it only. Any failed operation fails the run; no timing is asserted.
 *
 * @module
 */
import { spawnSandboxProcess } from "../../tests/helpers/sandbox_process.ts";
import { FlyteRemote } from "../../mod.ts";
import { FULL, rows, SHORT } from "./specs.ts";
import { prepare } from "./setup.ts";
import {
  curl,
  firstCall,
  once,
  OpsProcess,
  python,
  repo,
  timed,
} from "./procs.ts";
import {
  type MemoryResult,
  type RowResult,
  section,
  writeSection,
} from "./report.ts";

const sizes = Deno.args.includes("--short") ? SHORT : FULL;
const started = new Date();
const load = () =>
  Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const loadBefore = load();
const log = (s: string) =>
  console.error(
    `[bench:flytekit ${((Date.now() - +started) / 1000).toFixed(0)} s] ${s}`,
  );

const dir = await Deno.makeTempDir({ prefix: "bench-flytekit-" });
const sb = await spawnSandboxProcess(`${dir}/data`);
const sides = ["ours", "flytekit"] as const;
let ops: Record<(typeof sides)[number], OpsProcess> | undefined;
try {
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  log(`sandbox at ${sb.endpoint}; setting up (${sizes.mode} mode)`);
  const prepared = await prepare(remote, sizes, dir);
  await remote.close();
  const table = rows(sizes, prepared);
  ops = {
    ours: new OpsProcess("ours", sb.endpoint),
    flytekit: new OpsProcess("flytekit", sb.endpoint),
  };

  // Untimed warm-up: each op once per side (code loaded, caches filled,
  // connections open), except in full mode the big ones (they warm up
  // within themselves; flytekit's million ints alone take a minute); and
  // one fresh process each (module and bytecode caches).
  const BIG = new Set(["upload", "download", "ints", "records"]);
  for (const side of sides) {
    await firstCall(side, sb.endpoint);
    for (const row of table) {
      if (sizes.mode === "full" && BIG.has(row.key)) continue;
      await ops[side].run(row.op(-1, side));
    }
  }
  log("warmed up");

  const first: RowResult = {
    label: "fresh process: start, import, connect, list projects",
    ours: [],
    flytekit: [],
  };
  const results: RowResult[] = table.map((r) => ({
    label: r.label,
    ours: [],
    flytekit: [],
    ...(r.curl ? { curl: [] } : {}),
  }));
  for (let round = 0; round < sizes.rounds; round++) {
    const order = round % 2 ? [...sides].reverse() : sides;
    for (const side of order) {
      first[side].push((await firstCall(side, sb.endpoint)).ms);
    }
    for (const [i, row] of table.entries()) {
      for (const side of order) {
        results[i][side].push(await ops[side].run(row.op(round, side)));
      }
      if (row.curl === "upload") {
        results[i].curl!.push(
          await curl(
            "upload",
            prepared.uploadUrl,
            prepared.bigFile,
            prepared.uploadMd5,
          ),
        );
      } else if (row.curl === "download") {
        results[i].curl!.push(
          await curl(
            "download",
            prepared.downloadUrl,
            `${prepared.scratch}/curl.bin`,
          ),
        );
      }
    }
    log(`round ${round + 1}/${sizes.rounds} done`);
  }
  await ops.ours.close();
  await ops.flytekit.close();
  ops = undefined;

  // Memory: a fresh process per side doing one full sync.
  const memory: MemoryResult[] = [];
  for (const row of table.filter((r) => r.key.endsWith("_full"))) {
    const op = row.op(0, "ours");
    const [o, f] = [
      await once("ours", sb.endpoint, op),
      await once("flytekit", sb.endpoint, op),
    ];
    memory.push({ label: row.label, ours: o, flytekit: f });
  }

  const flytekitVersion = (await timed(python, [
    "-c",
    "from importlib.metadata import version; print(version('flytekit'))",
  ])).stdout.trim();
  const cpu = /model name\s*:\s*(.*)/.exec(
    Deno.readTextFileSync("/proc/cpuinfo"),
  )?.[1] ?? "?";
  const text = section(
    {
      mode: sizes.mode,
      rounds: sizes.rounds,
      started,
      seconds: (Date.now() - +started) / 1000,
      loadBefore,
      loadAfter: load(),
      cpu,
      cores: navigator.hardwareConcurrency,
      deno: Deno.version.deno,
      flytekit: flytekitVersion,
    },
    [first, ...results],
    memory,
  );
  console.log(text);
  if (sizes.mode === "full") {
    await writeSection(`${repo}bench/RESULTS.md`, text);
    // deno fmt's table layout, so `deno task check` stays clean.
    await timed(Deno.execPath(), ["fmt", `${repo}bench/RESULTS.md`]);
    log("bench/RESULTS.md updated");
  }
} finally {
  if (ops) {
    for (const p of Object.values(ops)) p.kill();
  }
  sb.child.kill("SIGTERM");
  await sb.child.status;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
