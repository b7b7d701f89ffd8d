/**
 * The node executor: what every node goes through whatever its kind
 * (resume, inputs, durable record, node events); the kind's own work is its
 * `NodeHandler`'s (nodes/).
 *
 * @module
 */
import {
  ExecutionError_ErrorKind as Kind,
  NodeExecution_Phase as NodePhase,
} from "@flyteidl/core/execution_pb.ts";
import { type Literal, LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import { Aborted, NodeFailure } from "./errors.ts";
import { toExecutionError } from "./events.ts";
import { resolveBindings } from "./bindings.ts";
import { joinUri, readProto, writeProto } from "./storage.ts";
import { withPlainLocalBlobs } from "./local_refs.ts";
import { EMPTY, type NodeCtx, type RunApi, type Scope } from "./context.ts";
import { dataDir, nodeEventBase, nodeUniqueId, outputAlias } from "./scope.ts";
import { handlerFor } from "./nodes/mod.ts";

/**
 * Runs one node the way propeller's node executor does, whatever its kind:
 * a node a previous run finished is only read back; otherwise its inputs
 * are resolved and written, QUEUED is recorded and reported, its kind's
 * handler runs it (RUNNING when the handler says it started), and its end
 * (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) is recorded and reported.
 *
 * @example
 * ```ts
 * import { runNode } from "./node.ts";
 * console.log(typeof runNode); // "function"
 * ```
 */
export async function runNode(
  run: RunApi,
  scope: Scope,
  node: Node,
  extraInputs?: Record<string, Literal>,
): Promise<void> {
  const s = run.settings;
  const uniqueId = nodeUniqueId(scope, node.id);
  const D = dataDir(run, scope, node.id);
  const base = nodeEventBase(run, scope, node, uniqueId);
  let rec = s.store.node(run.key, uniqueId);
  if (rec?.phase === "succeeded") {
    scope.outputs.set(
      node.id,
      rec.outputUri
        ? await readProto(LiteralMapSchema, rec.outputUri)
        : EMPTY(),
    );
    return;
  }
  if (rec?.phase === "failed" && rec.error) {
    throw new NodeFailure(
      rec.error.code,
      rec.error.message,
      rec.error.kind,
      false,
    );
  }
  if (scope.abort.signal.aborted) throw scope.abort.signal.reason;
  const resolved = resolveBindings(
    node.inputs,
    (id) => scope.outputs.get(id),
    (nid, v) => outputAlias(scope, nid, v),
  );
  if (extraInputs) Object.assign(resolved.literals, extraInputs);
  // Local files and directories reach tasks as plain paths (local_refs.ts).
  const inputs = withPlainLocalBlobs(resolved);
  const inputUri = joinUri(D, "inputs.pb");
  const handler = handlerFor(node);
  const targetEntity = node.target.case === "taskNode"
    ? (node.target.value.reference.case === "referenceId"
      ? node.target.value.reference.value
      : undefined)
    : undefined;
  const common = {
    ...base,
    isParent: handler.isParent,
    isArray: handler.isArray,
    targetEntity,
  };
  if (!rec) {
    await writeProto(LiteralMapSchema, inputUri, inputs);
    rec = {
      phase: "running",
      attempts: 0,
      systemFailures: 0,
      startedAt: Date.now(),
      outputUri: "",
      cacheStatus: 0,
    };
    s.store.putNode(run.key, uniqueId, rec);
    await s.reporter.node({
      ...common,
      phase: NodePhase.QUEUED,
      inputValue: { case: "inputUri", value: inputUri },
    });
  }
  const ctx: NodeCtx = {
    scope,
    node,
    uniqueId,
    D,
    inputs,
    inputUri,
    rec,
    common,
    running: false,
  };
  const markRunning = async (extra: Record<string, unknown> = {}) => {
    if (ctx.running && Object.keys(extra).length === 0) return;
    ctx.running = true;
    await s.reporter.node({
      ...common,
      phase: NodePhase.RUNNING,
      inputValue: { case: "inputUri", value: inputUri },
      ...extra,
    });
  };
  ctx.markRunning = markRunning;
  try {
    const result = await handler.handle(run, ctx);
    scope.outputs.set(node.id, result.outputs);
    s.store.putNode(run.key, uniqueId, {
      ...ctx.rec,
      phase: "succeeded",
      outputUri: result.outputUri,
      cacheStatus: result.cacheStatus ?? 0,
    });
    const extra = await handler.succeeded?.(run, ctx, result);
    await s.reporter.node({
      ...common,
      phase: NodePhase.SUCCEEDED,
      deckUri: "",
      targetMetadata: { case: undefined },
      ...extra,
      outputResult: { case: "outputUri", value: result.outputUri },
    });
  } catch (e) {
    if (e instanceof Aborted || scope.abort.signal.aborted) {
      if (run.stopping) throw e;
      const reason =
        (scope.abort.signal.reason as Error | undefined)?.message ??
          (e as Error).message;
      s.store.putNode(run.key, uniqueId, { ...ctx.rec, phase: "aborted" });
      await s.reporter.node({
        ...common,
        phase: NodePhase.ABORTED,
        outputResult: {
          case: "error",
          value: toExecutionError(
            new NodeFailure("NodeAborted", reason, Kind.USER, false),
          ),
        },
      });
      throw e instanceof Aborted ? e : new Aborted(reason);
    }
    const err = toExecutionError(e);
    s.store.putNode(run.key, uniqueId, {
      ...ctx.rec,
      phase: "failed",
      error: { code: err.code, message: err.message, kind: err.kind },
    });
    const timedOut = e instanceof NodeFailure && e.code === "Timeout";
    await s.reporter.node({
      ...common,
      phase: timedOut ? NodePhase.TIMED_OUT : NodePhase.FAILED,
      outputResult: { case: "error", value: err },
    });
    throw e;
  }
}
