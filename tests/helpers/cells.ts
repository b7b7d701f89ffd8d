/**
 * Runs code the way a Deno notebook kernel runs cells: each cell evaluated
 * by the V8 inspector in REPL mode (top-level await, `const`/`let` shared
 * between cells in the script scope, top-level functions on the global
 * object), in this process.
 *
 * @module
 */
import { Session } from "node:inspector/promises";

/** Evaluates cells in order; throws with the cell's number on an exception. */
export async function runCells(cells: readonly string[]): Promise<unknown[]> {
  const s = new Session();
  s.connect();
  const out: unknown[] = [];
  try {
    for (const [i, code] of cells.entries()) {
      const r = await s.post("Runtime.evaluate", {
        expression: code,
        replMode: true,
        awaitPromise: true,
        returnByValue: true,
      }) as unknown as {
        result: { value?: unknown };
        exceptionDetails?: { exception?: { description?: string } };
      };
      if (r.exceptionDetails) {
        throw new Error(
          `cell ${i + 1} failed: ${r.exceptionDetails.exception?.description}`,
        );
      }
      out.push(r.result.value);
    }
  } finally {
    s.disconnect();
  }
  return out;
}
