/**
 * Launch-plan nodes: child executions (propeller-contract.md §5).
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import {
  ExecutionError_ErrorKind as Kind,
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { WorkflowNode } from "@flyteidl/core/workflow_pb.ts";
import {
  ExecutionMetadata_ExecutionMode,
} from "@flyteidl/admin/execution_pb.ts";
import { NodeFailure } from "../errors.ts";
import { childExecutionName } from "../ids.ts";
import { joinUri, readProto, writeProto } from "../storage.ts";
import { abortable } from "../concurrency.ts";
import {
  EMPTY,
  idKey,
  type NodeCtx,
  type NodeResult,
  type RunApi,
} from "../context.ts";
import type { NodeHandler } from "./handler.ts";
/**
 * A launch-plan node: creates the child execution through
 * AdminService.CreateExecution (CHILD_WORKFLOW, parent node execution) and
 * watches it with GetExecution; the child's outputs become the node's.
 *
 * @example
 * ```ts
 * import { launchPlanHandler } from "./launch_plan.ts";
 * console.log(launchPlanHandler.kind); // "launch plan"
 * ```
 */
export const launchPlanHandler: NodeHandler = {
  kind: "launch plan",
  isParent: false,
  isArray: false,
  handle: (run, ctx) => {
    const wn = ctx.node.target.value as WorkflowNode;
    return launchPlanNode(run, ctx, wn.reference.value as Identifier);
  },
};

async function launchPlanNode(
  run: RunApi,
  ctx: NodeCtx,
  lp: Identifier,
): Promise<NodeResult> {
  const s = run.settings;
  const spec = run.req.spec;
  const name = childExecutionName(run.execId.name, ctx.uniqueId, 0);
  const childId = {
    project: run.execId.project,
    domain: run.execId.domain,
    name,
  };
  if (ctx.rec.attempts === 0) {
    ctx.rec.attempts = 1;
    s.store.putNode(run.key, ctx.uniqueId, ctx.rec);
  }
  const signal = ctx.scope.abort.signal;
  try {
    await s.admin.createExecution({
      project: childId.project,
      domain: childId.domain,
      name,
      inputs: ctx.inputs,
      spec: {
        launchPlan: lp,
        metadata: {
          mode: ExecutionMetadata_ExecutionMode.CHILD_WORKFLOW,
          nesting: (spec.metadata?.nesting ?? 0) + 1,
          parentNodeExecution: {
            executionId: run.execId,
            nodeId: ctx.uniqueId,
          },
          principal: spec.metadata?.principal ?? "",
        },
        labels: spec.labels,
        annotations: spec.annotations,
        securityContext: spec.securityContext,
        rawOutputDataConfig: spec.rawOutputDataConfig,
        maxParallelism: spec.maxParallelism,
        interruptible: spec.interruptible,
        overwriteCache: spec.overwriteCache,
        envs: spec.envs,
      },
    });
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code !== Code.AlreadyExists) {
      throw new NodeFailure(
        "RemoteChildWorkflowExecutionFailed",
        `creating child execution ${name} for launch plan ${
          idKey(lp)
        }: ${err.message}`,
        Kind.USER,
        false,
      );
    }
  }
  await ctx.markRunning!({
    targetMetadata: {
      case: "workflowNodeMetadata",
      value: { executionId: childId },
    },
  });
  const onAbort = () => {
    s.admin.terminateExecution({
      id: childId,
      cause: "parent execution aborted",
    }).catch(() => {});
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      if (signal.aborted) throw signal.reason;
      const ex = await s.admin.getExecution({ id: childId });
      const c = ex.closure;
      switch (c?.phase) {
        case WfPhase.SUCCEEDED: {
          let outputs = EMPTY();
          const r = c.outputResult;
          if (r.case === "outputData") outputs = r.value;
          else if (r.case === "outputs") {
            if (r.value.data.case === "values") outputs = r.value.data.value;
            else if (r.value.data.case === "uri") {
              outputs = await readProto(LiteralMapSchema, r.value.data.value);
            }
          } else {
            try {
              const d = await s.admin.getExecutionData({ id: childId });
              if (d.fullOutputs) outputs = d.fullOutputs;
            } catch { /* no outputs */ }
          }
          const outUri = joinUri(ctx.D, "0", "outputs.pb");
          await writeProto(LiteralMapSchema, outUri, outputs);
          return { outputs, outputUri: outUri };
        }
        case WfPhase.FAILED:
        case WfPhase.TIMED_OUT: {
          const err = c.outputResult.case === "error"
            ? c.outputResult.value
            : undefined;
          throw new NodeFailure(
            err?.code || "RemoteChildWorkflowExecutionFailed",
            err?.message || `child execution ${name} failed`,
            err?.kind ?? Kind.USER,
            false,
          );
        }
        case WfPhase.ABORTED:
          throw new NodeFailure(
            "RemoteChildWorkflowExecutionFailed",
            `child execution ${name} was aborted`,
            Kind.USER,
            false,
          );
      }
      await abortable(s.pollMs, signal);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
