/**
 * `conditional(name).if(cond).then(call).elif(cond).then(call).else().then(call)`
 * (or `.else().fail(message)`): a branch node. Each case runs one node; the
 * calls written inside `then(...)` go to that case, not to the workflow.
 *
 * @module
 */
import { DefinitionError } from "./errors.ts";
import {
  type Condition,
  currentScope,
  nodeOf,
  type NodeSpec,
  popScope,
  pushScope,
  Ref,
  Scope,
} from "./graph.ts";
import { resultOf } from "./nodes.ts";

/**
 * A conditional waiting for the result of the case just opened.
 *
 * @example
 * ```ts
 * import type { CaseBuilder } from "./conditional.ts";
 * const use = (c: CaseBuilder) => c.then;
 * console.log(use.length);
 * ```
 */
export interface CaseBuilder {
  /** The case's call (one task, workflow or launch plan call). */
  then<R>(result: R): BranchBuilder<R>;
}

/**
 * A conditional with at least one case.
 *
 * @example
 * ```ts
 * import type { BranchBuilder } from "./conditional.ts";
 * const use = (b: BranchBuilder<unknown>) => b.else;
 * console.log(use.length);
 * ```
 */
export interface BranchBuilder<R> {
  /** Another case. */
  elif(condition: Condition): CaseBuilder;
  /** The last case. */
  else(): ElseBuilder<R>;
}

/**
 * The else case of a conditional.
 *
 * @example
 * ```ts
 * import type { ElseBuilder } from "./conditional.ts";
 * const use = (e: ElseBuilder<unknown>) => e.fail;
 * console.log(use.length);
 * ```
 */
export interface ElseBuilder<R> {
  /** The else call; returns the branch's outputs (shaped like the cases' results). */
  then(result: R): R;
  /** Fails the workflow with `message` when no case matched; returns the branch's outputs. */
  fail(message: string): R;
}

class Conditional {
  readonly cases: { condition: Condition; node: NodeSpec }[] = [];
  readonly counter = { next: 0 };
  open?: Scope;
  single = true;
  constructor(readonly name: string, readonly outer: Scope) {}

  get where(): string {
    return `${this.outer.where}: conditional ${this.name}`;
  }

  openCase(): Scope {
    const s = new Scope(this.outer.workflow, this.outer, this.counter);
    this.open = s;
    pushScope(s);
    return s;
  }

  closeCase(result: unknown, label: string): NodeSpec {
    const s = this.open!;
    popScope(s);
    this.open = undefined;
    if (s.nodes.length !== 1) {
      throw new DefinitionError(
        this.where,
        `${label} must make exactly one call (a task, workflow or launch plan), made ${s.nodes.length}`,
      );
    }
    const node = s.nodes[0];
    if (nodeOf(result) !== node) {
      throw new DefinitionError(
        this.where,
        `${label} must be given the result of its call`,
      );
    }
    this.single = result instanceof Ref;
    return node;
  }

  finish(elseNode: NodeSpec | undefined, error: string | undefined): unknown {
    this.outer.openConditionals.delete(this.name);
    const first = this.cases[0].node;
    const all = [
      ...this.cases.map((c) => c.node),
      ...(elseNode ? [elseNode] : []),
    ];
    for (const n of all) {
      for (const [k, ty] of Object.entries(first.outputs)) {
        const other = n.outputs[k];
        if (!other || other.name !== ty.name) {
          throw new DefinitionError(
            this.where,
            `every case must give the same outputs: ${first.id} (${first.name}) gives ${k}: ${ty.name}, ` +
              `${n.id} (${n.name}) ${
                other ? `gives ${other.name}` : "does not"
              }`,
          );
        }
      }
    }
    // flytekit's branch node depends on what its conditions read; the
    // cases' own inputs are their nodes' (Flyte's compiler adds those edges
    // from the bindings).
    const upstream: string[] = [];
    for (const c of this.cases) {
      for (const r of c.condition.refs()) {
        if (r.node && !upstream.includes(r.node.id)) upstream.push(r.node.id);
      }
    }
    const node: NodeSpec = {
      id: this.outer.nextId(),
      name: this.name,
      target: { kind: "branch", cases: this.cases, elseNode, error },
      inputs: [],
      outputs: first.outputs,
      upstream,
      explicit: [],
      overrides: {},
      scope: this.outer,
    };
    this.outer.nodes.push(node);
    return resultOf(node, this.single);
  }
}

/**
 * Starts a conditional (a branch node) named `name` in the workflow being
 * defined.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * import { workflow } from "./workflow.ts";
 * import { conditional } from "./conditional.ts";
 * const double = task({ name: "flows.double", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a * 2);
 * const square = task({ name: "flows.square", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a * a);
 * const wf = workflow({ name: "flows.pick", inputs: { x: t.int }, outputs: t.int }, ({ x }) =>
 *   conditional("big")
 *     .if(x.gt(5)).then(double({ a: x }))
 *     .elif(x.lt(0)).then(square({ a: x }))
 *     .else().fail("x is between 0 and 5"));
 * console.log(await wf({ x: 6 })); // 12
 * ```
 */
export function conditional(
  name: string,
): { if(condition: Condition): CaseBuilder } {
  const outer = currentScope();
  if (!outer) {
    throw new DefinitionError(
      `conditional ${name}`,
      "is used outside a workflow body",
    );
  }
  if (outer.openConditionals.has(name)) {
    throw new DefinitionError(
      outer.where,
      `conditional ${name} is already open`,
    );
  }
  const c = new Conditional(name, outer);
  outer.openConditionals.add(name);
  let done = false;
  const caseBuilder = (condition: Condition, label: string): CaseBuilder => {
    if (done) throw new DefinitionError(c.where, "is already finished");
    c.openCase();
    return {
      then<R>(result: R): BranchBuilder<R> {
        c.cases.push({ condition, node: c.closeCase(result, label) });
        return branch as BranchBuilder<R>;
      },
    };
  };
  const branch: BranchBuilder<unknown> = {
    elif: (condition) => caseBuilder(condition, `case ${c.cases.length + 1}`),
    else: () => {
      c.openCase();
      return {
        then: (result: unknown) => {
          const node = c.closeCase(result, "else");
          done = true;
          return c.finish(node, undefined);
        },
        fail: (message: string) => {
          popScope(c.open!);
          done = true;
          return c.finish(undefined, message);
        },
      };
    },
  };
  return { if: (condition) => caseBuilder(condition, "case 1") };
}
