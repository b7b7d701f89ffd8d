/**
 * Test stand-in for the sdk's `task()` (until it lands): builds a callable
 * TaskDefinition satisfying src/sdk/contract.ts and records it in the
 * global registry, as `task()` does.
 *
 * @module
 */
import {
  type InterfaceTypes,
  REGISTRY_KEY,
  type TaskDefinition,
} from "../../src/sdk/contract.ts";

/** Defines a task; `site` is the defining module's `import.meta.url`. */
export function defineTask(
  o: {
    name: string;
    inputs: InterfaceTypes;
    outputs: InterfaceTypes;
    site: string;
    line?: number;
    options?: Record<string, unknown>;
  },
  // deno-lint-ignore no-explicit-any
  fn: (inputs: any) => unknown,
): TaskDefinition {
  const call = (inputs: unknown) => fn(inputs);
  const def = Object.assign(call, {
    kind: "task" as const,
    fn,
    inputs: o.inputs,
    outputs: o.outputs,
    options: o.options ?? {},
    taskType: "typescript",
    site: { url: o.site, line: o.line ?? 1 },
  });
  Object.defineProperty(def, "name", { value: o.name });
  const g = globalThis as Record<symbol, unknown>;
  const registry = (g[REGISTRY_KEY] ??= new Map()) as Map<string, unknown>;
  registry.set(o.name, def);
  return def as unknown as TaskDefinition;
}
