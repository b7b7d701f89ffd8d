/**
 * One execution's loop: walks the compiled workflow graph, runs each node
 * kind as propeller does, keeps progress in the {@link EngineStore} so a
 * restart resumes, and reports every change through {@link EventReporter}.
 *
 * @module
 */
import {
  ExecutionError_ErrorKind as Kind,
  NodeExecution_Phase as NodePhase,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type {
  CompiledWorkflow,
  CompiledWorkflowClosure,
} from "@flyteidl/core/compiler_pb.ts";
import {
  type Node,
  WorkflowMetadata_OnFailurePolicy,
} from "@flyteidl/core/workflow_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type {
  Identifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { LaunchRequest } from "../launcher.ts";
import { Aborted, NodeFailure, ShutdownSignal } from "./errors.ts";
import { toExecutionError } from "./events.ts";
import { execKey } from "./store.ts";
import { resolveBindings } from "./bindings.ts";
import { caseDependencies } from "./branch.ts";
import { childUniqueId } from "./ids.ts";
import { joinUri, readProto, writeProto } from "./storage.ts";
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
import { handlerFor, runFailureNode, runTaskAttempts } from "./nodes/mod.ts";
import { withPlainLocalBlobs } from "./local_refs.ts";

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
    return runTaskAttempts(this, o);
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
}
