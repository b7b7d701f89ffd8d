/**
 * Workflow compilation: a TypeScript workflow to the WorkflowTemplate a
 * FlyteAdmin accepts, laid out as flytekit lays it out (node ids n0, n1, ...,
 * metadata names, upstream lists, bindings), with the templates of its
 * sub-workflows and tasks.
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import type { BindingData } from "@flyteidl/core/literals_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import {
  ComparisonExpression_Operator,
  ConjunctionExpression_LogicalOperator,
} from "@flyteidl/core/condition_pb.ts";
import {
  WorkflowMetadata_OnFailurePolicy,
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import type { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import type {
  DefinitionBase,
  TaskDefinition,
  WorkflowDefinition,
} from "./contract.ts";
import { toPbDuration } from "./duration.ts";
import {
  type CompileTaskOptions,
  entityId,
  type EntityScope,
  resourcesOf,
  taskTemplate,
  typedInterface,
} from "./compile_task.ts";
import type { BindingTree, Condition, NodeSpec, Operand } from "./graph.ts";
import type { Reference } from "./reference.ts";
import type { TaskOptions } from "./task.ts";
import type { AnyWorkflow } from "./workflow.ts";
import type { AnyLaunchPlan } from "./launch_plan.ts";
import { mapReferenceTemplate, mapTaskTemplate } from "./compile_map.ts";
import { bindingData, branchVar } from "./compile_bindings.ts";

type NodeInit = MessageInitShape<typeof NodeSchema>;

/**
 * Options of {@link compileWorkflow}.
 *
 * @example
 * ```ts
 * import type { CompileWorkflowOptions } from "./compile_workflow.ts";
 * const o: CompileWorkflowOptions = { project: "p", domain: "d", version: "v1", versionOf: (d) => d.name.length.toString() };
 * console.log(o.version);
 * ```
 */
export interface CompileWorkflowOptions extends EntityScope {
  /** The version of each local definition (task, workflow, launch plan) [`version`]. */
  versionOf?: (def: DefinitionBase | AnyLaunchPlan) => string;
  /** Extra runtime args per task (e.g. `--bundle <uri>`) [none]. */
  extraArgsOf?: (def: TaskDefinition) => readonly string[];
  /** The image of every TypeScript task [each task's `image`, else the default]. */
  image?: string;
}

/**
 * What {@link compileWorkflow} returns: the workflow's template and
 * everything local it needs registered, plus the registered entities it
 * refers to.
 *
 * @example
 * ```ts
 * import type { CompiledDefinitions } from "./compile_workflow.ts";
 * const count = (c: CompiledDefinitions) => c.tasks.length + c.subWorkflows.length;
 * console.log(count.length);
 * ```
 */
export interface CompiledDefinitions {
  /** The workflow's template. */
  workflow: WorkflowTemplate;
  /** Templates of the local sub-workflows (nested ones too), innermost first. */
  subWorkflows: WorkflowTemplate[];
  /**
   * Templates to register with the workflow: its TypeScript tasks, their
   * map variants, and map task templates derived from mapped registered
   * tasks (those keep the registered container; they are not TypeScript).
   */
  tasks: TaskTemplate[];
  /** Local launch plans that nodes launch (register them, and their workflows, first). */
  launchPlans: AnyLaunchPlan[];
  /** Registered entities the workflow refers to (not registered again). */
  references: Reference[];
}

const OPS: Record<string, ComparisonExpression_Operator> = {
  EQ: ComparisonExpression_Operator.EQ,
  NEQ: ComparisonExpression_Operator.NEQ,
  GT: ComparisonExpression_Operator.GT,
  GTE: ComparisonExpression_Operator.GTE,
  LT: ComparisonExpression_Operator.LT,
  LTE: ComparisonExpression_Operator.LTE,
};

class Compiler {
  readonly tasks = new Map<string, TaskTemplate>();
  readonly subs = new Map<string, WorkflowTemplate>();
  readonly launchPlans = new Set<AnyLaunchPlan>();
  readonly references = new Set<Reference>();
  constructor(readonly options: CompileWorkflowOptions) {}

  scopeOf(def: DefinitionBase | AnyLaunchPlan): EntityScope {
    const version = this.options.versionOf?.(def) ?? this.options.version;
    return {
      project: this.options.project,
      domain: this.options.domain,
      version,
    };
  }

  taskOptions(def: TaskDefinition): CompileTaskOptions {
    return {
      ...this.scopeOf(def),
      image: this.options.image,
      extraArgs: this.options.extraArgsOf?.(def),
    };
  }

  refId(r: Reference, type: ResourceType): Identifier {
    this.references.add(r);
    return create(IdentifierSchema, { ...r.id, resourceType: type });
  }

  taskId(task: TaskDefinition | Reference): Identifier {
    if (task.kind === "reference") return this.refId(task, ResourceType.TASK);
    const id = entityId(ResourceType.TASK, task.name, this.scopeOf(task));
    if (!this.tasks.has(task.name)) {
      this.tasks.set(
        task.name,
        taskTemplate(
          task,
          task.name,
          task.inputs,
          task.outputs,
          this.taskOptions(task),
        ),
      );
    }
    return create(IdentifierSchema, id);
  }

  arrayTaskId(task: TaskDefinition, node: NodeSpec): Identifier {
    const tpl = mapTaskTemplate(task, node, this.taskOptions(task));
    if (!this.tasks.has(tpl.id!.name)) this.tasks.set(tpl.id!.name, tpl);
    return tpl.id!;
  }

  arrayReferenceId(ref: Reference, node: NodeSpec): Identifier {
    const tpl = mapReferenceTemplate(ref, node, this.options);
    if (!this.tasks.has(tpl.id!.name)) this.tasks.set(tpl.id!.name, tpl);
    return tpl.id!;
  }

  workflowId(wf: AnyWorkflow | Reference): Identifier {
    if (wf.kind === "reference") return this.refId(wf, ResourceType.WORKFLOW);
    if (!this.subs.has(wf.name)) {
      this.subs.set(wf.name, create(WorkflowTemplateSchema)); // placeholder keeps order innermost-first
      const tpl = this.workflow(wf);
      this.subs.delete(wf.name);
      this.subs.set(wf.name, tpl);
    }
    return create(
      IdentifierSchema,
      entityId(ResourceType.WORKFLOW, wf.name, this.scopeOf(wf)),
    );
  }

  launchPlanId(lp: AnyLaunchPlan | Reference): Identifier {
    if (lp.kind === "reference") {
      return this.refId(lp, ResourceType.LAUNCH_PLAN);
    }
    this.launchPlans.add(lp);
    return create(
      IdentifierSchema,
      entityId(ResourceType.LAUNCH_PLAN, lp.name, this.scopeOf(lp)),
    );
  }

  operand(o: Operand) {
    if ("ref" in o) {
      return { val: { case: "var" as const, value: branchVar(o) } };
    }
    const s = o.literal.value;
    if (s.case !== "scalar" || s.value.value.case !== "primitive") {
      throw new Error("conditions compare primitives only");
    }
    return { val: { case: "primitive" as const, value: s.value.value.value } };
  }

  condition(
    c: Condition,
  ): MessageInitShape<
    typeof import("@flyteidl/core/condition_pb.ts").BooleanExpressionSchema
  > {
    const e = c.expr;
    if (e.kind === "cmp") {
      return {
        expr: {
          case: "comparison",
          value: {
            operator: OPS[e.op],
            leftValue: this.operand(e.left),
            rightValue: this.operand(e.right),
          },
        },
      };
    }
    return {
      expr: {
        case: "conjunction",
        value: {
          operator: e.kind === "and"
            ? ConjunctionExpression_LogicalOperator.AND
            : ConjunctionExpression_LogicalOperator.OR,
          leftExpression: this.condition(e.left),
          rightExpression: this.condition(e.right),
        },
      },
    };
  }

  metadata(n: NodeSpec) {
    const o = n.overrides;
    const t = n.target;
    const taskOpts = t.kind === "task" && t.task.kind === "task"
      ? t.task.options as TaskOptions
      : undefined;
    const retries = o.retries ?? taskOpts?.retries ?? 0;
    const timeout = o.timeout ?? taskOpts?.timeout;
    const interruptible = o.interruptible ?? taskOpts?.interruptible ??
      (t.kind === "workflow" || t.kind === "launchPlan" ? false : undefined);
    const cache = o.cache;
    return {
      name: o.name ?? n.name,
      timeout: timeout !== undefined
        ? toPbDuration(timeout, `node ${n.id}: timeout`)
        : n.timeout,
      retries: { retries },
      interruptibleValue: interruptible === undefined
        ? { case: undefined }
        : { case: "interruptible" as const, value: interruptible },
      cacheableValue: cache === undefined
        ? { case: undefined }
        : { case: "cacheable" as const, value: cache !== false },
      cacheVersionValue: typeof cache === "object" && cache.version
        ? { case: "cacheVersion" as const, value: cache.version }
        : { case: undefined },
      cacheSerializableValue:
        typeof cache === "object" && cache.serialize !== undefined
          ? { case: "cacheSerializable" as const, value: cache.serialize }
          : { case: undefined },
    };
  }

  node(n: NodeSpec): NodeInit {
    const base: NodeInit = {
      id: n.id,
      metadata: this.metadata(n),
      inputs: n.inputs.map((b) => ({
        var: b.var,
        binding: bindingData(b.binding),
      })),
      upstreamNodeIds: n.upstream,
    };
    const t = n.target;
    switch (t.kind) {
      case "task":
        base.target = {
          case: "taskNode",
          value: {
            reference: { case: "referenceId", value: this.taskId(t.task) },
            overrides: n.overrides.resources
              ? { resources: resourcesOf(n.overrides.resources, true) }
              : {},
          },
        };
        break;
      case "workflow":
        base.target = {
          case: "workflowNode",
          value: {
            reference: {
              case: "subWorkflowRef",
              value: this.workflowId(t.workflow),
            },
          },
        };
        break;
      case "launchPlan":
        base.target = {
          case: "workflowNode",
          value: {
            reference: {
              case: "launchplanRef",
              value: this.launchPlanId(t.launchPlan),
            },
          },
        };
        break;
      case "branch": {
        const seen = new Map<string, BindingTree>();
        for (const c of t.cases) {
          for (const r of c.condition.refs()) {
            seen.set(branchVar({ ref: r }), { kind: "ref", ref: r });
          }
        }
        base.inputs = [...seen].map(([v, b]) => ({
          var: v,
          binding: bindingData(b),
        }));
        const [first, ...rest] = t.cases;
        base.target = {
          case: "branchNode",
          value: {
            ifElse: {
              case: {
                condition: this.condition(first.condition),
                thenNode: this.node(first.node),
              },
              other: rest.map((c) => ({
                condition: this.condition(c.condition),
                thenNode: this.node(c.node),
              })),
              default: t.elseNode
                ? { case: "elseNode", value: this.node(t.elseNode) }
                : {
                  case: "error",
                  value: { failedNodeId: n.name, message: t.error ?? "" },
                },
            },
          },
        };
        break;
      }
      case "gate": {
        const g = t.gate;
        base.target = {
          case: "gateNode",
          value: {
            condition: g.kind === "sleep"
              ? { case: "sleep", value: { duration: g.duration } }
              : g.kind === "signal"
              ? {
                case: "signal",
                value: {
                  signalId: g.signalId,
                  type: g.type.literalType,
                  outputVariableName: "o0",
                },
              }
              : { case: "approve", value: { signalId: g.signalId } },
          },
        };
        break;
      }
      case "array": {
        const id = t.task.kind === "reference"
          ? this.arrayReferenceId(t.task, n)
          : this.arrayTaskId(t.task, n);
        const inner = id.name;
        (base.metadata as { name: string }).name = n.overrides.name ?? inner;
        base.target = {
          case: "arrayNode",
          value: {
            node: {
              id: inner,
              metadata: { name: inner, retries: {} },
              inputs: base.inputs,
              target: {
                case: "taskNode",
                value: {
                  reference: { case: "referenceId", value: id },
                  overrides: {},
                },
              },
            },
            parallelismOption: t.parallelism === undefined
              ? { case: undefined }
              : { case: "parallelism", value: t.parallelism },
            successCriteria: t.minSuccesses !== undefined
              ? { case: "minSuccesses", value: t.minSuccesses }
              : { case: "minSuccessRatio", value: t.minSuccessRatio ?? 1 },
            isOriginalSubNodeInterface: false,
          },
        };
        break;
      }
    }
    return base;
  }

  workflow(wf: AnyWorkflow): WorkflowTemplate {
    const policy =
      wf.options.failurePolicy === "failAfterExecutableNodesComplete"
        ? WorkflowMetadata_OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE
        : WorkflowMetadata_OnFailurePolicy.FAIL_IMMEDIATELY;
    return create(WorkflowTemplateSchema, {
      id: entityId(ResourceType.WORKFLOW, wf.name, this.scopeOf(wf)),
      metadata: { onFailure: policy },
      interface: typedInterface(wf.inputs, wf.outputs),
      nodes: wf.nodes.map((n) => this.node(n)),
      outputs: wf.outputBindings.map((b) => ({
        var: b.var,
        binding: bindingData(b.binding) as BindingData,
      })),
      failureNode: wf.failureNode ? this.node(wf.failureNode) : undefined,
      metadataDefaults: {},
    });
  }
}

/**
 * Compiles a workflow: its WorkflowTemplate, the templates of its local
 * sub-workflows and TypeScript tasks (each at `versionOf(def)`), the local
 * launch plans it launches and the registered entities it refers to. Pure:
 * nothing is registered.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * import { workflow } from "./workflow.ts";
 * import { compileWorkflow } from "./compile_workflow.ts";
 * const inc = task({ name: "flows.inc", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a + 1);
 * const wf = workflow({ name: "flows.wf", inputs: { x: t.int }, outputs: t.int }, ({ x }) => inc({ a: inc({ a: x }) }));
 * const c = compileWorkflow(wf, { project: "p", domain: "d", version: "v1" });
 * console.log(c.workflow.nodes.map((n) => n.id), c.tasks.length); // ["n0", "n1"] 1
 * ```
 */
export function compileWorkflow(
  def: WorkflowDefinition,
  options: CompileWorkflowOptions,
): CompiledDefinitions {
  const c = new Compiler(options);
  const workflow = c.workflow(def as AnyWorkflow);
  return {
    workflow,
    subWorkflows: [...c.subs.values()],
    tasks: [...c.tasks.values()],
    launchPlans: [...c.launchPlans],
    references: [...c.references],
  };
}
