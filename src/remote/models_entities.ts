/**
 * Fetched entities: tasks, workflows and launch plans, camelCase views over
 * the admin messages (kept in `raw`), with their interfaces as inputs.
 *
 * @module
 */
import type { Task } from "@flyteidl/admin/task_pb.ts";
import type { Workflow } from "@flyteidl/admin/workflow_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { TypedInterface, Variable } from "@flyteidl/core/interface_pb.ts";
import type { LiteralMap } from "@flyteidl/core/literals_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import type { WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import type { Schedule } from "@flyteidl/admin/schedule_pb.ts";
import {
  inputsOfParameters,
  inputsOfVariables,
  type InterfaceInput,
} from "./inputs.ts";
import {
  type MimeBundle,
  renderLaunchPlan,
  renderTask,
  renderWorkflow,
} from "../display/mod.ts";
import { formatEntityId } from "./ids.ts";
import { toDate } from "./models_common.ts";

/**
 * A fetched task: its id, template and interface.
 *
 * @example
 * ```ts
 * import type { RemoteTask } from "./models.ts";
 * function inputs(t: RemoteTask) { return t.inputs.map((i) => i.name); }
 * ```
 */
export class RemoteTask {
  /** Always "task". */
  readonly kind = "task" as const;
  /** The admin message. */
  readonly raw: Task;
  /** Console link ("" until known). */
  consoleUrl = "";
  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderTask(this.raw, this.consoleUrl);
  }
  /** Creates the view. */
  constructor(raw: Task) {
    this.raw = raw;
  }
  /** The task's id. */
  get id(): Identifier {
    return this.raw.id!;
  }
  /** The task template. */
  get template(): TaskTemplate | undefined {
    return this.raw.closure?.compiledTask?.template;
  }
  /** The typed interface. */
  get interface(): TypedInterface | undefined {
    return this.template?.interface;
  }
  /** The inputs (all required). */
  get inputs(): InterfaceInput[] {
    return inputsOfVariables(this.interface?.inputs);
  }
  /** When it was registered. */
  get createdAt(): Date | undefined {
    return toDate(this.raw.closure?.createdAt);
  }
  /** `task project/domain/name@version`. */
  toString(): string {
    return formatEntityId(this.id);
  }
}

/**
 * A fetched workflow: its id, compiled closure and interface.
 *
 * @example
 * ```ts
 * import type { RemoteWorkflow } from "./models.ts";
 * function nodes(w: RemoteWorkflow) { return w.template?.nodes.length ?? 0; }
 * ```
 */
export class RemoteWorkflow {
  /** Always "workflow". */
  readonly kind = "workflow" as const;
  /** The admin message. */
  readonly raw: Workflow;
  /** Console link ("" until known). */
  consoleUrl = "";
  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderWorkflow(this.raw, this.consoleUrl);
  }
  /** Creates the view. */
  constructor(raw: Workflow) {
    this.raw = raw;
  }
  /** The workflow's id. */
  get id(): Identifier {
    return this.raw.id!;
  }
  /** The compiled closure (primary workflow, sub-workflows, tasks). */
  get closure(): CompiledWorkflowClosure | undefined {
    return this.raw.closure?.compiledWorkflow;
  }
  /** The primary workflow template. */
  get template(): WorkflowTemplate | undefined {
    return this.closure?.primary?.template;
  }
  /** The typed interface. */
  get interface(): TypedInterface | undefined {
    return this.template?.interface;
  }
  /** The inputs of the workflow itself (defaults live on its launch plan). */
  get inputs(): InterfaceInput[] {
    return inputsOfVariables(this.interface?.inputs);
  }
  /** When it was registered. */
  get createdAt(): Date | undefined {
    return toDate(this.raw.closure?.createdAt);
  }
  /** `workflow project/domain/name@version`. */
  toString(): string {
    return formatEntityId(this.id);
  }
}

/**
 * A fetched launch plan, with its defaults, schedule and state.
 *
 * @example
 * ```ts
 * import type { RemoteLaunchPlan } from "./models.ts";
 * function active(lp: RemoteLaunchPlan) { return lp.isActive; }
 * ```
 */
export class RemoteLaunchPlan {
  /** Always "launch_plan". */
  readonly kind = "launch_plan" as const;
  /** The admin message. */
  readonly raw: LaunchPlan;
  /** Console link ("" until known). */
  consoleUrl = "";
  /** Rich notebook display (text/html and text/plain; see src/display). */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return renderLaunchPlan(this.raw, this.consoleUrl);
  }
  /** Creates the view. */
  constructor(raw: LaunchPlan) {
    this.raw = raw;
  }
  /** The launch plan's id. */
  get id(): Identifier {
    return this.raw.id!;
  }
  /** The workflow it launches. */
  get workflowId(): Identifier | undefined {
    return this.raw.spec?.workflowId;
  }
  /** Its inputs, defaults included (fixed inputs are not listed: they cannot be set). */
  get inputs(): InterfaceInput[] {
    return inputsOfParameters(
      this.raw.closure?.expectedInputs ?? this.raw.spec?.defaultInputs,
    );
  }
  /** The output variables. */
  get outputs(): Record<string, Variable> {
    return this.raw.closure?.expectedOutputs?.variables ?? {};
  }
  /** Inputs fixed by the launch plan. */
  get fixedInputs(): LiteralMap | undefined {
    return this.raw.spec?.fixedInputs;
  }
  /** Its schedule, if any. */
  get schedule(): Schedule | undefined {
    return this.raw.spec?.entityMetadata?.schedule;
  }
  /** True when the launch plan is ACTIVE (its schedule runs). */
  get isActive(): boolean {
    return this.raw.closure?.state === LaunchPlanState.ACTIVE;
  }
  /** `launch_plan project/domain/name@version`. */
  toString(): string {
    return formatEntityId(this.id);
  }
}
