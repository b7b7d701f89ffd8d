/**
 * Authoring: tasks, workflows and launch plans written in TypeScript, run
 * locally or compiled to the flyteidl templates FlyteAdmin registers.
 *
 * - `task(options, fn)`, `workflow(options, fn)`, `launchPlan(wf, options)`.
 * - In workflow bodies: `conditional(name)`, `map(task, options)`, gates
 *   `sleep` / `waitForInput` / `approve`, `reference(remoteEntity)`, and on
 *   call results `.then(next)` and `.withOverrides({...})`.
 * - `compileTask(def, scope)`, `compileWorkflow(def, scope)`,
 *   `compileLaunchPlan(lp, scope)`: the templates (stable API, used by
 *   interactive mode to add `--bundle` args and content-hash versions).
 * - `DefinitionError`: every definition-time error, naming the place.
 *
 * Owns: src/sdk/. May import src/types, the flyteidl bindings and
 * ./contract.ts; never src/remote or src/sandbox (remote imports this).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { compileWorkflow, task, workflow } from "./mod.ts";
 * const add = task({ name: "flows.add", inputs: { a: t.int, b: t.int }, outputs: t.int }, ({ a, b }) => a + b);
 * const wf = workflow({ name: "flows.wf", inputs: { x: t.int }, outputs: t.int }, ({ x }) => add({ a: x, b: 2 }));
 * console.log(await wf({ x: 1 })); // 3
 * console.log(compileWorkflow(wf, { project: "p", domain: "d", version: "v1" }).workflow.nodes.length); // 1
 * ```
 *
 * @module
 */
export * from "./contract.ts";
export { DefinitionError } from "./errors.ts";
export type { DurationLike } from "./duration.ts";
export {
  type BindingTree,
  Condition,
  type InputBinding,
  type NodeOverrides,
  type NodeSpec,
  type NodeTarget,
  type Operand,
  type Operator,
  Ref,
  Scope,
} from "./graph.ts";
export type { NodeHandle } from "./nodes.ts";
export {
  type Bindable,
  type CallInputs,
  type CallResult,
  type FnInputs,
  type FnOutputs,
  type LocalOutputs,
  type NormalisedOutputs,
  type OutputRefs,
  type OutputsDecl,
  type ResourcesOption,
  type ResourceSpec,
  type SecretRequest,
  type Task,
  task,
  type TaskOptions,
} from "./task.ts";
export {
  type AnyWorkflow,
  type BodyOutputs,
  type FailurePolicy,
  type InputRefs,
  type Workflow,
  workflow,
  type WorkflowCallInputs,
  type WorkflowOptions,
} from "./workflow.ts";
export {
  type AnyLaunchPlan,
  type LaunchPlan,
  launchPlan,
  type LaunchPlanOptions,
  type NotificationOption,
  type ScheduleOption,
} from "./launch_plan.ts";
export {
  type BranchBuilder,
  type CaseBuilder,
  conditional,
  type ElseBuilder,
} from "./conditional.ts";
export {
  flytekitMapArgs,
  map,
  MAP_FLAG,
  type MapOptions,
  type MappedInputs,
  type MappedTask,
} from "./map.ts";
export { approve, sleep, waitForInput } from "./gates.ts";
export {
  type Reference,
  reference,
  type ReferenceResult,
  type ReferenceSource,
} from "./reference.ts";
export {
  type LocalRunOptions,
  type LocalWorkflow,
  runWorkflowLocally,
} from "./local.ts";
export {
  compileTask,
  type CompileTaskOptions,
  DEFAULT_IMAGE,
  type EntityScope,
  runtimeArgs,
} from "./compile_task.ts";
export {
  type CompiledDefinitions,
  compileWorkflow,
  type CompileWorkflowOptions,
} from "./compile_workflow.ts";
export {
  type CompiledLaunchPlan,
  compileLaunchPlan,
} from "./compile_launch_plan.ts";
export { registry } from "./registry.ts";
