/**
 * FlyteRemote: drive a Flyte backend (a real cluster or the sandbox) from
 * Deno. Owns the facade ({@link FlyteRemote}) and one module per concern:
 * ids, console, paging, pool, inputs, models, entities, executions, sync
 * (monitoring), wait, signals, metrics, schedule and backfill.
 *
 * Data: local files/directories given to `execute` for file/directory
 * inputs are uploaded first; `upload`, `download`, `getData` transfer data
 * (src/data, loaded on first use).
 *
 * May import: src/client (connection, config, errors), src/types (literal
 * conversion), src/data (transfers), the generated flyteidl bindings. Never
 * src/sandbox.
 *
 * @example
 * ```ts
 * import { FlyteRemote } from "./mod.ts";
 * const remote = await FlyteRemote.forSandbox();
 * for await (const e of remote.recentExecutions({ limit: 5 })) console.log(e.name, e.phase);
 * ```
 *
 * @module
 */
export {
  type ConnectOptions,
  FlyteRemote,
  type FlyteRemoteOptions,
  type RemoteConnection,
} from "./remote.ts";
export type { RemoteServices } from "./context.ts";
export type { FetchOptions, Lazy, ScopedListOptions } from "./entities.ts";
export type {
  Executable,
  ExecuteOptions,
  RecentOptions,
} from "./executions.ts";
export type { SyncOptions } from "./sync.ts";
export {
  isLocalDefinition,
  type LocalDefinition,
  registerDefinition,
  type RegisterOptions,
  type Registration,
} from "./register.ts";
export type { WaitOptions } from "./wait.ts";
export type {
  Interactive,
  InteractiveHost,
  InteractiveOptions,
  InteractiveReport,
  PreparedTask,
  TaskPlan,
  UploadedPackage,
} from "./interactive.ts";
export type { RegisterScriptOptions, ScriptRegistration } from "./script.ts";
export type { ExecutionRef, SignalType } from "./signals.ts";
export type { ExecutionMetrics, ExecutionSpan } from "./metrics.ts";
export type { BackfillOptions, BackfillResult } from "./backfill.ts";
export type { ListOptions } from "./paging.ts";
export type { ConsoleTarget } from "./console.ts";
export type { InterfaceInput } from "./inputs.ts";
export { asTable, withDisplay } from "./display.ts";
export {
  type ExecutionPhase,
  isTerminalPhase,
  type NodeKind,
  type NodePhase,
  RemoteExecution,
  RemoteLaunchPlan,
  RemoteNodeExecution,
  type RemoteSignal,
  RemoteTask,
  RemoteTaskExecution,
  RemoteWorkflow,
  type TaskPhase,
} from "./models.ts";
export { cronTicks } from "./schedule.ts";
export { chooseExecutionName, type EntityKind } from "./ids.ts";
export { Entities } from "./entities.ts";
export { Executions } from "./executions.ts";
export { Monitor } from "./sync.ts";
export { isTransient, type Reconnecting } from "./retry_wait.ts";
export { Signals } from "./signals.ts";
