/**
 * The seam between authoring (src/sdk), shipping code (src/bundle), the task
 * container (src/runtime) and FlyteRemote (src/remote): what a locally
 * defined task or workflow carries, and where definitions are found at run
 * time. Types and two constants only, so every folder may import it.
 *
 * - `task(options, fn)` returns a callable {@link TaskDefinition}; calling it
 *   outside a workflow runs `fn` locally.
 * - `workflow(options, fn)` returns a callable {@link WorkflowDefinition}.
 * - Every definition made in a process is also recorded in the registry at
 *   `globalThis[REGISTRY_KEY]` (a `Map` from the definition's name to it), so
 *   the runtime finds a task by name in a bundled program even when the
 *   module does not export it (the sdk may be inlined into the bundle, hence
 *   a global `Symbol.for` key rather than a module-level map).
 * - A TypeScript task's container runs {@link RUNTIME_COMMAND} (the engine of
 *   the sandbox resolves it to this checkout's runtime; the task image puts
 *   it on PATH), so the same template runs on the sandbox and on a cluster.
 *
 * @example
 * ```ts
 * import { REGISTRY_KEY, type TaskDefinition } from "./contract.ts";
 * const registry = (globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as
 *   | Map<string, TaskDefinition>
 *   | undefined;
 * console.log(registry?.size ?? 0);
 * ```
 *
 * @module
 */
import type { AnyFlyteType } from "../types/mod.ts";

/**
 * The key of the global registry of definitions (a `Map<string, Definition>`).
 *
 * @example
 * ```ts
 * import { REGISTRY_KEY } from "./contract.ts";
 * console.log(REGISTRY_KEY.description); // "flyte-deno.sdk.registry"
 * ```
 */
export const REGISTRY_KEY: unique symbol = Symbol.for(
  "flyte-deno.sdk.registry",
) as never;

/**
 * The command a TypeScript task's container runs (first element of its
 * container args; the runtime's own flags follow).
 *
 * @example
 * ```ts
 * import { RUNTIME_COMMAND } from "./contract.ts";
 * console.log(RUNTIME_COMMAND); // "flyte-deno-runtime"
 * ```
 */
export const RUNTIME_COMMAND = "flyte-deno-runtime";

/**
 * Named Flyte types of an interface (inputs or outputs), in declaration order.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import type { InterfaceTypes } from "./contract.ts";
 * const io: InterfaceTypes = { a: t.int, b: t.list(t.string) };
 * console.log(Object.keys(io)); // ["a", "b"]
 * ```
 */
export type InterfaceTypes = Readonly<Record<string, AnyFlyteType>>;

/**
 * Where a definition was made (file URL or notebook cell, and line), for
 * names, capture and error messages.
 *
 * @example
 * ```ts
 * import type { DefinitionSite } from "./contract.ts";
 * const site: DefinitionSite = { url: "file:///work/flows.ts", line: 12 };
 * console.log(site.line);
 * ```
 */
export interface DefinitionSite {
  /** The module's URL (a notebook cell's URL as Deno reports it). */
  readonly url: string;
  /** 1-based line of the `task(...)` / `workflow(...)` call. */
  readonly line: number;
}

/**
 * What every local definition carries.
 *
 * @example
 * ```ts
 * import type { DefinitionBase } from "./contract.ts";
 * const show = (d: DefinitionBase) => `${d.kind} ${d.name}`;
 * console.log(show.length);
 * ```
 */
export interface DefinitionBase {
  /** `"task"` or `"workflow"`. */
  readonly kind: "task" | "workflow";
  /** The full Flyte name (e.g. `flows.add`). */
  readonly name: string;
  /** Inputs, normalised to named types. */
  readonly inputs: InterfaceTypes;
  /** Outputs, normalised to named types (a single output is `o0`). */
  readonly outputs: InterfaceTypes;
  /** Where it was defined. */
  readonly site?: DefinitionSite;
}

/**
 * A task written in TypeScript: what `task(options, fn)` returns. Callable;
 * the call runs `fn` locally (outside a workflow) or adds a node (inside one).
 *
 * @example
 * ```ts
 * import type { TaskDefinition } from "./contract.ts";
 * const describe = (d: TaskDefinition) => `${d.name}(${Object.keys(d.inputs)})`;
 * console.log(describe.length);
 * ```
 */
export interface TaskDefinition extends DefinitionBase {
  /** Always `"task"`. */
  readonly kind: "task";
  /** The user's function: inputs object in, outputs (object, or the single value) out. */
  // deno-lint-ignore no-explicit-any
  readonly fn: (inputs: any) => unknown;
  /** The options as given to `task()` (image, files, cache, resources, ...). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The task type (`"typescript"` for tasks run by the runtime). */
  readonly taskType: string;
  /**
   * Whether the outputs were declared as one type: then `fn` returns the
   * value of `o0` itself; otherwise an object of named outputs. When absent:
   * true exactly when the only output is named `o0`.
   */
  readonly singleOutput?: boolean;
}

/**
 * A workflow written in TypeScript: what `workflow(options, fn)` returns.
 *
 * @example
 * ```ts
 * import type { WorkflowDefinition } from "./contract.ts";
 * const count = (w: WorkflowDefinition) => w.tasks().length;
 * console.log(count.length);
 * ```
 */
export interface WorkflowDefinition extends DefinitionBase {
  /** Always `"workflow"`. */
  readonly kind: "workflow";
  /** The options as given to `workflow()`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Every local TypeScript task this workflow uses, sub-workflows included, each once. */
  tasks(): readonly TaskDefinition[];
}
