/**
 * Helpers for the sdk suites: compile a TypeScript workflow with src/sdk and
 * check the result with the sandbox's compiler (Flyte's rules).
 *
 * @module
 */
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import {
  compileTask as sandboxCompileTask,
  compileWorkflow as sandboxCompileWorkflow,
  type LaunchPlanReference,
} from "../../src/sandbox/compiler/mod.ts";
import {
  type CompiledDefinitions,
  compileLaunchPlan,
  compileWorkflow,
  type WorkflowDefinition,
} from "../../src/sdk/mod.ts";
import { typedInterface } from "../../src/sdk/compile_task.ts";
import type { AnyWorkflow } from "../../src/sdk/workflow.ts";

/** The scope the sdk suites compile into. */
export const SCOPE = { project: "p", domain: "d", version: "v1" };

/** Compiles `wf` with the sdk, then with the sandbox's compiler; returns both. */
export function compileChecked(
  wf: WorkflowDefinition,
): { defs: CompiledDefinitions; closure: CompiledWorkflowClosure } {
  const defs = compileWorkflow(wf, SCOPE);
  const tasks = [
    ...defs.tasks,
    ...defs.references.flatMap((r) => r.template ? [r.template] : []),
  ].map((t) => sandboxCompileTask(t));
  const lps: LaunchPlanReference[] = defs.launchPlans.map((lp) => {
    const c = compileLaunchPlan(lp, SCOPE);
    const w = lp.workflow as AnyWorkflow;
    return {
      id: c.id,
      interface: typedInterface(w.inputs, w.outputs),
      fixedInputs: c.spec.fixedInputs,
      defaultInputs: c.spec.defaultInputs,
    };
  });
  const closure = sandboxCompileWorkflow(
    defs.workflow,
    defs.subWorkflows,
    tasks,
    lps,
  );
  return { defs, closure };
}
