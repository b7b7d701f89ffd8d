/**
 * What a captured notebook program imports (by this file's absolute URL, so
 * `deno bundle` inlines it): Flyte types rebuilt from their LiteralType's
 * JSON, and the registration of a captured task in the global registry.
 *
 * @module
 */
import { fromJsonString } from "@bufbuild/protobuf";
import { LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import { typeFromLiteralType } from "../types/guess.ts";
import type { AnyFlyteType } from "../types/mod.ts";
import { REGISTRY_KEY } from "../sdk/contract.ts";

/**
 * A Flyte type from a LiteralType's JSON.
 *
 * @example
 * ```ts
 * import { typeFromJson } from "./cell_support.ts";
 * console.log(typeFromJson('{"simple":"INTEGER"}').name); // "int"
 * ```
 */
export function typeFromJson(json: string): AnyFlyteType {
  return typeFromLiteralType(fromJsonString(LiteralTypeSchema, json));
}

/**
 * Records a captured task in the registry (the runtime looks it up by
 * name); returns the definition, callable like `task()`'s.
 *
 * @example
 * ```ts
 * import { registerCaptured, typeFromJson } from "./cell_support.ts";
 * const add = registerCaptured("cell.add", ({ a }: { a: number }) => a + 1, { a: typeFromJson('{"simple":"INTEGER"}') }, { o0: typeFromJson('{"simple":"INTEGER"}') });
 * console.log(add.name); // "cell.add"
 * ```
 */
export function registerCaptured(
  name: string,
  // deno-lint-ignore no-explicit-any
  fn: (inputs: any) => unknown,
  inputs: Record<string, AnyFlyteType>,
  outputs: Record<string, AnyFlyteType>,
  taskType = "typescript",
  singleOutput?: boolean,
): ((inputs: unknown) => unknown) & { name: string } {
  const def = Object.assign((i: unknown) => fn(i), {
    kind: "task" as const,
    fn,
    inputs,
    outputs,
    options: {},
    taskType,
    singleOutput,
  });
  Object.defineProperty(def, "name", { value: name });
  const g = globalThis as Record<symbol, unknown>;
  const registry = (g[REGISTRY_KEY] ??= new Map()) as Map<string, unknown>;
  registry.set(name, def);
  return def;
}
