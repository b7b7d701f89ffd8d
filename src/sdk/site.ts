/**
 * Where a definition was made, and the default names flytekit would give
 * it (`<module>.<function>`).
 *
 * @module
 */
import type { DefinitionSite } from "./contract.ts";
import { DefinitionError } from "./errors.ts";

const SDK_DIR = new URL(".", import.meta.url).href;
const FRAME = /\(?((?:file|https?|data|jsr|npm):[^\s()]*?):(\d+):(\d+)\)?\s*$/;

/**
 * The first stack frame outside this folder: the user's `task(...)` or
 * `workflow(...)` call.
 *
 * @example
 * ```ts
 * import { callSite } from "./site.ts";
 * console.log(callSite()?.line);
 * ```
 */
export function callSite(): DefinitionSite | undefined {
  const stack = new Error().stack?.split("\n").slice(1) ?? [];
  for (const frame of stack) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    if (m[1].startsWith(SDK_DIR)) continue;
    return { url: m[1], line: Number(m[2]) };
  }
  return undefined;
}

/**
 * The module part of a default name: the file name without its extension
 * (`flows.ts` -> `flows`); a notebook cell (Deno's `$deno$repl` URLs) is
 * `notebook`, so names stay stable across cells and kernel restarts.
 *
 * @example
 * ```ts
 * import { moduleName } from "./site.ts";
 * console.log(moduleName("file:///work/flows.ts")); // "flows"
 * ```
 */
export function moduleName(url: string | undefined): string {
  if (url === undefined) return "main";
  const last = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  if (last.includes("$deno$") || last === "") return "notebook";
  return last.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_]/g, "_");
}

function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

const sources = new Map<string, string[] | null>();

/**
 * The name a `const x = task(...)` line declares; null when the source
 * cannot be read (a notebook cell, a remote module).
 */
function declaredName(site: DefinitionSite): string | undefined | null {
  if (!site.url.startsWith("file:")) return null;
  let lines = sources.get(site.url);
  if (lines === undefined) {
    try {
      lines = Deno.readTextFileSync(new URL(site.url)).split("\n");
    } catch {
      lines = null;
    }
    sources.set(site.url, lines);
  }
  if (lines === null) return null;
  const line = lines[site.line - 1];
  const m = line && /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(line);
  return m ? m[1] : undefined;
}

/**
 * The default Flyte name of a definition: `<module>.<name>` where the name is
 * the function's own (`function add() {}`) or, for an anonymous function, the
 * variable the call is assigned to (`const add = task(...)`). Where the
 * source cannot be read (a notebook cell), an anonymous function is named
 * `<module>.<kind>_<hash of its text>`, stable for the same code.
 *
 * @example
 * ```ts
 * import { defaultName } from "./site.ts";
 * const site = { url: "file:///work/flows.ts", line: 1 };
 * console.log(defaultName("task", function add() {}, site)); // "flows.add"
 * ```
 */
export function defaultName(
  kind: string,
  fn: { name: string; toString(): string },
  site: DefinitionSite | undefined,
): string {
  const declared = fn.name ? fn.name : site ? declaredName(site) : null;
  if (declared === null) {
    // No source to read (a notebook cell): a name from the function's own
    // text, stable across re-runs and kernel restarts of the same code.
    return `${moduleName(site?.url)}.${kind}_${textHash(fn.toString())}`;
  }
  const short = declared;
  if (!short) {
    const at = site ? ` at ${site.url}:${site.line}` : "";
    throw new DefinitionError(
      `${kind}${at}`,
      "needs a name: pass options.name, a named function, or assign it to a const",
    );
  }
  return `${moduleName(site?.url)}.${short}`;
}
