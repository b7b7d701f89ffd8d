/**
 * The process-wide registry of definitions at `globalThis[REGISTRY_KEY]`.
 *
 * @module
 */
import { type DefinitionBase, REGISTRY_KEY } from "./contract.ts";

/**
 * The registry map (created on first use).
 *
 * @example
 * ```ts
 * import { registry } from "./registry.ts";
 * console.log(registry() instanceof Map); // true
 * ```
 */
export function registry(): Map<string, DefinitionBase> {
  const g = globalThis as unknown as Record<symbol, unknown>;
  let map = g[REGISTRY_KEY] as Map<string, DefinitionBase> | undefined;
  if (map === undefined) {
    map = new Map();
    g[REGISTRY_KEY] = map;
  }
  return map;
}

/**
 * Records a definition under its name (a later definition of the same name,
 * e.g. a re-run notebook cell, replaces the earlier one).
 *
 * @example
 * ```ts
 * import { record, registry } from "./registry.ts";
 * record({ kind: "task", name: "m.t", inputs: {}, outputs: {} });
 * console.log(registry().has("m.t")); // true
 * ```
 */
export function record<D extends DefinitionBase>(def: D): D {
  registry().set(def.name, def);
  return def;
}
