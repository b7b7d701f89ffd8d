/**
 * Finds the import a notebook made of a library function from the function
 * alone, for when the cell that imported it can no longer be read: V8 drops
 * a cell's script once nothing it defined is a function still alive (a cell
 * holding only imports and constants), so the inspector never reports it
 * and the cells' import index has no entry for the name. The function's own
 * module (`[[FunctionLocation]]`) names the package or file; importing that
 * specifier must give back the very same function, or nothing is claimed.
 *
 * @module
 */

/** An import that yields a value: `import { imported } from spec`. */
export interface FoundImport {
  /** The specifier to import (`npm:fflate@0.8.3`, a file or https URL). */
  spec: string;
  /** The exported name holding the value. */
  imported: string;
}

/**
 * The specifiers that may export what is defined in the module at `url`:
 * the npm package (name and version read from Deno's node_modules layout,
 * `node_modules/.deno/<name>@<version>/node_modules/<name>/...`, scoped
 * names with `+` for `/`), else the module's own URL.
 *
 * @example
 * ```ts
 * import { candidateSpecs } from "./import_of.ts";
 * candidateSpecs("file:///p/node_modules/.deno/fflate@0.8.3/node_modules/fflate/esm/index.mjs");
 * // ["npm:fflate@0.8.3", "file:///p/node_modules/.deno/fflate@0.8.3/node_modules/fflate/esm/index.mjs"]
 * ```
 */
export function candidateSpecs(url: string): string[] {
  const specs: string[] = [];
  const m =
    /\/node_modules\/\.deno\/((?:@[^+/]+\+)?[^@/]+)@([^/_]+)[^/]*\/node_modules\//
      .exec(url);
  if (m) specs.push(`npm:${m[1].replace("+", "/")}@${m[2]}`);
  const m2 = /^npm:\/?((?:@[^/]+\/)?[^@/]+@[^/]+)/.exec(url);
  if (m2) specs.push(`npm:${m2[1]}`);
  if (/^(file|https?):/.test(url)) specs.push(url);
  return specs;
}

/**
 * The import that yields `value` (compared by identity), preferring the
 * export called `name`; undefined when no candidate specifier exports it.
 *
 * @example
 * ```ts
 * import { importOf } from "./import_of.ts";
 * const { strToU8 } = await import("npm:fflate@0.8.3");
 * const found = await importOf(strToU8, "strToU8", "file:///p/node_modules/.deno/fflate@0.8.3/node_modules/fflate/esm/index.mjs");
 * console.log(found); // { spec: "npm:fflate@0.8.3", imported: "strToU8" }
 * ```
 */
export async function importOf(
  value: unknown,
  name: string,
  url: string,
): Promise<FoundImport | undefined> {
  for (const spec of candidateSpecs(url)) {
    let ns: Record<string, unknown>;
    try {
      ns = await import(spec);
    } catch {
      continue;
    }
    if (ns[name] === value) return { spec, imported: name };
    const key = Object.keys(ns).find((k) => ns[k] === value);
    if (key !== undefined) return { spec, imported: key };
  }
  return undefined;
}
