/**
 * Where a graph's nodes live: scopes (one per workflow, sub-workflow,
 * dynamic workflow or branch case being walked), node ids, data folders and
 * the fields of node events.
 *
 * @module
 */
import type { CompiledWorkflow } from "@flyteidl/core/compiler_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import { caseDependencies } from "./branch.ts";
import { childUniqueId } from "./ids.ts";
import { joinUri } from "./storage.ts";
import type { RunApi, Scope } from "./context.ts";

/**
 * A graph's scope: its template, the upstream of each node (a branch also
 * waits for its cases' upstream, as propeller builds the taken case's DAG),
 * where its nodes' data goes, and an abort that follows `parentAbort`.
 *
 * @example
 * ```ts
 * import { newScope } from "./scope.ts";
 * console.log(typeof newScope); // "function"
 * ```
 */
export function newScope(
  wf: CompiledWorkflow,
  parent: Scope["parent"],
  childBase: string | undefined,
  parentAbort: AbortController,
): Scope {
  const tpl = wf.template!;
  const upstream: Record<string, string[]> = {};
  const here = new Set(tpl.nodes.map((n) => n.id));
  for (const n of tpl.nodes) {
    const ids = wf.connections?.upstream[n.id]?.ids ?? n.upstreamNodeIds;
    upstream[n.id] = [...ids];
    // A branch's cases may read nodes its conditions do not (flytekit
    // lists only the latter): as propeller, the taken case waits for
    // its own upstream, so the branch starts once all of them are done.
    if (n.target.case === "branchNode") {
      const more = caseDependencies(n).filter((id) =>
        id !== n.id && here.has(id) && !upstream[n.id].includes(id)
      );
      upstream[n.id].push(...more);
    }
  }
  const abort = new AbortController();
  const forward = () => abort.abort(parentAbort.signal.reason);
  if (parentAbort.signal.aborted) forward();
  else parentAbort.signal.addEventListener("abort", forward, { once: true });
  return { wf: tpl, upstream, parent, childBase, outputs: new Map(), abort };
}

/**
 * A node's data folder: `<metadata prefix>/<node>/data` at the top level,
 * `<parent output dir>/<node>` in a child graph.
 *
 * @example
 * ```ts
 * import { dataDir } from "./scope.ts";
 * console.log(typeof dataDir); // "function"
 * ```
 */
export function dataDir(run: RunApi, scope: Scope, nodeId: string): string {
  return scope.childBase !== undefined
    ? joinUri(scope.childBase, nodeId)
    : joinUri(run.req.metadataPrefix, nodeId, "data");
}

/**
 * A node's execution id in the scope (Flyte's child unique id under a
 * parent node).
 *
 * @example
 * ```ts
 * import { nodeUniqueId } from "./scope.ts";
 * console.log(typeof nodeUniqueId); // "function"
 * ```
 */
export function nodeUniqueId(scope: Scope, nodeId: string): string {
  return childUniqueId(
    scope.parent?.uniqueId,
    scope.parent?.attempt ?? 0,
    nodeId,
  );
}

/**
 * The fields every node event of a node carries.
 *
 * @example
 * ```ts
 * import { nodeEventBase } from "./scope.ts";
 * console.log(typeof nodeEventBase); // "function"
 * ```
 */
export function nodeEventBase(
  run: RunApi,
  scope: Scope,
  node: Node,
  uniqueId: string,
) {
  return {
    id: { executionId: run.execId, nodeId: uniqueId },
    specNodeId: node.id,
    nodeName: node.metadata?.name ?? node.id,
    eventVersion: 2,
    retryGroup: scope.parent ? String(scope.parent.attempt) : "",
    parentNodeMetadata: scope.parent
      ? { nodeId: scope.parent.uniqueId }
      : undefined,
  };
}

/**
 * The output variable an alias of a node's output names (`output_aliases`).
 *
 * @example
 * ```ts
 * import { outputAlias } from "./scope.ts";
 * console.log(typeof outputAlias); // "function"
 * ```
 */
export function outputAlias(scope: Scope, nodeId: string, v: string): string {
  const n = scope.wf.nodes.find((x) => x.id === nodeId);
  return n?.outputAliases.find((a) => a.alias === v)?.var ?? v;
}
