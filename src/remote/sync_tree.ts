/**
 * The pieces of a node-tree sync that need no admin calls: where nested
 * node ids are looked up (the workflow a set of nodes belongs to), what
 * kind a node is, the interface of what it runs, and how a node's outputs
 * and offloaded literal maps are read.
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import { NodeExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { CompiledWorkflowClosure } from "@flyteidl/core/compiler_pb.ts";
import type { Node, WorkflowTemplate } from "@flyteidl/core/workflow_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import { FlyteError } from "../client/errors.ts";
import { type NodeKind, RemoteNodeExecution } from "./models.ts";

/** Where nested node ids are looked up: the workflow a set of nodes belongs to. */
export interface Scope {
  closure?: CompiledWorkflowClosure;
  nodes: Map<string, Node>;
  /** The id of the workflow's failure node (`on_failure`), when it has one. */
  failureNodeId?: string;
}

export function sameId(a: Identifier | undefined, b: Identifier | undefined) {
  return !!a && !!b && a.project === b.project && a.domain === b.domain &&
    a.name === b.name && a.version === b.version;
}

export function scopeOfTemplate(
  closure: CompiledWorkflowClosure | undefined,
  template: WorkflowTemplate | undefined,
): Scope {
  const nodes = new Map<string, Node>();
  for (const n of template?.nodes ?? []) nodes.set(n.id, n);
  if (template?.failureNode) {
    nodes.set(template.failureNode.id, template.failureNode);
  }
  return { closure, nodes, failureNodeId: template?.failureNode?.id };
}

export function scopeOfNodes(
  closure: CompiledWorkflowClosure | undefined,
  list: Node[],
) {
  return { closure, nodes: new Map(list.map((n) => [n.id, n])) };
}

export function classify(raw: NodeExecution, node: Node | undefined): NodeKind {
  // Nested start and end nodes are `<parent>-<attempt>-start-node`: their
  // spec id is the plain one.
  const id = raw.metadata?.specNodeId || raw.id?.nodeId || "";
  if (id === "start-node") return "start";
  if (id === "end-node") return "end";
  if (raw.metadata?.isArray) return "array";
  if (raw.metadata?.isDynamic) return "dynamic";
  switch (node?.target.case) {
    case "taskNode":
      return "task";
    case "workflowNode":
      return node.target.value.reference.case === "launchplanRef"
        ? "launchplan"
        : "subworkflow";
    case "branchNode":
      return "branch";
    case "gateNode":
      return "gate";
    case "arrayNode":
      return "array";
  }
  const wf = raw.closure?.targetMetadata;
  if (wf?.case === "workflowNodeMetadata" && wf.value.executionId) {
    return "launchplan";
  }
  if (wf?.case === "taskNodeMetadata") return "task";
  return "unknown";
}

/** The interface of what a template node runs (its task, sub-workflow or launch plan), when the closure has it. */
export function interfaceOfNode(
  spec: Node | undefined,
  closure: CompiledWorkflowClosure | undefined,
): TypedInterface | undefined {
  if (!spec || !closure) return undefined;
  const t = spec.target;
  if (t.case === "taskNode" && t.value.reference.case === "referenceId") {
    const ref = t.value.reference.value;
    return closure.tasks.find((c) => sameId(c.template?.id, ref))?.template
      ?.interface;
  }
  if (t.case === "workflowNode") {
    const ref = t.value.reference.value;
    if (t.value.reference.case === "subWorkflowRef") {
      return closure.subWorkflows.find((w) => sameId(w.template?.id, ref))
        ?.template?.interface;
    }
    return closure.launchPlans.find((l) => sameId(l.template?.id, ref))
      ?.template?.interface;
  }
  return undefined;
}

/**
 * Reads a LiteralMap that admin did not inline (over its inline size limit)
 * from the signed http(s) URL it returned; other URLs (native s3://, gs://)
 * cannot be read without storage credentials and give undefined.
 */
export async function offloaded(
  url: string | undefined,
  signal?: AbortSignal,
): Promise<LiteralMap | undefined> {
  if (!url || !/^https?:\/\//.test(url)) return undefined;
  const res = await fetch(url, { signal });
  if (!res.ok) {
    await res.body?.cancel();
    throw new FlyteError(
      `reading offloaded data from ${url}: HTTP ${res.status}`,
    );
  }
  return fromBinary(LiteralMapSchema, new Uint8Array(await res.arrayBuffer()));
}

/**
 * A node's outputs: only a SUCCEEDED node has them (admin answers an empty
 * map for one still running, failed or skipped, which would not decode
 * through the interface).
 */
export function nodeOutputs(raw: NodeExecution, full: LiteralMap | undefined) {
  if (raw.closure?.phase !== NodeExecution_Phase.SUCCEEDED) return undefined;
  const r = raw.closure?.outputResult;
  return full ?? (r?.case === "outputData" ? r.value : undefined);
}

/** A node view over the newest admin message, keeping what was synced below it. */
export function refresh(
  old: RemoteNodeExecution | undefined,
  raw: NodeExecution,
): RemoteNodeExecution {
  const n = new RemoteNodeExecution(raw);
  if (old) {
    n.children = old.children;
    n.childExecution = old.childExecution;
    n.dynamicWorkflow = old.dynamicWorkflow;
  }
  return n;
}
