/**
 * The one interface every node kind implements, as propeller's
 * `interfaces.NodeHandler`: the executor (run.ts) resolves a node's inputs,
 * records it and reports its QUEUED / RUNNING / terminal events; the handler
 * only does what its kind does and returns the node's outputs.
 *
 * @module
 */
import type { NodeCtx, NodeResult, RunApi } from "../context.ts";

/**
 * A node kind: how one node of it runs.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * import type { NodeHandler } from "./handler.ts";
 * // A kind whose nodes pass their inputs on (as propeller's echo plugin).
 * const passThrough: NodeHandler = {
 *   kind: "pass-through",
 *   isParent: false,
 *   isArray: false,
 *   handle: (_run, ctx) =>
 *     Promise.resolve({ outputs: ctx.inputs, outputUri: `${ctx.D}/0/outputs.pb` }),
 * };
 * console.log(passThrough.kind, create(LiteralMapSchema).literals); // "pass-through" {}
 * ```
 */
export interface NodeHandler {
  /** The kind's name (task, sub-workflow, launch plan, branch, ...). */
  readonly kind: string;
  /** Its node events say `is_parent` (it runs child nodes in this execution). */
  readonly isParent: boolean;
  /** Its node events say `is_array`. */
  readonly isArray: boolean;
  /**
   * Runs the node to its end and returns its outputs; throws a
   * `NodeFailure` when it fails and `Aborted` when it is aborted. It calls
   * `ctx.markRunning()` once it has started.
   */
  handle(run: RunApi, ctx: NodeCtx): Promise<NodeResult>;
  /**
   * Fields of the node's SUCCEEDED event beyond the outputs (a task node's
   * cache status and deck); none when absent.
   */
  succeeded?(
    run: RunApi,
    ctx: NodeCtx,
    result: NodeResult,
  ): Promise<Record<string, unknown>>;
}
