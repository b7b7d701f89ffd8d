/**
 * Shared shapes of one execution's loop ({@link Run} in run.ts) and the
 * node handlers (nodes/) that it calls.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { SignalService } from "@flyteidl/service/signal_pb.ts";
import type { TaskExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { CompiledWorkflow } from "@flyteidl/core/compiler_pb.ts";
import type { Node, WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type {
  Identifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import type { LaunchRequest } from "../launcher.ts";
import type { EventReporter } from "./events.ts";
import type { EngineStore, NodeRecord } from "./store.ts";
import type { cacheDataset } from "./cache.ts";
import type { CommandMapper } from "./process.ts";
import type { Semaphore } from "./concurrency.ts";
/**
 * Settings shared by every run of one engine.
 *
 * @example
 * ```ts
 * import type { RunSettings } from "./context.ts";
 * const poll = (s: RunSettings) => s.pollMs;
 * ```
 */
export interface RunSettings {
  /** AdminService client events and child executions go to. */
  admin: Client<typeof AdminService>;
  /** SignalService client for gate nodes. */
  signals: Client<typeof SignalService>;
  /** The engine's store. */
  store: EngineStore;
  /** Reporter over `admin`. */
  reporter: EventReporter;
  /** Folder for task logs and scratch dirs. */
  dataDir: string;
  /** Extra folders searched for task commands before PATH. */
  extraPath: string[];
  /** Maps an image + argv to the local argv. */
  commandMapper: CommandMapper;
  /** Turns a log file path (relative to the log root) into an HTTP URL. */
  logUrl: (relative: string) => string;
  /** Poll interval for signals and child executions, ms. */
  pollMs: number;
  /** Max system failures before a node stops retrying (Flyte default 3). */
  maxSystemFailures: number;
  /** Base environment for task processes. */
  baseEnv: Record<string, string>;
  /** Cached outputs older than this (ms) count as misses; 0: no limit. */
  maxCacheAgeMs: number;
  /** Cache reservations held in this engine (serializable cached tasks). */
  reservations: Map<string, Promise<void>>;
  /** Engine-wide limit on concurrently running task processes. */
  processes: Semaphore;
}

/**
 * A graph being walked: a workflow template and what its nodes produced.
 *
 * @example
 * ```ts
 * import type { Scope } from "./context.ts";
 * const finished = (s: Scope) => [...s.outputs.keys()];
 * ```
 */
export interface Scope {
  wf: WorkflowTemplate;
  upstream: Record<string, string[]>;
  parent?: { uniqueId: string; attempt: number };
  /** Data base for children (`<parent O>`); undefined at top level. */
  childBase?: string;
  outputs: Map<string, LiteralMap>;
  abort: AbortController;
}

/**
 * What a finished node produced.
 *
 * @example
 * ```ts
 * import type { NodeResult } from "./context.ts";
 * const uri = (r: NodeResult) => r.outputUri;
 * ```
 */
export interface NodeResult {
  outputs: LiteralMap;
  outputUri: string;
  cacheStatus?: CatalogCacheStatus;
  catalog?: { dataset: ReturnType<typeof cacheDataset>; tag: string };
}

/**
 * One node being run.
 *
 * @example
 * ```ts
 * import type { NodeCtx } from "./context.ts";
 * const dataDir = (c: NodeCtx) => c.D;
 * ```
 */
export interface NodeCtx {
  scope: Scope;
  node: Node;
  uniqueId: string;
  D: string;
  inputs: LiteralMap;
  inputUri: string;
  rec: NodeRecord;
  common: Record<string, unknown>;
  running: boolean;
  markRunning?: (extra?: Record<string, unknown>) => Promise<void>;
}

/**
 * Options of a task's attempts (a task node or one array item).
 *
 * @example
 * ```ts
 * import type { AttemptOpts } from "./context.ts";
 * const firstOutputDir = (o: AttemptOpts) => o.outputDir(0);
 * ```
 */
export interface AttemptOpts {
  ctx: NodeCtx;
  task: TaskTemplate;
  uniqueId: string;
  rec: NodeRecord;
  inputs: LiteralMap;
  itemInputs?: LiteralMap;
  inputUri: string;
  D: string;
  outputDir: (attempt: number) => string;
  report: boolean;
  arrayIndex?: number;
  onPhase?: (attempt: number, phase: TaskExecution_Phase) => void;
}

/**
 * What node handlers (nodes/) may use of a running execution: its ids and
 * settings, the closure's entities, and the executor's own walk (child
 * graphs, single nodes, failure nodes) so a handler that contains nodes
 * runs them through the same loop.
 *
 * @example
 * ```ts
 * import type { RunApi } from "./context.ts";
 * const execName = (r: RunApi) => r.execId.name;
 * ```
 */
export interface RunApi {
  /** The launch request. */
  readonly req: LaunchRequest;
  /** `project:domain:name`. */
  readonly key: string;
  /** The execution id. */
  readonly execId: WorkflowExecutionIdentifier;
  /** Engine settings. */
  readonly settings: RunSettings;
  /** The execution's own abort (terminate or shutdown). */
  readonly abort: AbortController;
  /** Whether the loop is stopping for a shutdown (nothing is reported). */
  readonly stopping: boolean;
  /** The execution's max-parallelism limit on task attempts, if any. */
  readonly parallel?: Semaphore;
  /** The task template of a node, from the closure. */
  task(id: Identifier | undefined, nodeId: string): TaskTemplate;
  /** Runs a task's attempts with retries and caching (task and array nodes). */
  runTaskAttempts(o: AttemptOpts): Promise<NodeResult>;
  /** Adds a task template (a dynamic workflow's tasks). */
  addTask(task: TaskTemplate): void;
  /** A sub-workflow of the closure (or added by a dynamic workflow). */
  subWorkflow(id: Identifier | undefined): CompiledWorkflow | undefined;
  /** Adds a sub-workflow (a dynamic workflow's sub-workflows). */
  addSubWorkflow(wf: CompiledWorkflow): void;
  /** A child graph's scope under `parent`, aborted with `parentAbort`. */
  childScope(
    wf: CompiledWorkflow,
    parent: Scope["parent"],
    childBase: string | undefined,
    parentAbort: AbortController,
  ): Scope;
  /** Walks a graph to its end node; returns the end node's output URI. */
  runGraph(scope: Scope, startInputs?: LiteralMap): Promise<string>;
  /** Runs one node of `scope` with its events and durable record. */
  runNode(
    scope: Scope,
    node: Node,
    extraInputs?: Record<string, Literal>,
  ): Promise<void>;
  /** Runs the scope's failure node, if any; returns the error to report. */
  runFailureNode(scope: Scope, original: unknown): Promise<unknown>;
}

/**
 * An empty LiteralMap.
 *
 * @example
 * ```ts
 * import { EMPTY } from "./context.ts";
 * Object.keys(EMPTY().literals).length; // 0
 * ```
 */
export const EMPTY = (): LiteralMap => create(LiteralMapSchema, {});

/**
 * The closure key of an entity id.
 *
 * @example
 * ```ts
 * import { idKey } from "./context.ts";
 * idKey(undefined); // ""
 * ```
 */
export function idKey(id: Identifier | undefined): string {
  return id ? `${id.project}/${id.domain}/${id.name}/${id.version}` : "";
}
