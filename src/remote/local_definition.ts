/**
 * Telling local (TypeScript) definitions from remote entities, cheaply (no
 * bundle code loaded).
 *
 * @module
 */
import type { TaskDefinition, WorkflowDefinition } from "../sdk/contract.ts";

/**
 * Whether a value is a local task or workflow definition (`task()` /
 * `workflow()`).
 *
 * @example
 * ```ts
 * import { isLocalDefinition } from "./local_definition.ts";
 * console.log(isLocalDefinition({ kind: "task", name: "x", fn() {} })); // true
 * ```
 */
export function isLocalDefinition(
  v: unknown,
): v is TaskDefinition | WorkflowDefinition {
  if ((typeof v !== "object" && typeof v !== "function") || v === null) {
    return false;
  }
  const d = v as { kind?: unknown; fn?: unknown; tasks?: unknown };
  return (d.kind === "task" && typeof d.fn === "function") ||
    (d.kind === "workflow" && typeof d.tasks === "function");
}
