/**
 * The objects FlyteRemote returns: fetched entities (models_entities.ts)
 * and execution snapshots — executions, node executions, task attempts,
 * signals — camelCase views over the flyteidl messages (kept in `raw` as an
 * escape hatch), with phases as strings (models_common.ts) and outputs
 * decoded through the interface when first read (once per literal map).
 *
 * @module
 */
import type { Execution } from "@flyteidl/admin/execution_pb.ts";
import type {
  DynamicWorkflowNodeMetadata,
  NodeExecution,
} from "@flyteidl/admin/node_execution_pb.ts";
import type { TaskExecution } from "@flyteidl/admin/task_execution_pb.ts";
import type { Signal } from "@flyteidl/admin/signal_pb.ts";
import type {
  Identifier,
  NodeExecutionIdentifier,
  TaskExecutionIdentifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type ExecutionError,
  NodeExecution_Phase,
  TaskExecution_Phase,
  type TaskLog,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import { FlyteError } from "../client/errors.ts";
import {
  type MimeBundle,
  renderExecution,
  renderNodeExecution,
  renderTaskExecution,
} from "../display/mod.ts";
import {
  formatExecutionId,
  formatNodeExecutionId,
  formatTaskExecutionId,
} from "./ids.ts";
import {
  DecodeCache,
  type ExecutionPhase,
  type NodePhase,
  type TaskPhase,
  TERMINAL_EXECUTION,
  TERMINAL_NODE,
  TERMINAL_TASK,
  toDate,
} from "./models_common.ts";

export {
  type ExecutionPhase,
  isTerminalPhase,
  type NodePhase,
  type TaskPhase,
} from "./models_common.ts";
export {
  RemoteLaunchPlan,
  RemoteTask,
  RemoteWorkflow,
} from "./models_entities.ts";

/** What kind of node a node execution ran, read from the workflow template and the node's metadata.  *
 * @example
 * ```ts
 * import type { NodeKind } from "./models.ts";
 * const k: NodeKind = "dynamic";
 * ```
 */
export type NodeKind =
  | "start"
  | "end"
  | "task"
  | "subworkflow"
  | "launchplan"
  | "dynamic"
  | "branch"
  | "gate"
  | "array"
  | "unknown";

/**
 * One attempt of a task (a task execution), with its logs and data.
 *
 * @example
 * ```ts
 * import type { RemoteTaskExecution } from "./models.ts";
 * function logs(t: RemoteTaskExecution) { return t.logs.map((l) => l.uri); }
 * ```
 */
export class RemoteTaskExecution {
  /** The admin message. */
  readonly raw: TaskExecution;
  /** The task's interface, when known (types the decoded inputs and outputs). */
  interface?: TypedInterface;
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched and the attempt succeeded. */
  outputLiterals?: LiteralMap;
  /** Node executions under this attempt (array-node subtasks, dynamic children), when synced. */
  children: RemoteNodeExecution[] = [];
  /** Console link ("" until known). */
  consoleUrl = "";
  readonly #inputs = new DecodeCache();
  readonly #outputs = new DecodeCache();
  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderTaskExecution(this, this.consoleUrl);
  }
  /** Creates the view. */
  constructor(raw: TaskExecution) {
    this.raw = raw;
  }
  /** The task execution id. */
  get id(): TaskExecutionIdentifier {
    return this.raw.id!;
  }
  /** Inputs decoded through the interface when first read, then kept (empty until fetched). */
  get inputs(): Record<string, unknown> {
    return this.#inputs.get(
      this.inputLiterals,
      this.interface?.inputs?.variables,
      "inputs",
    );
  }
  /** Outputs decoded through the interface when first read, then kept (empty until fetched or when it produced none). */
  get outputs(): Record<string, unknown> {
    return this.#outputs.get(
      this.outputLiterals,
      this.interface?.outputs?.variables,
      "outputs",
    );
  }
  /** Retry attempt number (0 first). */
  get retryAttempt(): number {
    return this.raw.id?.retryAttempt ?? 0;
  }
  /** Phase as a string. */
  get phase(): TaskPhase {
    return TaskExecution_Phase[
      this.raw.closure?.phase ?? 0
    ] as TaskPhase;
  }
  /** True once the attempt has finished. */
  get isDone(): boolean {
    return TERMINAL_TASK.has(this.phase);
  }
  /** The error, when it failed. */
  get error(): ExecutionError | undefined {
    const r = this.raw.closure?.outputResult;
    return r?.case === "error" ? r.value : undefined;
  }
  /** Log links. */
  get logs(): TaskLog[] {
    return this.raw.closure?.logs ?? [];
  }
  /** True when this attempt has child node executions. */
  get isParent(): boolean {
    return this.raw.isParent;
  }
  /** When it started. */
  get startedAt(): Date | undefined {
    return toDate(this.raw.closure?.startedAt);
  }
  /** `project/domain/name#node/attempt`. */
  toString(): string {
    return formatTaskExecutionId(this.id);
  }
}

/**
 * One node of an execution, with what ran under it: task attempts, child
 * nodes (sub-workflow, dynamic, branch, array), or the child execution of a
 * launch-plan node.
 *
 * @example
 * ```ts
 * import type { RemoteNodeExecution } from "./models.ts";
 * function count(n: RemoteNodeExecution): number {
 *   return 1 + [...n.children.values()].reduce((a, c) => a + count(c), 0);
 * }
 * ```
 */
export class RemoteNodeExecution {
  /** The admin message. */
  readonly raw: NodeExecution;
  /** What kind of node this is. */
  kind: NodeKind = "unknown";
  /**
   * True for the workflow's failure node (flytekit's `on_failure`), which
   * runs only when the workflow fails; `kind` says what it runs.
   */
  isFailureNode = false;
  /** The interface of what the node ran, when known (types the decoded inputs and outputs). */
  interface?: TypedInterface;
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched and the node succeeded. */
  outputLiterals?: LiteralMap;
  /** Task attempts (task, dynamic and array nodes), oldest first. */
  taskExecutions: RemoteTaskExecution[] = [];
  /** Child node executions by node id (sub-workflow, dynamic, branch, array, failure). */
  children: Map<string, RemoteNodeExecution> = new Map();
  /** For a launch-plan node: the child workflow execution, synced. */
  childExecution?: RemoteExecution;
  /** For a dynamic node: the workflow it generated. */
  dynamicWorkflow?: DynamicWorkflowNodeMetadata;
  /** Console link ("" until known). */
  consoleUrl = "";
  readonly #inputs = new DecodeCache();
  readonly #outputs = new DecodeCache();
  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderNodeExecution(this, this.consoleUrl);
  }
  /** Creates the view. */
  constructor(raw: NodeExecution) {
    this.raw = raw;
  }
  /** The node execution id. */
  get id(): NodeExecutionIdentifier {
    return this.raw.id!;
  }
  /** Inputs decoded through the interface when first read, then kept (empty until fetched). */
  get inputs(): Record<string, unknown> {
    return this.#inputs.get(
      this.inputLiterals,
      this.interface?.inputs?.variables,
      "inputs",
    );
  }
  /** Outputs decoded through the interface when first read, then kept (empty until fetched or when it produced none). */
  get outputs(): Record<string, unknown> {
    return this.#outputs.get(
      this.outputLiterals,
      this.interface?.outputs?.variables,
      "outputs",
    );
  }
  /** The node id (unique within the execution, e.g. `n0-0-n1` for nested ones). */
  get nodeId(): string {
    return this.raw.id?.nodeId ?? "";
  }
  /** The id in the workflow template (differs from nodeId for nested nodes). */
  get specNodeId(): string {
    return this.raw.metadata?.specNodeId || this.nodeId;
  }
  /** Phase as a string. */
  get phase(): NodePhase {
    return NodeExecution_Phase[this.raw.closure?.phase ?? 0] as NodePhase;
  }
  /** True once the node has finished. */
  get isDone(): boolean {
    return TERMINAL_NODE.has(this.phase);
  }
  /** The error, when it failed. */
  get error(): ExecutionError | undefined {
    const r = this.raw.closure?.outputResult;
    return r?.case === "error" ? r.value : undefined;
  }
  /** When it started. */
  get startedAt(): Date | undefined {
    return toDate(this.raw.closure?.startedAt);
  }
  /** Every node execution under this one, depth first (children, and the child execution's nodes). */
  *descendants(): Generator<RemoteNodeExecution> {
    for (const c of this.children.values()) {
      yield c;
      yield* c.descendants();
    }
    for (const t of this.taskExecutions) {
      for (const c of t.children) {
        yield c;
        yield* c.descendants();
      }
    }
    if (this.childExecution) {
      for (const n of this.childExecution.nodeExecutions.values()) {
        yield n;
        yield* n.descendants();
      }
    }
  }
  /** `project/domain/name#node`. */
  toString(): string {
    return formatNodeExecutionId(this.id);
  }
}

/**
 * A workflow execution snapshot. `outputs` is typed by the caller (`O`) and
 * decoded through the execution's output interface.
 *
 * @example
 * ```ts
 * import type { RemoteExecution } from "./models.ts";
 * function total(e: RemoteExecution<{ total: number }>) { return e.outputs.total; }
 * ```
 */
export class RemoteExecution<
  O extends Record<string, unknown> = Record<string, unknown>,
> {
  /** The admin message of the last sync. */
  raw: Execution;
  /** The interface of what ran (task, or launch plan's workflow), when known. */
  interface?: TypedInterface;
  /** Input literals, when fetched. */
  inputLiterals?: LiteralMap;
  /** Output literals, when fetched and the execution succeeded. */
  outputLiterals?: LiteralMap;
  /** Where admin said the outputs are, when it did not inline them. */
  outputsUri?: string;
  /** Node executions by node id (top level), when synced with nodes. */
  nodeExecutions: Map<string, RemoteNodeExecution> = new Map();
  /** The compiled workflow the execution ran, when synced with nodes. */
  workflow?: CompiledWorkflowClosure;
  /** Console link for this execution. */
  consoleUrl = "";
  readonly #inputs = new DecodeCache();
  readonly #outputs = new DecodeCache();

  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderExecution(this);
  }
  /** Creates the view. */
  constructor(raw: Execution) {
    this.raw = raw;
  }
  /** The execution id. */
  get id(): WorkflowExecutionIdentifier {
    return this.raw.id!;
  }
  /** The execution name. */
  get name(): string {
    return this.raw.id?.name ?? "";
  }
  /** Phase as a string. */
  get phase(): ExecutionPhase {
    return WorkflowExecution_Phase[
      this.raw.closure?.phase ?? 0
    ] as ExecutionPhase;
  }
  /** True once the execution has finished (ABORTED, FAILED, SUCCEEDED, TIMED_OUT). */
  get isDone(): boolean {
    return TERMINAL_EXECUTION.has(this.phase);
  }
  /** True when it succeeded. */
  get isSuccessful(): boolean {
    return this.phase === "SUCCEEDED";
  }
  /** The error, when it failed. */
  get error(): ExecutionError | undefined {
    const r = this.raw.closure?.outputResult;
    return r?.case === "error" ? r.value : undefined;
  }
  /** The abort cause, when aborted. */
  get abortCause(): string | undefined {
    const r = this.raw.closure?.outputResult;
    if (r?.case === "abortCause") return r.value;
    if (r?.case === "abortMetadata") return r.value.cause;
    // Propeller's ABORTED event has no result, so admin keeps the abort
    // metadata; an engine that closes an abort with an error event instead
    // replaces it, and the error's message is the best cause left.
    if (r?.case === "error" && this.phase === "ABORTED") return r.value.message;
    return undefined;
  }
  /** The launch plan (or task) it was started from. */
  get launchPlanId(): Identifier | undefined {
    return this.raw.spec?.launchPlan;
  }
  /** The version of the launch plan (or task) it was started from. */
  get version(): string {
    return this.raw.spec?.launchPlan?.version ?? "";
  }
  /** The workflow it ran. */
  get workflowId(): Identifier | undefined {
    return this.raw.closure?.workflowId;
  }
  /** When it started / was created / was last updated. */
  get startedAt(): Date | undefined {
    return toDate(this.raw.closure?.startedAt);
  }
  /** When it was created. */
  get createdAt(): Date | undefined {
    return toDate(this.raw.closure?.createdAt);
  }
  /** Inputs decoded through the interface when first read, then kept (empty until fetched). */
  get inputs(): Record<string, unknown> {
    return this.#inputs.get(
      this.inputLiterals,
      this.interface?.inputs?.variables,
      "inputs",
    );
  }
  /**
   * Outputs decoded through the interface. Throws a FlyteError with the
   * reason when the execution has not succeeded.
   */
  get outputs(): O {
    if (!this.isDone) {
      throw new FlyteError(
        `execution ${
          formatExecutionId(this.id)
        } is ${this.phase}; outputs exist once it has SUCCEEDED (wait for it first)`,
      );
    }
    if (!this.isSuccessful) {
      const why = this.error
        ? `${this.error.code}: ${this.error.message}`
        : this.abortCause ?? this.phase;
      throw new FlyteError(
        `execution ${
          formatExecutionId(this.id)
        } ended ${this.phase} and has no outputs: ${why}`,
      );
    }
    if (!this.outputLiterals && this.outputsUri) {
      throw new FlyteError(
        `execution ${
          formatExecutionId(this.id)
        }: outputs are too large to inline and are stored at ${this.outputsUri}, which cannot be read without storage credentials`,
      );
    }
    return this.#outputs.get(
      this.outputLiterals,
      this.interface?.outputs?.variables,
      "outputs",
    ) as O;
  }
  /** The declared type of output `name`, when the interface is known. */
  outputType(name: string): LiteralType | undefined {
    return this.interface?.outputs?.variables[name]?.type;
  }
  /** Every node execution, depth first, nested ones included. */
  *allNodeExecutions(): Generator<RemoteNodeExecution> {
    for (const n of this.nodeExecutions.values()) {
      yield n;
      yield* n.descendants();
    }
  }
  /** `project/domain/name`. */
  toString(): string {
    return formatExecutionId(this.id);
  }
}

/**
 * A signal a gate node waits for.
 *
 * @example
 * ```ts
 * import type { RemoteSignal } from "./models.ts";
 * function pending(s: RemoteSignal) { return s.value === undefined; }
 * ```
 */
export interface RemoteSignal {
  /** The signal id (the gate's name). */
  signalId: string;
  /** The execution waiting on it. */
  executionId: WorkflowExecutionIdentifier;
  /** The type its value must have. */
  type?: LiteralType;
  /** The value, once set. */
  value?: unknown;
  /** The admin message. */
  raw: Signal;
}
