/**
 * Capturing tasks defined in notebook cells (placeholder until the
 * inspector-based capture lands).
 *
 * @module
 */
import type { TaskDefinition } from "../sdk/contract.ts";
import { CaptureError } from "./errors.ts";

/**
 * Builds one program defining the given notebook tasks.
 *
 * @example
 * ```ts
 * import { captureCells } from "./capture_cell.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const t: TaskDefinition;
 * const program = await captureCells([t]);
 * ```
 */
export function captureCells(defs: readonly TaskDefinition[]): Promise<string> {
  return Promise.reject(
    new CaptureError(`cannot capture ${defs.map((d) => d.name).join(", ")}`),
  );
}
