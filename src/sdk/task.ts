/**
 * `task(options, fn)`: a task written in TypeScript. Inside a workflow body
 * a call adds a node; anywhere else it runs `fn` in-process, with inputs and
 * outputs converted through the type engine both ways (so a local run fails
 * on the values a remote run would).
 *
 * @module
 */
import {
  type AnyFlyteType,
  fromLiteralMap,
  type Infer,
  type InferInput,
  type OptionalKeys,
  type RequiredKeys,
  type Simplify,
  toLiteralMap,
} from "../types/mod.ts";
import type { InterfaceTypes, TaskDefinition } from "./contract.ts";
import type { DurationLike } from "./duration.ts";
import { containsRef } from "./bindings.ts";
import { DefinitionError } from "./errors.ts";
import { currentScope, type Ref } from "./graph.ts";
import { addNode, type NodeHandle, resultOf } from "./nodes.ts";
import { record } from "./registry.ts";
import { callSite, defaultName } from "./site.ts";
import type { ResourcesOption } from "./resources.ts";

export type { ResourcesOption, ResourceSpec } from "./resources.ts";

/**
 * A secret the task needs (flytekit's `Secret`).
 *
 * @example
 * ```ts
 * import type { SecretRequest } from "./task.ts";
 * const s: SecretRequest = { group: "db", key: "password", mount: "env" };
 * console.log(s);
 * ```
 */
export interface SecretRequest {
  /** The secret's group. */
  group: string;
  /** The key in the group. */
  key?: string;
  /** The group's version. */
  groupVersion?: string;
  /** How it is mounted [`"any"`]. */
  mount?: "any" | "env" | "file";
  /** The environment variable to put it in. */
  envVar?: string;
}

/** Outputs as declared: named types, one type (named `o0`), or none. */
export type OutputsDecl = InterfaceTypes | AnyFlyteType | undefined;

/**
 * The options of `task()` (flytekit's decorator arguments in camelCase).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import type { TaskOptions } from "./task.ts";
 * const o: TaskOptions<{ a: typeof t.int }, typeof t.int> = {
 *   inputs: { a: t.int }, outputs: t.int, retries: 2, cache: true, cacheVersion: "1",
 * };
 * console.log(o.retries);
 * ```
 */
export interface TaskOptions<
  I extends InterfaceTypes = InterfaceTypes,
  O extends OutputsDecl = OutputsDecl,
> {
  /** The Flyte name [`<module>.<function or const name>`]. */
  name?: string;
  /** The inputs [none]. */
  inputs?: I;
  /** The outputs: named types, or one type (named `o0`) [none]. */
  outputs?: O;
  /** Cache results [false]. */
  cache?: boolean;
  /** The cache version (required with `cache`) [""]. */
  cacheVersion?: string;
  /** Let one execution compute a cached value at a time [false]. */
  cacheSerialize?: boolean;
  /** Inputs left out of the cache key [none]. */
  cacheIgnoreInputVars?: string[];
  /** Retries on recoverable failures [0]. */
  retries?: number;
  /** The task's timeout [none]. */
  timeout?: DurationLike;
  /** May run on interruptible (spot) machines [unset]. */
  interruptible?: boolean;
  /** Resource requests and limits [none]. */
  resources?: ResourcesOption;
  /** Environment variables of the container [none]. */
  environment?: Record<string, string>;
  /** Secrets to mount [none]. */
  secretRequests?: SecretRequest[];
  /** The container image [the runtime's default image]. */
  image?: string;
  /**
   * Files shipped in the task's bundle (interactive mode), relative to the
   * defining module's folder (a notebook's working directory); the task runs
   * in the unpacked bundle, so it reads them at the same relative paths [none].
   */
  files?: readonly string[];
  /** A pod template: `{ primaryContainerName, podSpec }` (a Kubernetes PodSpec object) [none]. */
  podTemplate?: {
    primaryContainerName?: string;
    podSpec: Record<string, unknown>;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** The name of a pod template registered on the cluster [none]. */
  podTemplateName?: string;
  /** Marks the task deprecated with this message [none]. */
  deprecated?: string;
  /** Documentation (the task's long description) [none]. */
  docs?: string;
  /** The task type [`"typescript"`]. */
  taskType?: string;
}

/** Single types become `{ o0: T }`. */
export type NormalisedOutputs<O> = O extends AnyFlyteType ? { o0: O }
  : O extends InterfaceTypes ? O
  : Record<never, never>;

/**
 * A value an input accepts in a workflow: a value, a reference, or lists
 * (and string-keyed maps) of both.
 */
export type Bindable<T> =
  | T
  | Ref<T>
  | (T extends readonly (infer E)[] ? readonly Bindable<E>[] : never)
  | (T extends object
    ? string extends keyof T ? { readonly [key: string]: Bindable<T[string]> }
    : never
    : never);

/** The inputs object a call takes. */
export type CallInputs<I extends InterfaceTypes> = Simplify<
  & { [K in RequiredKeys<I>]: Bindable<InferInput<I[K]>> }
  & { [K in OptionalKeys<I>]?: Bindable<InferInput<I[K]>> | null }
>;

/** The inputs object `fn` receives. */
export type FnInputs<I extends InterfaceTypes> = Simplify<
  & { [K in RequiredKeys<I>]: Infer<I[K]> }
  & { [K in OptionalKeys<I>]?: Infer<I[K]> }
>;

/** What `fn` returns: the single value, the named values, or nothing. */
export type FnOutputs<O> = O extends AnyFlyteType ? InferInput<O>
  : O extends InterfaceTypes ? { [K in keyof O]: InferInput<O[K]> }
  : void;

/** What a local run resolves to. */
export type LocalOutputs<O> = O extends AnyFlyteType ? Infer<O>
  : O extends InterfaceTypes ? { [K in keyof O]: Infer<O[K]> }
  : void;

/** What a call inside a workflow returns: references to the outputs. */
export type OutputRefs<O> = O extends AnyFlyteType ? Ref<Infer<O>>
  : O extends InterfaceTypes ? { [K in keyof O]: Ref<Infer<O[K]>> } & NodeHandle
  : NodeHandle;

/**
 * The result of a call: references inside a workflow body, a promise of the
 * outputs outside one.
 */
export type CallResult<O> = OutputRefs<O> & Promise<LocalOutputs<O>>;

/**
 * A TypeScript task: callable, and a {@link TaskDefinition}.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task, type Task } from "./task.ts";
 * const add: Task<{ a: typeof t.int; b: typeof t.int }, typeof t.int> = task(
 *   { name: "flows.add", inputs: { a: t.int, b: t.int }, outputs: t.int },
 *   ({ a, b }) => a + b,
 * );
 * console.log(await add({ a: 1, b: 2 })); // 3
 * ```
 */
export interface Task<I extends InterfaceTypes, O extends OutputsDecl>
  extends TaskDefinition {
  /** Adds a node (in a workflow body) or runs locally (anywhere else). */
  (
    ...inputs: keyof I extends never ? [inputs?: CallInputs<I>]
      : [inputs: CallInputs<I>]
  ): CallResult<O>;
  /** The inputs as declared. */
  readonly inputs: I;
  /** The outputs, named (`o0` for a single type). */
  readonly outputs: NormalisedOutputs<O> & InterfaceTypes;
  /** Whether outputs were declared as one type (calls return one reference). */
  readonly singleOutput: boolean;
  /** The options as given. */
  readonly options: Readonly<TaskOptions<I, O>>;
}

function isType(x: unknown): x is AnyFlyteType {
  return typeof x === "object" && x !== null && "literalType" in x &&
    "toLiteral" in x;
}

/** Normalises declared outputs to named types. */
export function normaliseOutputs(o: OutputsDecl): InterfaceTypes {
  if (o === undefined) return {};
  return isType(o) ? { o0: o } : o;
}

/**
 * Runs a task in-process: inputs through the type engine, `fn`, outputs
 * back through it.
 */
export async function runTaskLocally(
  def: TaskDefinition & { singleOutput?: boolean },
  inputs: Record<string, unknown> | undefined,
): Promise<unknown> {
  const given = inputs ?? {};
  if (containsRef(given)) {
    throw new DefinitionError(
      `task ${def.name}`,
      "called outside a workflow with a workflow reference; references exist only inside a workflow body",
    );
  }
  for (const k of Object.keys(given)) {
    if (!(k in def.inputs)) {
      throw new DefinitionError(`task ${def.name}`, `has no input ${k}`);
    }
  }
  const values = fromLiteralMap(
    toLiteralMap(given, def.inputs, { root: "inputs" }),
    def.inputs,
    { root: "inputs" },
  );
  const out = await def.fn(values);
  const names = Object.keys(def.outputs);
  if (names.length === 0) return undefined;
  const single = def.singleOutput ?? (names.length === 1 && names[0] === "o0");
  const named = single
    ? { [names[0]]: out }
    : (out ?? {}) as Record<string, unknown>;
  const back = fromLiteralMap(
    toLiteralMap(named, def.outputs, { root: "outputs" }),
    def.outputs,
  );
  return single ? back[names[0]] : back;
}

function checkOptions(name: string, o: TaskOptions): void {
  const where = `task ${name}`;
  if (
    o.retries !== undefined && (!Number.isInteger(o.retries) || o.retries < 0)
  ) {
    throw new DefinitionError(
      where,
      `retries must be a whole number >= 0, got ${o.retries}`,
    );
  }
  if (o.cache && !o.cacheVersion) {
    throw new DefinitionError(where, "cache needs a cacheVersion");
  }
  for (const v of o.cacheIgnoreInputVars ?? []) {
    if (!(v in (o.inputs ?? {}))) {
      throw new DefinitionError(
        where,
        `cacheIgnoreInputVars names ${v}, which is not an input`,
      );
    }
  }
  if (
    typeof o.outputs === "object" && o.outputs !== null && !isType(o.outputs)
  ) {
    for (const [k, v] of Object.entries(o.outputs)) {
      if (!isType(v)) {
        throw new DefinitionError(where, `output ${k} is not a type (use t.*)`);
      }
    }
  }
  for (const [k, v] of Object.entries(o.inputs ?? {})) {
    if (!isType(v)) {
      throw new DefinitionError(where, `input ${k} is not a type (use t.*)`);
    }
  }
}

/**
 * Defines a task written in TypeScript. `fn` takes the inputs as one object
 * and returns the outputs (the single value, or an object of named values),
 * sync or async. The definition is recorded in the global registry.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * const add = task(
 *   { name: "flows.add", inputs: { a: t.int, b: t.int }, outputs: t.int },
 *   ({ a, b }) => a + b,
 * );
 * console.log(await add({ a: 1, b: 2 })); // 3
 * ```
 */
export function task<
  const I extends InterfaceTypes = Record<never, never>,
  const O extends OutputsDecl = undefined,
>(
  options: TaskOptions<I, O>,
  fn: (inputs: FnInputs<I>) => FnOutputs<O> | Promise<FnOutputs<O>>,
): Task<I, O> {
  const site = callSite();
  const name = options.name ?? defaultName("task", fn, site);
  checkOptions(name, options as TaskOptions);
  const inputs = (options.inputs ?? {}) as I;
  const outputs = normaliseOutputs(options.outputs);
  const singleOutput = isType(options.outputs);
  const shortName = name.split(".").pop()!;
  const call = (given?: Record<string, unknown>) => {
    const scope = currentScope();
    if (!scope) return runTaskLocally(def, given);
    const node = addNode(scope, { kind: "task", task: def }, shortName, {
      inputs,
      outputs,
    }, given);
    return resultOf(node, singleOutput);
  };
  Object.defineProperty(call, "name", { value: name });
  const def = Object.assign(call, {
    kind: "task" as const,
    inputs,
    outputs,
    singleOutput,
    fn: fn as (inputs: unknown) => unknown,
    options,
    taskType: options.taskType ?? "typescript",
    site,
  }) as unknown as Task<I, O>;
  return record(def);
}
