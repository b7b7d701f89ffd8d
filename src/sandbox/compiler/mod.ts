/**
 * The sandbox's workflow compiler: turns registered workflow specs into the
 * CompiledWorkflowClosure Flyte's compiler (flytepropeller/pkg/compiler)
 * would produce, and rejects bad graphs with a {@link CompileError}.
 *
 * Owns: reference resolution (tasks, launch plans, sub-workflows), binding
 * type checks (Flyte's literal type compatibility), start/end nodes,
 * connections, branch/gate/array/launch-plan/failure nodes, task template
 * checks. May import: flyteidl bindings and @bufbuild/protobuf only (no
 * store, server or engine code).
 *
 * @example
 * ```ts
 * import { compileWorkflow, workflowRequirements } from "./mod.ts";
 * console.log(typeof compileWorkflow, typeof workflowRequirements);
 * ```
 *
 * @module
 */
export { CompileError } from "./errors.ts";
export type { CompileErrorKind, CompileIssue } from "./errors.ts";
export { compileTask } from "./task.ts";
export { compileWorkflow } from "./workflow.ts";
export { workflowRequirements } from "./requirements.ts";
export { launchPlanExpectedInputs } from "./launch_plan.ts";
export type { LaunchPlanReference } from "./launch_plan.ts";
export {
  literalTypeForLiteral,
  literalTypeForScalar,
  literalTypesCompatible,
} from "./typing.ts";
