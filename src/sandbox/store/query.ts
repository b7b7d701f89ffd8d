/**
 * FlyteAdmin list queries on SQLite: the `filters` expression
 * (`eq(key,value)+value_in(key,a;b)` with eq, ne, gt, gte, lt, lte, contains,
 * value_in), `sort_by`, `limit` and the offset `token`.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import { Code, ConnectError } from "@connectrpc/connect";

/** How one filterable key maps to a column. */
export interface ColumnSpec {
  /** SQL column name. */
  col: string;
  /** text, integer, timestamp (ISO text), real, or enum (stored as its number; names accepted). */
  kind: "text" | "int" | "time" | "real" | "enum" | "bool";
  /** For enums: the TypeScript enum object (name -> number). */
  values?: Record<string, string | number>;
}

/** The filterable/sortable keys of one table. */
export type Columns = Record<string, ColumnSpec>;

const OPS: Record<string, string> = {
  eq: "=",
  ne: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
};

function bad(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

function convert(spec: ColumnSpec, key: string, raw: string): SQLInputValue {
  switch (spec.kind) {
    case "text":
      return raw;
    case "int": {
      if (!/^-?\d+$/.test(raw)) {
        throw bad(`invalid filter value [${raw}] for [${key}]: not an integer`);
      }
      return Number(raw);
    }
    case "real": {
      const n = Number(raw.replace(/s$/, ""));
      if (!Number.isFinite(n)) {
        throw bad(`invalid filter value [${raw}] for [${key}]: not a number`);
      }
      return n;
    }
    case "bool":
      if (raw !== "true" && raw !== "false") {
        throw bad(`invalid filter value [${raw}] for [${key}]: not a boolean`);
      }
      return raw === "true" ? 1 : 0;
    case "time": {
      const d = new Date(raw);
      if (Number.isNaN(d.getTime())) {
        throw bad(
          `invalid filter value [${raw}] for [${key}]: not a timestamp`,
        );
      }
      return d.toISOString();
    }
    case "enum": {
      if (/^-?\d+$/.test(raw)) return Number(raw);
      const v = spec.values?.[raw.toUpperCase()];
      if (typeof v !== "number") {
        throw bad(`invalid filter value [${raw}] for [${key}]`);
      }
      return v;
    }
  }
}

function lookup(columns: Columns, key: string, entity: string): ColumnSpec {
  const k = key.startsWith(`${entity}.`) ? key.slice(entity.length + 1) : key;
  const spec = columns[k] ?? columns[key];
  if (!spec) {
    throw bad(
      `invalid filter key [${key}]: expected one of ${
        Object.keys(columns).join(", ")
      }`,
    );
  }
  return spec;
}

/** A SQL WHERE fragment with its parameters. */
export interface Where {
  /** SQL text ("" when no condition). */
  sql: string;
  /** Bound parameters. */
  params: SQLInputValue[];
}

/**
 * Parses a FlyteAdmin `filters` string into SQL conditions.
 *
 * @example
 * ```ts
 * import { parseFilters } from "./query.ts";
 * const w = parseFilters("eq(name,x)+value_in(phase,1;2)", {
 *   name: { col: "name", kind: "text" },
 *   phase: { col: "phase", kind: "int" },
 * }, "execution");
 * console.log(w.sql); // (name = ?) AND (phase IN (?,?))
 * ```
 */
export function parseFilters(
  filters: string,
  columns: Columns,
  entity: string,
): Where {
  const out: Where = { sql: "", params: [] };
  const text = filters.trim();
  if (!text) return out;
  const parts: string[] = [];
  const re = /([a-z_]+)\(([^,()]+),([^)]*)\)(\+|$)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      throw bad(
        `invalid filters [${filters}]: expected fn(key,value) joined by '+' at offset ${pos}`,
      );
    }
    pos = re.lastIndex;
    const [, fn, rawKey, value] = m;
    const key = rawKey.trim();
    const spec = lookup(columns, key, entity);
    if (fn in OPS) {
      parts.push(`${spec.col} ${OPS[fn]} ?`);
      out.params.push(convert(spec, key, value));
    } else if (fn === "contains") {
      parts.push(`instr(${spec.col}, ?) > 0`);
      out.params.push(value);
    } else if (fn === "value_in") {
      const vals = value.split(";").filter((v) => v !== "");
      if (vals.length === 0) {
        throw bad(`invalid filters [${filters}]: value_in needs values`);
      }
      parts.push(`${spec.col} IN (${vals.map(() => "?").join(",")})`);
      for (const v of vals) out.params.push(convert(spec, key, v));
    } else {
      throw bad(
        `invalid filter function [${fn}]: expected eq, ne, gt, gte, lt, lte, contains or value_in`,
      );
    }
  }
  out.sql = parts.map((p) => `(${p})`).join(" AND ");
  return out;
}

/** The paging/sorting part of a list request. */
export interface ListParams {
  /** Page size; must be > 0. */
  limit: number;
  /** Offset token from the previous page ("" for the first). */
  token: string;
  /** FlyteAdmin filters expression. */
  filters: string;
  /** Sort key (snake_case) and direction (0 DESCENDING, 1 ASCENDING). */
  sortBy?: { key: string; direction: number };
}

/**
 * Builds and runs a paged list query; returns rows and the next token
 * (set when the page is full, as FlyteAdmin does).
 *
 * @example
 * ```ts
 * import { buildList } from "./query.ts";
 * const q = buildList("tasks", ["project = ?"], ["p"], { limit: 10, token: "", filters: "" },
 *   { created_at: { col: "created_at", kind: "time" } }, "task", "created_at");
 * console.log(q.sql);
 * ```
 */
export function buildList(
  table: string,
  baseWhere: string[],
  baseParams: SQLInputValue[],
  p: ListParams,
  columns: Columns,
  entity: string,
  defaultSort: string,
  select = "data",
  tiebreak = "rowid",
): { sql: string; params: SQLInputValue[]; offset: number; limit: number } {
  if (!(p.limit > 0)) throw bad("invalid value for limit: must be > 0");
  let offset = 0;
  if (p.token) {
    if (!/^\d+$/.test(p.token)) {
      throw bad(`invalid pagination token [${p.token}]`);
    }
    offset = Number(p.token);
  }
  const f = parseFilters(p.filters, columns, entity);
  const where = [...baseWhere];
  if (f.sql) where.push(f.sql);
  let order = `${defaultSort} DESC`;
  if (p.sortBy && p.sortBy.key) {
    const spec = lookup(columns, p.sortBy.key, entity);
    order = `${spec.col} ${p.sortBy.direction === 1 ? "ASC" : "DESC"}`;
  }
  const sql = `SELECT ${select} FROM ${table}${
    where.length ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY ${order}, ${tiebreak} ASC LIMIT ? OFFSET ?`;
  return {
    sql,
    params: [...baseParams, ...f.params, p.limit, offset],
    offset,
    limit: p.limit,
  };
}

/**
 * The next-page token: set when a full page came back.
 *
 * @example
 * ```ts
 * import { nextToken } from "./query.ts";
 * console.log(nextToken(0, 10, 10)); // "10"
 * ```
 */
export function nextToken(offset: number, limit: number, got: number): string {
  return got === limit ? String(offset + limit) : "";
}
