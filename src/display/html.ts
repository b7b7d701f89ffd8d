/**
 * HTML building blocks of every renderer: escaping, truncation with a note,
 * tables, phase badges, links that only follow safe schemes, durations and
 * dates, and the one inline stylesheet (light and dark friendly).
 *
 * @module
 */

/**
 * A Jupyter mime bundle: what `[Symbol.for("Jupyter.display")]()` returns.
 *
 * @example
 * ```ts
 * import type { MimeBundle } from "./html.ts";
 * const b: MimeBundle = { "text/plain": "hi", "text/html": "<b>hi</b>" };
 * ```
 */
export interface MimeBundle {
  /** A concise summary for terminals and `console.log`. */
  "text/plain": string;
  /** Self-contained HTML (inline CSS, no scripts, no network). */
  "text/html": string;
}

const ESC: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * import { esc } from "./html.ts";
 * esc("<img src=x>"); // "&lt;img src=x&gt;"
 * ```
 */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Longest string shown in full (characters). */
export const MAX_STRING = 2_000;
/** Most list items, map entries or table rows shown. */
export const MAX_ITEMS = 50;

/**
 * Cuts a string to `max` characters; `cut` tells how many were left out.
 *
 * @example
 * ```ts
 * import { truncate } from "./html.ts";
 * truncate("abcdef", 3); // { text: "abc", cut: 3 }
 * ```
 */
export function truncate(
  s: string,
  max: number = MAX_STRING,
): { text: string; cut: number } {
  return s.length <= max
    ? { text: s, cut: 0 }
    : { text: s.slice(0, max), cut: s.length - max };
}

/**
 * A "… N more" note, in the plural the count needs.
 *
 * @example
 * ```ts
 * import { moreNote } from "./html.ts";
 * moreNote(9950, "item", 10000); // "… 9,950 more items (10,000 in all)"
 * ```
 */
export function moreNote(n: number, what: string, total?: number): string {
  const all = total === undefined
    ? ""
    : ` (${total.toLocaleString("en-US")} in all)`;
  return `… ${n.toLocaleString("en-US")} more ${what}${
    n === 1 ? "" : "s"
  }${all}`;
}

/**
 * A table; cells are HTML already (escape text with {@link esc}). Rows beyond
 * `max` are left out with a note.
 *
 * @example
 * ```ts
 * import { table } from "./html.ts";
 * table(["name", "value"], [["a", "1"]]);
 * ```
 */
export function table(
  head: string[],
  rows: string[][],
  max: number = MAX_ITEMS,
  total: number = rows.length,
): string {
  const shown = rows.length > max ? rows.slice(0, max) : rows;
  let out = `<table class="fd-t"><thead><tr>${
    head.map((h) => `<th>${esc(h)}</th>`).join("")
  }</tr></thead><tbody>`;
  for (const r of shown) {
    out += `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  }
  out += "</tbody></table>";
  if (total > shown.length) {
    out += `<div class="fd-note">${
      esc(moreNote(total - shown.length, "row", total))
    }</div>`;
  }
  return out;
}

const PHASE_CLASS: Record<string, string> = {
  SUCCEEDED: "ok",
  RECOVERED: "ok",
  FAILED: "bad",
  FAILING: "bad",
  TIMED_OUT: "bad",
  ABORTED: "warn",
  ABORTING: "warn",
  RETRYABLE_FAILED: "warn",
  SKIPPED: "mute",
  UNDEFINED: "mute",
  RUNNING: "run",
  QUEUED: "run",
  INITIALIZING: "run",
  WAITING_FOR_RESOURCES: "run",
  DYNAMIC_RUNNING: "run",
  SUCCEEDING: "run",
  WAITING_FOR_CACHE: "run",
};

/**
 * A coloured phase badge.
 *
 * @example
 * ```ts
 * import { badge } from "./html.ts";
 * badge("SUCCEEDED"); // '<span class="fd-b fd-ok">SUCCEEDED</span>'
 * ```
 */
export function badge(phase: string): string {
  return `<span class="fd-b fd-${PHASE_CLASS[phase] ?? "mute"}">${
    esc(phase)
  }</span>`;
}

/**
 * A link, only for http(s), file and data:image URLs and absolute paths
 * (anything else is text).
 *
 * @example
 * ```ts
 * import { link } from "./html.ts";
 * link("javascript:alert(1)", "x"); // "x"
 * ```
 */
export function link(href: string | undefined, text: string): string {
  if (!href || !/^(https?:|file:|data:image\/|\/(?!\/))/i.test(href)) {
    return esc(text);
  }
  // Links within the page's own site (the console) open in place.
  const target = href.startsWith("/") ? "" : ' target="_blank" rel="noopener"';
  return `<a href="${esc(href)}"${target}>${esc(text)}</a>`;
}

/**
 * A duration in a short human form: `850 ms`, `12.3 s`, `4m 05s`, `2h 03m`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./html.ts";
 * formatDuration(65_000); // "1m 05s"
 * ```
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) {
    return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  }
  return `${Math.floor(s / 3600)}h ${
    String(Math.floor(s / 60) % 60).padStart(2, "0")
  }m`;
}

/**
 * A date as `YYYY-MM-DD HH:MM:SS UTC` (empty for none).
 *
 * @example
 * ```ts
 * import { formatDate } from "./html.ts";
 * formatDate(new Date(0)); // "1970-01-01 00:00:00 UTC"
 * ```
 */
export function formatDate(d: Date | undefined): string {
  if (!d || Number.isNaN(d.getTime())) return "";
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/**
 * Milliseconds of a protobuf Timestamp or Duration-like `{seconds, nanos}`.
 *
 * @example
 * ```ts
 * import { millis } from "./html.ts";
 * millis({ seconds: 2n, nanos: 5e8 }); // 2500
 * ```
 */
export function millis(
  t: { seconds: bigint; nanos: number } | undefined,
): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
}

/**
 * A Date from a protobuf Timestamp (undefined for none or the zero time).
 *
 * @example
 * ```ts
 * import { dateOf } from "./html.ts";
 * dateOf({ seconds: 0n, nanos: 0 }); // undefined
 * ```
 */
export function dateOf(
  t: { seconds: bigint; nanos: number } | undefined,
): Date | undefined {
  const ms = millis(t);
  return ms ? new Date(ms) : undefined;
}

/** The inline stylesheet: CSS variables with light defaults and dark overrides. */
export const CSS =
  `.fd{--fg:#1f2328;--bg:#ffffff;--mute:#656d76;--bd:#d0d7de;--bg2:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--run:#0969da;--link:#0969da;
font:13px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);max-width:100%;overflow-x:auto;text-align:left}
@media (prefers-color-scheme:dark){.fd{--fg:#e6edf3;--bg:#0d1117;--mute:#9198a1;--bd:#3d444d;--bg2:#151b23;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--run:#4493f8;--link:#4493f8}}
body[data-jp-theme-light=false] .fd,.vscode-dark .fd,.fd.fd-dark{--fg:#e6edf3;--bg:#0d1117;--mute:#9198a1;--bd:#3d444d;--bg2:#151b23;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--run:#4493f8;--link:#4493f8}
body[data-jp-theme-light=true] .fd,.vscode-light .fd{--fg:#1f2328;--bg:#ffffff;--mute:#656d76;--bd:#d0d7de;--bg2:#f6f8fa;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--run:#0969da;--link:#0969da}
.fd h3{font-size:14px;margin:4px 0 6px;font-weight:600;color:var(--fg)}.fd h4{font-size:13px;margin:10px 0 4px;font-weight:600;color:var(--mute)}
.fd a{color:var(--link)}.fd code,.fd pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:transparent;color:var(--fg);padding:0}
.fd pre{white-space:pre-wrap;word-break:break-word;margin:0;max-height:24em;overflow:auto;border:0}
.fd table.fd-t{border-collapse:collapse;margin:2px 0;width:auto;table-layout:auto;font-size:13px}
.fd .fd-t th,.fd .fd-t td{border:1px solid var(--bd);padding:2px 8px;text-align:left;vertical-align:top;color:var(--fg);background:transparent;max-width:none;line-height:1.45}
.fd .fd-t th{background:var(--bg2);font-weight:600}.fd .fd-t tr{background:transparent}.fd-note{color:var(--mute);font-style:italic;margin:2px 0}.fd-m{color:var(--mute)}
.fd .fd-b{display:inline-block;padding:0 7px;border-radius:10px;font-size:11px;font-weight:600;border:1px solid currentColor;white-space:nowrap;line-height:1.5}
.fd .fd-ok{color:var(--ok)}.fd .fd-bad{color:var(--bad)}.fd .fd-warn{color:var(--warn)}.fd .fd-run{color:var(--run)}.fd .fd-mute{color:var(--mute)}
.fd-err{border-left:3px solid var(--bad);padding:4px 8px;margin:6px 0;background:var(--bg2)}
.fd .fd-kv td:first-child{color:var(--mute);white-space:nowrap}.fd svg{max-width:none}.fd svg text{fill:var(--fg);font-size:11px}.fd svg .fd-nb{fill:var(--bg)}
.fd ol{margin:0;padding-left:2.2em}.fd li{margin:0}
.fd-bar{height:10px;background:var(--run);border-radius:2px;min-width:1px}.fd .fd-bars td{padding:1px 6px}`;

/**
 * Wraps a body in the styled root element (and the stylesheet).
 *
 * @example
 * ```ts
 * import { wrap } from "./html.ts";
 * wrap("<h3>hi</h3>").startsWith("<div"); // true
 * ```
 */
export function wrap(body: string): string {
  return `<div class="fd"><style>${CSS}</style>${body}</div>`;
}

/**
 * A two-column key/value table; values are HTML, empty ones are left out.
 *
 * @example
 * ```ts
 * import { kv } from "./html.ts";
 * kv([["phase", "<b>ok</b>"]]);
 * ```
 */
export function kv(pairs: [string, string][]): string {
  const rows = pairs.filter(([, v]) => v !== "");
  return `<table class="fd-t fd-kv"><tbody>${
    rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join("")
  }</tbody></table>`;
}
