/**
 * Values and literals as HTML and short text: strings escaped and cut,
 * lists and maps capped with a note, arrays of records as a dataset table
 * (first rows and column types), files and directories as links, images
 * (PNG, JPEG, GIF, WebP bytes) inline, structured datasets as their URI,
 * format and column types.
 *
 * @module
 */
import type { Literal, LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import type { Variable } from "@flyteidl/core/interface_pb.ts";
import {
  FlyteDirectory,
  FlyteErrorValue,
  FlyteFile,
  fromLiteral,
  StructuredDataset,
} from "../types/mod.ts";
import { esc, link, MAX_ITEMS, moreNote, table, truncate } from "./html.ts";

/** Most rows of a dataset table. */
const MAX_ROWS = 20;
/** Largest image inlined (bytes). */
const MAX_IMAGE = 2 * 1024 * 1024;
const MAX_DEPTH = 4;

function note(s: string): string {
  return `<div class="fd-note">${esc(s)}</div>`;
}

/** A blob URI as a link target: bare local paths become file:// URLs. */
function href(uri: string): string {
  return uri.startsWith("/") ? `file://${encodeURI(uri)}` : uri;
}

function stringHtml(s: string): string {
  const { text, cut } = truncate(s);
  const body = text.includes("\n") || text.length > 80
    ? `<pre>${esc(text)}</pre>`
    : `<code>${esc(text)}</code>`;
  return cut
    ? body +
      note(
        `… ${cut.toLocaleString("en-US")} more characters (${
          s.length.toLocaleString("en-US")
        } in all)`,
      )
    : body;
}

function imageMime(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return "image/png";
  }
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "image/gif";
  if (
    b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[8] === 0x57 &&
    b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50
  ) return "image/webp";
  return undefined;
}

function base64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function columnType(values: unknown[]): string {
  const kinds = new Set<string>();
  for (const v of values) {
    if (v === null || v === undefined) continue;
    kinds.add(
      v instanceof Date ? "datetime" : Array.isArray(v) ? "list" : typeof v,
    );
  }
  return kinds.size === 0 ? "null" : [...kinds].join(" | ");
}

/**
 * An array of records as a dataset table: the first rows, every column with
 * its type (from `columns`, else read from the values).
 *
 * @example
 * ```ts
 * import { datasetHtml } from "./values.ts";
 * datasetHtml([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
 * ```
 */
export function datasetHtml(
  rows: Record<string, unknown>[],
  columns?: { name: string; type: string }[],
  total?: number,
): string {
  const names = columns?.map((c) => c.name) ?? [
    ...new Set(rows.slice(0, MAX_ROWS).flatMap((r) => Object.keys(r))),
  ];
  const shown = rows.slice(0, MAX_ROWS);
  const types = columns?.map((c) => c.type) ??
    names.map((n) => columnType(shown.map((r) => r[n])));
  const head = names.map((n, i) => `${n}: ${types[i]}`);
  const body = shown.map((r) =>
    names.map((n) => valueHtml(r[n], MAX_DEPTH - 1))
  );
  return table(head, body, MAX_ROWS, total ?? rows.length);
}

function isRecordArray(v: unknown[]): v is Record<string, unknown>[] {
  return v.length > 0 && isPlainObject(v[0]) &&
    isPlainObject(v[Math.min(v.length - 1, 5)]);
}

/**
 * A plain value (what `fromLiteral` returns) as HTML.
 *
 * @example
 * ```ts
 * import { valueHtml } from "./values.ts";
 * valueHtml("<b>"); // "<code>&lt;b&gt;</code>"
 * ```
 */
export function valueHtml(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return `<span class="fd-m">None</span>`;
  if (typeof v === "string") return stringHtml(v);
  if (
    typeof v === "number" || typeof v === "bigint" || typeof v === "boolean"
  ) {
    return `<code>${esc(String(v))}</code>`;
  }
  if (v instanceof Date) {
    return `<code>${
      esc(Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString())
    }</code>`;
  }
  if (v instanceof FlyteFile) {
    return `file ${link(href(v.uri), v.uri)}${
      v.format ? ` <span class="fd-m">(${esc(v.format)})</span>` : ""
    }`;
  }
  if (v instanceof FlyteDirectory) {
    return `directory ${link(href(v.uri), v.uri)}`;
  }
  if (v instanceof StructuredDataset) {
    return `dataset ${link(href(v.uri), v.uri)}${
      v.format ? ` <span class="fd-m">(${esc(v.format)})</span>` : ""
    }`;
  }
  if (v instanceof FlyteErrorValue) {
    return `<div class="fd-err">error in ${esc(v.failedNodeId)}: ${
      stringHtml(v.message)
    }</div>`;
  }
  if (v instanceof Uint8Array) {
    const mime = imageMime(v);
    if (mime && v.length <= MAX_IMAGE) {
      return `<img alt="image" style="max-width:480px;max-height:360px" src="data:${mime};base64,${
        base64(v)
      }">`;
    }
    return `<span class="fd-m">${v.length.toLocaleString("en-US")} bytes${
      mime ? ` (${mime}, too large to inline)` : ""
    }</span>`;
  }
  if (depth >= MAX_DEPTH) {
    return `<code>${esc(truncate(plainValue(v), 200).text)}</code>`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return `<code>[]</code>`;
    if (isRecordArray(v)) {
      return datasetHtml(v.slice(0, MAX_ROWS), undefined, v.length);
    }
    const shown = v.slice(0, MAX_ITEMS);
    let out = `<ol start="0" style="margin:0;padding-left:2.2em">${
      shown.map((x) => `<li>${valueHtml(x, depth + 1)}</li>`).join("")
    }</ol>`;
    if (v.length > MAX_ITEMS) {
      out += note(moreNote(v.length - MAX_ITEMS, "item", v.length));
    }
    return out;
  }
  if (v instanceof Map) {
    return entriesHtml([...v.entries()].map(([k, x]) => [String(k), x]), depth);
  }
  if (typeof v === "object") {
    return entriesHtml(Object.entries(v as object), depth);
  }
  return `<code>${esc(String(v))}</code>`;
}

function entriesHtml(entries: [string, unknown][], depth: number): string {
  if (entries.length === 0) return `<code>{}</code>`;
  return table(
    ["key", "value"],
    entries.slice(0, MAX_ITEMS).map((
      [k, x],
    ) => [
      `<code>${esc(truncate(k, 200).text)}</code>`,
      valueHtml(x, depth + 1),
    ]),
    MAX_ITEMS,
    entries.length,
  );
}

/**
 * A plain value as one short line of text (at most ~200 characters).
 *
 * @example
 * ```ts
 * import { plainValue } from "./values.ts";
 * plainValue([1, 2, 3]); // "[1, 2, 3]"
 * ```
 */
export function plainValue(v: unknown, max = 200): string {
  const s = plain(v, 0);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function plain(v: unknown, depth: number): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") {
    return JSON.stringify(v.length > 300 ? v.slice(0, 300) : v);
  }
  if (typeof v !== "object") return String(v);
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  }
  if (
    v instanceof FlyteFile || v instanceof FlyteDirectory ||
    v instanceof StructuredDataset
  ) return v.uri;
  if (v instanceof FlyteErrorValue) {
    return `error(${v.failedNodeId}: ${v.message.slice(0, 100)})`;
  }
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (depth > 2) return "…";
  if (Array.isArray(v)) {
    const items = v.slice(0, 10).map((x) => plain(x, depth + 1));
    if (v.length > 10) items.push(`… ${v.length - 10} more`);
    return `[${items.join(", ")}]`;
  }
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  const items = entries.slice(0, 10).map(([k, x]) =>
    `${String(k)}: ${plain(x, depth + 1)}`
  );
  if (entries.length > 10) items.push(`… ${entries.length - 10} more`);
  return `{${items.join(", ")}}`;
}

function columnsOf(
  type: LiteralType | undefined,
): { name: string; type: string }[] | undefined {
  if (type?.type.case !== "structuredDatasetType") return undefined;
  const cols = type.type.value.columns;
  return cols.length
    ? cols.map((c) => ({ name: c.name, type: typeName(c.literalType) }))
    : undefined;
}

/**
 * A LiteralType as a short name (`int`, `list[str]`, `dict[str, float]`,
 * `file`, `dataset(csv)`, `record Row`, ...).
 *
 * @example
 * ```ts
 * import { typeName } from "./values.ts";
 * typeName(undefined); // "?"
 * ```
 */
export function typeName(t: LiteralType | undefined): string {
  const c = t?.type;
  switch (c?.case) {
    case "simple":
      return [
        "none",
        "int",
        "float",
        "str",
        "bool",
        "datetime",
        "duration",
        "binary",
        "error",
        "struct",
      ][c.value] ?? "?";
    case "collectionType":
      return `list[${typeName(c.value)}]`;
    case "mapValueType":
      return `dict[str, ${typeName(c.value)}]`;
    case "blob":
      return c.value.dimensionality === 1
        ? "directory"
        : `file${c.value.format ? `(${c.value.format})` : ""}`;
    case "structuredDatasetType":
      return `dataset${c.value.format ? `(${c.value.format})` : ""}`;
    case "enumType":
      return `enum(${c.value.values.join("|")})`;
    case "unionType":
      return c.value.variants.map(typeName).join(" | ");
    case "schema":
      return "schema";
    default: {
      const title = (t?.metadata as {
        fields?: Record<
          string,
          { kind?: { case?: string; value?: unknown } }
        >;
      } | undefined)
        ?.fields?.title?.kind?.value;
      return typeof title === "string" ? `record ${title}` : "?";
    }
  }
}

/**
 * One literal as HTML: collections and maps are capped before anything is
 * decoded (a 10,000-element list renders its first items and a note).
 *
 * @example
 * ```ts
 * import { literalHtml } from "./values.ts";
 * import { toLiteral } from "../types/mod.ts";
 * literalHtml(toLiteral([1, 2, 3]));
 * ```
 */
export function literalHtml(
  lit: Literal,
  type?: LiteralType,
  depth = 0,
): string {
  const v = lit.value;
  if (v.case === "collection") {
    const items = v.value.literals;
    const inner = type?.type.case === "collectionType"
      ? type.type.value
      : undefined;
    const shown = items.slice(0, MAX_ROWS + 1);
    try {
      const first = shown.length && shown[0].value.case === "scalar"
        ? fromLiteral(shown[0], inner)
        : undefined;
      if (isPlainObject(first)) {
        const rows = shown.slice(0, MAX_ROWS).map((l) =>
          fromLiteral(l, inner) as Record<string, unknown>
        );
        return datasetHtml(rows, undefined, items.length);
      }
    } catch { /* rendered item by item below */ }
    if (items.length === 0) return `<code>[]</code>`;
    let out = `<ol start="0" style="margin:0;padding-left:2.2em">${
      items.slice(0, MAX_ITEMS).map((l) =>
        `<li>${literalHtml(l, inner, depth + 1)}</li>`
      ).join("")
    }</ol>`;
    if (items.length > MAX_ITEMS) {
      out += note(moreNote(items.length - MAX_ITEMS, "item", items.length));
    }
    return out;
  }
  if (v.case === "map") {
    const inner = type?.type.case === "mapValueType"
      ? type.type.value
      : undefined;
    const entries = Object.entries(v.value.literals);
    return table(
      ["key", "value"],
      entries.slice(0, MAX_ITEMS).map(([k, l]) => [
        `<code>${esc(truncate(k, 200).text)}</code>`,
        literalHtml(l, inner, depth + 1),
      ]),
      MAX_ITEMS,
      entries.length,
    );
  }
  if (v.case === "scalar" && v.value.value.case === "structuredDataset") {
    const sd = v.value.value.value;
    const sdType = sd.metadata?.structuredDatasetType;
    const fmt = sdType?.format;
    const cols = sdType?.columns.length
      ? sdType.columns.map((c) => ({
        name: c.name,
        type: typeName(c.literalType),
      }))
      : columnsOf(type);
    return `dataset ${link(href(sd.uri), sd.uri)}${
      fmt ? ` <span class="fd-m">(${esc(fmt)})</span>` : ""
    }${
      cols
        ? table(
          ["column", "type"],
          cols.map((c) => [esc(c.name), `<code>${esc(c.type)}</code>`]),
        )
        : ""
    }`;
  }
  try {
    return valueHtml(fromLiteral(lit, type), depth);
  } catch (e) {
    return `<span class="fd-m">${esc(lit.value.case ?? "empty")} literal (${
      esc(truncate((e as Error).message, 200).text)
    })</span>`;
  }
}

/**
 * One literal as one short line of text.
 *
 * @example
 * ```ts
 * import { literalPlain } from "./values.ts";
 * import { toLiteral } from "../types/mod.ts";
 * literalPlain(toLiteral(3)); // "3"
 * ```
 */
export function literalPlain(lit: Literal, type?: LiteralType): string {
  if (lit.value.case === "collection" && lit.value.value.literals.length > 10) {
    const items = lit.value.value.literals;
    const inner = type?.type.case === "collectionType"
      ? type.type.value
      : undefined;
    const head = items.slice(0, 10).map((l) => plainValue(safe(l, inner), 16))
      .join(", ");
    return `[${head}, … ${items.length - 10} more]`;
  }
  return plainValue(safe(lit, type));
}

function safe(lit: Literal, type?: LiteralType): unknown {
  try {
    return fromLiteral(lit, type);
  } catch {
    return `<${lit.value.case ?? "empty"} literal>`;
  }
}

/**
 * A LiteralMap as a name / type / value table (types from the variables,
 * when given).
 *
 * @example
 * ```ts
 * import { literalMapHtml } from "./values.ts";
 * import { t, toLiteralMap } from "../types/mod.ts";
 * literalMapHtml(toLiteralMap({ n: 1 }, { n: t.int }));
 * ```
 */
export function literalMapHtml(
  map: LiteralMap | undefined,
  vars?: Record<string, Variable>,
): string {
  const entries = Object.entries(map?.literals ?? {});
  if (entries.length === 0) return `<span class="fd-m">none</span>`;
  return table(
    ["name", "type", "value"],
    entries.map(([k, l]) => [
      `<code>${esc(k)}</code>`,
      `<span class="fd-m">${esc(typeName(vars?.[k]?.type))}</span>`,
      literalHtml(l, vars?.[k]?.type),
    ]),
    MAX_ITEMS,
  );
}

/**
 * A LiteralMap as `name=value` pairs on one line.
 *
 * @example
 * ```ts
 * import { literalMapPlain } from "./values.ts";
 * import { t, toLiteralMap } from "../types/mod.ts";
 * literalMapPlain(toLiteralMap({ n: 1 }, { n: t.int })); // "n=1"
 * ```
 */
export function literalMapPlain(
  map: LiteralMap | undefined,
  vars?: Record<string, Variable>,
): string {
  const entries = Object.entries(map?.literals ?? {});
  const s = entries.slice(0, 20).map(([k, l]) =>
    `${k}=${literalPlain(l, vars?.[k]?.type)}`
  ).join(", ");
  return entries.length > 20 ? `${s}, … ${entries.length - 20} more` : s;
}
