/**
 * The branch node handler (propeller's branch handler): the conditions pick
 * one case, which runs as a child node of the branch; its outputs are the
 * branch's. The executor makes the branch wait for every case's upstream
 * (see `caseDependencies`), so the taken case finds its inputs.
 *
 * @module
 */
import { ExecutionError_ErrorKind as Kind } from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import type { BranchNode } from "@flyteidl/core/workflow_pb.ts";
import { NodeFailure } from "../errors.ts";
import { chooseBranch } from "../branch.ts";
import { joinUri, writeProto } from "../storage.ts";
import { EMPTY, type Scope } from "../context.ts";
import type { NodeHandler } from "./handler.ts";

/**
 * Runs a branch node: evaluates its if/else-if/else on the node's inputs and
 * runs the taken node (reported under the branch node).
 *
 * @example
 * ```ts
 * import { branchHandler } from "./branch.ts";
 * console.log(branchHandler.kind); // "branch"
 * ```
 */
export const branchHandler: NodeHandler = {
  kind: "branch",
  isParent: true,
  isArray: false,
  async handle(run, ctx) {
    const bn = ctx.node.target.value as BranchNode;
    await ctx.markRunning!();
    if (!bn.ifElse) {
      throw new NodeFailure(
        "MalformedBranchUserError",
        "branch without if_else",
        Kind.USER,
        false,
      );
    }
    const taken = chooseBranch(bn.ifElse, ctx.inputs);
    const O = joinUri(ctx.D, "0");
    if (ctx.rec.attempts === 0) {
      ctx.rec.attempts = 1;
      run.settings.store.putNode(run.key, ctx.uniqueId, ctx.rec);
    }
    // The taken node sees the outer scope's outputs; it runs as a child.
    const child: Scope = {
      ...ctx.scope,
      parent: { uniqueId: ctx.uniqueId, attempt: 0 },
      childBase: O,
      outputs: ctx.scope.outputs,
    };
    await run.runNode(child, taken);
    const outputs = ctx.scope.outputs.get(taken.id) ?? EMPTY();
    const outUri = joinUri(O, "outputs.pb");
    await writeProto(LiteralMapSchema, outUri, outputs);
    return { outputs, outputUri: outUri };
  },
};
