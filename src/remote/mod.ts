/**
 * FlyteRemote: drive a Flyte backend (a real cluster or the sandbox) from
 * Deno. Owns the facade ({@link FlyteRemote}: fetch*, execute, register,
 * wait, syncExecution, upload, download, generateConsoleUrl) and the
 * sub-clients it composes, each documenting its calls:
 * - `remote.entities` ({@link Entities}): fetch (also lazily and the active
 *   launch plan), list, register flyteidl specs, (de)activate launch plans;
 * - `remote.executions` ({@link Executions}): execute, fetch, list recent,
 *   wait, watch, relaunch, terminate, backfill;
 * - `remote.monitor` ({@link Monitor}): sync executions, node trees and task
 *   attempts; execution metrics;
 * - `remote.signals` ({@link Signals}): list, approve, reject, set gate inputs;
 * - `remote.data` ({@link RemoteData}): call it to read a file, directory or
 *   dataset; upload, upload a directory, download, GetData.
 *
 * The older names on FlyteRemote (`remote.signals.listSignals`, `remote.entities.registerTask`,
 * ...) still work as deprecated aliases naming the new call
 * (remote_aliases.ts). Local files/directories given to `execute` for
 * file/directory inputs are uploaded first.
 *
 * May import: src/client (connection, config, errors), src/types (literal
 * conversion), src/sdk, src/bundle, src/data (transfers), src/display, the
 * generated flyteidl bindings. Never src/sandbox.
 *
 * @example
 * ```ts
 * import { FlyteRemote } from "./mod.ts";
 * const remote = await FlyteRemote.forSandbox();
 * for await (const e of remote.executions.recentExecutions({ limit: 5 })) console.log(e.name, e.phase);
 * ```
 *
 * @module
 */
export { FlyteRemote } from "./remote.ts";
export type {
  ConnectOptions,
  FlyteRemoteOptions,
  RemoteConnection,
  SandboxOptions,
} from "./connect.ts";
export type { RemoteData } from "./data_client.ts";
export { FlyteRemoteAliases } from "./remote_aliases.ts";
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
