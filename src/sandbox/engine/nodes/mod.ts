/**
 * The node kinds, one handler each (propeller's handler factory): a node's
 * target picks its handler. A new node kind is a new file here and one
 * line in {@link handlerFor}.
 *
 * @module
 */
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import { ExecutionError_ErrorKind as Kind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "../errors.ts";
import type { NodeHandler } from "./handler.ts";
import { taskHandler } from "./task.ts";
import { subWorkflowHandler } from "./sub_workflow.ts";
import { launchPlanHandler } from "./launch_plan.ts";
import { branchHandler } from "./branch.ts";
import { gateHandler } from "./gate.ts";
import { arrayHandler } from "./array.ts";

export type { NodeHandler } from "./handler.ts";
export { runFailureNode } from "./failure.ts";
export { runTaskAttempts } from "./task_attempts.ts";

/** A node without a target: it fails with `UnsupportedNode` once queued. */
const unsupportedHandler: NodeHandler = {
  kind: "unsupported",
  isParent: false,
  isArray: false,
  handle: (_run, ctx) =>
    Promise.reject(
      new NodeFailure(
        "UnsupportedNode",
        `node ${ctx.node.id} has no target`,
        Kind.SYSTEM,
        false,
      ),
    ),
};

/**
 * The handler of a node's kind; a node without a target gets one that
 * fails it with `UnsupportedNode`.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
 * import { handlerFor } from "./mod.ts";
 * const n = create(NodeSchema, { id: "g", target: { case: "gateNode", value: {} } });
 * console.log(handlerFor(n).kind); // "gate"
 * ```
 */
export function handlerFor(node: Node): NodeHandler {
  switch (node.target.case) {
    case "taskNode":
      return taskHandler;
    case "workflowNode":
      return node.target.value.reference.case === "launchplanRef"
        ? launchPlanHandler
        : subWorkflowHandler;
    case "branchNode":
      return branchHandler;
    case "gateNode":
      return gateHandler;
    case "arrayNode":
      return arrayHandler;
  }
  return unsupportedHandler;
}
