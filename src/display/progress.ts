/**
 * Live progress of a running execution: a compact bundle (phase, elapsed
 * time, node counts by phase with a bar, the running nodes) updated in place
 * in a notebook, or one line redrawn on stderr in a terminal.
 *
 * @module
 */
import type { Execution } from "@flyteidl/admin/execution_pb.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import { NodeExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import { badge, esc, formatDuration, type MimeBundle, wrap } from "./html.ts";
import { elapsedMs, executionPhase, phaseCounts } from "./nodes.ts";

const BAR_COLOR: Record<string, string> = {
  SUCCEEDED: "var(--ok)",
  RECOVERED: "var(--ok)",
  FAILED: "var(--bad)",
  TIMED_OUT: "var(--bad)",
  ABORTED: "var(--warn)",
  SKIPPED: "var(--mute)",
  RUNNING: "var(--run)",
};

const DONE = new Set([
  "SUCCEEDED",
  "FAILED",
  "ABORTED",
  "SKIPPED",
  "TIMED_OUT",
  "RECOVERED",
]);

/** Most running nodes named. */
const MAX_RUNNING = 8;

function running(nodes: NodeExecution[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const p = n.closure?.phase;
    if (
      p === NodeExecution_Phase.RUNNING ||
      p === NodeExecution_Phase.DYNAMIC_RUNNING
    ) {
      const id = n.id?.nodeId ?? "";
      if (id !== "start-node" && id !== "end-node") out.push(id);
    }
  }
  return out;
}

/**
 * The progress bundle of an execution and its (top-level) nodes.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
 * import { renderProgress } from "./progress.ts";
 * renderProgress(create(ExecutionSchema, { id: { name: "x" } }), []);
 * // while the backend is unreachable, with a note:
 * renderProgress(create(ExecutionSchema, { id: { name: "x" } }), [], Date.now(), "reconnecting");
 * ```
 */
export function renderProgress(
  execution: Execution,
  nodes: NodeExecution[],
  now: number = Date.now(),
  note?: string,
): MimeBundle {
  const phase = executionPhase(execution);
  const counts = phaseCounts(nodes);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const done = Object.entries(counts).filter(([p]) => DONE.has(p)).reduce(
    (a, [, n]) => a + n,
    0,
  );
  const elapsed = formatDuration(elapsedMs(execution.closure, now)) || "0 ms";
  const run = running(nodes);
  const bar = total
    ? `<div style="display:flex;width:360px;height:8px;border:1px solid var(--bd);border-radius:4px;overflow:hidden;margin:4px 0">${
      Object.entries(counts).map(([p, n]) =>
        `<div title="${esc(`${n} ${p}`)}" style="width:${
          ((n / total) * 100).toFixed(2)
        }%;background:${BAR_COLOR[p] ?? "var(--bd)"}"></div>`
      ).join("")
    }</div>`
    : "";
  const countsHtml = Object.entries(counts).map(([p, n]) => `${n} ${badge(p)}`)
    .join(" ");
  const runHtml = run.length
    ? `<div class="fd-m">running: ${
      run.slice(0, MAX_RUNNING).map((r) => `<code>${esc(r)}</code>`).join(", ")
    }${
      run.length > MAX_RUNNING ? ` … ${run.length - MAX_RUNNING} more` : ""
    }</div>`
    : "";
  const html = `<div><b>${esc(execution.id?.name ?? "")}</b> ${
    badge(phase)
  } <span class="fd-m">${esc(elapsed)}</span>${
    total ? ` · ${done}/${total} nodes done` : ""
  }</div>${bar}${countsHtml ? `<div>${countsHtml}</div>` : ""}${runHtml}${
    note ? `<div class="fd-m"><b>${esc(note)}</b></div>` : ""
  }`;
  const line = progressLine(execution, nodes, now);
  return {
    "text/plain": note ? `${line} · ${note}` : line,
    "text/html": wrap(html),
  };
}

/**
 * The one-line progress of an execution, for a terminal.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
 * import { progressLine } from "./progress.ts";
 * progressLine(create(ExecutionSchema, { id: { name: "x" } }), []); // "x UNDEFINED 0 ms"
 * ```
 */
export function progressLine(
  execution: Execution,
  nodes: NodeExecution[],
  now: number = Date.now(),
): string {
  const counts = phaseCounts(nodes);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const done = Object.entries(counts).filter(([p]) => DONE.has(p)).reduce(
    (a, [, n]) => a + n,
    0,
  );
  const run = running(nodes);
  let s = `${execution.id?.name ?? ""} ${executionPhase(execution)} ${
    formatDuration(elapsedMs(execution.closure, now)) || "0 ms"
  }`;
  if (total) s += ` · ${done}/${total} nodes`;
  if (run.length) {
    s += ` · running ${run.slice(0, 3).join(", ")}${
      run.length > 3 ? ` +${run.length - 3}` : ""
    }`;
  }
  return s;
}

/** Where a {@link LiveDisplay} draws. */
export type LiveTarget = "jupyter" | "tty" | "none";

interface JupyterNs {
  display(
    obj: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

function jupyter(): JupyterNs | undefined {
  try {
    // The getter throws outside `deno jupyter`.
    return (Deno as unknown as { jupyter?: JupyterNs }).jupyter;
  } catch {
    return undefined;
  }
}

let counter = 0;

/**
 * One live display: in a notebook, a display updated in place (every call
 * awaited, so nothing lands in another cell); in a terminal, a line redrawn
 * on stderr when stderr is a TTY; otherwise nothing.
 *
 * @example
 * ```ts
 * import { LiveDisplay } from "./progress.ts";
 * const live = new LiveDisplay();
 * await live.update({ "text/plain": "step 1", "text/html": "<b>step 1</b>" });
 * await live.close();
 * ```
 */
export class LiveDisplay {
  /** Where it draws. */
  readonly target: LiveTarget;
  readonly #id: string;
  #shown = false;
  #lastLine = 0;
  readonly #ns?: JupyterNs;

  /** Picks the target (`target` forces one, e.g. "none" to disable). */
  constructor(options: { target?: LiveTarget } = {}) {
    this.#ns = jupyter();
    let isTty = false;
    try {
      isTty = Deno.stderr.isTerminal();
    } catch { /* no stderr */ }
    this.target = options.target ??
      (this.#ns ? "jupyter" : isTty ? "tty" : "none");
    this.#id = `flyte-deno-${Date.now().toString(36)}-${++counter}`;
  }

  /** True when updates are drawn somewhere. */
  get enabled(): boolean {
    return this.target !== "none";
  }

  /** Shows (first call) or replaces the display. */
  async update(bundle: MimeBundle): Promise<void> {
    if (this.target === "jupyter" && this.#ns) {
      await this.#ns.display(bundle, {
        raw: true,
        display_id: this.#id,
        update: this.#shown,
      });
      this.#shown = true;
    } else if (this.target === "tty") {
      const line = bundle["text/plain"].split("\n")[0];
      const cols = (() => {
        try {
          // A pseudo-terminal without a size reports 0 columns.
          return Deno.consoleSize().columns || 100;
        } catch {
          return 100;
        }
      })();
      const text = line.length >= cols ? `${line.slice(0, cols - 2)}…` : line;
      const pad = " ".repeat(Math.max(0, this.#lastLine - text.length));
      this.#lastLine = text.length;
      await writeAll(`\r${text}${pad}`);
      this.#shown = true;
    }
  }

  /** Ends the display (in a terminal: moves past the progress line). */
  async close(): Promise<void> {
    if (this.target === "tty" && this.#shown) await writeAll("\n");
  }
}

async function writeAll(s: string) {
  const bytes = new TextEncoder().encode(s);
  let off = 0;
  while (off < bytes.length) {
    off += await Deno.stderr.write(bytes.subarray(off));
  }
}
