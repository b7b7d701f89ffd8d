/**
 * The graph walk of propeller's workflow executor: which nodes may start,
 * failure policy, skipped nodes, and the start and end nodes.
 *
 * @module
 */
import {
  ExecutionError_ErrorKind as Kind,
  NodeExecution_Phase as NodePhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type Node,
  WorkflowMetadata_OnFailurePolicy,
} from "@flyteidl/core/workflow_pb.ts";
import { Aborted, NodeFailure } from "./errors.ts";
import { resolveBindings } from "./bindings.ts";
import { joinUri, readProto, writeProto } from "./storage.ts";
import { EMPTY, type RunApi, type Scope } from "./context.ts";
import { dataDir, nodeEventBase, nodeUniqueId, outputAlias } from "./scope.ts";

/**
 * Walks a graph to completion: records and reports the start node, starts
 * each node once its upstream nodes are done (skipping those below a
 * skipped one), stops the others on the first failure unless the workflow
 * says FAIL_AFTER_EXECUTABLE_NODES_COMPLETE, then resolves and reports the
 * end node. Returns the end node's output URI.
 *
 * @example
 * ```ts
 * import { walkGraph } from "./graph.ts";
 * console.log(typeof walkGraph); // "function"
 * ```
 */
export async function walkGraph(
  run: RunApi,
  scope: Scope,
  startInputs?: LiteralMap,
): Promise<string> {
  const s = run.settings;
  const tpl = scope.wf;
  // start-node
  const startD = dataDir(run, scope, "start-node");
  const startOut = joinUri(startD, "0", "outputs.pb");
  const inputs = startInputs ??
    (run.req.inputsUri
      ? await readProto(LiteralMapSchema, run.req.inputsUri)
      : EMPTY());
  scope.outputs.set("start-node", inputs);
  const startId = nodeUniqueId(scope, "start-node");
  if (s.store.node(run.key, startId)?.phase !== "succeeded") {
    await writeProto(LiteralMapSchema, startOut, inputs);
    s.store.putNode(run.key, startId, {
      phase: "succeeded",
      attempts: 1,
      systemFailures: 0,
      startedAt: Date.now(),
      outputUri: startOut,
      cacheStatus: 0,
    });
    const startNode = tpl.nodes.find((n) => n.id === "start-node") ??
      ({ id: "start-node" } as Node);
    await s.reporter.node({
      ...nodeEventBase(run, scope, startNode, startId),
      phase: NodePhase.SUCCEEDED,
      outputResult: { case: "outputUri", value: startOut },
    });
  }

  const work = tpl.nodes.filter((n) =>
    n.id !== "start-node" && n.id !== "end-node"
  );
  const state = new Map<
    string,
    "pending" | "running" | "ok" | "failed" | "skipped"
  >();
  for (const n of work) state.set(n.id, "pending");
  state.set("start-node", "ok");
  const running = new Map<string, Promise<void>>();
  let failure: unknown;
  const failImmediately = tpl.metadata?.onFailure !==
    WorkflowMetadata_OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE;

  const ready = (n: Node) =>
    (scope.upstream[n.id] ?? []).every((u) => {
      const st = state.get(u) ?? "ok";
      return st === "ok" || st === "skipped" || st === "failed";
    });

  while (true) {
    if (scope.abort.signal.aborted && running.size === 0) break;
    let started = false;
    if (!scope.abort.signal.aborted && !(failure && failImmediately)) {
      for (const n of work) {
        if (state.get(n.id) !== "pending" || !ready(n)) continue;
        const ups = scope.upstream[n.id] ?? [];
        if (ups.some((u) => state.get(u) === "failed")) continue;
        if (ups.some((u) => state.get(u) === "skipped")) {
          state.set(n.id, "skipped");
          const uid = nodeUniqueId(scope, n.id);
          s.store.putNode(run.key, uid, {
            phase: "skipped",
            attempts: 0,
            systemFailures: 0,
            startedAt: Date.now(),
            outputUri: "",
            cacheStatus: 0,
          });
          await s.reporter.node({
            ...nodeEventBase(run, scope, n, uid),
            phase: NodePhase.SKIPPED,
          });
          started = true;
          continue;
        }
        state.set(n.id, "running");
        started = true;
        running.set(
          n.id,
          run.runNode(scope, n).then(
            () => {
              state.set(n.id, "ok");
            },
            (e) => {
              state.set(n.id, "failed");
              if (!(e instanceof Aborted)) {
                failure = e;
                if (failImmediately && !scope.abort.signal.aborted) {
                  scope.abort.abort(
                    new Aborted("Some node execution failed, auto-abort."),
                  );
                }
              } else failure ??= e;
            },
          ).finally(() => running.delete(n.id)),
        );
      }
    }
    if (running.size === 0) {
      if (!started) break;
      continue;
    }
    await Promise.race(running.values());
  }
  if (failure) throw failure;
  if (scope.abort.signal.aborted) throw scope.abort.signal.reason;
  if ([...state.values()].some((v) => v === "pending")) {
    throw new NodeFailure(
      "UnreachableNodes",
      "some nodes could never start (their upstream nodes failed or form a cycle)",
      Kind.SYSTEM,
      false,
    );
  }

  // end-node
  const endId = nodeUniqueId(scope, "end-node");
  const endD = dataDir(run, scope, "end-node");
  const endOut = joinUri(endD, "0", "outputs.pb");
  const endNode = tpl.nodes.find((n) => n.id === "end-node") ??
    ({ id: "end-node", inputs: tpl.outputs } as unknown as Node);
  const endInputs = resolveBindings(
    tpl.outputs,
    (id) => scope.outputs.get(id),
    (nid, v) => outputAlias(scope, nid, v),
  );
  if (s.store.node(run.key, endId)?.phase !== "succeeded") {
    const inUri = joinUri(endD, "inputs.pb");
    await writeProto(LiteralMapSchema, inUri, endInputs);
    await s.reporter.node({
      ...nodeEventBase(run, scope, endNode, endId),
      phase: NodePhase.QUEUED,
      inputValue: { case: "inputUri", value: inUri },
    });
    await writeProto(LiteralMapSchema, endOut, endInputs);
    s.store.putNode(run.key, endId, {
      phase: "succeeded",
      attempts: 1,
      systemFailures: 0,
      startedAt: Date.now(),
      outputUri: endOut,
      cacheStatus: 0,
    });
    await s.reporter.node({
      ...nodeEventBase(run, scope, endNode, endId),
      phase: NodePhase.SUCCEEDED,
      outputResult: { case: "outputUri", value: endOut },
    });
  }
  scope.outputs.set("end-node", endInputs);
  return endOut;
}
