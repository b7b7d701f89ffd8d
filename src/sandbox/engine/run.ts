/**
 * One execution's loop: walks the compiled workflow graph, runs each node
 * kind as propeller does, keeps progress in the {@link EngineStore} so a
 * restart resumes, and reports every change through {@link EventReporter}.
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import {
  ExecutionError_ErrorKind as Kind,
  NodeExecution_Phase as NodePhase,
  TaskExecution_Phase as TaskPhase,
  type TaskLog,
  TaskLogSchema,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type CompiledWorkflow,
  type CompiledWorkflowClosure,
  CompiledWorkflowSchema,
} from "@flyteidl/core/compiler_pb.ts";
import {
  type Node,
  WorkflowMetadata_OnFailurePolicy,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import {
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import {
  TaskExecutionMetadata_InstanceClass,
} from "@flyteidl/event/event_pb.ts";
import type { LaunchRequest } from "../launcher.ts";
import { Aborted, NodeFailure, ShutdownSignal } from "./errors.ts";
import { toExecutionError } from "./events.ts";
import { execKey, type NodeRecord } from "./store.ts";
import { resolveBindings } from "./bindings.ts";
import { caseDependencies } from "./branch.ts";
import { cacheDataset, cacheTag } from "./cache.ts";
import {
  childUniqueId,
  generatedName,
  perRetryUniqueKey,
  shardOf,
} from "./ids.ts";
import {
  exists,
  joinUri,
  readProto,
  writeBytes,
  writeProto,
} from "./storage.ts";
import { compileTask, compileWorkflow } from "../compiler/mod.ts";
import { DynamicJobSpecSchema } from "@flyteidl/core/dynamic_job_pb.ts";
import { renderArg } from "./template.ts";
import { expandRuntimeCommand, resolveCommand, runProcess } from "./process.ts";
import { readOutcome } from "./outcome.ts";
import { collectCopilotOutputs, prepareCopilotInputs } from "./copilot.ts";
import { Semaphore } from "./concurrency.ts";
import {
  type AttemptOpts,
  EMPTY,
  idKey,
  type NodeCtx,
  type NodeResult,
  type RunApi,
  type RunSettings,
  type Scope,
} from "./context.ts";
import { handlerFor, runFailureNode } from "./nodes/mod.ts";
import { runnableContainer } from "./pod.ts";
import { plainLocalRef, withPlainLocalBlobs } from "./local_refs.ts";

/**
 * `pyflyte-fast-execute --dest-dir <dir>` names a folder inside the task's
 * container image (flytekit's default is `/root`). Each attempt gets its own
 * container filesystem in Flyte, so the sandbox points the destination at the
 * attempt's own scratch folder: code bundles of concurrent tasks never share
 * (or litter) a machine folder.
 */
function localizeFastExecute(argv: string[], scratch: string): string[] {
  const i = argv.findIndex((a) => /(^|\/)pyflyte-fast-execute$/.test(a));
  if (i < 0) return argv;
  const out = [...argv];
  const end = out.indexOf("--", i);
  for (let j = i + 1; j < (end < 0 ? out.length : end); j++) {
    if (out[j] === "--dest-dir" && j + 1 < out.length) {
      out[j + 1] = `${scratch}/code`;
    } else if (out[j].startsWith("--dest-dir=")) {
      out[j] = `--dest-dir=${scratch}/code`;
    }
  }
  return out;
}

/**
 * Runs one execution; see the module doc.
 *
 * @example
 * ```ts
 * import { Run } from "./run.ts";
 * // Created by the Engine: new Run(request, settings).start()
 * console.log(typeof Run); // "function"
 * ```
 */
export class Run implements RunApi {
  readonly req: LaunchRequest;
  readonly key: string;
  readonly abort = new AbortController();
  readonly #s: RunSettings;
  readonly #tasks = new Map<string, TaskTemplate>();
  readonly #subworkflows = new Map<string, CompiledWorkflow>();
  readonly #parallel?: Semaphore;
  #done: Promise<void> | undefined;

  constructor(req: LaunchRequest, settings: RunSettings) {
    this.req = req;
    this.key = execKey(req.id);
    this.#s = settings;
    const closure: CompiledWorkflowClosure = req.closure;
    for (const t of closure.tasks) {
      if (t.template) this.#tasks.set(idKey(t.template.id), t.template);
    }
    for (const w of closure.subWorkflows) {
      if (w.template) this.#subworkflows.set(idKey(w.template.id), w);
    }
    if (req.spec.maxParallelism > 0) {
      this.#parallel = new Semaphore(req.spec.maxParallelism);
    }
  }

  /** Starts the loop (once); resolves when the execution is finished. */
  start(): Promise<void> {
    this.#done ??= this.#main();
    return this.#done;
  }

  /** Asks the loop to stop: processes are killed and ABORTED is reported. */
  terminate(cause: string): void {
    if (!this.abort.signal.aborted) this.abort.abort(new Aborted(cause));
  }

  /** Stops the loop for a shutdown: nothing is reported, a restart resumes. */
  stop(): void {
    if (!this.abort.signal.aborted) this.abort.abort(new ShutdownSignal());
  }

  get #stopping(): boolean {
    return this.abort.signal.reason instanceof ShutdownSignal;
  }

  /** Engine settings (for node-kind modules). */
  get settings(): RunSettings {
    return this.#s;
  }

  /** The execution id. */
  get execId(): WorkflowExecutionIdentifier {
    return this.req.id;
  }

  /** The task template of a node, from the closure. */
  task(id: Identifier | undefined, nodeId: string): TaskTemplate {
    return this.#task(id, nodeId);
  }

  /** Runs a task's attempts with retries and caching. */
  runTaskAttempts(o: AttemptOpts): Promise<NodeResult> {
    return this.#runTaskAttempts(o);
  }

  /** Whether the loop is stopping for a shutdown. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** The max-parallelism limit on task attempts, if any. */
  get parallel(): Semaphore | undefined {
    return this.#parallel;
  }

  /** Adds a task template (a dynamic workflow's tasks). */
  addTask(task: TaskTemplate): void {
    this.#tasks.set(idKey(task.id), task);
  }

  /** A sub-workflow of the closure or of a dynamic workflow. */
  subWorkflow(id: Identifier | undefined): CompiledWorkflow | undefined {
    return this.#subworkflows.get(idKey(id));
  }

  /** Adds a sub-workflow (a dynamic workflow's sub-workflows). */
  addSubWorkflow(wf: CompiledWorkflow): void {
    if (wf.template) this.#subworkflows.set(idKey(wf.template.id), wf);
  }

  /** A child graph's scope. */
  childScope(
    wf: CompiledWorkflow,
    parent: Scope["parent"],
    childBase: string | undefined,
    parentAbort: AbortController,
  ): Scope {
    return this.#scope(wf, parent, childBase, parentAbort);
  }

  /** Walks a graph to its end node; returns the end node's output URI. */
  runGraph(scope: Scope, startInputs?: LiteralMap): Promise<string> {
    return this.#runGraph(scope, startInputs);
  }

  /** Runs one node with its events and durable record. */
  runNode(
    scope: Scope,
    node: Node,
    extraInputs?: Record<string, Literal>,
  ): Promise<void> {
    return this.#runNode(scope, node, extraInputs);
  }

  /** Runs the scope's failure node, if any; returns the error to report. */
  runFailureNode(scope: Scope, original: unknown): Promise<unknown> {
    return runFailureNode(this, scope, original);
  }

  get #execId(): WorkflowExecutionIdentifier {
    return this.req.id;
  }

  async #main(): Promise<void> {
    const s = this.#s;
    const primary = this.req.closure.primary;
    const stored = s.store.terminateCause(this.key);
    if (stored) this.terminate(stored);
    try {
      if (!primary?.template) {
        throw new NodeFailure(
          "BadClosure",
          "compiled workflow closure has no primary template",
          Kind.SYSTEM,
          false,
        );
      }
      await s.reporter.workflow({
        executionId: this.#execId,
        phase: WfPhase.RUNNING,
      });
      const scope = this.#scope(primary, undefined, undefined, this.abort);
      try {
        const endUri = await this.#runGraph(scope);
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.SUCCEEDING,
        });
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.SUCCEEDED,
          outputResult: { case: "outputUri", value: endUri },
        });
      } catch (e) {
        if (e instanceof Aborted || this.abort.signal.aborted) throw e;
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.FAILING,
        });
        const err = await runFailureNode(this, scope, e);
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.FAILED,
          outputResult: { case: "error", value: toExecutionError(err) },
        });
      }
    } catch (e) {
      if (this.#stopping) return;
      if (e instanceof Aborted || this.abort.signal.aborted) {
        // As propeller: the workflow's ABORTED event carries no result, so
        // admin keeps the abort metadata (cause, principal) TerminateExecution
        // recorded; the reason travels on the aborted nodes' events.
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.ABORTED,
        });
      } else {
        await s.reporter.workflow({
          executionId: this.#execId,
          phase: WfPhase.FAILED,
          outputResult: { case: "error", value: toExecutionError(e) },
        });
      }
    }
    if (!this.#stopping) s.store.finishExecution(this.key);
  }

  #scope(
    wf: CompiledWorkflow,
    parent: Scope["parent"],
    childBase: string | undefined,
    parentAbort: AbortController,
  ): Scope {
    const tpl = wf.template!;
    const upstream: Record<string, string[]> = {};
    const here = new Set(tpl.nodes.map((n) => n.id));
    for (const n of tpl.nodes) {
      const ids = wf.connections?.upstream[n.id]?.ids ?? n.upstreamNodeIds;
      upstream[n.id] = [...ids];
      // A branch's cases may read nodes its conditions do not (flytekit
      // lists only the latter): as propeller, the taken case waits for
      // its own upstream, so the branch starts once all of them are done.
      if (n.target.case === "branchNode") {
        const more = caseDependencies(n).filter((id) =>
          id !== n.id && here.has(id) && !upstream[n.id].includes(id)
        );
        upstream[n.id].push(...more);
      }
    }
    const abort = new AbortController();
    const forward = () => abort.abort(parentAbort.signal.reason);
    if (parentAbort.signal.aborted) forward();
    else parentAbort.signal.addEventListener("abort", forward, { once: true });
    return { wf: tpl, upstream, parent, childBase, outputs: new Map(), abort };
  }

  #dataDir(scope: Scope, nodeId: string): string {
    return scope.childBase !== undefined
      ? joinUri(scope.childBase, nodeId)
      : joinUri(this.req.metadataPrefix, nodeId, "data");
  }

  #uniqueId(scope: Scope, nodeId: string): string {
    return childUniqueId(
      scope.parent?.uniqueId,
      scope.parent?.attempt ?? 0,
      nodeId,
    );
  }

  #nodeEventBase(scope: Scope, node: Node, uniqueId: string) {
    return {
      id: { executionId: this.#execId, nodeId: uniqueId },
      specNodeId: node.id,
      nodeName: node.metadata?.name ?? node.id,
      eventVersion: 2,
      retryGroup: scope.parent ? String(scope.parent.attempt) : "",
      parentNodeMetadata: scope.parent
        ? { nodeId: scope.parent.uniqueId }
        : undefined,
    };
  }

  /** Runs a graph to completion; returns the end-node output URI. */
  async #runGraph(scope: Scope, startInputs?: LiteralMap): Promise<string> {
    const s = this.#s;
    const tpl = scope.wf;
    // start-node
    const startD = this.#dataDir(scope, "start-node");
    const startOut = joinUri(startD, "0", "outputs.pb");
    const inputs = startInputs ??
      (this.req.inputsUri
        ? await readProto(LiteralMapSchema, this.req.inputsUri)
        : EMPTY());
    scope.outputs.set("start-node", inputs);
    const startId = this.#uniqueId(scope, "start-node");
    if (s.store.node(this.key, startId)?.phase !== "succeeded") {
      await writeProto(LiteralMapSchema, startOut, inputs);
      s.store.putNode(this.key, startId, {
        phase: "succeeded",
        attempts: 1,
        systemFailures: 0,
        startedAt: Date.now(),
        outputUri: startOut,
        cacheStatus: 0,
      });
      const startNode = tpl.nodes.find((n) => n.id === "start-node") ??
        ({ id: "start-node" } as Node);
      await s.reporter.node({
        ...this.#nodeEventBase(scope, startNode, startId),
        phase: NodePhase.SUCCEEDED,
        outputResult: { case: "outputUri", value: startOut },
      });
    }

    const work = tpl.nodes.filter((n) =>
      n.id !== "start-node" && n.id !== "end-node"
    );
    const state = new Map<
      string,
      "pending" | "running" | "ok" | "failed" | "skipped"
    >();
    for (const n of work) state.set(n.id, "pending");
    state.set("start-node", "ok");
    const running = new Map<string, Promise<void>>();
    let failure: unknown;
    const failImmediately = tpl.metadata?.onFailure !==
      WorkflowMetadata_OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE;

    const ready = (n: Node) =>
      (scope.upstream[n.id] ?? []).every((u) => {
        const st = state.get(u) ?? "ok";
        return st === "ok" || st === "skipped" || st === "failed";
      });

    while (true) {
      if (scope.abort.signal.aborted && running.size === 0) break;
      let started = false;
      if (!scope.abort.signal.aborted && !(failure && failImmediately)) {
        for (const n of work) {
          if (state.get(n.id) !== "pending" || !ready(n)) continue;
          const ups = scope.upstream[n.id] ?? [];
          if (ups.some((u) => state.get(u) === "failed")) continue;
          if (ups.some((u) => state.get(u) === "skipped")) {
            state.set(n.id, "skipped");
            const uid = this.#uniqueId(scope, n.id);
            s.store.putNode(this.key, uid, {
              phase: "skipped",
              attempts: 0,
              systemFailures: 0,
              startedAt: Date.now(),
              outputUri: "",
              cacheStatus: 0,
            });
            await s.reporter.node({
              ...this.#nodeEventBase(scope, n, uid),
              phase: NodePhase.SKIPPED,
            });
            started = true;
            continue;
          }
          state.set(n.id, "running");
          started = true;
          running.set(
            n.id,
            this.#runNode(scope, n).then(
              () => {
                state.set(n.id, "ok");
              },
              (e) => {
                state.set(n.id, "failed");
                if (!(e instanceof Aborted)) {
                  failure = e;
                  if (failImmediately && !scope.abort.signal.aborted) {
                    scope.abort.abort(
                      new Aborted("Some node execution failed, auto-abort."),
                    );
                  }
                } else failure ??= e;
              },
            ).finally(() => running.delete(n.id)),
          );
        }
      }
      if (running.size === 0) {
        if (!started) break;
        continue;
      }
      await Promise.race(running.values());
    }
    if (failure) throw failure;
    if (scope.abort.signal.aborted) throw scope.abort.signal.reason;
    if ([...state.values()].some((v) => v === "pending")) {
      throw new NodeFailure(
        "UnreachableNodes",
        "some nodes could never start (their upstream nodes failed or form a cycle)",
        Kind.SYSTEM,
        false,
      );
    }

    // end-node
    const endId = this.#uniqueId(scope, "end-node");
    const endD = this.#dataDir(scope, "end-node");
    const endOut = joinUri(endD, "0", "outputs.pb");
    const endNode = tpl.nodes.find((n) => n.id === "end-node") ??
      ({ id: "end-node", inputs: tpl.outputs } as unknown as Node);
    const endInputs = resolveBindings(
      tpl.outputs,
      (id) => scope.outputs.get(id),
      (nid, v) => this.#alias(scope, nid, v),
    );
    if (s.store.node(this.key, endId)?.phase !== "succeeded") {
      const inUri = joinUri(endD, "inputs.pb");
      await writeProto(LiteralMapSchema, inUri, endInputs);
      await s.reporter.node({
        ...this.#nodeEventBase(scope, endNode, endId),
        phase: NodePhase.QUEUED,
        inputValue: { case: "inputUri", value: inUri },
      });
      await writeProto(LiteralMapSchema, endOut, endInputs);
      s.store.putNode(this.key, endId, {
        phase: "succeeded",
        attempts: 1,
        systemFailures: 0,
        startedAt: Date.now(),
        outputUri: endOut,
        cacheStatus: 0,
      });
      await s.reporter.node({
        ...this.#nodeEventBase(scope, endNode, endId),
        phase: NodePhase.SUCCEEDED,
        outputResult: { case: "outputUri", value: endOut },
      });
    }
    scope.outputs.set("end-node", endInputs);
    return endOut;
  }

  #alias(scope: Scope, nodeId: string, v: string): string {
    const n = scope.wf.nodes.find((x) => x.id === nodeId);
    return n?.outputAliases.find((a) => a.alias === v)?.var ?? v;
  }

  /** The node wrapper: resume check, inputs, QUEUED/RUNNING/terminal events. */
  async #runNode(
    scope: Scope,
    node: Node,
    extraInputs?: Record<string, Literal>,
  ): Promise<void> {
    const s = this.#s;
    const uniqueId = this.#uniqueId(scope, node.id);
    const D = this.#dataDir(scope, node.id);
    const base = this.#nodeEventBase(scope, node, uniqueId);
    let rec = s.store.node(this.key, uniqueId);
    if (rec?.phase === "succeeded") {
      scope.outputs.set(
        node.id,
        rec.outputUri
          ? await readProto(LiteralMapSchema, rec.outputUri)
          : EMPTY(),
      );
      return;
    }
    if (rec?.phase === "failed" && rec.error) {
      throw new NodeFailure(
        rec.error.code,
        rec.error.message,
        rec.error.kind,
        false,
      );
    }
    if (scope.abort.signal.aborted) throw scope.abort.signal.reason;
    const resolved = resolveBindings(
      node.inputs,
      (id) => scope.outputs.get(id),
      (nid, v) => this.#alias(scope, nid, v),
    );
    if (extraInputs) Object.assign(resolved.literals, extraInputs);
    // Local files and directories reach tasks as plain paths (local_refs.ts).
    const inputs = withPlainLocalBlobs(resolved);
    const inputUri = joinUri(D, "inputs.pb");
    const handler = handlerFor(node);
    const targetEntity = node.target.case === "taskNode"
      ? (node.target.value.reference.case === "referenceId"
        ? node.target.value.reference.value
        : undefined)
      : undefined;
    const common = {
      ...base,
      isParent: handler.isParent,
      isArray: handler.isArray,
      targetEntity,
    };
    if (!rec) {
      await writeProto(LiteralMapSchema, inputUri, inputs);
      rec = {
        phase: "running",
        attempts: 0,
        systemFailures: 0,
        startedAt: Date.now(),
        outputUri: "",
        cacheStatus: 0,
      };
      s.store.putNode(this.key, uniqueId, rec);
      await s.reporter.node({
        ...common,
        phase: NodePhase.QUEUED,
        inputValue: { case: "inputUri", value: inputUri },
      });
    }
    const ctx: NodeCtx = {
      scope,
      node,
      uniqueId,
      D,
      inputs,
      inputUri,
      rec,
      common,
      running: false,
    };
    const markRunning = async (extra: Record<string, unknown> = {}) => {
      if (ctx.running && Object.keys(extra).length === 0) return;
      ctx.running = true;
      await s.reporter.node({
        ...common,
        phase: NodePhase.RUNNING,
        inputValue: { case: "inputUri", value: inputUri },
        ...extra,
      });
    };
    ctx.markRunning = markRunning;
    try {
      const result = await handler.handle(this, ctx);
      scope.outputs.set(node.id, result.outputs);
      s.store.putNode(this.key, uniqueId, {
        ...ctx.rec,
        phase: "succeeded",
        outputUri: result.outputUri,
        cacheStatus: result.cacheStatus ?? 0,
      });
      const extra = await handler.succeeded?.(this, ctx, result);
      await s.reporter.node({
        ...common,
        phase: NodePhase.SUCCEEDED,
        deckUri: "",
        targetMetadata: { case: undefined },
        ...extra,
        outputResult: { case: "outputUri", value: result.outputUri },
      });
    } catch (e) {
      if (e instanceof Aborted || scope.abort.signal.aborted) {
        if (this.#stopping) throw e;
        const reason =
          (scope.abort.signal.reason as Error | undefined)?.message ??
            (e as Error).message;
        s.store.putNode(this.key, uniqueId, { ...ctx.rec, phase: "aborted" });
        await s.reporter.node({
          ...common,
          phase: NodePhase.ABORTED,
          outputResult: {
            case: "error",
            value: toExecutionError(
              new NodeFailure("NodeAborted", reason, Kind.USER, false),
            ),
          },
        });
        throw e instanceof Aborted ? e : new Aborted(reason);
      }
      const err = toExecutionError(e);
      s.store.putNode(this.key, uniqueId, {
        ...ctx.rec,
        phase: "failed",
        error: { code: err.code, message: err.message, kind: err.kind },
      });
      const timedOut = e instanceof NodeFailure && e.code === "Timeout";
      await s.reporter.node({
        ...common,
        phase: timedOut ? NodePhase.TIMED_OUT : NodePhase.FAILED,
        outputResult: { case: "error", value: err },
      });
      throw e;
    }
  }

  // ---------------------------------------------------------------- task nodes

  #task(id: Identifier | undefined, nodeId: string): TaskTemplate {
    const t = this.#tasks.get(idKey(id));
    if (!t) {
      throw new NodeFailure(
        "TaskNotFound",
        `node ${nodeId}: task ${idKey(id)} is not in the compiled closure`,
        Kind.SYSTEM,
        false,
      );
    }
    return t;
  }

  /** Attempts with retries and caching, for a task node or one array item. */
  async #runTaskAttempts(o: AttemptOpts): Promise<NodeResult> {
    const s = this.#s;
    const { task } = o;
    const meta = task.metadata;
    const spec = this.req.spec;
    // caching
    let catalog: NodeResult["catalog"];
    let cacheStatus = CatalogCacheStatus.CACHE_DISABLED;
    if (meta?.discoverable) {
      if (!meta.discoveryVersion) {
        throw new NodeFailure(
          "CacheVersionMissing",
          `task ${task.id?.name} is cacheable but has an empty discovery_version`,
          Kind.USER,
          false,
        );
      }
      const outVars = task.interface?.outputs?.variables;
      if (!(outVars && Object.keys(outVars).length === 0)) {
        const dataset = cacheDataset(
          task.id!,
          meta.discoveryVersion,
          task.interface,
        );
        const tag = cacheTag(o.inputs, meta.cacheIgnoreInputVars);
        catalog = { dataset, tag };
        cacheStatus = CatalogCacheStatus.CACHE_MISS;
        if (!spec.overwriteCache) {
          const lookup = async (): Promise<NodeResult | undefined> => {
            const hit = s.store.cacheGet(dataset.key, tag);
            if (!hit) return undefined;
            // Artifacts older than max-cache-age count as misses.
            if (
              s.maxCacheAgeMs && Date.now() - hit.createdAt > s.maxCacheAgeMs
            ) {
              return undefined;
            }
            const out = joinUri(o.outputDir(0), "outputs.pb");
            await writeBytes(out, hit.outputs);
            const outputs = await readProto(LiteralMapSchema, out);
            return {
              outputs,
              outputUri: out,
              cacheStatus: CatalogCacheStatus.CACHE_HIT,
              catalog,
            };
          };
          const cached = await lookup();
          if (cached) return cached;
          if (meta.cacheSerializable) {
            // Cache serialization: one owner computes, the others wait for
            // it (QUEUED, "waiting on serialized cache") and then re-check.
            const key = `${dataset.key}|${tag}`;
            for (
              let held = s.reservations.get(key);
              held;
              held = s.reservations.get(key)
            ) {
              await held;
              const later = await lookup();
              if (later) return later;
            }
            const mine = Promise.withResolvers<void>();
            s.reservations.set(key, mine.promise);
            try {
              return await this.#attemptLoop(o, catalog, cacheStatus);
            } finally {
              s.reservations.delete(key);
              mine.resolve();
            }
          }
        } else cacheStatus = CatalogCacheStatus.CACHE_SKIPPED;
      }
    }
    return await this.#attemptLoop(o, catalog, cacheStatus);
  }

  /** The attempts of a task with retries; populates the cache on success. */
  async #attemptLoop(
    o: AttemptOpts,
    catalog: NodeResult["catalog"],
    cacheStatus: CatalogCacheStatus,
  ): Promise<NodeResult> {
    const s = this.#s;
    const { ctx, task } = o;
    const meta = task.metadata;
    const retries = ctx.node.metadata?.retries?.retries ??
      meta?.retries?.retries ?? 0;
    const maxAttempts = retries + 1;
    const rec = o.rec;
    // an attempt that was running when the engine stopped ended with it
    if (rec.attempts > 0 && o.report) {
      const a = rec.attempts - 1;
      const futuresUri = joinUri(o.outputDir(a), "futures.pb");
      if (await exists(futuresUri)) {
        // The task finished and produced a dynamic workflow before the stop:
        // continue that workflow (its finished children are kept).
        const outputs = await this.#runDynamic(o, a, futuresUri);
        const outputUri = joinUri(o.outputDir(a), "outputs.pb");
        return { outputs, outputUri, cacheStatus, catalog };
      }
    }
    if (rec.attempts > 0) {
      const a = rec.attempts - 1;
      const failure = new NodeFailure(
        "Interrupted",
        `the sandbox stopped while attempt ${a} was running (the task process was lost)`,
        Kind.SYSTEM,
        true,
      );
      if (o.report) {
        await s.reporter.task({
          ...this.#taskEventBase(o, a),
          phase: TaskPhase.FAILED,
          phaseVersion: 0,
          outputResult: { case: "error", value: toExecutionError(failure) },
        });
      }
      this.#checkRetry(failure, rec, maxAttempts);
      rec.systemFailures++;
      s.store.putNode(this.key, o.uniqueId, rec);
    }
    while (true) {
      const attempt = rec.attempts;
      rec.attempts++;
      s.store.putNode(this.key, o.uniqueId, rec);
      try {
        const got = await this.#attempt(o, attempt);
        const outputs = "futuresUri" in got
          ? await this.#runDynamic(o, attempt, got.futuresUri)
          : got;
        const outputUri = joinUri(o.outputDir(attempt), "outputs.pb");
        if (catalog) {
          try {
            s.store.cachePut(catalog.dataset.key, catalog.tag, {
              outputs: toBinary(LiteralMapSchema, outputs),
              createdAt: Date.now(),
              sourceExecution: this.key,
              sourceNode: o.uniqueId,
              sourceAttempt: attempt,
            });
            cacheStatus = CatalogCacheStatus.CACHE_POPULATED;
          } catch {
            cacheStatus = CatalogCacheStatus.CACHE_PUT_FAILURE;
          }
        }
        return { outputs, outputUri, cacheStatus, catalog };
      } catch (e) {
        if (
          e instanceof Aborted || this.abort.signal.aborted ||
          ctx.scope.abort.signal.aborted
        ) {
          throw e instanceof Aborted ? e : new Aborted(String(e));
        }
        if (!(e instanceof NodeFailure) || !e.recoverable) throw e;
        this.#checkRetry(e, rec, maxAttempts);
        if (e.kind === Kind.SYSTEM) rec.systemFailures++;
        s.store.putNode(this.key, o.uniqueId, rec);
      }
    }
  }

  /** Throws the permanent failure when a retryable failure may not retry. */
  #checkRetry(e: NodeFailure, rec: NodeRecord, maxAttempts: number): void {
    const eligible = e.kind === Kind.SYSTEM
      ? rec.systemFailures < this.#s.maxSystemFailures
      : rec.attempts - rec.systemFailures < maxAttempts;
    if (eligible) return;
    const kindName = Kind[e.kind] ?? "UNKNOWN";
    throw new NodeFailure(
      `RetriesExhausted|${e.code}`,
      `[${rec.attempts}/${maxAttempts}] currentAttempt done. Last Error: ${kindName}::${e.message}`,
      Kind.USER,
      false,
    );
  }

  #taskEventBase(o: AttemptOpts, attempt: number) {
    const interruptible = this.#interruptible(o.ctx.node, o.task);
    return {
      taskId: o.task.id,
      parentNodeExecutionId: { executionId: this.#execId, nodeId: o.uniqueId },
      retryAttempt: attempt,
      taskType: o.task.type,
      eventVersion: 0,
      metadata: {
        generatedName: generatedName(this.#execId.name, o.uniqueId, attempt),
        pluginIdentifier: "container",
        instanceClass: interruptible
          ? TaskExecutionMetadata_InstanceClass.INTERRUPTIBLE
          : TaskExecutionMetadata_InstanceClass.DEFAULT,
      },
    };
  }

  #interruptible(node: Node, task: TaskTemplate): boolean {
    if (node.metadata?.interruptibleValue.case === "interruptible") {
      return node.metadata.interruptibleValue.value;
    }
    if (this.req.spec.interruptible !== undefined) {
      return this.req.spec.interruptible;
    }
    if (task.metadata?.interruptibleValue.case === "interruptible") {
      return task.metadata.interruptibleValue.value;
    }
    return false;
  }

  #rawPrefix(name: string): string {
    const base = this.req.spec.rawOutputDataConfig?.outputLocationPrefix ||
      this.req.rawOutputPrefix;
    // A plain path for a local store: see local_refs.ts.
    return plainLocalRef(joinUri(base, shardOf(name), name));
  }

  /** One attempt: render, spawn, wait, read the outcome; task events. */
  async #attempt(
    o: AttemptOpts,
    attempt: number,
  ): Promise<LiteralMap | { futuresUri: string }> {
    const s = this.#s;
    const { task } = o;
    const O = o.outputDir(attempt);
    const name = generatedName(this.#execId.name, o.uniqueId, attempt);
    const raw = this.#rawPrefix(name);
    const prev = attempt > 0
      ? joinUri(
        this.#rawPrefix(
          generatedName(this.#execId.name, o.uniqueId, attempt - 1),
        ),
        "_flytecheckpoints",
      )
      : '""';
    const logDir = `${this.key.replaceAll(":", "/")}/${name}`;
    const stdoutRel = `${logDir}/stdout.log`;
    const stderrRel = `${logDir}/stderr.log`;
    const logs: TaskLog[] = [
      create(TaskLogSchema, { name: "stdout", uri: s.logUrl(stdoutRel) }),
      create(TaskLogSchema, { name: "stderr", uri: s.logUrl(stderrRel) }),
    ];
    const base = this.#taskEventBase(o, attempt);
    const report = o.report;
    const release = this.#parallel
      ? await this.#parallel.acquire(o.ctx.scope.abort.signal)
      : () => {};
    let releaseSlot = () => {};
    let running: Promise<void> = Promise.resolve();
    try {
      if (o.ctx.scope.abort.signal.aborted) {
        throw o.ctx.scope.abort.signal.reason;
      }
      if (report) {
        await s.reporter.task({
          ...base,
          phase: TaskPhase.QUEUED,
          phaseVersion: 0,
          inputValue: { case: "inputUri", value: o.inputUri },
        });
      }
      await o.ctx.markRunning?.();
      o.onPhase?.(attempt, TaskPhase.RUNNING);
      const container = runnableContainer(task);
      const values = {
        input: o.inputUri,
        inputPrefix: o.D,
        outputPrefix: O,
        rawOutputDataPrefix: raw,
        checkpointOutputPrefix: joinUri(raw, "_flytecheckpoints"),
        prevCheckpointPrefix: prev,
        perRetryUniqueKey: perRetryUniqueKey(name),
        taskTemplatePath: joinUri(o.D, "task.pb"),
        namespace: `${this.#execId.project}-${this.#execId.domain}`,
        inputs: o.itemInputs ?? o.inputs,
      };
      let argv = [...container.command, ...container.args].map((a) =>
        renderArg(a, values)
      );
      if (
        [...container.command, ...container.args].some((a) =>
          /tasktemplatepath/i.test(a)
        )
      ) {
        await writeProto(TaskTemplateSchema, values.taskTemplatePath, task);
      }
      const env: Record<string, string> = { ...s.baseEnv };
      for (const kv of container.env) env[kv.key] = kv.value;
      const wfId = this.req.closure.primary?.template?.id;
      Object.assign(env, {
        FLYTE_INTERNAL_EXECUTION_WORKFLOW:
          `${wfId?.project}:${wfId?.domain}:${wfId?.name}`,
        FLYTE_INTERNAL_EXECUTION_ID: this.#execId.name,
        FLYTE_INTERNAL_EXECUTION_PROJECT: this.#execId.project,
        FLYTE_INTERNAL_EXECUTION_DOMAIN: this.#execId.domain,
        FLYTE_ATTEMPT_NUMBER: String(attempt),
        FLYTE_INTERNAL_TASK_PROJECT: task.id?.project ?? "",
        FLYTE_INTERNAL_TASK_DOMAIN: task.id?.domain ?? "",
        FLYTE_INTERNAL_TASK_NAME: task.id?.name ?? "",
        FLYTE_INTERNAL_TASK_VERSION: task.id?.version ?? "",
      });
      for (const kv of this.req.spec.envs?.values ?? []) env[kv.key] = kv.value;
      if (o.arrayIndex !== undefined) {
        env.BATCH_JOB_ARRAY_INDEX_VAR_NAME = "FLYTE_K8S_ARRAY_INDEX";
        env.FLYTE_K8S_ARRAY_INDEX = String(o.arrayIndex);
      }
      const scratch = `${s.dataDir}/work/${logDir}`;
      await Deno.mkdir(scratch, { recursive: true });
      let copilot: Awaited<ReturnType<typeof prepareCopilotInputs>> | undefined;
      if (container.dataConfig?.enabled) {
        copilot = await prepareCopilotInputs(
          container.dataConfig,
          values.inputs,
          scratch,
        );
        argv = argv.map(copilot.rewrite);
        for (const k of Object.keys(env)) env[k] = copilot.rewrite(env[k]);
      }
      if (argv.length === 0) {
        throw new NodeFailure(
          "EmptyCommand",
          `task ${task.id?.name} has no command or args`,
          Kind.USER,
          false,
        );
      }
      if (s.extraPath.length) {
        env.PATH = [...s.extraPath, env.PATH ?? ""].filter(Boolean).join(":");
      }
      const localized = localizeFastExecute(argv, scratch);
      // With fast registration, the code folder plays the image's working
      // directory: flytekit's `--dest-dir .` (interactive mode, pickled
      // tasks) unpacks there and then loads what it unpacked from `.`.
      let cwd = scratch;
      if (localized !== argv) {
        cwd = `${scratch}/code`;
        await Deno.mkdir(cwd, { recursive: true });
      }
      const mapped = expandRuntimeCommand(
        s.commandMapper(container.image, localized),
      );
      const exe = await resolveCommand(mapped[0], s.extraPath, env.PATH);
      const timeout = o.ctx.node.metadata?.timeout ?? task.metadata?.timeout;
      const stdoutPath = `${s.dataDir}/logs/${stdoutRel}`;
      const stderrPath = `${s.dataDir}/logs/${stderrRel}`;
      let pidSeen = 0;
      releaseSlot = await s.processes.acquire(o.ctx.scope.abort.signal);
      const result = await runProcess({
        argv: [exe, ...mapped.slice(1)],
        env,
        cwd,
        stdoutPath,
        stderrPath,
        timeoutMs: timeout ? durationMs(timeout) : undefined,
        signal: o.ctx.scope.abort.signal,
        onSpawn: (pid) => {
          pidSeen = pid;
          s.store.addProcess(this.key, o.uniqueId, attempt, pid);
          if (report) {
            running = s.reporter.task({
              ...base,
              phase: TaskPhase.RUNNING,
              phaseVersion: 0,
              logs,
              inputValue: { case: "inputUri", value: o.inputUri },
            });
          }
        },
      });
      releaseSlot();
      await running;
      if (pidSeen) s.store.removeProcess(this.key, o.uniqueId, attempt);
      if (result.aborted) {
        throw o.ctx.scope.abort.signal.reason ?? new Aborted("aborted");
      }
      if (copilot && result.code === 0 && !result.timedOut) {
        await collectCopilotOutputs(
          container.dataConfig!,
          task.interface,
          scratch,
          O,
          raw,
        );
      }
      const futuresUri = joinUri(O, "futures.pb");
      if (
        report && result.code === 0 && !result.timedOut &&
        await exists(futuresUri)
      ) {
        await s.reporter.task({
          ...base,
          phase: TaskPhase.SUCCEEDED,
          phaseVersion: 0,
          logs,
        });
        o.onPhase?.(attempt, TaskPhase.SUCCEEDED);
        return { futuresUri };
      }
      const outputs = await readOutcome(result, O, task.interface, stderrPath);
      const outputsUri = joinUri(O, "outputs.pb");
      if (!(await exists(outputsUri))) {
        // No declared outputs and none written: keep the URI readable.
        await writeProto(LiteralMapSchema, outputsUri, outputs);
      }
      if (report) {
        await s.reporter.task({
          ...base,
          phase: TaskPhase.SUCCEEDED,
          phaseVersion: 0,
          logs,
          outputResult: { case: "outputUri", value: joinUri(O, "outputs.pb") },
        });
      }
      o.onPhase?.(attempt, TaskPhase.SUCCEEDED);
      return outputs;
    } catch (e) {
      if (e instanceof Aborted || o.ctx.scope.abort.signal.aborted) {
        if (this.#stopping) throw e;
        if (report) {
          await s.reporter.task({
            ...base,
            phase: TaskPhase.ABORTED,
            phaseVersion: 0,
            logs,
            reason: (o.ctx.scope.abort.signal.reason as Error)?.message ??
              "aborted",
          });
        }
        o.onPhase?.(attempt, TaskPhase.ABORTED);
        throw e instanceof Aborted ? e : new Aborted(String(e));
      }
      if (report) {
        await s.reporter.task({
          ...base,
          phase: TaskPhase.FAILED,
          phaseVersion: 0,
          logs,
          outputResult: { case: "error", value: toExecutionError(e) },
        });
      }
      o.onPhase?.(attempt, TaskPhase.FAILED);
      throw e;
    } finally {
      release();
    }
  }

  /** Runs the workflow a dynamic task wrote to futures.pb; returns its outputs. */
  async #runDynamic(
    o: AttemptOpts,
    attempt: number,
    futuresUri: string,
  ): Promise<LiteralMap> {
    const s = this.#s;
    const O = o.outputDir(attempt);
    const spec = await readProto(DynamicJobSpecSchema, futuresUri);
    for (const t of spec.tasks) this.#tasks.set(idKey(t.id), t);
    const id = create(IdentifierSchema, {
      resourceType: ResourceType.WORKFLOW,
      project: this.#execId.project,
      domain: this.#execId.domain,
      name: `dynamic_${o.ctx.node.id}`,
      version: crypto.randomUUID().replaceAll("-", "").slice(0, 20),
    });
    const tpl = create(WorkflowTemplateSchema, {
      id,
      interface: o.task.interface,
      nodes: spec.nodes,
      outputs: spec.outputs,
    });
    let compiled: CompiledWorkflowClosure | undefined;
    try {
      compiled = compileWorkflow(
        tpl,
        spec.subworkflows,
        spec.tasks.map((t) => compileTask(t)),
        [],
      );
    } catch {
      // Launch-plan references cannot be checked here; run the graph as given.
    }
    const primary: CompiledWorkflow = compiled?.primary ??
      create(CompiledWorkflowSchema, { template: tpl });
    for (const w of compiled?.subWorkflows ?? []) {
      if (w.template) this.#subworkflows.set(idKey(w.template.id), w);
    }
    if (!compiled) {
      for (const w of spec.subworkflows) {
        this.#subworkflows.set(
          idKey(w.id),
          create(CompiledWorkflowSchema, { template: w }),
        );
      }
    }
    await s.reporter.node({
      ...o.ctx.common,
      phase: NodePhase.DYNAMIC_RUNNING,
      isDynamic: true,
      isParent: true,
      inputValue: { case: "inputUri", value: o.inputUri },
      targetMetadata: {
        case: "taskNodeMetadata",
        value: {
          dynamicWorkflow: {
            id,
            compiledWorkflow: compiled,
            dynamicJobSpecUri: futuresUri,
          },
        },
      },
    });
    const scope = this.#scope(
      primary,
      { uniqueId: o.uniqueId, attempt },
      O,
      o.ctx.scope.abort,
    );
    await this.#runGraph(scope, o.inputs);
    const outputs = scope.outputs.get("end-node") ?? EMPTY();
    const missing = Object.keys(o.task.interface?.outputs?.variables ?? {})
      .filter((n) => !(n in outputs.literals));
    if (missing.length) {
      throw new NodeFailure(
        "OutputsNotFound",
        `dynamic workflow of ${o.ctx.node.id} does not bind declared output(s) ${
          missing.join(", ")
        }`,
        Kind.USER,
        false,
      );
    }
    await writeProto(LiteralMapSchema, joinUri(O, "outputs.pb"), outputs);
    return outputs;
  }
}
