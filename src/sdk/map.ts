/**
 * `map(task, { concurrency, minSuccessRatio })`: run a task over lists (an
 * array node). The mapped task takes a list for each input and returns a
 * list for each output (of optionals when some items may fail).
 *
 * @module
 */
import { t } from "../types/mod.ts";
import type { InterfaceTypes, TaskDefinition } from "./contract.ts";
import { DefinitionError } from "./errors.ts";
import { currentScope } from "./graph.ts";
import { addNode, resultOf } from "./nodes.ts";
import type { Reference } from "./reference.ts";
import type { Bindable, OutputsDecl, Task } from "./task.ts";
import type { AnyFlyteType, Infer, InferInput } from "../types/mod.ts";
import type { Ref } from "./graph.ts";

/**
 * Options of `map()`.
 *
 * @example
 * ```ts
 * import type { MapOptions } from "./map.ts";
 * const o: MapOptions = { concurrency: 10, minSuccessRatio: 0.9 };
 * console.log(o);
 * ```
 */
export interface MapOptions {
  /** Most items running at once [unbounded]. */
  concurrency?: number;
  /** Fraction of items that must succeed (failed items give null) [1]. */
  minSuccessRatio?: number;
  /** Number of items that must succeed [all]. */
  minSuccesses?: number;
}

/** The list inputs a mapped task takes. */
export type MappedInputs<I extends InterfaceTypes> = {
  [K in keyof I]: Bindable<readonly InferInput<I[K]>[]> | Ref<Infer<I[K]>[]>;
};

/**
 * A mapped task: call it in a workflow body with lists; it returns a
 * reference to the list of outputs.
 *
 * @example
 * ```ts
 * import type { MappedTask } from "./map.ts";
 * const show = (m: MappedTask<never, never>) => m.task.name;
 * console.log(show.length);
 * ```
 */
export interface MappedTask<I extends InterfaceTypes, O extends OutputsDecl> {
  /** Adds an array node (items that may fail, with minSuccessRatio < 1, are null in the list). */
  (
    inputs: MappedInputs<I>,
  ): Ref<(O extends AnyFlyteType ? Infer<O> : unknown)[]>;
  /** The task mapped. */
  readonly task: Task<I, O>;
  /** The options. */
  readonly options: Readonly<MapOptions>;
}

function fnv(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * The name of a mapped task's template: `<module>.map_<task>_<hash>-arraynode`
 * (flytekit's form; the hash is of the task's name and interface).
 *
 * @example
 * ```ts
 * import { arrayTaskName } from "./map.ts";
 * console.log(arrayTaskName({ name: "flows.double", inputs: {}, outputs: {} }).startsWith("flows.map_double_")); // true
 * ```
 */
export function arrayTaskName(
  task: Pick<TaskDefinition, "name" | "inputs" | "outputs">,
): string {
  const dot = task.name.lastIndexOf(".");
  const mod = dot < 0 ? "" : task.name.slice(0, dot + 1);
  const short = task.name.slice(dot + 1);
  const key = `${task.name}|${
    Object.entries(task.inputs).map(([k, v]) => `${k}:${v.name}`)
  }|${Object.entries(task.outputs).map(([k, v]) => `${k}:${v.name}`)}`;
  const h = [0x811c9dc5, 0x2166136, 0x3b9aca07, 0x5bd1e995].map((s) =>
    fnv(key, s)
  ).join("");
  return `${mod}map_${short}_${h}-arraynode`;
}

/**
 * Maps a task over lists (an array node). Each input of the task takes a
 * list; outputs are lists (of optionals when `minSuccessRatio` < 1).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * import { workflow } from "./workflow.ts";
 * import { map } from "./map.ts";
 * const double = task({ name: "flows.double", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a * 2);
 * const wf = workflow(
 *   { name: "flows.doubles", inputs: { xs: t.list(t.int) }, outputs: t.list(t.optional(t.int)) },
 *   ({ xs }) => map(double, { concurrency: 5 })({ a: xs }),
 * );
 * console.log(await wf({ xs: [1, 2] })); // [2, 4]
 * ```
 */
export function map<I extends InterfaceTypes, O extends OutputsDecl>(
  task: Task<I, O> | Reference,
  options: MapOptions = {},
): MappedTask<I, O> {
  const where = `map ${task.name}`;
  if (
    options.minSuccessRatio !== undefined &&
    !(options.minSuccessRatio >= 0 && options.minSuccessRatio <= 1)
  ) {
    throw new DefinitionError(
      where,
      `minSuccessRatio must be between 0 and 1, got ${options.minSuccessRatio}`,
    );
  }
  if (
    options.concurrency !== undefined &&
    !(Number.isInteger(options.concurrency) && options.concurrency >= 0)
  ) {
    throw new DefinitionError(
      where,
      `concurrency must be a whole number >= 0, got ${options.concurrency}`,
    );
  }
  const outNames = Object.keys(task.outputs);
  if (outNames.length > 1) {
    throw new DefinitionError(
      where,
      `a mapped task has at most one output; ${task.name} has ${
        outNames.join(", ")
      }`,
    );
  }
  const partial = (options.minSuccessRatio ?? 1) < 1 ||
    options.minSuccesses !== undefined;
  const inputs = Object.fromEntries(
    Object.entries(task.inputs).map(([k, v]) => [k, t.list(v)]),
  );
  const outputs = Object.fromEntries(
    Object.entries(task.outputs).map((
      [k, v],
    ) => [k, t.list(partial ? t.optional(v) : v)]),
  );
  const call = (given: Record<string, unknown>) => {
    const scope = currentScope();
    if (!scope) {
      throw new DefinitionError(
        where,
        "map() builds an array node: call it inside a workflow body",
      );
    }
    const node = addNode(
      scope,
      {
        kind: "array",
        task,
        parallelism: options.concurrency,
        minSuccessRatio: options.minSuccessRatio,
        minSuccesses: options.minSuccesses,
      },
      arrayTaskName(task),
      { inputs, outputs },
      given,
    );
    return resultOf(node, true);
  };
  return Object.assign(call, { task, options }) as unknown as MappedTask<I, O>;
}

/** flytekit's resolver for map tasks (ArrayNodeMapTask). */
const MAP_RESOLVER =
  "flytekit.core.array_node_map_task.ArrayNodeMapTaskResolver";

/**
 * The container args of a flytekit task turned into its map task's, as
 * flytekit's ArrayNodeMapTask writes them: `pyflyte-map-execute`, and the
 * map resolver wrapping the task's own (`vars "" resolver <theirs> ...`), so
 * each sub-task picks its item by the array index. Undefined when the args
 * are not flytekit's.
 *
 * @example
 * ```ts
 * import { flytekitMapArgs } from "./map.ts";
 * const args = ["pyflyte-execute", "--inputs", "{{.input}}", "--resolver", "r", "--", "task-module", "m", "task-name", "t"];
 * console.log(flytekitMapArgs(args)?.[0]); // "pyflyte-map-execute"
 * ```
 */
export function flytekitMapArgs(
  args: readonly string[],
): string[] | undefined {
  const exec = args.indexOf("pyflyte-execute");
  const resolver = args.indexOf("--resolver", exec);
  if (exec < 0 || resolver < 0 || args[resolver + 2] !== "--") return undefined;
  return [
    ...args.slice(0, exec),
    "pyflyte-map-execute",
    ...args.slice(exec + 1, resolver),
    "--resolver",
    MAP_RESOLVER,
    "--",
    "vars",
    "",
    "resolver",
    args[resolver + 1],
    ...args.slice(resolver + 3),
  ];
}

/**
 * The flag a mapped TypeScript task's container gets after the runtime's
 * usual args: the runtime then reads item `i` of each list input, `i` from
 * the array index environment (`BATCH_JOB_ARRAY_INDEX_VAR_NAME` names the
 * variable holding it, as for flytekit), and writes that item's outputs.
 *
 * @example
 * ```ts
 * import { MAP_FLAG } from "./map.ts";
 * console.log(MAP_FLAG); // "--array-item"
 * ```
 */
export const MAP_FLAG = "--array-item";
