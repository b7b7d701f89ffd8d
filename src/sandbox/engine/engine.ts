/**
 * The engine: propeller's role in the sandbox. Implements
 * {@link ExecutionLauncher}; runs each accepted execution in its own loop
 * ({@link Run}), keeps durable state in `<dataDir>/engine.db`, serves task
 * logs over HTTP, and on start resumes what a previous process left behind.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { SignalService } from "@flyteidl/service/signal_pb.ts";
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { ExecutionLauncher, LaunchRequest } from "../launcher.ts";
import { EngineStore, execKey } from "./store.ts";
import { EventReporter, toExecutionError } from "./events.ts";
import { NodeFailure } from "./errors.ts";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  ExecutionError_ErrorKind,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { Run } from "./run.ts";
import { Semaphore } from "./concurrency.ts";
import { Scheduler } from "./scheduler.ts";
import { type CommandMapper, killGroup } from "./process.ts";
import { type BucketMounts, withMounts } from "./storage.ts";

/**
 * Options of {@link Engine}.
 *
 * @example
 * ```ts
 * import type { EngineOptions } from "./engine.ts";
 * const partial: Partial<EngineOptions> = { dataDir: "/tmp/sandbox", pollIntervalMs: 100 };
 * ```
 */
export interface EngineOptions {
  /** AdminService client (in-process router transport or remote) events go to. */
  admin: Client<typeof AdminService>;
  /** SignalService client used by gate nodes. */
  signals: Client<typeof SignalService>;
  /** Folder for `engine.db`, task logs and scratch folders. */
  dataDir: string;
  /**
   * Folders searched for task commands before PATH, and put in front of the
   * tasks' PATH (e.g. a venv's bin holding pyflyte-execute). Default:
   * `./.venv/bin` when that folder exists (the `setup-python` task's venv).
   */
  extraPath?: string[];
  /** Maps a container image + argv to the local argv. Default: argv unchanged. */
  commandMapper?: CommandMapper;
  /**
   * Base URL task-log links point at (`<logBaseUrl>/<path>`); the host then
   * serves {@link Engine.serveLog}. Default: the engine starts its own HTTP
   * server on 127.0.0.1 (port {@link EngineOptions.logPort}).
   */
  logBaseUrl?: string;
  /**
   * Port of the engine's own log server. Default: the port it had before a
   * restart when that is free, else any free port.
   */
  logPort?: number;
  /**
   * Checks each request to the log server first; a response it returns
   * (401/403) is sent instead. The sandbox passes its Host/Origin guard.
   */
  logGuard?: (req: Request) => Response | undefined;
  /** Poll interval for signals and child executions, ms. Default 200. */
  pollIntervalMs?: number;
  /** Producer id in events. Default `"sandbox-engine"`. */
  producerId?: string;
  /** Max system failures per node before giving up (Flyte's default 3). */
  maxSystemFailures?: number;
  /** Environment every task process starts from. Default: this process's environment. */
  baseEnv?: Record<string, string>;
  /**
   * Engine-wide limit on task processes running at once (tasks beyond it stay
   * QUEUED, like pods waiting for a node). Default 8 × CPU cores.
   */
  maxProcesses?: number;
  /**
   * Run the native scheduler (active launch plans with cron or fixed-rate
   * schedules). Default true, checking every second.
   */
  scheduler?: boolean | { intervalMs?: number; now?: () => number };
  /** Cached outputs older than this many ms are ignored (Flyte's max-cache-age). Default 0: no limit. */
  maxCacheAgeMs?: number;
  /** Resume unfinished executions found in `engine.db` on start. Default true. */
  resume?: boolean;
  /**
   * The storage tasks see: buckets mounted onto local folders (the engine
   * reads and writes `s3://<bucket>/...` metadata there) and the environment
   * every task process gets to reach the same bucket through S3 (endpoint and
   * credentials, as on a demo-cluster pod). Default: none (`file://` only).
   */
  storage?: EngineStorage;
}

/**
 * Storage of an {@link Engine}: see {@link EngineOptions.storage}.
 *
 * @example
 * ```ts
 * import type { EngineStorage } from "./engine.ts";
 * const s: EngineStorage = {
 *   mounts: { "my-s3-bucket": "/tmp/sb/blobs" },
 *   env: { FLYTE_AWS_ENDPOINT: "http://127.0.0.1:30002" },
 * };
 * ```
 */
export interface EngineStorage {
  /** Bucket -> absolute folder. */
  mounts: BucketMounts;
  /** Environment variables added to every task process's. */
  env: Record<string, string>;
}

/** Variables of the host's environment that would point tasks at other AWS credentials. */
const FOREIGN_AWS = [
  "AWS_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_ENDPOINT_URL_S3",
];

function taskBaseEnv(o: EngineOptions): Record<string, string> {
  const env = { ...(o.baseEnv ?? Deno.env.toObject()) };
  if (o.storage) {
    for (const k of FOREIGN_AWS) delete env[k];
    Object.assign(env, o.storage.env);
  }
  return env;
}

function defaultExtraPath(): string[] {
  const venv = resolve(".venv/bin");
  try {
    return Deno.statSync(venv).isDirectory ? [venv] : [];
  } catch {
    return [];
  }
}

function processAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/**
 * The sandbox engine.
 *
 * @example
 * ```ts ignore
 * import { Engine } from "./engine.ts";
 * const engine = await Engine.start({ admin, signals, dataDir: "/tmp/sandbox" });
 * await engine.launch(request);
 * await engine.close();
 * ```
 */
export class Engine implements ExecutionLauncher {
  readonly #store: EngineStore;
  readonly #runs = new Map<string, Run>();
  readonly #opts: EngineOptions;
  readonly #dataDir: string;
  #server?: Deno.HttpServer;
  #logBase = "";
  #closed = false;
  readonly #processes: Semaphore;
  #scheduler?: Scheduler;
  readonly #reservations = new Map<string, Promise<void>>();
  #reconciled: Promise<void> = Promise.resolve();

  private constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#dataDir = resolve(opts.dataDir);
    this.#store = new EngineStore(`${this.#dataDir}/engine.db`);
    this.#processes = new Semaphore(
      opts.maxProcesses ?? 8 * Math.max(1, navigator.hardwareConcurrency || 1),
    );
  }

  /**
   * Creates an engine synchronously: opens `engine.db`, starts the log server
   * (unless `logBaseUrl` is given), kills task processes a previous engine
   * process left behind and resumes its unfinished executions.
   */
  static create(opts: EngineOptions): Engine {
    const e = new Engine(opts);
    if (opts.logBaseUrl) e.#logBase = opts.logBaseUrl.replace(/\/+$/, "");
    else {
      // Reuse the port of the previous run when free, so log links recorded
      // before a restart keep opening.
      const serve = (port: number) =>
        Deno.serve(
          { hostname: "127.0.0.1", port, onListen: () => {} },
          (req) => opts.logGuard?.(req) ?? e.serveLog(req),
        );
      const previous = Number(e.#store.meta("log_port") ?? 0);
      if (opts.logPort !== undefined) e.#server = serve(opts.logPort);
      else {
        try {
          e.#server = serve(previous);
        } catch (err) {
          if (!(err instanceof Deno.errors.AddrInUse)) throw err;
          e.#server = serve(0);
        }
      }
      const addr = e.#server.addr as Deno.NetAddr;
      e.#store.setMeta("log_port", String(addr.port));
      e.#logBase = `http://127.0.0.1:${addr.port}/logs`;
    }
    e.#cleanupProcesses();
    if (opts.resume ?? true) {
      for (const req of e.#store.pendingExecutions()) e.#startRun(req);
    }
    if (opts.resume ?? true) {
      const since = Date.now();
      e.#reconciled = e.#reconcile(since).catch((err) => {
        // A host without execution listing has nothing to reconcile.
        if (ConnectError.from(err).code !== Code.Unimplemented) {
          console.error("engine: reconcile:", err);
        }
      });
    }
    if (opts.scheduler ?? true) {
      const cfg = typeof opts.scheduler === "object" ? opts.scheduler : {};
      e.#scheduler = new Scheduler({
        admin: opts.admin,
        state: e.#store,
        intervalMs: cfg.intervalMs,
        now: cfg.now,
      });
      e.#scheduler.start();
    }
    return e;
  }

  /** {@link Engine.create}, as a promise. */
  static start(opts: EngineOptions): Promise<Engine> {
    return Promise.resolve(Engine.create(opts));
  }

  /** The native scheduler, when enabled (for tests: `tick()` fires what is due). */
  get scheduler(): Scheduler | undefined {
    return this.#scheduler;
  }

  /**
   * Ends executions admin holds as not finished that this engine never
   * accepted (the sandbox stopped between admin storing one and the engine
   * taking it, or the engine's state was lost): ABORTING ones are reported
   * ABORTED, others FAILED with an error saying why. Only executions created
   * before `since` are touched.
   */
  async #reconcile(since: number): Promise<void> {
    const { admin } = this.#opts;
    const reporter = new EventReporter(
      admin,
      this.#opts.producerId ?? "sandbox-engine",
    );
    let projects;
    try {
      projects = await admin.listProjects({ limit: 1000 });
    } catch {
      return; // a host without project listing: nothing to reconcile
    }
    for (const p of projects.projects) {
      for (const d of p.domains) {
        let token = "";
        do {
          const page = await admin.listExecutions({
            id: { project: p.id, domain: d.id },
            limit: 100,
            token,
            filters:
              "value_in(phase,UNDEFINED;QUEUED;RUNNING;SUCCEEDING;FAILING;ABORTING)",
          });
          token = page.token;
          for (const ex of page.executions) {
            const id = ex.id;
            const created = ex.closure?.createdAt;
            if (!id || this.#store.isKnown(execKey(id))) continue;
            if (!created || timestampMs(created) >= since) continue;
            if (ex.closure?.phase === WorkflowExecution_Phase.ABORTING) {
              await reporter.workflow({
                executionId: id,
                phase: WorkflowExecution_Phase.ABORTED,
              });
              continue;
            }
            await reporter.workflow({
              executionId: id,
              phase: WorkflowExecution_Phase.RUNNING,
            });
            await reporter.workflow({
              executionId: id,
              phase: WorkflowExecution_Phase.FAILED,
              outputResult: {
                case: "error",
                value: toExecutionError(
                  new NodeFailure(
                    "SandboxRestarted",
                    "the sandbox stopped before its engine accepted this execution, so it never ran; create it again",
                    ExecutionError_ErrorKind.SYSTEM,
                    false,
                  ),
                ),
              },
            });
          }
        } while (token);
      }
    }
  }

  /** Resolves once the start-up reconciliation with admin is done. */
  reconciled(): Promise<void> {
    return this.#reconciled;
  }

  /** The URL prefix of task-log links. */
  get logBaseUrl(): string {
    return this.#logBase;
  }

  /** Kills task processes a previous engine process left running. */
  #cleanupProcesses(): void {
    for (const p of this.#store.processes()) {
      if (!processAlive(p.pid)) continue;
      try {
        const environ = Deno.readTextFileSync(`/proc/${p.pid}/environ`);
        const [project, domain, name] = p.key.split(":");
        const mine =
          environ.includes(`FLYTE_INTERNAL_EXECUTION_ID=${name}\0`) &&
          environ.includes(`FLYTE_INTERNAL_EXECUTION_PROJECT=${project}\0`) &&
          environ.includes(`FLYTE_INTERNAL_EXECUTION_DOMAIN=${domain}\0`);
        if (mine) killGroup(p.pid);
      } catch { /* gone or not ours */ }
    }
    this.#store.clearProcesses();
  }

  #startRun(req: LaunchRequest): Run {
    const o = this.#opts;
    const run = new Run(req, {
      admin: o.admin,
      signals: o.signals,
      store: this.#store,
      reporter: new EventReporter(o.admin, o.producerId ?? "sandbox-engine"),
      dataDir: this.#dataDir,
      extraPath: o.extraPath ?? defaultExtraPath(),
      commandMapper: o.commandMapper ?? ((_image, argv) => argv),
      logUrl: (rel) => `${this.#logBase}/${rel}`,
      pollMs: o.pollIntervalMs ?? 200,
      maxSystemFailures: o.maxSystemFailures ?? 3,
      baseEnv: taskBaseEnv(o),
      processes: this.#processes,
      reservations: this.#reservations,
      maxCacheAgeMs: o.maxCacheAgeMs ?? 0,
    });
    this.#runs.set(run.key, run);
    withMounts(o.storage?.mounts ?? {}, () => run.start()).catch((e) =>
      console.error(`engine: execution ${run.key} loop crashed:`, e)
    )
      .finally(() => {
        if (this.#runs.get(run.key) === run) this.#runs.delete(run.key);
      });
    return run;
  }

  /** Accepts an execution (idempotent for one id) and starts running it. */
  launch(request: LaunchRequest): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("engine is closed"));
    const key = execKey(request.id);
    if (this.#runs.has(key)) return Promise.resolve();
    if (!this.#store.addExecution(request) && !this.#store.isActive(key)) {
      return Promise.resolve();
    }
    this.#startRun(request);
    return Promise.resolve();
  }

  /** Stops an execution: kills its processes; ABORTED is then reported. */
  terminate(id: WorkflowExecutionIdentifier, cause: string): Promise<void> {
    const key = execKey(id);
    if (this.#store.isActive(key)) this.#store.setTerminateCause(key, cause);
    this.#runs.get(key)?.terminate(cause);
    return Promise.resolve();
  }

  /** Resolves when the execution's loop has finished (or at once if none). */
  async settled(id: WorkflowExecutionIdentifier): Promise<void> {
    await this.#runs.get(execKey(id))?.start();
  }

  /**
   * Serves `GET <base>/<exec path>/<generated name>/{stdout,stderr}.log`.
   * Hosts that pass `logBaseUrl` mount this under that URL's path.
   */
  async serveLog(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const m = url.pathname.match(/\/logs\/(.+\/(?:stdout|stderr)\.log)$/);
    if (!m || m[1].split("/").some((p) => p === ".." || p === "")) {
      return new Response("not found", { status: 404 });
    }
    try {
      const body = await readFile(`${this.#dataDir}/logs/${m[1]}`);
      return new Response(new Uint8Array(body), {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    } catch {
      return new Response(`no log at ${m[1]}`, { status: 404 });
    }
  }

  /**
   * Stops every execution loop (their task processes are killed) without
   * recording them as finished: a later engine on the same data dir resumes
   * them. Closes the log server and the store.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler?.stop();
    await this.#reconciled;
    const runs = [...this.#runs.values()];
    for (const r of runs) r.stop();
    await Promise.allSettled(runs.map((r) => r.start()));
    await this.#server?.shutdown();
    this.#store.close();
  }
}

/**
 * What {@link engineLauncher} needs from its host: in-process clients of the
 * sandbox's services and its data directory (the sandbox's `SandboxServices`
 * fits).
 *
 * @example
 * ```ts
 * import type { EngineHost } from "./engine.ts";
 * const dirOf = (h: EngineHost) => h.dataDir;
 * ```
 */
export interface EngineHost {
  /** AdminService client. */
  admin: Client<typeof AdminService>;
  /** SignalService client. */
  signals: Client<typeof SignalService>;
  /** The sandbox data directory; the engine keeps its state in `<dataDir>/engine`. */
  dataDir: string;
  /** The host's storage (its bucket and how tasks reach it), when it has one. */
  storage?: EngineStorage;
}

/**
 * A launcher factory for `startSandbox({ launcher })`: builds an
 * {@link Engine} over the host's in-process services.
 *
 * @example
 * ```ts ignore
 * import { engineLauncher } from "./engine.ts";
 * const sandbox = await startSandbox({ launcher: engineLauncher({ pollIntervalMs: 100 }) });
 * ```
 */
export function engineLauncher(
  options: Partial<Omit<EngineOptions, "admin" | "signals">> = {},
): (host: EngineHost) => Engine {
  return (host) =>
    Engine.create({
      ...options,
      admin: host.admin,
      signals: host.signals,
      dataDir: options.dataDir ?? `${host.dataDir}/engine`,
      storage: options.storage ?? host.storage,
    });
}
