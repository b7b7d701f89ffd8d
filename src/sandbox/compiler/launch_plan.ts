/**
 * Launch plans as the compiler sees them: the inputs a launch-plan node must
 * or may bind (FlyteAdmin's `expected_inputs`: the workflow's inputs minus
 * fixed ones, required unless the launch plan gives a default) and the
 * outputs it produces.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type Identifier,
  IdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type ParameterMap,
  ParameterMapSchema,
  ParameterSchema,
  type TypedInterface,
  type VariableMap,
  VariableMapSchema,
} from "@flyteidl/core/interface_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { LaunchPlanProvider } from "./builder.ts";
import { CompileError, type CompileIssue } from "./errors.ts";
import { typeText } from "./text.ts";
import { literalTypeForLiteral, literalTypesCompatible } from "./typing.ts";

/**
 * A launch plan a workflow may launch. `id`, `interface` and `fixedInputs`
 * are those of core.LaunchPlanTemplate (a LaunchPlanTemplate message fits);
 * `defaultInputs` are the launch plan spec's; `expectedInputs` /
 * `expectedOutputs`, when given (as stored in an admin LaunchPlanClosure),
 * are used as they are.
 *
 * @example
 * ```ts
 * import type { LaunchPlanReference } from "./launch_plan.ts";
 * const lp: LaunchPlanReference = { id: { resourceType: 3, project: "p", domain: "d", name: "lp", version: "1" } };
 * ```
 */
export interface LaunchPlanReference {
  /** The launch plan's id. */
  id?: Identifier;
  /** The launched workflow's interface. */
  interface?: TypedInterface;
  /** Inputs the launch plan fixes (not bindable by a node). */
  fixedInputs?: LiteralMap;
  /** Inputs with launch-plan defaults (optional for a node). */
  defaultInputs?: ParameterMap;
  /** Admin's computed expected inputs; overrides the derivation. */
  expectedInputs?: ParameterMap;
  /** Admin's computed expected outputs; defaults to the interface's outputs. */
  expectedOutputs?: VariableMap;
}

/**
 * The inputs a launch plan expects, as FlyteAdmin computes them when a
 * launch plan is registered: every workflow input that is not fixed, with
 * the launch plan's default when it has one, otherwise required. Throws a
 * `CompileError` for defaults or fixed inputs the workflow does not have or
 * whose types do not fit.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { VariableMapSchema } from "@flyteidl/core/interface_pb.ts";
 * import { launchPlanExpectedInputs } from "./launch_plan.ts";
 * const inputs = create(VariableMapSchema, { variables: { x: { type: { type: { case: "simple", value: 1 } } } } });
 * console.log(launchPlanExpectedInputs(inputs).parameters.x.behavior.case); // "required"
 * ```
 */
export function launchPlanExpectedInputs(
  workflowInputs: VariableMap | undefined,
  fixedInputs?: LiteralMap,
  defaultInputs?: ParameterMap,
): ParameterMap {
  const problems: CompileIssue[] = [];
  const bad = (variable: string, description: string) =>
    problems.push({
      kind: "InvalidValue",
      nodeId: "launch_plan",
      variable,
      description,
    });
  const vars = workflowInputs?.variables ?? {};
  const defaults = defaultInputs?.parameters ?? {};
  const fixed = fixedInputs?.literals ?? {};
  for (const [name, p] of Object.entries(defaults)) {
    const v = vars[name];
    if (v === undefined) bad(name, `unexpected default_input ${name}`);
    else if (
      p.var?.type === undefined || v.type === undefined ||
      !literalTypesCompatible(p.var.type, v.type)
    ) {
      bad(
        name,
        `invalid default_input wrong type ${name}, expected ${
          typeText(p.var?.type)
        }, got ${typeText(v.type)} instead`,
      );
    }
  }
  for (const [name, literal] of Object.entries(fixed)) {
    const v = vars[name];
    if (v === undefined) {
      bad(name, `unexpected fixed_input ${name}`);
      continue;
    }
    const t = literalTypeForLiteral(literal);
    if (
      t === undefined || v.type === undefined ||
      !literalTypesCompatible(t, v.type)
    ) {
      bad(
        name,
        `invalid fixed_input wrong type ${name}, expected ${
          typeText(v.type)
        }, got ${typeText(t)} instead`,
      );
    }
  }
  if (problems.length > 0) throw new CompileError(problems);
  const expected = create(ParameterMapSchema);
  for (const [name, v] of Object.entries(vars)) {
    if (defaults[name] !== undefined) {
      expected.parameters[name] = defaults[name];
    } else if (fixed[name] === undefined) {
      expected.parameters[name] = create(ParameterSchema, {
        var: { type: v.type, description: v.description },
        behavior: { case: "required", value: true },
      });
    }
  }
  return expected;
}

/** @internal The compiler's view of a launch plan reference. */
export function launchPlanProvider(
  lp: LaunchPlanReference,
): LaunchPlanProvider {
  const id = lp.id ?? create(IdentifierSchema);
  let expectedInputs = lp.expectedInputs;
  if (expectedInputs === undefined && lp.interface !== undefined) {
    expectedInputs = launchPlanExpectedInputs(
      lp.interface.inputs,
      lp.fixedInputs,
      lp.defaultInputs,
    );
  }
  const expectedOutputs = lp.expectedOutputs ?? lp.interface?.outputs ??
    (lp.interface !== undefined ? create(VariableMapSchema) : undefined);
  return { id, expectedInputs, expectedOutputs };
}
