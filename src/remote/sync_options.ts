/**
 * How deep a sync goes (`Monitor.syncExecution` and friends; re-exported
 * by sync.ts).
 *
 * @module
 */

/**
 * How deep a sync goes.
 *
 * @example
 * ```ts
 * import type { SyncOptions } from "./sync_options.ts";
 * const tree: SyncOptions = { nodes: true };
 * const everything: SyncOptions = { nodes: true, nodeData: true, taskExecutions: true };
 * ```
 */
export interface SyncOptions {
  /**
   * Also list every node execution, recursively (sub-workflows, dynamic,
   * branch, array and failure nodes, launch-plan children): phases, errors,
   * timings and kinds, in a few list calls per level. Default false.
   */
  nodes?: boolean;
  /**
   * With `nodes`: also fetch every node's inputs and outputs (one call per
   * node, run concurrently under the bound). Default false for
   * syncExecution, true for syncNodeExecution.
   */
  nodeData?: boolean;
  /**
   * With `nodes`: also list every task node's attempts (logs, per-attempt
   * phase; one call per task node), and their data when `nodeData` is set.
   * Default false for syncExecution, true for syncNodeExecution.
   */
  taskExecutions?: boolean;
  /** Aborts the sync. */
  signal?: AbortSignal;
}
