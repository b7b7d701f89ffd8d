/**
 * The default workflow compiler: src/sandbox/compiler, adapted to the
 * {@link SandboxCompiler} port the admin side uses.
 *
 * @module
 */
import type { SandboxCompiler } from "./admin/context.ts";

/**
 * Loads the compiler module and adapts it.
 *
 * @example
 * ```ts
 * import { defaultCompiler } from "./default_compiler.ts";
 * const c = await defaultCompiler();
 * ```
 */
export async function defaultCompiler(): Promise<SandboxCompiler> {
  // The compiler lands from another branch; until then it is loaded lazily.
  const spec = new URL("./compiler/mod.ts", import.meta.url).href;
  // deno-lint-ignore no-explicit-any
  const mod: any = await import(spec);
  return {
    workflowRequirements: mod.workflowRequirements,
    compileTask: mod.compileTask,
    compileWorkflow: mod.compileWorkflow,
    literalTypesCompatible: mod.literalTypesCompatible,
    isCompileError: (e: unknown): e is Error & {
      nodeId?: string;
      variable?: string;
    } => e instanceof mod.CompileError,
  };
}
