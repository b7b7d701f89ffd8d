/**
 * `workflow(options, fn)`: the body runs once, at definition, with
 * references instead of values; the calls it makes become nodes. Calling a
 * workflow inside another body adds a sub-workflow node; anywhere else it
 * runs locally, node by node.
 *
 * @module
 */
import type {
  AnyFlyteType,
  Infer,
  InferInput,
  OptionalKeys,
  RequiredKeys,
  Simplify,
} from "../types/mod.ts";
import { bindValue } from "./bindings.ts";
import type {
  InterfaceTypes,
  TaskDefinition,
  WorkflowDefinition,
} from "./contract.ts";
import { DefinitionError } from "./errors.ts";
import {
  currentScope,
  type InputBinding,
  nodeOf,
  type NodeSpec,
  Ref,
  Scope,
  withScope,
} from "./graph.ts";
import { addNode, bindCall, nodeLabel, resultOf, waitsFor } from "./nodes.ts";
import { record } from "./registry.ts";
import { callSite, defaultName } from "./site.ts";
import {
  type CallInputs,
  type CallResult,
  type NormalisedOutputs,
  normaliseOutputs,
  type OutputsDecl,
} from "./task.ts";
import { runWorkflowLocally } from "./local.ts";

/**
 * What happens to running nodes when one fails (flytekit's
 * WorkflowFailurePolicy).
 *
 * @example
 * ```ts
 * import type { FailurePolicy } from "./workflow.ts";
 * const p: FailurePolicy = "failAfterExecutableNodesComplete";
 * console.log(p);
 * ```
 */
export type FailurePolicy =
  | "failImmediately"
  | "failAfterExecutableNodesComplete";

/**
 * The options of `workflow()`.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import type { WorkflowOptions } from "./workflow.ts";
 * const o: WorkflowOptions<{ n: typeof t.int }, typeof t.int> = {
 *   inputs: { n: t.int }, outputs: t.int, defaults: { n: 3 },
 * };
 * console.log(o.defaults);
 * ```
 */
export interface WorkflowOptions<
  I extends InterfaceTypes = InterfaceTypes,
  O extends OutputsDecl = OutputsDecl,
  D extends keyof I = keyof I,
> {
  /** The Flyte name [`<module>.<function or const name>`]. */
  name?: string;
  /** The inputs [none]. */
  inputs?: I;
  /** The outputs: named types, or one type (named `o0`) [none]. */
  outputs?: O;
  /** Default input values (the default launch plan's defaults) [none]. */
  defaults?: { [K in D]: InferInput<I[K]> };
  /** When a node fails [`"failImmediately"`]. */
  failurePolicy?: FailurePolicy;
  /** A task or workflow run when the workflow fails; it gets the workflow's inputs by name [none]. */
  onFailure?: TaskDefinition | WorkflowDefinition;
  /** Documentation [none]. */
  docs?: string;
}

/** The references a workflow body receives. */
export type InputRefs<I extends InterfaceTypes> = Simplify<
  & { [K in RequiredKeys<I>]: Ref<Infer<I[K]>> }
  & { [K in OptionalKeys<I>]: Ref<Infer<I[K]>> }
>;

/** What a workflow body returns: its output (or outputs) as references or constants. */
export type BodyOutputs<O> = O extends AnyFlyteType
  ? InferInput<O> | Ref<Infer<O>>
  : O extends InterfaceTypes
    ? { [K in keyof O]: InferInput<O[K]> | Ref<Infer<O[K]>> }
  : void | unknown;

/**
 * A TypeScript workflow: callable, and a {@link WorkflowDefinition}.
 *
 * @example
 * ```ts
 * import type { Workflow } from "./workflow.ts";
 * const nodes = (w: Workflow<never, never>) => w.nodes.length;
 * console.log(nodes.length);
 * ```
 */
export interface Workflow<
  I extends InterfaceTypes,
  O extends OutputsDecl,
  D extends keyof I = never,
> extends WorkflowDefinition {
  /**
   * Adds a sub-workflow node (in a workflow body) or runs locally. Inputs
   * with defaults (`D`) may be left out.
   */
  (
    ...inputs: RequiredKeys<Omit<I, D>> extends never
      ? [inputs?: WorkflowCallInputs<I, D>]
      : [inputs: WorkflowCallInputs<I, D>]
  ): CallResult<O>;
  /** The inputs as declared. */
  readonly inputs: I;
  /** The outputs, named (`o0` for a single type). */
  readonly outputs: NormalisedOutputs<O> & InterfaceTypes;
  /** Whether outputs were declared as one type. */
  readonly singleOutput: boolean;
  /** The options as given. */
  readonly options: Readonly<WorkflowOptions<I, O, D>>;
  /** The nodes, in creation order (ids n0, n1, ...). */
  readonly nodes: readonly NodeSpec[];
  /** The output bindings. */
  readonly outputBindings: readonly InputBinding[];
  /** The failure node (`fn0`), when `onFailure` is set. */
  readonly failureNode?: NodeSpec;
  /** Every sub-workflow used (nested ones too), each once, innermost first. */
  subWorkflows(): readonly WorkflowDefinition[];
}

/**
 * Any workflow made by `workflow()` (its properties; the call signature,
 * which depends on the inputs, left out so every workflow fits).
 */
// deno-lint-ignore no-explicit-any
export type AnyWorkflow = Omit<Workflow<any, any, any>, never>;

/**
 * The inputs a workflow call takes: those with defaults (`D`) optional.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import type { WorkflowCallInputs } from "./workflow.ts";
 * const i: WorkflowCallInputs<{ a: typeof t.int; b: typeof t.int }, "b"> = { a: 1 };
 * console.log(i);
 * ```
 */
export type WorkflowCallInputs<I extends InterfaceTypes, D extends keyof I> =
  Simplify<
    & CallInputs<Omit<I, D>>
    & Partial<CallInputs<Pick<I, D>>>
  >;

function isThenable(v: unknown): boolean {
  return typeof v === "object" && v !== null &&
    typeof (v as { then?: unknown }).then === "function" &&
    v instanceof Promise;
}

function bindOutputs(
  scope: Scope,
  outputs: InterfaceTypes,
  single: boolean,
  result: unknown,
): InputBinding[] {
  const names = Object.keys(outputs);
  if (names.length === 0) return [];
  if (single) {
    if (result === undefined) {
      throw new DefinitionError(
        scope.where,
        `output o0 is never bound (the body returned nothing)`,
      );
    }
    return [{
      var: "o0",
      binding: bindValue(scope, result, outputs.o0, "output o0"),
    }];
  }
  const obj = (result ?? {}) as Record<string, unknown>;
  if (typeof obj !== "object" || obj instanceof Ref) {
    throw new DefinitionError(
      scope.where,
      `the body must return an object with the outputs ${names.join(", ")}`,
    );
  }
  for (const k of Object.keys(obj)) {
    if (!(k in outputs)) {
      throw new DefinitionError(
        scope.where,
        `the body returns ${k}, which is not a declared output`,
      );
    }
  }
  return names.map((k) => {
    if (obj[k] === undefined) {
      throw new DefinitionError(scope.where, `output ${k} is never bound`);
    }
    return {
      var: k,
      binding: bindValue(scope, obj[k], outputs[k], `output ${k}`),
    };
  });
}

/** Sets every node's upstream list (data, then explicit) and refuses cycles. */
function finishGraph(scope: Scope): void {
  const byId = new Map(scope.nodes.map((n) => [n.id, n]));
  for (const n of scope.nodes) {
    for (const e of n.explicit) if (!n.upstream.includes(e)) n.upstream.push(e);
  }
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: NodeSpec): void => {
    const s = state.get(n.id);
    if (s === 2) return;
    if (s === 1) {
      const from = path.indexOf(n.id);
      const cycle = [...path.slice(from), n.id].map((id) => {
        const x = byId.get(id)!;
        return `${x.id} (${x.name})`;
      });
      throw new DefinitionError(
        scope.where,
        `the nodes form a cycle: ${cycle.join(" -> ")}`,
      );
    }
    state.set(n.id, 1);
    path.push(n.id);
    for (const u of waitsFor(n)) {
      const un = byId.get(u);
      if (un) visit(un);
    }
    path.pop();
    state.set(n.id, 2);
  };
  for (const n of scope.nodes) visit(n);
}

function failureNodeOf(
  scope: Scope,
  handler: TaskDefinition | WorkflowDefinition,
  inputs: InterfaceTypes,
): NodeSpec {
  const given: Record<string, unknown> = {};
  for (const k of Object.keys(handler.inputs)) {
    if (k in inputs) given[k] = new Ref(scope, undefined, k, inputs[k]);
    else if ((handler.inputs[k] as { optional?: boolean }).optional !== true) {
      throw new DefinitionError(
        scope.where,
        `onFailure handler ${handler.name} takes input ${k}, which the workflow does not have`,
      );
    }
  }
  const name = handler.name.split(".").pop()!;
  const target = handler.kind === "task"
    ? { kind: "task" as const, task: handler }
    : { kind: "workflow" as const, workflow: handler };
  const inputsBound = bindCall(scope, nodeLabel("fn0", name), handler, given);
  return {
    id: "fn0",
    name,
    target,
    inputs: inputsBound,
    outputs: handler.outputs,
    upstream: [],
    explicit: [],
    overrides: {},
    scope,
  };
}

function collect(wf: AnyWorkflow): {
  tasks: TaskDefinition[];
  subs: WorkflowDefinition[];
} {
  const tasks = new Set<TaskDefinition>();
  const subs = new Set<WorkflowDefinition>();
  const visitNode = (n: NodeSpec): void => {
    const t = n.target;
    if (t.kind === "task" || t.kind === "array") {
      if (typeof t.task === "function" && t.task.kind === "task") {
        tasks.add(t.task);
      }
    } else if (t.kind === "workflow") {
      if (t.workflow.kind === "workflow" && "nodes" in t.workflow) {
        visitWf(t.workflow);
        subs.add(t.workflow);
      }
    } else if (t.kind === "launchPlan") {
      // Launch plans are separate entities; their workflows are not inlined.
    } else if (t.kind === "branch") {
      for (const c of t.cases) visitNode(c.node);
      if (t.elseNode) visitNode(t.elseNode);
    }
  };
  const visitWf = (w: AnyWorkflow): void => {
    for (const n of w.nodes) visitNode(n);
    if (w.failureNode) visitNode(w.failureNode);
  };
  visitWf(wf);
  return { tasks: [...tasks], subs: [...subs] };
}

/**
 * Defines a workflow. The body gets one reference per input and returns
 * the output (a single declared type) or an object of outputs; it runs once,
 * now, and must be synchronous.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * import { workflow } from "./workflow.ts";
 * const add = task(
 *   { name: "flows.add", inputs: { a: t.int, b: t.int }, outputs: t.int },
 *   ({ a, b }) => a + b,
 * );
 * const wf = workflow(
 *   { name: "flows.wf", inputs: { x: t.int }, outputs: t.int },
 *   ({ x }) => add({ a: add({ a: x, b: 1 }), b: 2 }),
 * );
 * console.log(await wf({ x: 1 })); // 4
 * ```
 */
export function workflow<
  const I extends InterfaceTypes = Record<never, never>,
  const O extends OutputsDecl = undefined,
  D extends keyof I = never,
>(
  options: WorkflowOptions<I, O, D>,
  fn: (inputs: InputRefs<I>) => BodyOutputs<O>,
): Workflow<I, O, D> {
  const site = callSite();
  const name = options.name ?? defaultName("workflow", fn, site);
  const inputs = (options.inputs ?? {}) as I;
  const outputs = normaliseOutputs(options.outputs);
  const singleOutput = typeof options.outputs === "object" &&
    options.outputs !== null && "literalType" in options.outputs;
  for (const k of Object.keys(options.defaults ?? {})) {
    if (!(k in inputs)) {
      throw new DefinitionError(
        `workflow ${name}`,
        `defaults name ${k}, which is not an input`,
      );
    }
  }
  const scope = new Scope(name);
  const refs = Object.fromEntries(
    Object.entries(inputs).map((
      [k, ty],
    ) => [k, new Ref(scope, undefined, k, ty)]),
  ) as InputRefs<I>;
  const result = withScope(scope, () => fn(refs));
  if (isThenable(result)) {
    (result as unknown as Promise<unknown>).catch(() => {});
    throw new DefinitionError(
      scope.where,
      "the body returned a promise; workflow bodies run synchronously at definition (no async, no await)",
    );
  }
  for (const c of scope.openConditionals) {
    throw new DefinitionError(
      scope.where,
      `conditional ${c} is not finished: it needs .else().then(...) or .else().fail(...)`,
    );
  }
  const outputBindings = bindOutputs(scope, outputs, singleOutput, result);
  // Without declared outputs the body may return nothing, or a node handle
  // (a call without outputs, e.g. for ordering); anything else is a mistake.
  const handleOnly = nodeOf(result) !== undefined &&
    !((result as unknown) instanceof Ref) &&
    Object.keys(result as object).length === 0;
  if (
    result !== undefined && Object.keys(outputs).length === 0 && !handleOnly
  ) {
    throw new DefinitionError(
      scope.where,
      "the body returns a value but the workflow declares no outputs",
    );
  }
  finishGraph(scope);
  const failureNode = options.onFailure
    ? failureNodeOf(scope, options.onFailure, inputs)
    : undefined;
  const shortName = name.split(".").pop()!;
  const call = (given?: Record<string, unknown>) => {
    const outer = currentScope();
    if (!outer) return runWorkflowLocally(def, given ?? {});
    const optional = new Set(Object.keys(options.defaults ?? {}));
    const node = addNode(
      outer,
      { kind: "workflow", workflow: def },
      shortName,
      {
        inputs,
        outputs,
        optional,
      },
      given,
    );
    return resultOf(node, singleOutput);
  };
  Object.defineProperty(call, "name", { value: name });
  let collected: ReturnType<typeof collect> | undefined;
  const def = Object.assign(call, {
    kind: "workflow" as const,
    inputs,
    outputs,
    singleOutput,
    options,
    site,
    nodes: scope.nodes,
    outputBindings,
    failureNode,
    tasks: () => (collected ??= collect(def)).tasks,
    subWorkflows: () => (collected ??= collect(def)).subs,
  }) as unknown as Workflow<I, O, D>;
  return record(def);
}
