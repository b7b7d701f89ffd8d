/**
 * What the FlyteRemote models share: phases as strings, which phases are
 * terminal, timestamps as Dates, and literals decoded through an interface.
 *
 * @module
 */
import type {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import type { Variable } from "@flyteidl/core/interface_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { fromLiteralMap } from "../types/mod.ts";

/** Workflow execution phases, as strings.  *
 * @example
 * ```ts
 * import type { ExecutionPhase } from "./models.ts";
 * const p: ExecutionPhase = "SUCCEEDED";
 * ```
 */
export type ExecutionPhase = keyof typeof WorkflowExecution_Phase;
/** Node execution phases, as strings.  *
 * @example
 * ```ts
 * import type { NodePhase } from "./models.ts";
 * const p: NodePhase = "SKIPPED";
 * ```
 */
export type NodePhase = keyof typeof NodeExecution_Phase;
/** Task execution phases, as strings.  *
 * @example
 * ```ts
 * import type { TaskPhase } from "./models.ts";
 * const p: TaskPhase = "RETRYABLE_FAILED";
 * ```
 */
export type TaskPhase = keyof typeof TaskExecution_Phase;

/** Terminal execution phases. */
export const TERMINAL_EXECUTION: ReadonlySet<ExecutionPhase> = new Set<
  ExecutionPhase
>([
  "SUCCEEDED",
  "FAILED",
  "ABORTED",
  "TIMED_OUT",
]);
/** Terminal node phases. */
export const TERMINAL_NODE: ReadonlySet<NodePhase> = new Set<NodePhase>([
  "SUCCEEDED",
  "FAILED",
  "ABORTED",
  "SKIPPED",
  "TIMED_OUT",
  "RECOVERED",
]);
/** Terminal task phases. */
export const TERMINAL_TASK: ReadonlySet<TaskPhase> = new Set<TaskPhase>([
  "SUCCEEDED",
  "FAILED",
  "ABORTED",
]);

/**
 * True for ABORTED, FAILED, SUCCEEDED and TIMED_OUT.
 *
 * @example
 * ```ts
 * import { isTerminalPhase } from "./models.ts";
 * isTerminalPhase("RUNNING"); // false
 * ```
 */
export function isTerminalPhase(phase: ExecutionPhase): boolean {
  return TERMINAL_EXECUTION.has(phase);
}

/** Converts a protobuf Timestamp to a Date (undefined stays undefined). */
export function toDate(ts: Timestamp | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6));
}

/** Literals decoded through the interface's variables (inputs leniently); none gives {}. */
export function decode(
  map: LiteralMap | undefined,
  vars: Record<string, Variable> | undefined,
  root: "inputs" | "outputs",
): Record<string, unknown> {
  return map
    ? fromLiteralMap(map, vars, { root, partial: root === "inputs" })
    : {};
}

/**
 * Decodes a literal map once: reading the same map through the same
 * variables again returns the values decoded the first time (flytekit's
 * LiteralsResolver keeps its native values the same way); a new map or
 * interface is decoded afresh. Empty results and errors are not kept.
 */
export class DecodeCache {
  #map?: LiteralMap;
  #vars?: Record<string, Variable>;
  #value?: Record<string, unknown>;

  /** `decode(map, vars, root)`, from the cache when map and vars are the ones decoded last. */
  get(
    map: LiteralMap | undefined,
    vars: Record<string, Variable> | undefined,
    root: "inputs" | "outputs",
  ): Record<string, unknown> {
    if (!map) return {};
    if (this.#value && map === this.#map && vars === this.#vars) {
      return this.#value;
    }
    const value = decode(map, vars, root);
    this.#map = map;
    this.#vars = vars;
    this.#value = value;
    return value;
  }
}
