/**
 * The names FlyteRemote had before its calls moved to the sub-clients
 * (issue 17): each is a one-line, deprecated forward to the sub-client that
 * now carries and documents the call. FlyteRemote inherits them, so
 * existing code keeps working; new code calls the sub-client.
 *
 * @module
 */
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { Entities } from "./entities.ts";
import type { Executions } from "./executions.ts";
import type { Monitor } from "./sync.ts";
import type { Signals } from "./signals.ts";
import type { RemoteData } from "./data_client.ts";
import type { Interactive, UploadedPackage } from "./interactive.ts";
import type { RegisterScriptOptions, ScriptRegistration } from "./script.ts";
import type { RemoteExecution } from "./models.ts";
import type { WaitOptions } from "./wait.ts";

/**
 * The deprecated aliases FlyteRemote inherits; each names its new call.
 *
 * @example
 * ```ts
 * import type { FlyteRemote } from "./remote.ts";
 * declare const remote: FlyteRemote;
 * // Old: remote.listSignals(e). New:
 * declare const e: import("./models.ts").RemoteExecution;
 * for await (const s of remote.signals.listSignals(e)) console.log(s.signalId);
 * ```
 */
export abstract class FlyteRemoteAliases {
  /** Fetch, list, register, (de)activate entities. */
  abstract readonly entities: Entities;
  /** Start, fetch, list, wait for, watch, relaunch, terminate, backfill executions. */
  abstract readonly executions: Executions;
  /** Sync executions, nodes and task attempts; execution metrics. */
  abstract readonly monitor: Monitor;
  /** Gate signals: list, approve, reject, set. */
  abstract readonly signals: Signals;
  /** Read (call it) and transfer data. */
  abstract readonly data: RemoteData;
  /** Interactive mode (loaded on first use). */
  abstract interactive(): Promise<Interactive>;

  /** @deprecated Use `remote.entities.fetchTaskLazy`. */
  fetchTaskLazy(
    ...a: Parameters<Entities["fetchTaskLazy"]>
  ): ReturnType<Entities["fetchTaskLazy"]> {
    return this.entities.fetchTaskLazy(...a);
  }
  /** @deprecated Use `remote.entities.fetchWorkflowLazy`. */
  fetchWorkflowLazy(
    ...a: Parameters<Entities["fetchWorkflowLazy"]>
  ): ReturnType<Entities["fetchWorkflowLazy"]> {
    return this.entities.fetchWorkflowLazy(...a);
  }
  /** @deprecated Use `remote.entities.fetchActiveLaunchPlan`. */
  fetchActiveLaunchPlan(
    ...a: Parameters<Entities["fetchActiveLaunchPlan"]>
  ): ReturnType<Entities["fetchActiveLaunchPlan"]> {
    return this.entities.fetchActiveLaunchPlan(...a);
  }
  /** @deprecated Use `remote.entities.listTasksByVersion`. */
  listTasksByVersion(
    ...a: Parameters<Entities["listTasksByVersion"]>
  ): ReturnType<Entities["listTasksByVersion"]> {
    return this.entities.listTasksByVersion(...a);
  }
  /** @deprecated Use `remote.entities.listProjects`. */
  listProjects(
    ...a: Parameters<Entities["listProjects"]>
  ): ReturnType<Entities["listProjects"]> {
    return this.entities.listProjects(...a);
  }
  /** @deprecated Use `remote.entities.getDomains`. */
  getDomains(): ReturnType<Entities["getDomains"]> {
    return this.entities.getDomains();
  }
  /** @deprecated Use `remote.entities.activateLaunchPlan`. */
  activateLaunchPlan(
    ...a: Parameters<Entities["activateLaunchPlan"]>
  ): ReturnType<Entities["activateLaunchPlan"]> {
    return this.entities.activateLaunchPlan(...a);
  }
  /** @deprecated Use `remote.entities.deactivateLaunchPlan`. */
  deactivateLaunchPlan(
    ...a: Parameters<Entities["deactivateLaunchPlan"]>
  ): ReturnType<Entities["deactivateLaunchPlan"]> {
    return this.entities.deactivateLaunchPlan(...a);
  }
  /** @deprecated Use `remote.entities.registerTask`. */
  registerTask(
    ...a: Parameters<Entities["registerTask"]>
  ): ReturnType<Entities["registerTask"]> {
    return this.entities.registerTask(...a);
  }
  /** @deprecated Use `remote.entities.registerWorkflow`. */
  registerWorkflow(
    ...a: Parameters<Entities["registerWorkflow"]>
  ): ReturnType<Entities["registerWorkflow"]> {
    return this.entities.registerWorkflow(...a);
  }
  /** @deprecated Use `remote.entities.registerLaunchPlan`. */
  registerLaunchPlan(
    ...a: Parameters<Entities["registerLaunchPlan"]>
  ): ReturnType<Entities["registerLaunchPlan"]> {
    return this.entities.registerLaunchPlan(...a);
  }

  /** @deprecated Use `remote.executions.recentExecutions`. */
  recentExecutions(
    ...a: Parameters<Executions["recentExecutions"]>
  ): ReturnType<Executions["recentExecutions"]> {
    return this.executions.recentExecutions(...a);
  }
  /** @deprecated Use `remote.executions.relaunch`. */
  relaunch<O extends Record<string, unknown> = Record<string, unknown>>(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    options?: Parameters<Executions["relaunch"]>[1],
  ): Promise<RemoteExecution<O>> {
    return this.executions.relaunch<O>(execution, options);
  }
  /** @deprecated Use `remote.executions.terminate`. */
  terminate(
    ...a: Parameters<Executions["terminate"]>
  ): ReturnType<Executions["terminate"]> {
    return this.executions.terminate(...a);
  }
  /** @deprecated Use `remote.executions.watch`. */
  watch<O extends Record<string, unknown>>(
    execution: RemoteExecution<O> | string,
    options?: Omit<WaitOptions, "display">,
  ): Promise<RemoteExecution<O>> {
    return this.executions.watch<O>(execution, options);
  }
  /** @deprecated Use `remote.executions.launchBackfill`. */
  launchBackfill(
    ...a: Parameters<Executions["launchBackfill"]>
  ): ReturnType<Executions["launchBackfill"]> {
    return this.executions.launchBackfill(...a);
  }

  /** @deprecated Use `remote.monitor.syncNodeExecution`. */
  syncNodeExecution(
    ...a: Parameters<Monitor["syncNodeExecution"]>
  ): ReturnType<Monitor["syncNodeExecution"]> {
    return this.monitor.syncNodeExecution(...a);
  }
  /** @deprecated Use `remote.monitor.syncTaskExecution`. */
  syncTaskExecution(
    ...a: Parameters<Monitor["syncTaskExecution"]>
  ): ReturnType<Monitor["syncTaskExecution"]> {
    return this.monitor.syncTaskExecution(...a);
  }
  /** @deprecated Use `remote.monitor.getExecutionMetrics`. */
  getExecutionMetrics(
    ...a: Parameters<Monitor["getExecutionMetrics"]>
  ): ReturnType<Monitor["getExecutionMetrics"]> {
    return this.monitor.getExecutionMetrics(...a);
  }

  /** @deprecated Use `remote.signals.listSignals`. */
  listSignals(
    ...a: Parameters<Signals["listSignals"]>
  ): ReturnType<Signals["listSignals"]> {
    return this.signals.listSignals(...a);
  }
  /** @deprecated Use `remote.signals.approve`. */
  approve(
    ...a: Parameters<Signals["approve"]>
  ): ReturnType<Signals["approve"]> {
    return this.signals.approve(...a);
  }
  /** @deprecated Use `remote.signals.reject`. */
  reject(...a: Parameters<Signals["reject"]>): ReturnType<Signals["reject"]> {
    return this.signals.reject(...a);
  }
  /** @deprecated Use `remote.signals.setInput`. */
  setInput(
    ...a: Parameters<Signals["setInput"]>
  ): ReturnType<Signals["setInput"]> {
    return this.signals.setInput(...a);
  }

  /** @deprecated Use `remote.data.uploadDirectory`. */
  uploadDirectory(
    ...a: Parameters<RemoteData["uploadDirectory"]>
  ): ReturnType<RemoteData["uploadDirectory"]> {
    return this.data.uploadDirectory(...a);
  }
  /** @deprecated Use `remote.data.getData`. */
  getData(
    ...a: Parameters<RemoteData["getData"]>
  ): ReturnType<RemoteData["getData"]> {
    return this.data.getData(...a);
  }

  /** @deprecated Use `(await remote.interactive()).fastPackage`. */
  async fastPackage(
    ...a: Parameters<Interactive["fastPackage"]>
  ): Promise<UploadedPackage> {
    return await (await this.interactive()).fastPackage(...a);
  }
  /** @deprecated Use `(await remote.interactive()).registerScript`. */
  async registerScript(
    file: string,
    options?: RegisterScriptOptions,
  ): Promise<ScriptRegistration> {
    return await (await this.interactive()).registerScript(file, options);
  }
}
