/**
 * Adding a call (task, sub-workflow, launch plan, gate, map) as a node of
 * the workflow being defined, and what the call hands back: a reference for
 * a single output `o0`, an object of references for named outputs, a node
 * handle for none. All three take `runsBefore(...)` and `withOverrides(...)`.
 *
 * @module
 */
import type { AnyFlyteType } from "../types/mod.ts";
import { bindValue } from "./bindings.ts";
import type { InterfaceTypes } from "./contract.ts";
import { DefinitionError } from "./errors.ts";
import {
  type InputBinding,
  NODE,
  type NodeOverrides,
  type NodeSpec,
  type NodeTarget,
  orderNodes,
  Ref,
  refuseAwait,
  type Scope,
} from "./graph.ts";

/** What a call site declares about its callee. */
export interface Callee {
  /** The callee's inputs. */
  readonly inputs: InterfaceTypes;
  /** The callee's outputs. */
  readonly outputs: InterfaceTypes;
  /** Inputs that may be left out (launch plan defaults, optional types). */
  readonly optional?: ReadonlySet<string>;
}

/** `node n1 (add)`. */
export function nodeLabel(id: string, name: string): string {
  return `node ${id} (${name})`;
}

/** The refs a binding tree reads. */
export function refsOf(b: InputBinding["binding"]): Ref[] {
  switch (b.kind) {
    case "ref":
      return [b.ref];
    case "literal":
      return [];
    case "list":
      return b.items.flatMap(refsOf);
    case "map":
      return Object.values(b.entries).flatMap(refsOf);
  }
}

/** Data dependencies of bindings: producing nodes in order, each once. */
export function dataDeps(bindings: readonly InputBinding[]): string[] {
  const out: string[] = [];
  for (const b of bindings) {
    for (const r of refsOf(b.binding)) {
      if (r.node && !out.includes(r.node.id)) out.push(r.node.id);
    }
  }
  return out;
}

function isOptional(type: AnyFlyteType): boolean {
  return (type as { optional?: boolean }).optional === true;
}

/**
 * Binds the call's `inputs` to the callee's declared inputs (in declaration
 * order), naming unknown and missing ones.
 */
export function bindCall(
  scope: Scope,
  label: string,
  callee: Callee,
  inputs: Record<string, unknown> | undefined,
): InputBinding[] {
  const given = inputs ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new DefinitionError(
      scope.where,
      `${label} takes its inputs as one object ({ name: value })`,
    );
  }
  const declared = Object.keys(callee.inputs);
  for (const k of Object.keys(given)) {
    if (!(k in callee.inputs)) {
      throw new DefinitionError(
        scope.where,
        `${label} has no input ${k}` +
          (declared.length ? ` (its inputs: ${declared.join(", ")})` : ""),
      );
    }
  }
  const out: InputBinding[] = [];
  for (const k of declared) {
    const type = callee.inputs[k];
    const v = given[k];
    if (v === undefined) {
      if (callee.optional?.has(k)) continue;
      if (isOptional(type)) {
        // flytekit binds an omitted optional input to none explicitly.
        out.push({
          var: k,
          binding: bindValue(scope, null, type, `${label} input ${k}`),
        });
        continue;
      }
      throw new DefinitionError(
        scope.where,
        `${label} input ${k} (${type.name}) is missing`,
      );
    }
    out.push({
      var: k,
      binding: bindValue(scope, v, type, `${label} input ${k}`),
    });
  }
  return out;
}

/**
 * Adds a node to `scope`; returns it. `id` defaults to the scope's next id.
 */
export function addNode(
  scope: Scope,
  target: NodeTarget,
  name: string,
  callee: Callee,
  inputs: Record<string, unknown> | undefined,
  id: string = scope.nextId(),
): NodeSpec {
  const label = nodeLabel(id, name);
  const bindings = bindCall(scope, label, callee, inputs);
  const node: NodeSpec = {
    id,
    name,
    target,
    inputs: bindings,
    outputs: callee.outputs,
    upstream: dataDeps(bindings),
    explicit: [],
    overrides: {},
    scope,
  };
  scope.nodes.push(node);
  return node;
}

/** A call result for a node without outputs (or as the base of named ones). */
export interface NodeHandle {
  /** Orders this node before `next`'s node; returns `next`. */
  runsBefore<N>(next: N): N;
  /** Sets per-node overrides; returns this. */
  withOverrides(overrides: NodeOverrides): this;
}

const RESERVED = new Set(["then", "runsBefore", "withOverrides"]);

/**
 * The call result for `node`: its single reference when `single`, else an
 * object of references (with `runsBefore` / `withOverrides`).
 */
export function resultOf(node: NodeSpec, single: boolean): unknown {
  const names = Object.keys(node.outputs);
  if (single && names.length === 1) {
    return new Ref(node.scope, node, names[0], node.outputs[names[0]]);
  }
  const handle: Record<string | symbol, unknown> = {};
  for (const n of names) {
    if (RESERVED.has(n)) {
      throw new DefinitionError(
        node.scope.where,
        `${
          nodeLabel(node.id, node.name)
        } has an output named ${n}, which clashes with the node handle's method`,
      );
    }
    handle[n] = new Ref(node.scope, node, n, node.outputs[n]);
  }
  Object.defineProperty(handle, NODE, { value: node, enumerable: false });
  Object.defineProperty(handle, "runsBefore", {
    enumerable: false,
    value: <N>(next: N) => orderNodes(node, next, node.scope),
  });
  Object.defineProperty(handle, "then", {
    enumerable: false,
    value: () => refuseAwait.call({ scope: node.scope }),
  });
  Object.defineProperty(handle, "withOverrides", {
    enumerable: false,
    value: (o: NodeOverrides) => {
      node.overrides = { ...node.overrides, ...o };
      return handle;
    },
  });
  return handle;
}

/**
 * Every node `n` waits for: its upstream list and, for a branch, what its
 * cases' nodes wait for (flytekit leaves those off the branch's own list).
 * For ordering local runs and finding cycles.
 */
export function waitsFor(n: NodeSpec): string[] {
  const t = n.target;
  if (t.kind !== "branch") return n.upstream;
  const inner = [
    ...t.cases.map((c) => c.node),
    ...(t.elseNode ? [t.elseNode] : []),
  ];
  return [...new Set([...n.upstream, ...inner.flatMap(waitsFor)])];
}
