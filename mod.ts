/**
 * flyte-deno: drive Flyte from Deno notebooks and scripts.
 *
 * @example
 * ```ts
 * import { VERSION } from "./mod.ts";
 * console.log(VERSION);
 * ```
 *
 * @module
 */
export { VERSION } from "./src/version.ts";
export * from "./src/remote/mod.ts";
