/**
 * The sandbox's SQLite database (`node:sqlite`, WAL mode): schema, the
 * transaction helper and small typed row accessors. Every admin entity is
 * stored as its binary flyteidl message plus the columns that filters,
 * sorting and paging need.
 *
 * @module
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

/** A row as returned by node:sqlite. */
export type Row = Record<string, SQLInputValue>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, state INTEGER NOT NULL,
  created_at TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  project TEXT NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
  created_at TEXT NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (project, domain, name, version));
CREATE TABLE IF NOT EXISTS workflows (
  project TEXT NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
  created_at TEXT NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (project, domain, name, version));
CREATE TABLE IF NOT EXISTS launch_plans (
  project TEXT NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, digest TEXT NOT NULL,
  state INTEGER NOT NULL, workflow_name TEXT NOT NULL, schedule_type TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (project, domain, name, version));
CREATE TABLE IF NOT EXISTS named_entities (
  resource_type INTEGER NOT NULL, project TEXT NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL,
  state INTEGER NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (resource_type, project, domain, name));
CREATE TABLE IF NOT EXISTS executions (
  project TEXT NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL,
  phase INTEGER NOT NULL, mode INTEGER NOT NULL, state INTEGER NOT NULL,
  workflow_name TEXT NOT NULL, workflow_version TEXT NOT NULL,
  launch_plan_name TEXT NOT NULL, launch_plan_version TEXT NOT NULL,
  task_name TEXT NOT NULL, user TEXT NOT NULL, error_kind TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT NOT NULL,
  duration REAL NOT NULL, inputs_uri TEXT NOT NULL, user_inputs_uri TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (project, domain, name));
CREATE INDEX IF NOT EXISTS executions_created ON executions (project, domain, created_at);
CREATE TABLE IF NOT EXISTS node_executions (
  project TEXT NOT NULL, domain TEXT NOT NULL, exec_name TEXT NOT NULL, node_id TEXT NOT NULL,
  parent_id TEXT NOT NULL, phase INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT NOT NULL,
  duration REAL NOT NULL, data BLOB NOT NULL, dynamic BLOB,
  PRIMARY KEY (project, domain, exec_name, node_id));
CREATE TABLE IF NOT EXISTS task_executions (
  project TEXT NOT NULL, domain TEXT NOT NULL, exec_name TEXT NOT NULL, node_id TEXT NOT NULL,
  task_project TEXT NOT NULL, task_domain TEXT NOT NULL, task_name TEXT NOT NULL,
  task_version TEXT NOT NULL, retry_attempt INTEGER NOT NULL, phase INTEGER NOT NULL,
  phase_version INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT NOT NULL,
  duration REAL NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (project, domain, exec_name, node_id, task_project, task_domain, task_name,
    task_version, retry_attempt));
CREATE TABLE IF NOT EXISTS signals (
  project TEXT NOT NULL, domain TEXT NOT NULL, exec_name TEXT NOT NULL, signal_id TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (project, domain, exec_name, signal_id));
`;

/**
 * An open sandbox database. One instance per process; node:sqlite is
 * synchronous, so a transaction never interleaves with another request.
 *
 * @example
 * ```ts
 * import { SandboxDb } from "./db.ts";
 * const db = SandboxDb.open(":memory:");
 * db.tx(() => db.run("INSERT INTO signals VALUES (?,?,?,?,?,?,?)", "p", "d", "e", "s", "", "", new Uint8Array()));
 * db.close();
 * ```
 */
export class SandboxDb {
  readonly #db: DatabaseSync;
  #depth = 0;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Opens (creating if needed) the database at `path`, in WAL mode. */
  static open(path: string): SandboxDb {
    const db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec(SCHEMA);
    return new SandboxDb(db);
  }

  /** Runs `fn` in one transaction: committed if it returns, rolled back if it throws. */
  tx<T>(fn: () => T): T {
    if (this.#depth > 0) return fn();
    this.#db.exec("BEGIN IMMEDIATE");
    this.#depth++;
    try {
      const out = fn();
      this.#db.exec("COMMIT");
      return out;
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    } finally {
      this.#depth--;
    }
  }

  /** Executes a statement; returns the number of changed rows. */
  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.#prepare(sql).run(...params).changes);
  }

  /** First row or undefined. */
  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#prepare(sql).get(...params) as Row | undefined;
  }

  /** All rows. */
  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#prepare(sql).all(...params) as Row[];
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }

  readonly #cache = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  #prepare(sql: string) {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }
}
