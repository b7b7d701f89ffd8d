/**
 * Local runs of workflows: node by node, in-process, each task through the
 * type engine (see task.ts), branches decided, gates passed (sleeps are
 * skipped; signals come from `signals`), maps run item by item.
 *
 * @module
 */
import {
  type AnyFlyteType,
  fromLiteral,
  fromLiteralMap,
  toLiteralMap,
} from "../types/mod.ts";
import type { InterfaceTypes } from "./contract.ts";
import { DefinitionError } from "./errors.ts";
import type {
  BindingTree,
  Condition,
  InputBinding,
  NodeSpec,
  Operand,
} from "./graph.ts";
import { runTaskLocally } from "./task.ts";
import { waitsFor } from "./nodes.ts";

/**
 * Options of a local workflow run.
 *
 * @example
 * ```ts
 * import type { LocalRunOptions } from "./local.ts";
 * const o: LocalRunOptions = { signals: { approve_it: true, num: 3 } };
 * console.log(o);
 * ```
 */
export interface LocalRunOptions {
  /** Values of `waitForInput` gates, and `false` to reject an `approve` gate, by signal id. */
  signals?: Record<string, unknown>;
}

/**
 * What a local run needs of a workflow (a `Workflow` fits).
 *
 * @example
 * ```ts
 * import type { LocalWorkflow } from "./local.ts";
 * const count = (w: LocalWorkflow) => w.nodes.length;
 * console.log(count.length);
 * ```
 */
export interface LocalWorkflow {
  /** The workflow's name. */
  readonly name: string;
  /** Its inputs. */
  readonly inputs: InterfaceTypes;
  /** Its outputs. */
  readonly outputs: InterfaceTypes;
  /** Whether its outputs were declared as one type. */
  readonly singleOutput?: boolean;
  /** Its options (the defaults are used). */
  readonly options: { defaults?: Record<string, unknown> };
  /** Its nodes. */
  readonly nodes: readonly NodeSpec[];
  /** Its output bindings. */
  readonly outputBindings: readonly InputBinding[];
  /** Its failure node. */
  readonly failureNode?: NodeSpec;
}

class Run {
  readonly values = new Map<NodeSpec, Record<string, unknown>>();
  constructor(
    readonly wf: LocalWorkflow,
    readonly inputs: Record<string, unknown>,
    readonly options: LocalRunOptions,
  ) {}

  value(b: BindingTree): unknown {
    switch (b.kind) {
      case "literal":
        return fromLiteral(b.literal, b.type);
      case "list":
        return b.items.map((i) => this.value(i));
      case "map":
        return Object.fromEntries(
          Object.entries(b.entries).map(([k, v]) => [k, this.value(v)]),
        );
      case "ref": {
        const r = b.ref;
        if (!r.node) return this.inputs[r.variable];
        const out = this.values.get(r.node);
        if (!out) throw new Error(`node ${r.node.id} has not run`);
        return out[r.variable];
      }
    }
  }

  operand(o: Operand): unknown {
    return "ref" in o ? this.value({ kind: "ref", ref: o.ref }) : o.value;
  }

  test(c: Condition): boolean {
    const e = c.expr;
    if (e.kind !== "cmp") {
      return e.kind === "and"
        ? this.test(e.left) && this.test(e.right)
        : this.test(e.left) || this.test(e.right);
    }
    const l = this.operand(e.left), r = this.operand(e.right);
    const le = (l instanceof Date ? l.getTime() : l) as number;
    const re = (r instanceof Date ? r.getTime() : r) as number;
    switch (e.op) {
      case "EQ":
        return le === re;
      case "NEQ":
        return le !== re;
      case "GT":
        return le > re;
      case "GTE":
        return le >= re;
      case "LT":
        return le < re;
      case "LTE":
        return le <= re;
    }
  }

  async node(n: NodeSpec): Promise<Record<string, unknown>> {
    const inputs = Object.fromEntries(
      n.inputs.map((b) => [b.var, this.value(b.binding)]),
    );
    const t = n.target;
    const named = (out: unknown, single: boolean) =>
      Object.keys(n.outputs).length === 0
        ? {}
        : single
        ? { [Object.keys(n.outputs)[0]]: out }
        : out as Record<string, unknown>;
    switch (t.kind) {
      case "task": {
        if (typeof t.task.fn !== "function") {
          throw new DefinitionError(
            `workflow ${this.wf.name}`,
            `node ${n.id} (${n.name}) runs the remote task ${t.task.name}, which cannot run locally`,
          );
        }
        return named(
          await runTaskLocally(t.task, inputs),
          t.task.singleOutput ?? false,
        );
      }
      case "workflow":
      case "launchPlan": {
        const w = t.kind === "workflow" ? t.workflow : t.launchPlan.workflow;
        if (!w || !("nodes" in w)) {
          throw new DefinitionError(
            `workflow ${this.wf.name}`,
            `node ${n.id} (${n.name}) launches a remote entity, which cannot run locally`,
          );
        }
        const lp = t.kind === "launchPlan" ? t.launchPlan : undefined;
        const all = {
          ...(lp?.defaultInputs ?? {}),
          ...inputs,
          ...(lp?.fixedInputs ?? {}),
        };
        return named(
          await runWorkflowLocally(w, all, this.options),
          w.singleOutput,
        );
      }
      case "branch": {
        const chosen = t.cases.find((c) => this.test(c.condition))?.node ??
          t.elseNode;
        if (!chosen) {
          throw new Error(
            `conditional ${n.name} failed: ${t.error ?? "no case matched"}`,
          );
        }
        const out = await this.node(chosen);
        this.values.set(chosen, out);
        return out;
      }
      case "gate": {
        const g = t.gate;
        if (g.kind === "sleep") return {};
        const signals = this.options.signals ?? {};
        if (g.kind === "signal") {
          if (!(g.signalId in signals)) {
            throw new Error(
              `gate ${g.signalId} waits for input: pass it as signals.${g.signalId} to run locally`,
            );
          }
          return { o0: signals[g.signalId] };
        }
        if (signals[g.signalId] === false) {
          throw new Error(`gate ${g.signalId} was not approved`);
        }
        return { o0: inputs.o0 };
      }
      case "array":
        return { o0: await this.map(n, t, inputs) };
    }
  }

  async map(
    n: NodeSpec,
    t: Extract<NodeSpec["target"], { kind: "array" }>,
    inputs: Record<string, unknown>,
  ): Promise<unknown[]> {
    const lists = Object.entries(inputs) as [string, unknown[]][];
    const size = lists.length ? lists[0][1].length : 0;
    const out: unknown[] = [];
    let failed = 0;
    for (let i = 0; i < size; i++) {
      const item = Object.fromEntries(lists.map(([k, v]) => [k, v[i]]));
      try {
        out.push(await runTaskLocally(t.task, item));
      } catch (e) {
        if ((t.minSuccessRatio ?? 1) >= 1) throw e;
        failed++;
        out.push(null);
      }
    }
    if (size > 0 && (size - failed) / size < (t.minSuccessRatio ?? 1)) {
      throw new Error(`map ${n.name}: ${failed} of ${size} items failed`);
    }
    return out;
  }
}

function order(nodes: readonly NodeSpec[]): NodeSpec[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  const out: NodeSpec[] = [];
  const visit = (n: NodeSpec) => {
    if (done.has(n.id)) return;
    done.add(n.id);
    for (const u of waitsFor(n)) {
      const x = byId.get(u);
      if (x) visit(x);
    }
    out.push(n);
  };
  nodes.forEach(visit);
  return out;
}

function through(
  values: Record<string, unknown>,
  types: InterfaceTypes,
  root: string,
) {
  return fromLiteralMap(
    toLiteralMap(values, types as Record<string, AnyFlyteType>, { root }),
    types,
    { root },
  );
}

/**
 * Runs a workflow locally: inputs (with the workflow's defaults) through the
 * type engine, then each node in dependency order. On failure the
 * `onFailure` handler runs (with the workflow's inputs) and the error is
 * rethrown.
 *
 * @example
 * ```ts
 * import { runWorkflowLocally } from "./local.ts";
 * console.log(typeof runWorkflowLocally); // "function"
 * ```
 */
export async function runWorkflowLocally(
  wf: LocalWorkflow,
  inputs: Record<string, unknown>,
  options: LocalRunOptions = {},
): Promise<unknown> {
  const given = { ...(wf.options.defaults ?? {}), ...inputs };
  const values = through(given, wf.inputs, "inputs");
  const run = new Run(wf, values, options);
  try {
    for (const n of order(wf.nodes)) run.values.set(n, await run.node(n));
  } catch (e) {
    if (wf.failureNode) await run.node(wf.failureNode);
    throw e;
  }
  const outs = Object.fromEntries(
    wf.outputBindings.map((b) => [b.var, run.value(b.binding)]),
  );
  const names = Object.keys(wf.outputs);
  if (names.length === 0) return undefined;
  const back = through(outs, wf.outputs, "outputs");
  return wf.singleOutput ? back[names[0]] : back;
}
