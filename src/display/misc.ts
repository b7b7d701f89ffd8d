/**
 * Lists (tables of executions, entities, nodes or any values), signals, and
 * metrics span trees (a timeline of bars).
 *
 * @module
 */
import type { Signal } from "@flyteidl/admin/signal_pb.ts";
import type { Span } from "@flyteidl/core/metrics_pb.ts";
import {
  badge,
  dateOf,
  esc,
  formatDate,
  formatDuration,
  link,
  MAX_ITEMS,
  millis,
  type MimeBundle,
  moreNote,
  table,
  wrap,
} from "./html.ts";
import {
  literalHtml,
  literalPlain,
  plainValue,
  typeName,
  valueHtml,
} from "./values.ts";
import { elapsedMs, type ExecutionLike, executionPhase } from "./nodes.ts";

/**
 * A list of executions as a table (name, phase, launched entity, start,
 * duration), each name linking to its console page when `urlOf` gives one.
 *
 * @example
 * ```ts
 * import { renderExecutionList } from "./misc.ts";
 * renderExecutionList([]);
 * ```
 */
export function renderExecutionList(
  items: ExecutionLike[],
  urlOf: (e: ExecutionLike) => string = (e) => e.consoleUrl ?? "",
  now: number = Date.now(),
  max: number = 200,
): MimeBundle {
  const shown = items.slice(0, max);
  const rows = shown.map((e) => {
    const c = e.raw.closure;
    const name = e.raw.id?.name ?? "";
    return [
      link(urlOf(e) || undefined, name),
      badge(executionPhase(e.raw)),
      esc(e.raw.spec?.launchPlan?.name ?? ""),
      esc(formatDate(dateOf(c?.startedAt) ?? dateOf(c?.createdAt))),
      esc(formatDuration(elapsedMs(c, now))),
    ];
  });
  const html =
    `<h3>${items.length.toLocaleString("en-US")} execution${
      items.length === 1 ? "" : "s"
    }</h3>` +
    (rows.length
      ? table(
        ["name", "phase", "launched", "started", "duration"],
        rows,
        max,
        items.length,
      )
      : `<span class="fd-m">none</span>`);
  const lines = shown.slice(0, 50).map((e) =>
    `${(e.raw.id?.name ?? "").padEnd(22)} ${executionPhase(e.raw).padEnd(10)} ${
      e.raw.spec?.launchPlan?.name ?? ""
    }`
  );
  if (items.length > lines.length) {
    lines.push(
      moreNote(items.length - lines.length, "execution", items.length),
    );
  }
  return {
    "text/plain": lines.join("\n") || "no executions",
    "text/html": wrap(html),
  };
}

/**
 * Any list as a table: objects with a Jupyter representation show their
 * text/plain summary, records their fields, anything else its value.
 *
 * @example
 * ```ts
 * import { renderList } from "./misc.ts";
 * renderList([{ a: 1 }, { a: 2 }])["text/plain"]; // "2 items"
 * ```
 */
export function renderList(items: unknown[], title = ""): MimeBundle {
  const sym = Symbol.for("Jupyter.display");
  const shown = items.slice(0, MAX_ITEMS);
  const rows = shown.map((x, i) => {
    const fn = (x as Record<symbol, unknown>)?.[sym];
    if (typeof fn === "function") {
      const b = fn.call(x) as Partial<MimeBundle>;
      return [String(i), `<pre>${esc(b["text/plain"] ?? "")}</pre>`];
    }
    return [String(i), valueHtml(x, 1)];
  });
  const head = `${title ? `${title}: ` : ""}${
    items.length.toLocaleString("en-US")
  } item${items.length === 1 ? "" : "s"}`;
  const html = `<h3>${esc(head)}</h3>${
    table(["#", "value"], rows, MAX_ITEMS, items.length)
  }`;
  return { "text/plain": head, "text/html": wrap(html) };
}

/**
 * Signals (gate inputs) as a table: id, execution, type, value or "waiting".
 *
 * @example
 * ```ts
 * import { renderSignals } from "./misc.ts";
 * renderSignals([]);
 * ```
 */
export function renderSignals(signals: Signal[]): MimeBundle {
  const rows = signals.map((s) => [
    `<code>${esc(s.id?.signalId ?? "")}</code>`,
    esc(s.id?.executionId?.name ?? ""),
    `<code>${esc(typeName(s.type))}</code>`,
    s.value ? literalHtml(s.value, s.type) : badge("WAITING"),
  ]);
  const html = `<h3>Signals</h3>${
    rows.length
      ? table(["signal", "execution", "type", "value"], rows)
      : `<span class="fd-m">none</span>`
  }`;
  const plain =
    signals.map((s) =>
      `signal ${s.id?.signalId ?? ""} (${typeName(s.type)}): ${
        s.value ? literalPlain(s.value, s.type) : "waiting"
      }`
    ).join("\n") || "no signals";
  return { "text/plain": plain, "text/html": wrap(html) };
}

function spanLabel(s: Span): string {
  switch (s.id.case) {
    case "workflowId":
      return s.id.value.name;
    case "nodeId":
      return s.id.value.nodeId;
    case "taskId":
      return `${
        s.id.value.nodeExecutionId?.nodeId ?? ""
      } attempt ${s.id.value.retryAttempt}`;
    case "operationId":
      return s.id.value;
    default:
      return "";
  }
}

/** Most spans drawn in a timeline. */
const MAX_SPANS = 500;

/**
 * A metrics span tree as a timeline: one row per span (indented by depth),
 * a bar placed by its offset from the root's start and sized by duration.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { SpanSchema } from "@flyteidl/core/metrics_pb.ts";
 * import { renderSpans } from "./misc.ts";
 * renderSpans(create(SpanSchema, { id: { case: "operationId", value: "op" } }));
 * ```
 */
export function renderSpans(root: Span): MimeBundle {
  const t0 = millis(root.startTime) ?? 0;
  const total = Math.max(1, (millis(root.endTime) ?? t0) - t0);
  const rows: string[][] = [];
  const lines: string[] = [];
  let count = 0;
  const walk = (s: Span, depth: number) => {
    count++;
    if (rows.length >= MAX_SPANS) return;
    const start = (millis(s.startTime) ?? t0) - t0;
    const dur = Math.max(0, (millis(s.endTime) ?? t0 + start) - t0 - start);
    const left = Math.min(100, (start / total) * 100);
    const width = Math.max(0.3, Math.min(100 - left, (dur / total) * 100));
    const label = spanLabel(s);
    rows.push([
      `<span class="fd-m">${"· ".repeat(depth)}</span>${esc(label)}`,
      esc(s.id.case?.replace("Id", "") ?? ""),
      esc(`+${formatDuration(start) || "0 ms"}`),
      esc(formatDuration(dur) || "0 ms"),
      `<div style="width:320px;position:relative;height:10px"><div class="fd-bar" style="position:absolute;left:${
        left.toFixed(2)
      }%;width:${width.toFixed(2)}%"></div></div>`,
    ]);
    lines.push(
      `${"  ".repeat(depth)}${label} +${formatDuration(start) || "0 ms"} ${
        formatDuration(dur) || "0 ms"
      }`,
    );
    const kids = [...s.spans].sort((a, b) =>
      (millis(a.startTime) ?? 0) - (millis(b.startTime) ?? 0)
    );
    for (const k of kids) walk(k, depth + 1);
  };
  walk(root, 0);
  const html =
    `<h3>Timeline ${esc(spanLabel(root))} <span class="fd-m">${
      esc(formatDuration(total))
    }</span></h3>` +
    `<div class="fd-bars">${
      table(
        ["span", "kind", "offset", "duration", "timeline"],
        rows,
        MAX_SPANS,
        count,
      )
    }</div>`;
  if (count > lines.length) {
    lines.push(moreNote(count - lines.length, "span", count));
  }
  return { "text/plain": lines.join("\n"), "text/html": wrap(html) };
}

/**
 * A plain value as a mime bundle (dataset tables, images, links, ...).
 *
 * @example
 * ```ts
 * import { renderValue } from "./misc.ts";
 * renderValue([{ sku: "a", price: 2 }]);
 * ```
 */
export function renderValue(value: unknown): MimeBundle {
  return {
    "text/plain": plainValue(value, 2000),
    "text/html": wrap(valueHtml(value)),
  };
}

/**
 * A value wrapped for the notebook: the cell shows it richly (dataset
 * tables, inline images, file links) instead of as an object dump.
 *
 * @example
 * ```ts
 * import { show } from "./misc.ts";
 * show([{ sku: "a", price: 2 }]); // as a cell's last expression
 * ```
 */
export function show(value: unknown): { [k: symbol]: () => MimeBundle } {
  return { [Symbol.for("Jupyter.display")]: () => renderValue(value) };
}
