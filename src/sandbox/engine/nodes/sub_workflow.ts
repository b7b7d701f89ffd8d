/**
 * The sub-workflow node handler (propeller's subworkflow handler for
 * `subWorkflowRef`): the referenced workflow of the closure runs as a child
 * graph of this execution, its failure node included.
 *
 * @module
 */
import { ExecutionError_ErrorKind as Kind } from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import type { WorkflowNode } from "@flyteidl/core/workflow_pb.ts";
import { Aborted, NodeFailure } from "../errors.ts";
import { joinUri, writeProto } from "../storage.ts";
import { EMPTY, idKey } from "../context.ts";
import type { NodeHandler } from "./handler.ts";

/**
 * Runs a sub-workflow node: the child graph's nodes are reported under this
 * node (`parent_node_metadata`), its end node's outputs are the node's.
 *
 * @example
 * ```ts
 * import { subWorkflowHandler } from "./sub_workflow.ts";
 * console.log(subWorkflowHandler.isParent); // true
 * ```
 */
export const subWorkflowHandler: NodeHandler = {
  kind: "sub-workflow",
  isParent: true,
  isArray: false,
  async handle(run, ctx) {
    const wn = ctx.node.target.value as WorkflowNode;
    const ref = wn.reference.case === "subWorkflowRef"
      ? wn.reference.value
      : undefined;
    const wf = run.subWorkflow(ref);
    if (!wf?.template) {
      throw new NodeFailure(
        "SubWorkflowNotFound",
        `node ${ctx.node.id}: sub-workflow ${
          idKey(ref)
        } is not in the compiled closure`,
        Kind.SYSTEM,
        false,
      );
    }
    await ctx.markRunning!();
    const O = joinUri(ctx.D, "0");
    if (ctx.rec.attempts === 0) {
      ctx.rec.attempts = 1;
      run.settings.store.putNode(run.key, ctx.uniqueId, ctx.rec);
    }
    const child = run.childScope(
      wf,
      { uniqueId: ctx.uniqueId, attempt: 0 },
      O,
      ctx.scope.abort,
    );
    try {
      await run.runGraph(child, ctx.inputs);
    } catch (e) {
      if (e instanceof Aborted) throw e;
      throw await run.runFailureNode(child, e);
    }
    const outputs = child.outputs.get("end-node") ?? EMPTY();
    const outUri = joinUri(O, "outputs.pb");
    await writeProto(LiteralMapSchema, outUri, outputs);
    return { outputs, outputUri: outUri };
  },
};
