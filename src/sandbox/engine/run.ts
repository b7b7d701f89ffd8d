/**
 * One execution (propeller's workflow executor): the workflow's events
 * around the walk of its graph (graph.ts), each node run by the node
 * executor (node.ts) through its kind's handler (nodes/), progress kept in
 * the engine store so a restart resumes. The {@link RunApi} it implements is
 * all the handlers see of it.
 *
 * @module
 */
import {
  ExecutionError_ErrorKind as Kind,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import type { Literal, LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type {
  CompiledWorkflow,
  CompiledWorkflowClosure,
} from "@flyteidl/core/compiler_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type {
  Identifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { LaunchRequest } from "../launcher.ts";
import { Aborted, NodeFailure, ShutdownSignal } from "./errors.ts";
import { toExecutionError } from "./events.ts";
import { execKey } from "./store.ts";
import { Semaphore } from "./concurrency.ts";
import {
  type AttemptOpts,
  idKey,
  type NodeResult,
  type RunApi,
  type RunSettings,
  type Scope,
} from "./context.ts";
import { runFailureNode, runTaskAttempts } from "./nodes/mod.ts";
import { newScope } from "./scope.ts";
import { walkGraph } from "./graph.ts";
import { runNode } from "./node.ts";

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
    return newScope(wf, parent, childBase, parentAbort);
  }

  /** Walks a graph to its end node; returns the end node's output URI. */
  runGraph(scope: Scope, startInputs?: LiteralMap): Promise<string> {
    return walkGraph(this, scope, startInputs);
  }

  /** Runs one node with its events and durable record. */
  runNode(
    scope: Scope,
    node: Node,
    extraInputs?: Record<string, Literal>,
  ): Promise<void> {
    return runNode(this, scope, node, extraInputs);
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
      const scope = newScope(primary, undefined, undefined, this.abort);
      try {
        const endUri = await walkGraph(this, scope);
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
