/**
 * Identifier rules shared by the client (checked before anything is sent)
 * and the sandbox (checked as FlyteAdmin checks them): which project,
 * domain, name and version strings an entity may have.
 *
 * FlyteAdmin requires every field of an identifier and builds REST paths
 * (`/api/v1/tasks/{project}/{domain}/{name}/{version}`) and storage paths
 * from them, so a value must be usable as one path segment: no `/` or `\`,
 * not `.` or `..`, no control characters. Invisible and direction-changing
 * characters (zero-width, bidi overrides) are refused too: two names that
 * look the same must be the same. Lengths are capped (255 characters).
 *
 * Owns: src/names/. Imports nothing.
 *
 * @example
 * ```ts
 * import { identifierProblem } from "./mod.ts";
 * console.log(identifierProblem("version", "a/b/../c"));
 * // "version [a/b/../c] must not contain '/' (it is one path segment of the entity's URL)"
 * ```
 *
 * @module
 */

/** The longest project, domain, name or version accepted. */
export const IDENTIFIER_MAX_LENGTH = 255;

// C0/C1 controls and DEL; zero-width and BOM; bidi embeddings, overrides and isolates.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const INVISIBLE =
  /[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

function shown(value: string): string {
  const escaped = JSON.stringify(
    value.length > 60 ? `${value.slice(0, 60)}…` : value,
  ).slice(1, -1);
  return escaped.replace(
    /[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Why `value` cannot be the identifier field `field`, or `undefined` when
 * it can. The message names the field and shows the value escaped.
 *
 * @example
 * ```ts
 * import { identifierProblem } from "./mod.ts";
 * console.log(identifierProblem("name", "my.wf")); // undefined
 * console.log(identifierProblem("name", "a\u202eb")?.includes("\\u202e")); // true
 * ```
 */
export function identifierProblem(
  field: string,
  value: string,
): string | undefined {
  if (value.length === 0) return `${field} must not be empty`;
  const v = shown(value);
  if (value.length > IDENTIFIER_MAX_LENGTH) {
    return `${field} [${v}] is ${value.length} characters long, at most ${IDENTIFIER_MAX_LENGTH} allowed`;
  }
  if (CONTROL.test(value)) {
    return `${field} [${v}] must not contain control characters`;
  }
  if (INVISIBLE.test(value)) {
    return `${field} [${v}] must not contain invisible or text-direction characters`;
  }
  for (const sep of ["/", "\\"]) {
    if (value.includes(sep)) {
      return `${field} [${v}] must not contain '${sep}' (it is one path segment of the entity's URL)`;
    }
  }
  if (value === "." || value === "..") {
    return `${field} [${v}] must not be '.' or '..'`;
  }
  return undefined;
}
