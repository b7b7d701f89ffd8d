/**
 * The error raised when a task, workflow or launch plan definition is wrong.
 *
 * @module
 */

/**
 * A definition is invalid: a type mismatch between an output and the input
 * it feeds, an unknown or missing input, a cycle, a reference used outside
 * its workflow, a branch without else, an output never bound, a bad option.
 * The message names the place (`workflow wf: node n1 (add) input b ...`);
 * `where` holds that prefix alone.
 *
 * @example
 * ```ts
 * import { DefinitionError } from "./errors.ts";
 * const e = new DefinitionError("workflow wf", "output o0 is never bound");
 * console.log(e.message); // "workflow wf: output o0 is never bound"
 * ```
 */
export class DefinitionError extends Error {
  /** The place: `workflow wf`, `workflow wf: node n1 (add)`, `task flows.add`. */
  readonly where: string;
  /** What is wrong, without the place. */
  readonly reason: string;
  /** Makes the error; the message is `where: reason`. */
  constructor(where: string, reason: string, options?: ErrorOptions) {
    super(where ? `${where}: ${reason}` : reason, options);
    this.name = "DefinitionError";
    this.where = where;
    this.reason = reason;
  }
}
