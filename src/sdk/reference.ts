/**
 * Entities registered elsewhere (by flytekit, another script, or fetched
 * with FlyteRemote) used inside a TypeScript workflow: `reference(entity)`
 * makes them callable. Only their identifiers go into compiled templates.
 *
 * @module
 */
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { TypedInterface, Variable } from "@flyteidl/core/interface_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import { type AnyFlyteType, typeFromLiteralType } from "../types/mod.ts";
import type { InterfaceTypes } from "./contract.ts";
import { DefinitionError } from "./errors.ts";
import { currentScope, type Ref } from "./graph.ts";
import { addNode, type NodeHandle, resultOf } from "./nodes.ts";

/**
 * What `reference()` takes: a fetched RemoteTask / RemoteWorkflow /
 * RemoteLaunchPlan (anything with `kind`, `id` and an interface), or a plain
 * description.
 *
 * @example
 * ```ts
 * import type { ReferenceSource } from "./reference.ts";
 * const src: ReferenceSource = {
 *   kind: "task",
 *   id: { project: "p", domain: "d", name: "hello.say_hello", version: "v1" },
 * };
 * console.log(src.kind);
 * ```
 */
export interface ReferenceSource {
  /** `"task"`, `"workflow"` or `"launch_plan"` (FlyteRemote's kinds). */
  readonly kind: "task" | "workflow" | "launch_plan";
  /** The entity's full id. */
  readonly id: Identifier | {
    resourceType?: number;
    project: string;
    domain: string;
    name: string;
    version: string;
  };
  /** Its interface (tasks, workflows). */
  readonly interface?: TypedInterface;
  /** A task's template (kept so compiled closures can be checked). */
  readonly template?: TaskTemplate;
  /** A launch plan's admin record (expected inputs/outputs are read from its closure). */
  readonly raw?: unknown;
}

/**
 * What calling a reference returns: a reference (single output `o0`) or
 * an object of references (named outputs), untyped.
 *
 * @example
 * ```ts
 * import type { ReferenceResult } from "./reference.ts";
 * const single = (r: ReferenceResult) => r.gt(1);
 * console.log(single.length);
 * ```
 */
export type ReferenceResult =
  // deno-lint-ignore no-explicit-any
  & Ref<any>
  & NodeHandle
  // deno-lint-ignore no-explicit-any
  & { readonly [output: string]: any };

/**
 * A callable stand-in for a registered entity.
 *
 * @example
 * ```ts
 * import type { Reference } from "./reference.ts";
 * const show = (r: Reference) => `${r.resourceKind} ${r.name}`;
 * console.log(show.length);
 * ```
 */
export interface Reference {
  /**
   * Adds a node (only inside a workflow body). The result is untyped (the
   * interface is known only at run time): the single output `o0` as a
   * reference, or named outputs as properties; types are checked when the
   * result is bound.
   */
  (inputs?: Record<string, unknown>): ReferenceResult;
  /** Always `"reference"`. */
  readonly kind: "reference";
  /** What it refers to. */
  readonly resourceKind: "task" | "workflow" | "launch_plan";
  /** The entity's name. */
  readonly name: string;
  /** The entity's id. */
  readonly id: ReferenceSource["id"];
  /** Inputs, as types. */
  readonly inputs: InterfaceTypes;
  /** Outputs, as types. */
  readonly outputs: InterfaceTypes;
  /** Inputs that may be left out (launch plan defaults). */
  readonly optional: ReadonlySet<string>;
  /** The task template, when known. */
  readonly template?: TaskTemplate;
  /** The source it was made from. */
  readonly source: ReferenceSource;
}

function typesOf(
  vars: Record<string, Variable> | undefined,
): Record<string, AnyFlyteType> {
  return Object.fromEntries(
    Object.entries(vars ?? {}).map((
      [k, v],
    ) => [k, typeFromLiteralType(v.type!)]),
  );
}

/**
 * Makes a registered entity callable in workflow bodies: a task becomes a
 * task node, a launch plan a launch-plan node, a workflow a sub-workflow
 * node (its template must then be given to registration; prefer calling a
 * fetched workflow through its launch plan).
 *
 * @example
 * ```ts
 * import { reference } from "./reference.ts";
 * const hello = reference({
 *   kind: "task",
 *   id: { resourceType: 1, project: "p", domain: "d", name: "hello.say_hello", version: "v1" },
 *   interface: { $typeName: "flyteidl.core.TypedInterface" } as never,
 * });
 * console.log(hello.name); // "hello.say_hello"
 * ```
 */
export function reference(source: ReferenceSource): Reference {
  const id = source.id;
  let inputs: InterfaceTypes, outputs: InterfaceTypes;
  const optional = new Set<string>();
  if (source.kind === "launch_plan") {
    const closure = (source.raw as {
      closure?: {
        expectedInputs?: {
          parameters: Record<
            string,
            { var?: Variable; behavior: { case?: string } }
          >;
        };
        expectedOutputs?: { variables: Record<string, Variable> };
      };
    } | undefined)?.closure;
    const params = closure?.expectedInputs?.parameters ?? {};
    inputs = Object.fromEntries(
      Object.entries(params).map((
        [k, p],
      ) => [k, typeFromLiteralType(p.var!.type!)]),
    );
    for (const [k, p] of Object.entries(params)) {
      if (p.behavior.case === "default") optional.add(k);
    }
    outputs = typesOf(closure?.expectedOutputs?.variables);
  } else {
    const iface = source.interface ?? source.template?.interface;
    inputs = typesOf(iface?.inputs?.variables);
    outputs = typesOf(iface?.outputs?.variables);
  }
  const name = id.name;
  const short = name.split(".").pop()!;
  const call = (given?: Record<string, unknown>) => {
    const scope = currentScope();
    if (!scope) {
      throw new DefinitionError(
        `reference ${name}`,
        "a registered entity runs on the cluster: call it inside a workflow body, or execute it with FlyteRemote",
      );
    }
    const target = source.kind === "task"
      ? { kind: "task" as const, task: ref }
      : source.kind === "workflow"
      ? { kind: "workflow" as const, workflow: ref }
      : { kind: "launchPlan" as const, launchPlan: ref };
    const node = addNode(
      scope,
      target,
      short,
      { inputs, outputs, optional },
      given,
    );
    return resultOf(node, Object.keys(outputs).length === 1 && "o0" in outputs);
  };
  Object.defineProperty(call, "name", { value: name });
  const ref = Object.assign(call, {
    kind: "reference" as const,
    resourceKind: source.kind,
    id,
    inputs,
    outputs,
    optional,
    template: source.template,
    source,
  }) as unknown as Reference;
  return ref;
}
