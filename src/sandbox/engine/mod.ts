/**
 * The sandbox engine: Flyte propeller's role. It runs executions that admin
 * hands over through {@link ExecutionLauncher} — task nodes as local
 * processes under Flyte's container contract, sub-workflows, launch-plan
 * nodes (child executions through AdminService.CreateExecution), branches,
 * gates (SignalService), array nodes, failure nodes — and reports every
 * state change only as flyteidl events through the AdminService event RPCs.
 *
 * Owns: `src/sandbox/engine/` and its durable state `<dataDir>/engine.db`.
 * May import: flyteidl bindings, Connect, `../launcher.ts`. Never imports the
 * admin side, `src/remote` or `src/client`.
 *
 * @example
 * ```ts ignore
 * import { Engine } from "./mod.ts";
 * const engine = await Engine.start({ admin, signals, dataDir: "./.sandbox" });
 * ```
 *
 * @module
 */
export {
  Engine,
  type EngineHost,
  engineLauncher,
  type EngineOptions,
  type EngineStorage,
} from "./engine.ts";
export type { BucketMounts } from "./storage.ts";
export type { CommandMapper } from "./process.ts";
export {
  Aborted,
  NodeFailure,
  ShutdownSignal,
  StorageError,
} from "./errors.ts";
export {
  CronExpression,
  Scheduler,
  type SchedulerOptions,
  type ScheduleState,
} from "./scheduler.ts";
export type { ExecutionLauncher, LaunchRequest } from "../launcher.ts";
