/**
 * The graph a workflow body builds while it runs at definition time: scopes
 * (a workflow, or one case of a conditional), nodes, references to their
 * outputs, bindings and conditions. Compilation (compile.ts) turns it into
 * flyteidl; local runs (local.ts) walk it.
 *
 * @module
 */
import type { AnyFlyteType, Literal } from "../types/mod.ts";
import type { InterfaceTypes } from "./contract.ts";
import { DefinitionError } from "./errors.ts";

/**
 * A value bound to an input: a reference, a constant, or a list/map of them.
 *
 * @example
 * ```ts
 * import type { BindingTree } from "./graph.ts";
 * const kind = (b: BindingTree) => b.kind;
 * console.log(kind.length);
 * ```
 */
export type BindingTree =
  | { kind: "ref"; ref: Ref }
  | { kind: "literal"; literal: Literal; type: AnyFlyteType }
  | { kind: "list"; items: BindingTree[] }
  | { kind: "map"; entries: Record<string, BindingTree> };

/**
 * One input binding of a node.
 *
 * @example
 * ```ts
 * import type { InputBinding } from "./graph.ts";
 * const name = (b: InputBinding) => b.var;
 * console.log(name.length);
 * ```
 */
export interface InputBinding {
  /** The input's name. */
  readonly var: string;
  /** What is bound to it. */
  readonly binding: BindingTree;
}

/**
 * Per-node overrides (`withOverrides`).
 *
 * @example
 * ```ts
 * import type { NodeOverrides } from "./graph.ts";
 * const o: NodeOverrides = { name: "big", retries: 2, timeout: "10m" };
 * console.log(o);
 * ```
 */
export interface NodeOverrides {
  /** The node's display name (metadata.name). */
  name?: string;
  /** Retries of this node. */
  retries?: number;
  /** Timeout of this node. */
  timeout?: import("./duration.ts").DurationLike;
  /** Resource requests and limits of this node's task. */
  resources?: import("./resources.ts").ResourcesOption;
  /** Whether this node's task result is cached (and its cache version). */
  cache?: boolean | { version?: string; serialize?: boolean };
  /** Whether this node may run on interruptible machines. */
  interruptible?: boolean;
}

/**
 * A comparison operator of a Flyte condition.
 *
 * @example
 * ```ts
 * import type { Operator } from "./graph.ts";
 * const op: Operator = "GT";
 * console.log(op);
 * ```
 */
export type Operator = "EQ" | "NEQ" | "GT" | "GTE" | "LT" | "LTE";

/**
 * A side of a comparison: a reference or a primitive constant.
 *
 * @example
 * ```ts
 * import type { Operand } from "./graph.ts";
 * const isRef = (o: Operand) => "ref" in o;
 * console.log(isRef.length);
 * ```
 */
export type Operand = { ref: Ref } | { literal: Literal; value: unknown };

/**
 * A boolean expression for `conditional(...).if(...)`: comparisons of
 * references and constants joined with `and` / `or`.
 *
 * @example
 * ```ts
 * import type { Condition } from "./graph.ts";
 * const both = (a: Condition, b: Condition) => a.and(b);
 * console.log(both.length);
 * ```
 */
export class Condition {
  /** The expression tree. */
  readonly expr:
    | { kind: "cmp"; op: Operator; left: Operand; right: Operand }
    | { kind: "and" | "or"; left: Condition; right: Condition };
  /** Makes a condition (use the comparison methods of references instead). */
  constructor(expr: Condition["expr"]) {
    this.expr = expr;
  }
  /** Both conditions hold. */
  and(other: Condition): Condition {
    return new Condition({ kind: "and", left: this, right: other });
  }
  /** Either condition holds. */
  or(other: Condition): Condition {
    return new Condition({ kind: "or", left: this, right: other });
  }
  /** Every reference the condition reads, in order. */
  refs(): Ref[] {
    const e = this.expr;
    if (e.kind === "cmp") {
      return [e.left, e.right].flatMap((o) => "ref" in o ? [o.ref] : []);
    }
    return [...e.left.refs(), ...e.right.refs()];
  }
}

/**
 * What a node runs.
 *
 * @example
 * ```ts
 * import type { NodeTarget } from "./graph.ts";
 * const kind = (t: NodeTarget) => t.kind;
 * console.log(kind.length);
 * ```
 */
export type NodeTarget =
  // deno-lint-ignore no-explicit-any
  | { kind: "task"; task: any }
  // deno-lint-ignore no-explicit-any
  | { kind: "workflow"; workflow: any }
  // deno-lint-ignore no-explicit-any
  | { kind: "launchPlan"; launchPlan: any }
  | {
    kind: "branch";
    cases: { condition: Condition; node: NodeSpec }[];
    elseNode?: NodeSpec;
    error?: string;
  }
  | {
    kind: "gate";
    gate:
      | { kind: "sleep"; duration: { seconds: bigint; nanos: number } }
      | { kind: "signal"; signalId: string; type: AnyFlyteType }
      | { kind: "approve"; signalId: string };
  }
  | {
    kind: "array";
    // deno-lint-ignore no-explicit-any
    task: any;
    parallelism?: number;
    minSuccessRatio?: number;
    minSuccesses?: number;
  };

/**
 * A node of a workflow graph.
 *
 * @example
 * ```ts
 * import type { NodeSpec } from "./graph.ts";
 * const id = (n: NodeSpec) => n.id;
 * console.log(id.length);
 * ```
 */
export interface NodeSpec {
  /** `n0`, `n1`, ... (`fn0` for the failure node). */
  readonly id: string;
  /** The default display name (the entity's short name). */
  readonly name: string;
  /** What it runs. */
  readonly target: NodeTarget;
  /** Its input bindings, in the callee's declaration order. */
  readonly inputs: InputBinding[];
  /** Its outputs. */
  readonly outputs: InterfaceTypes;
  /** Nodes that must finish first: data dependencies, then explicit ones. */
  readonly upstream: string[];
  /** Ordering added with `runsBefore`. */
  readonly explicit: string[];
  /** Overrides set with `withOverrides`. */
  overrides: NodeOverrides;
  /** A node timeout set by the construct itself (gates). */
  timeout?: { seconds: bigint; nanos: number };
  /** The scope the node belongs to. */
  readonly scope: Scope;
}

/**
 * A workflow being defined (or one case of a conditional inside it): its
 * nodes and the counter that names them.
 *
 * @example
 * ```ts
 * import { Scope } from "./graph.ts";
 * console.log(new Scope("wf").nextId()); // "n0"
 * ```
 */
export class Scope {
  /** The nodes, in creation order. */
  readonly nodes: NodeSpec[] = [];
  /** The workflow's name (for messages). */
  readonly workflow: string;
  /** The enclosing scope (a conditional's case lives in its workflow). */
  readonly parent?: Scope;
  /** Shared id counter: cases of one conditional number their nodes together. */
  readonly counter: { next: number };
  /** Conditionals opened and not yet finished (names). */
  readonly openConditionals: Set<string> = new Set();
  /** Makes a scope. */
  constructor(workflow: string, parent?: Scope, counter?: { next: number }) {
    this.workflow = workflow;
    this.parent = parent;
    this.counter = counter ?? { next: 0 };
  }
  /** The next node id (`n0`, `n1`, ...). */
  nextId(): string {
    return `n${this.counter.next++}`;
  }
  /** Whether a reference made in `other` may be used here. */
  sees(other: Scope): boolean {
    if (other === this) return true;
    return this.parent ? this.parent.sees(other) : false;
  }
  /** The place for messages: `workflow wf`. */
  get where(): string {
    return `workflow ${this.workflow}`;
  }
}

const stack: Scope[] = [];

/**
 * The scope a task/workflow call adds its node to, or undefined outside a
 * workflow definition (then calls run locally).
 *
 * @example
 * ```ts
 * import { currentScope } from "./graph.ts";
 * console.log(currentScope()); // undefined
 * ```
 */
export function currentScope(): Scope | undefined {
  return stack[stack.length - 1];
}

/**
 * Runs `f` with `scope` as the current scope.
 *
 * @example
 * ```ts
 * import { currentScope, Scope, withScope } from "./graph.ts";
 * console.log(withScope(new Scope("wf"), () => currentScope()?.workflow)); // "wf"
 * ```
 */
export function withScope<R>(scope: Scope, f: () => R): R {
  stack.push(scope);
  try {
    return f();
  } finally {
    const i = stack.lastIndexOf(scope);
    if (i >= 0) stack.splice(i);
  }
}

/** Pushes a scope (conditional cases span several calls). */
export function pushScope(scope: Scope): void {
  stack.push(scope);
}

/** Pops `scope` (and anything left above it). */
export function popScope(scope: Scope): void {
  const i = stack.lastIndexOf(scope);
  if (i >= 0) stack.splice(i);
}

/**
 * A reference to a workflow input or a node output inside a workflow
 * definition. Comparisons make {@link Condition}s; `runsBefore` orders nodes.
 *
 * @example
 * ```ts
 * import type { Ref } from "./graph.ts";
 * const big = (r: Ref<number>) => r.gt(5);
 * console.log(big.length);
 * ```
 */
export class Ref<T = unknown> {
  /** The value type (type-level only; never set). */
  declare readonly __value?: T;
  /** The node producing it (undefined for a workflow input). */
  readonly node: NodeSpec | undefined;
  /** The variable (input or output name). */
  readonly variable: string;
  /** Its Flyte type. */
  readonly type: AnyFlyteType;
  /** The scope it was made in. */
  readonly scope: Scope;
  /** Makes a reference (workflow bodies receive them; calls return them). */
  constructor(
    scope: Scope,
    node: NodeSpec | undefined,
    variable: string,
    type: AnyFlyteType,
  ) {
    this.scope = scope;
    this.node = node;
    this.variable = variable;
    this.type = type;
  }
  /** `n0.o0`, or `x` for a workflow input. */
  toString(): string {
    return this.node ? `${this.node.id}.${this.variable}` : this.variable;
  }
  #cmp(op: Operator, other: unknown): Condition {
    return new Condition({
      kind: "cmp",
      op,
      left: { ref: this as Ref },
      right: operand(other, this.type, this.scope),
    });
  }
  /** `this == other`. */
  eq(other: T | Ref<T>): Condition {
    return this.#cmp("EQ", other);
  }
  /** `this != other`. */
  ne(other: T | Ref<T>): Condition {
    return this.#cmp("NEQ", other);
  }
  /** `this > other`. */
  gt(other: T | Ref<T>): Condition {
    return this.#cmp("GT", other);
  }
  /** `this >= other`. */
  ge(other: T | Ref<T>): Condition {
    return this.#cmp("GTE", other);
  }
  /** `this < other`. */
  lt(other: T | Ref<T>): Condition {
    return this.#cmp("LT", other);
  }
  /** `this <= other`. */
  le(other: T | Ref<T>): Condition {
    return this.#cmp("LTE", other);
  }
  /**
   * Orders this reference's node before `next`'s node (flytekit's `>>` /
   * `runs_before`): returns `next`, so `a.runsBefore(b).runsBefore(c)`
   * chains. (Not `then`: call results are also promises of local runs.)
   */
  runsBefore<N>(next: N): N {
    return orderNodes(this.node, next, this.scope);
  }
  /** Sets overrides on the node producing this reference; returns it. */
  withOverrides(overrides: NodeOverrides): this {
    const node = this.node;
    if (!node) {
      throw new DefinitionError(
        this.scope.where,
        `withOverrides on the workflow input ${this.variable}`,
      );
    }
    node.overrides = { ...node.overrides, ...overrides };
    return this;
  }
  /** `this` is true (a boolean reference). */
  isTrue(): Condition {
    return this.#cmp("EQ", true);
  }
  /** `this` is false (a boolean reference). */
  isFalse(): Condition {
    return this.#cmp("EQ", false);
  }
}

/** The node behind a call result (a reference, a node handle, or an object of references). */
export function nodeOf(v: unknown): NodeSpec | undefined {
  if (v instanceof Ref) return v.node;
  if (typeof v === "object" && v !== null) {
    const n = (v as { [NODE]?: NodeSpec })[NODE];
    if (n) return n;
  }
  return undefined;
}

/** The key under which call results without a single reference keep their node. */
export const NODE: unique symbol = Symbol("flyte-deno.sdk.node");

/** Makes `first` run before the node of `next`; returns `next`. */
export function orderNodes<N>(
  first: NodeSpec | undefined,
  next: N,
  scope: Scope,
): N {
  const second = nodeOf(next);
  if (!first || !second) {
    throw new DefinitionError(
      scope.where,
      "runsBefore() orders nodes: both sides must be call results, not workflow inputs or constants",
    );
  }
  if (first.scope !== second.scope) {
    throw new DefinitionError(
      scope.where,
      `runsBefore() orders nodes of one workflow; ${first.id} and ${second.id} belong to different scopes`,
    );
  }
  if (!second.explicit.includes(first.id)) second.explicit.push(first.id);
  return next;
}

/**
 * Refuses `await` on references and node handles in workflow bodies (they
 * would otherwise look like promises that never settle).
 */
export function refuseAwait(this: { scope?: Scope }): never {
  throw new DefinitionError(
    this.scope?.where ?? "workflow",
    "a node result was awaited (or used as a promise) in a workflow body; " +
      "workflow bodies run synchronously at definition: do not await calls",
  );
}
Object.defineProperty(Ref.prototype, "then", {
  value: refuseAwait,
  enumerable: false,
});

let operandHook: (v: unknown, type: AnyFlyteType) => Operand = () => {
  throw new Error("unreachable");
};

/** Installs the constant-to-operand conversion (bindings.ts). */
export function setOperandHook(
  f: (v: unknown, type: AnyFlyteType) => Operand,
): void {
  operandHook = f;
}

function operand(v: unknown, type: AnyFlyteType, scope: Scope): Operand {
  if (v instanceof Ref) {
    if (!v.scope.sees(scope) && !scope.sees(v.scope)) {
      throw new DefinitionError(
        scope.where,
        `a condition compares a reference (${v}) from workflow ${v.scope.workflow}`,
      );
    }
    return { ref: v };
  }
  return operandHook(v, type);
}
