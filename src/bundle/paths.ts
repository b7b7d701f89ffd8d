/**
 * Small path helpers shared by the capture code.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/**
 * A `file:` URL to a path.
 *
 * @example
 * ```ts
 * import { fromFileUrl } from "./paths.ts";
 * console.log(fromFileUrl("file:///tmp/a%20b.ts")); // "/tmp/a b.ts"
 * ```
 */
export function fromFileUrl(url: string): string {
  return fileURLToPath(url);
}

/**
 * Whether a definition site names a module file on this machine (as
 * opposed to a notebook cell or a REPL input).
 *
 * @example
 * ```ts
 * import { isModuleFile } from "./paths.ts";
 * console.log(isModuleFile(import.meta.url)); // true
 * ```
 */
export function isModuleFile(url: string | undefined): boolean {
  if (!url || !url.startsWith("file:") || url.includes("$deno$")) return false;
  try {
    return Deno.statSync(fromFileUrl(url)).isFile;
  } catch {
    return false;
  }
}
