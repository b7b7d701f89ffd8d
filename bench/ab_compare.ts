/**
 * A/B benchmark driver: runs the same bench file from two checkouts
 * alternately (A B, then B A, ... so drift in the machine's load hits both
 * sides alike), parses `deno bench --json`, and prints per benchmark row the
 * median over rounds of each side's average, the ratio new/old, and every
 * round's value with the load average read before it.
 *
 * ```sh
 * deno run -A bench/ab_compare.ts --old=/work/wt/old --new=. --rounds=5 \
 *   --out=/tmp/ab.jsonl bench/types_bench.ts bench/engine_bench.ts
 * ```
 *
 * Bench files are given relative to each checkout (both must hold the same
 * file); `file.ts::pattern` runs only the rows matching the pattern (deno
 * bench's `--filter`, e.g. `"bench/engine_bench.ts::/trivial/"`). Extra markdown table rows a bench prints itself (e.g. the fresh
 * process table of bench/remote_bench.ts, whose runs are set by FRESH_RUNS)
 * are collected too: any stdout line `| name | 123 ms | ...` before the JSON.
 * `--out` appends one JSON line per run (raw results); `--summarize` with
 * `--out` prints the tables from those lines without running anything.
 *
 * @module
 */

interface Run {
  file: string;
  side: "old" | "new";
  round: number;
  load: string;
  /** benchmark name -> average in ms */
  rows: Record<string, number>;
}

function arg(name: string, fallback?: string): string {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  if (a) return a.slice(name.length + 3);
  if (fallback === undefined) throw new Error(`--${name}= is required`);
  return fallback;
}

const oldDir = arg("old");
const newDir = arg("new", ".");
const rounds = Number(arg("rounds", "5"));
const out = arg("out", "");
const files = Deno.args.filter((a) => !a.startsWith("--"));
// (with --summarize, the files to report; their runs come from --out)
if (!files.length) throw new Error("give at least one bench file");

async function loadavg(): Promise<string> {
  const s = await Deno.readTextFile("/proc/loadavg");
  return s.split(" ").slice(0, 3).join(" ");
}

/** Parses a bench's own markdown rows: `| name | 217 ms | 202 ms | ...`. */
function tableRows(text: string): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^\|\s*([^|]+?)\s*\|\s*([\d.,]+) ms\s*\|/.exec(line);
    if (m) {
      rows[`[table] ${m[1]} (wall median)`] = Number(m[2].replace(/,/g, ""));
    }
  }
  return rows;
}

async function runOnce(
  dir: string,
  file: string,
): Promise<Record<string, number>> {
  // "file.ts::pattern" runs only the rows matching pattern (--filter).
  const [path, filter] = file.split("::");
  // Under /usr/bin/time: user+sys CPU of the whole bench process and the
  // task processes it waited for (less sensitive to the load than wall).
  const cmd = new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "@@cpu %U %S",
      Deno.execPath(),
      "bench",
      "-A",
      "--no-check",
      "--json",
      ...(filter ? ["--filter", filter] : []),
      path,
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  });
  const res = await cmd.output();
  const text = new TextDecoder().decode(res.stdout);
  const start = text.search(/^\{\s*$/m);
  if (!res.success || start < 0) {
    const err = new TextDecoder().decode(res.stderr);
    throw new Error(`${dir}/${file} failed: ${err.slice(-2000)}`);
  }
  const rows = tableRows(text.slice(0, start));
  const err = new TextDecoder().decode(res.stderr);
  const cpu = /@@cpu (\S+) (\S+)/.exec(err);
  if (cpu) {
    rows["[process] CPU user+sys of the whole bench run"] =
      (Number(cpu[1]) + Number(cpu[2])) * 1000;
  }
  const json = JSON.parse(text.slice(start));
  for (const b of json.benches) {
    const ok = b.results?.[0]?.ok;
    if (!ok) throw new Error(`${file}: ${b.name} has no result`);
    rows[b.name] = ok.avg / 1e6;
  }
  return rows;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

const runs: Run[] = [];
// `--summarize` only re-reads the runs already appended to --out.
const summarize = Deno.args.includes("--summarize");
if (summarize) {
  const text = await Deno.readTextFile(out);
  for (const line of text.split("\n").filter(Boolean)) {
    runs.push(JSON.parse(line));
  }
}
for (let round = 1; round <= (summarize ? 0 : rounds); round++) {
  for (const file of files) {
    const order = round % 2 ? ["old", "new"] as const : ["new", "old"] as const;
    for (const side of order) {
      const load = await loadavg();
      const rows = await runOnce(side === "old" ? oldDir : newDir, file);
      const run = { file, side, round, load, rows };
      runs.push(run);
      if (out) {
        await Deno.writeTextFile(out, JSON.stringify(run) + "\n", {
          append: true,
        });
      }
      console.error(`round ${round} ${side} ${file} (load ${load}) done`);
    }
  }
}

for (const file of files) {
  const mine = runs.filter((r) => r.file === file);
  if (!mine.length) continue;
  const names = Object.keys(mine[0].rows);
  console.log(`\n### ${file}\n`);
  console.log(
    "| benchmark | old median | new median | new/old | old per round | new per round |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const name of names) {
    const o = mine.filter((r) => r.side === "old").map((r) => r.rows[name])
      .filter((x) => x !== undefined);
    const n = mine.filter((r) => r.side === "new").map((r) => r.rows[name])
      .filter((x) => x !== undefined);
    console.log(
      `| ${name} | ${fmt(median(o))} | ${fmt(median(n))} | ${
        (median(n) / median(o)).toFixed(2)
      } | ${o.map(fmt).join(", ")} | ${n.map(fmt).join(", ")} |`,
    );
  }
  console.log(
    `\nload before each run: ${
      mine.map((r) => `r${r.round}${r.side[0]} ${r.load.split(" ")[0]}`).join(
        ", ",
      )
    }`,
  );
}
