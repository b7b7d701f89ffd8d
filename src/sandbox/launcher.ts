/**
 * The seam between the sandbox's two halves, shaped like Flyte's own split:
 * the admin side (FlyteAdmin's job: API, storage, compilation) hands an
 * accepted execution to the engine (propeller's job: running it) through an
 * {@link ExecutionLauncher}, as FlyteAdmin creates a FlyteWorkflow resource
 * for propeller. The engine reports progress back only through the
 * AdminService event RPCs (`createWorkflowEvent`, `createNodeEvent`,
 * `createTaskEvent`) and the SignalService, called in-process with
 * flyteidl event messages, exactly as propeller reports to FlyteAdmin.
 *
 * @module
 */
import type {
  Identifier,
  NodeExecutionIdentifier,
  WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import type { ExecutionSpec } from "@flyteidl/admin/execution_pb.ts";

/**
 * Everything the engine needs to run one execution.
 *
 * @example
 * ```ts
 * import type { LaunchRequest } from "./launcher.ts";
 * function describe(r: LaunchRequest): string {
 *   return `${r.id.project}/${r.id.domain}/${r.id.name} inputs at ${r.inputsUri}`;
 * }
 * ```
 */
export interface LaunchRequest {
  /** The execution's id. */
  id: WorkflowExecutionIdentifier;
  /** The compiled workflow to run (for a single-task execution, the wrapper workflow admin built). */
  closure: CompiledWorkflowClosure;
  /** The launch plan the execution was created from, when there is one. */
  launchPlanId?: Identifier;
  /** The execution spec as stored by admin (labels, envs, overwrite_cache, raw output config, ...). */
  spec: ExecutionSpec;
  /** Native URI (`s3://<bucket>/...`; `file://` in older data directories) of the execution's inputs.pb (a core.LiteralMap), written by admin. */
  inputsUri: string;
  /** Native URI of the workflow metadata prefix `W` (see propeller-contract.md §1). */
  metadataPrefix: string;
  /** Native URI of the raw output data base prefix. */
  rawOutputPrefix: string;
  /** For a child execution started by a launch-plan node: the parent node execution. */
  parentNodeExecution?: NodeExecutionIdentifier;
}

/**
 * Runs executions that admin has accepted. Implemented by the engine.
 *
 * @example
 * ```ts
 * import type { ExecutionLauncher, LaunchRequest } from "./launcher.ts";
 * const started: LaunchRequest[] = [];
 * const recorder: ExecutionLauncher = {
 *   launch: (r) => { started.push(r); return Promise.resolve(); },
 *   terminate: () => Promise.resolve(),
 *   close: () => Promise.resolve(),
 * };
 * ```
 */
export interface ExecutionLauncher {
  /** Accepts an execution and starts running it; resolves once accepted (not when finished). */
  launch(request: LaunchRequest): Promise<void>;
  /** Stops a running execution: kills its processes; the engine then reports ABORTED. */
  terminate(id: WorkflowExecutionIdentifier, cause: string): Promise<void>;
  /** Stops every execution loop (not the processes' records); used on sandbox shutdown. */
  close(): Promise<void>;
}
