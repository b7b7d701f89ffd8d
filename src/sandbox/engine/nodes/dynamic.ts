/**
 * Dynamic workflows (propeller's dynamic handler): a task that writes
 * futures.pb instead of outputs.pb hands back a workflow (a DynamicJobSpec);
 * it is compiled where it can be and run as a child graph of the task node.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  ExecutionError_ErrorKind as Kind,
  NodeExecution_Phase as NodePhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type CompiledWorkflow,
  type CompiledWorkflowClosure,
  CompiledWorkflowSchema,
} from "@flyteidl/core/compiler_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import { DynamicJobSpecSchema } from "@flyteidl/core/dynamic_job_pb.ts";
import { NodeFailure } from "../errors.ts";
import { joinUri, readProto, writeProto } from "../storage.ts";
import { compileTask, compileWorkflow } from "../../compiler/mod.ts";
import { type AttemptOpts, EMPTY, type RunApi } from "../context.ts";

/**
 * Runs the workflow a dynamic task wrote to futures.pb as a child graph of
 * the task node (DYNAMIC_RUNNING, the compiled workflow on the node event);
 * returns its outputs, which must bind every declared output.
 *
 * @example
 * ```ts
 * import { runDynamic } from "./dynamic.ts";
 * console.log(typeof runDynamic); // "function"
 * ```
 */
export async function runDynamic(
  run: RunApi,
  o: AttemptOpts,
  attempt: number,
  futuresUri: string,
): Promise<LiteralMap> {
  const s = run.settings;
  const O = o.outputDir(attempt);
  const spec = await readProto(DynamicJobSpecSchema, futuresUri);
  for (const t of spec.tasks) run.addTask(t);
  const id = create(IdentifierSchema, {
    resourceType: ResourceType.WORKFLOW,
    project: run.execId.project,
    domain: run.execId.domain,
    name: `dynamic_${o.ctx.node.id}`,
    version: crypto.randomUUID().replaceAll("-", "").slice(0, 20),
  });
  const tpl = create(WorkflowTemplateSchema, {
    id,
    interface: o.task.interface,
    nodes: spec.nodes,
    outputs: spec.outputs,
  });
  let compiled: CompiledWorkflowClosure | undefined;
  try {
    compiled = compileWorkflow(
      tpl,
      spec.subworkflows,
      spec.tasks.map((t) => compileTask(t)),
      [],
    );
  } catch {
    // Launch-plan references cannot be checked here; run the graph as given.
  }
  const primary: CompiledWorkflow = compiled?.primary ??
    create(CompiledWorkflowSchema, { template: tpl });
  for (const w of compiled?.subWorkflows ?? []) {
    run.addSubWorkflow(w);
  }
  if (!compiled) {
    for (const w of spec.subworkflows) {
      run.addSubWorkflow(create(CompiledWorkflowSchema, { template: w }));
    }
  }
  await s.reporter.node({
    ...o.ctx.common,
    phase: NodePhase.DYNAMIC_RUNNING,
    isDynamic: true,
    isParent: true,
    inputValue: { case: "inputUri", value: o.inputUri },
    targetMetadata: {
      case: "taskNodeMetadata",
      value: {
        dynamicWorkflow: {
          id,
          compiledWorkflow: compiled,
          dynamicJobSpecUri: futuresUri,
        },
      },
    },
  });
  const scope = run.childScope(
    primary,
    { uniqueId: o.uniqueId, attempt },
    O,
    o.ctx.scope.abort,
  );
  await run.runGraph(scope, o.inputs);
  const outputs = scope.outputs.get("end-node") ?? EMPTY();
  const missing = Object.keys(o.task.interface?.outputs?.variables ?? {})
    .filter((n) => !(n in outputs.literals));
  if (missing.length) {
    throw new NodeFailure(
      "OutputsNotFound",
      `dynamic workflow of ${o.ctx.node.id} does not bind declared output(s) ${
        missing.join(", ")
      }`,
      Kind.USER,
      false,
    );
  }
  await writeProto(LiteralMapSchema, joinUri(O, "outputs.pb"), outputs);
  return outputs;
}
