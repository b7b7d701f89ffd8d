/**
 * The version of this module.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.log(`flyte-deno ${VERSION}`);
 * ```
 */
export const VERSION: string = "0.1.0";
