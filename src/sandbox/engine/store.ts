/**
 * The engine's own durable state (`engine.db` in the data dir, node:sqlite):
 * accepted executions, per-node progress (attempt counters, finished
 * outputs), live task processes, and the task cache. It is what lets a
 * restarted engine resume executions instead of leaving them RUNNING.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  IdentifierSchema,
  NodeExecutionIdentifierSchema,
  WorkflowExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import { CompiledWorkflowClosureSchema } from "@flyteidl/core/compiler_pb.ts";
import { ExecutionSpecSchema } from "@flyteidl/admin/execution_pb.ts";
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { LaunchRequest } from "../launcher.ts";

/**
 * The key of an execution in the engine's tables: `project:domain:name`.
 *
 * @example
 * ```ts
 * import { execKey } from "./store.ts";
 * execKey({ project: "p", domain: "d", name: "n" } as never); // "p:d:n"
 * ```
 */
export function execKey(id: WorkflowExecutionIdentifier): string {
  return `${id.project}:${id.domain}:${id.name}`;
}

/**
 * What the engine remembers about one node (keyed by its unique id).
 *
 * @example
 * ```ts
 * import type { NodeRecord } from "./store.ts";
 * const r: NodeRecord = { phase: "running", attempts: 1, systemFailures: 0, startedAt: Date.now(), outputUri: "" , cacheStatus: 0 };
 * ```
 */
export interface NodeRecord {
  /** running, succeeded, failed, skipped or aborted. */
  phase: "running" | "succeeded" | "failed" | "skipped" | "aborted";
  /** Attempts started so far (user + system). */
  attempts: number;
  /** System failures so far. */
  systemFailures: number;
  /** When the node (first) started, ms since epoch. */
  startedAt: number;
  /** The node's output URI once succeeded. */
  outputUri: string;
  /** CatalogCacheStatus of the finished node. */
  cacheStatus: number;
  /** The failure of a failed node (code, message, kind). */
  error?: { code: string; message: string; kind: number };
}

/**
 * A cached task output set.
 *
 * @example
 * ```ts
 * import type { CacheEntry } from "./store.ts";
 * const e: CacheEntry = { outputs: new Uint8Array(), createdAt: 0, sourceExecution: "p:d:n", sourceNode: "n0", sourceAttempt: 0 };
 * ```
 */
export interface CacheEntry {
  /** Serialized core.LiteralMap. */
  outputs: Uint8Array;
  /** When written, ms since epoch. */
  createdAt: number;
  /** The execution that produced it (`project:domain:name`). */
  sourceExecution: string;
  /** Node unique id that produced it. */
  sourceNode: string;
  /** Attempt that produced it. */
  sourceAttempt: number;
}

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
function unb64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function bytesToB64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * Serializes a launch request to JSON text (protobuf fields as base64).
 *
 * @example
 * ```ts
 * import { encodeRequest, decodeRequest } from "./store.ts";
 * // decodeRequest(encodeRequest(request)) restores an equal request.
 * console.log(typeof encodeRequest); // "function"
 * ```
 */
export function encodeRequest(r: LaunchRequest): string {
  return JSON.stringify({
    id: b64(toBinary(WorkflowExecutionIdentifierSchema, r.id)),
    closure: bytesToB64(toBinary(CompiledWorkflowClosureSchema, r.closure)),
    launchPlanId: r.launchPlanId
      ? b64(toBinary(IdentifierSchema, r.launchPlanId))
      : undefined,
    spec: bytesToB64(toBinary(ExecutionSpecSchema, r.spec)),
    inputsUri: r.inputsUri,
    metadataPrefix: r.metadataPrefix,
    rawOutputPrefix: r.rawOutputPrefix,
    parentNodeExecution: r.parentNodeExecution
      ? b64(toBinary(NodeExecutionIdentifierSchema, r.parentNodeExecution))
      : undefined,
  });
}

/**
 * Restores a launch request serialized by {@link encodeRequest}.
 *
 * @example
 * ```ts
 * import { decodeRequest } from "./store.ts";
 * console.log(typeof decodeRequest); // "function"
 * ```
 */
export function decodeRequest(text: string): LaunchRequest {
  const j = JSON.parse(text);
  return {
    id: fromBinary(WorkflowExecutionIdentifierSchema, unb64(j.id)),
    closure: fromBinary(CompiledWorkflowClosureSchema, unb64(j.closure)),
    launchPlanId: j.launchPlanId
      ? fromBinary(IdentifierSchema, unb64(j.launchPlanId))
      : undefined,
    spec: fromBinary(ExecutionSpecSchema, unb64(j.spec)),
    inputsUri: j.inputsUri,
    metadataPrefix: j.metadataPrefix,
    rawOutputPrefix: j.rawOutputPrefix,
    parentNodeExecution: j.parentNodeExecution
      ? fromBinary(NodeExecutionIdentifierSchema, unb64(j.parentNodeExecution))
      : undefined,
  };
}

/**
 * The engine's SQLite store.
 *
 * @example
 * ```ts
 * import { EngineStore } from "./store.ts";
 * const s = new EngineStore(":memory:");
 * s.pendingExecutions().length; // 0
 * s.close();
 * ```
 */
export class EngineStore {
  #db: DatabaseSync;
  // One compiled statement per SQL text: preparing one per call leaves its
  // native memory to the garbage collector, which V8 does not see, so a busy
  // sandbox grew by megabytes per hundred executions.
  readonly #statements = new Map<string, StatementSync>();

  #prepare(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** Opens (creating) the database at `path` (`:memory:` allowed). */
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS executions (
        key TEXT PRIMARY KEY, request TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,
        terminate_cause TEXT, created_at REAL NOT NULL);
      CREATE TABLE IF NOT EXISTS nodes (
        exec_key TEXT NOT NULL, unique_id TEXT NOT NULL, phase TEXT NOT NULL,
        attempts INTEGER NOT NULL, system_failures INTEGER NOT NULL,
        started_at REAL NOT NULL, output_uri TEXT NOT NULL DEFAULT '',
        cache_status INTEGER NOT NULL DEFAULT 0, error TEXT,
        PRIMARY KEY (exec_key, unique_id));
      CREATE TABLE IF NOT EXISTS processes (
        exec_key TEXT NOT NULL, unique_id TEXT NOT NULL, attempt INTEGER NOT NULL,
        pid INTEGER NOT NULL, started_at REAL NOT NULL,
        PRIMARY KEY (exec_key, unique_id, attempt));
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS schedules (
        key TEXT PRIMARY KEY, last_tick REAL NOT NULL);
      CREATE TABLE IF NOT EXISTS cache (
        dataset TEXT NOT NULL, tag TEXT NOT NULL, outputs BLOB NOT NULL,
        created_at REAL NOT NULL, source_execution TEXT NOT NULL,
        source_node TEXT NOT NULL, source_attempt INTEGER NOT NULL,
        PRIMARY KEY (dataset, tag));
    `);
  }

  /** Records an accepted execution; false when it was already known. */
  addExecution(r: LaunchRequest): boolean {
    const res = this.#prepare(
      "INSERT OR IGNORE INTO executions (key, request, created_at) VALUES (?, ?, ?)",
    ).run(execKey(r.id), encodeRequest(r), Date.now());
    return Number(res.changes) > 0;
  }

  /** Marks an execution finished (no resume after restart). */
  finishExecution(key: string): void {
    this.#prepare("UPDATE executions SET done = 1 WHERE key = ?").run(key);
    this.#prepare("DELETE FROM processes WHERE exec_key = ?").run(key);
  }

  /** Remembers that an execution was asked to terminate. */
  setTerminateCause(key: string, cause: string): void {
    this.#prepare("UPDATE executions SET terminate_cause = ? WHERE key = ?")
      .run(cause, key);
  }

  /** The terminate cause, if termination was requested. */
  terminateCause(key: string): string | undefined {
    const row = this.#prepare(
      "SELECT terminate_cause FROM executions WHERE key = ?",
    ).get(key) as { terminate_cause: string | null } | undefined;
    return row?.terminate_cause ?? undefined;
  }

  /** Whether an execution was ever accepted by this engine. */
  isKnown(key: string): boolean {
    return this.#prepare("SELECT 1 FROM executions WHERE key = ?").get(
      key,
    ) !==
      undefined;
  }

  /** Whether an execution is known and not finished. */
  isActive(key: string): boolean {
    const row = this.#prepare("SELECT done FROM executions WHERE key = ?")
      .get(key) as { done: number } | undefined;
    return row !== undefined && row.done === 0;
  }

  /** Executions accepted but not finished, oldest first. */
  pendingExecutions(): LaunchRequest[] {
    const rows = this.#prepare(
      "SELECT request FROM executions WHERE done = 0 ORDER BY created_at",
    ).all() as Array<{ request: string }>;
    return rows.map((r) => decodeRequest(r.request));
  }

  /** The stored record of a node, if any. */
  node(key: string, uniqueId: string): NodeRecord | undefined {
    const row = this.#prepare(
      "SELECT * FROM nodes WHERE exec_key = ? AND unique_id = ?",
    ).get(key, uniqueId) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      phase: row.phase as NodeRecord["phase"],
      attempts: Number(row.attempts),
      systemFailures: Number(row.system_failures),
      startedAt: Number(row.started_at),
      outputUri: String(row.output_uri),
      cacheStatus: Number(row.cache_status),
      error: row.error ? JSON.parse(String(row.error)) : undefined,
    };
  }

  /** Writes a node record. */
  putNode(key: string, uniqueId: string, r: NodeRecord): void {
    this.#prepare(
      `INSERT INTO nodes (exec_key, unique_id, phase, attempts, system_failures, started_at, output_uri, cache_status, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (exec_key, unique_id) DO UPDATE SET phase = excluded.phase,
         attempts = excluded.attempts, system_failures = excluded.system_failures,
         started_at = excluded.started_at, output_uri = excluded.output_uri,
         cache_status = excluded.cache_status, error = excluded.error`,
    ).run(
      key,
      uniqueId,
      r.phase,
      r.attempts,
      r.systemFailures,
      r.startedAt,
      r.outputUri,
      r.cacheStatus,
      r.error ? JSON.stringify(r.error) : null,
    );
  }

  /** Registers a live task process. */
  addProcess(key: string, uniqueId: string, attempt: number, pid: number) {
    this.#prepare(
      "INSERT OR REPLACE INTO processes VALUES (?, ?, ?, ?, ?)",
    ).run(key, uniqueId, attempt, pid, Date.now());
  }

  /** Forgets a task process. */
  removeProcess(key: string, uniqueId: string, attempt: number) {
    this.#prepare(
      "DELETE FROM processes WHERE exec_key = ? AND unique_id = ? AND attempt = ?",
    ).run(key, uniqueId, attempt);
  }

  /** All processes recorded as live (for cleanup after a crash). */
  processes(): Array<
    { key: string; uniqueId: string; attempt: number; pid: number }
  > {
    return (this.#prepare("SELECT * FROM processes").all() as Array<
      Record<string, unknown>
    >).map((r) => ({
      key: String(r.exec_key),
      uniqueId: String(r.unique_id),
      attempt: Number(r.attempt),
      pid: Number(r.pid),
    }));
  }

  /** Drops every process record. */
  clearProcesses(): void {
    this.#db.exec("DELETE FROM processes");
  }

  /** Looks up a cache entry. */
  cacheGet(dataset: string, tag: string): CacheEntry | undefined {
    const row = this.#prepare(
      "SELECT * FROM cache WHERE dataset = ? AND tag = ?",
    ).get(dataset, tag) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      outputs: new Uint8Array(row.outputs as Uint8Array),
      createdAt: Number(row.created_at),
      sourceExecution: String(row.source_execution),
      sourceNode: String(row.source_node),
      sourceAttempt: Number(row.source_attempt),
    };
  }

  /** Writes (or overwrites) a cache entry. */
  cachePut(dataset: string, tag: string, e: CacheEntry): void {
    this.#prepare(
      "INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      dataset,
      tag,
      e.outputs,
      e.createdAt,
      e.sourceExecution,
      e.sourceNode,
      e.sourceAttempt,
    );
  }

  /** A small engine setting kept across restarts. */
  meta(key: string): string | undefined {
    const row = this.#prepare("SELECT value FROM meta WHERE key = ?").get(
      key,
    ) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  /** Stores a small engine setting. */
  setMeta(key: string, value: string): void {
    this.#prepare("INSERT OR REPLACE INTO meta VALUES (?, ?)").run(
      key,
      value,
    );
  }

  /** The last tick fired for a scheduled launch plan. */
  lastTick(key: string): number | undefined {
    const row = this.#prepare(
      "SELECT last_tick FROM schedules WHERE key = ?",
    )
      .get(key) as { last_tick: number } | undefined;
    return row ? Number(row.last_tick) : undefined;
  }

  /** Records the last tick fired for a scheduled launch plan. */
  setLastTick(key: string, ms: number): void {
    this.#prepare("INSERT OR REPLACE INTO schedules VALUES (?, ?)").run(
      key,
      ms,
    );
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }
}
