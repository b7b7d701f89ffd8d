/**
 * bench/flytekit's table: medians, min/max and the ratio (flytekit time /
 * ours) per row, with machine, load and date; and the bench/RESULTS.md
 * section it replaces on each full run.
 *
 * @module
 */

/** Timings (ms) of one row, per side. */
export interface RowResult {
  label: string;
  ours: number[];
  flytekit: number[];
  curl?: number[];
}

/** Peak RSS of a fresh process doing one operation. */
export interface MemoryResult {
  label: string;
  ours: { hwm: number; rssBefore: number };
  flytekit: { hwm: number; rssBefore: number };
}

/** Where and when the run happened. */
export interface RunInfo {
  mode: string;
  rounds: number;
  started: Date;
  seconds: number;
  loadBefore: string;
  loadAfter: string;
  cpu: string;
  cores: number;
  deno: string;
  flytekit: string;
}

const START = "<!-- bench:flytekit:start -->";
const END = "<!-- bench:flytekit:end -->";

/** The median of `xs`. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ms(x: number): string {
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 10) return `${x.toFixed(0)} ms`;
  return `${x.toFixed(1)} ms`;
}

function cell(xs: number[]): string {
  if (xs.length === 1) return ms(xs[0]);
  return `${ms(median(xs))} (${ms(Math.min(...xs))} … ${ms(Math.max(...xs))})`;
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

/** The markdown section of one run. */
export function section(
  info: RunInfo,
  rows: RowResult[],
  memory: MemoryResult[],
): string {
  const lines = [
    START,
    `## flyte-deno beside flytekit (\`deno task bench:flytekit\`) — ${
      info.started.toISOString().slice(0, 16).replace("T", " ")
    } UTC`,
    "",
    `${info.cores} cores (${info.cpu}), Deno ${info.deno}, flytekit ${info.flytekit}; ` +
    `load average ${info.loadBefore} at the start, ${info.loadAfter} at the end; ` +
    `${info.mode} mode, ${info.rounds} rounds per row, ours and flytekit interleaved ` +
    `(the side that goes first alternates), one sandbox process (src/sandbox/main.ts) for both; ` +
    `the run took ${
      (info.seconds / 60).toFixed(1)
    } min. Cells: median (min … max); ` +
    `ratio = flytekit median / ours median (> 1: we are faster).`,
    "",
    "| row | ours | flytekit | ratio | curl |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const ratio = median(r.flytekit) / median(r.ours);
    lines.push(
      `| ${r.label} | ${cell(r.ours)} | ${cell(r.flytekit)} | ${
        ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)
      }× | ${r.curl ? cell(r.curl) : ""} |`,
    );
  }
  if (memory.length) {
    lines.push(
      "",
      "| memory: a fresh process doing one operation | ours: peak RSS (before the op) | flytekit: peak RSS (before the op) |",
      "| --- | --- | --- |",
    );
    for (const m of memory) {
      lines.push(
        `| ${m.label} | ${mb(m.ours.hwm)} (${mb(m.ours.rssBefore)}) | ${
          mb(m.flytekit.hwm)
        } (${mb(m.flytekit.rssBefore)}) |`,
      );
    }
  }
  lines.push(END);
  return lines.join("\n");
}

/** Replaces the section in `file` (appends it the first time). */
export async function writeSection(file: string, text: string): Promise<void> {
  const old = await Deno.readTextFile(file);
  const a = old.indexOf(START), b = old.indexOf(END);
  const next = a >= 0 && b > a
    ? old.slice(0, a) + text + old.slice(b + END.length)
    : `${old.trimEnd()}\n\n${text}\n`;
  await Deno.writeTextFile(file, next);
}
