/**
 * The default workflow compiler: src/sandbox/compiler, adapted to the
 * {@link SandboxCompiler} port the admin side uses.
 *
 * @module
 */
import type { SandboxCompiler } from "./admin/context.ts";
import {
  CompileError,
  compileTask,
  compileWorkflow,
  launchPlanExpectedInputs,
  literalTypeForLiteral,
  literalTypesCompatible,
  workflowRequirements,
} from "./compiler/mod.ts";

/**
 * The compiler of src/sandbox/compiler as the admin side uses it.
 *
 * @example
 * ```ts
 * import { defaultCompiler } from "./default_compiler.ts";
 * console.log(typeof defaultCompiler.compileTask);
 * ```
 */
export const defaultCompiler: SandboxCompiler = {
  workflowRequirements,
  compileTask,
  compileWorkflow,
  literalTypesCompatible,
  literalTypeForLiteral,
  launchPlanExpectedInputs,
  isCompileError: (e: unknown): e is CompileError => e instanceof CompileError,
};
