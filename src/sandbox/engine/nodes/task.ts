/**
 * The task node handler (propeller's task handler): the node's attempts
 * with retries and the cache (`RunApi.runTaskAttempts`) under the node's
 * active deadline, or propeller's built-in echo plugin for `echo` tasks.
 *
 * @module
 */
import { durationMs } from "@bufbuild/protobuf/wkt";
import { ExecutionError_ErrorKind as Kind } from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import type { TaskNode } from "@flyteidl/core/workflow_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import { Aborted, NodeFailure } from "../errors.ts";
import { exists, joinUri, writeProto } from "../storage.ts";
import type { NodeCtx, NodeResult, RunApi } from "../context.ts";
import type { NodeHandler } from "./handler.ts";

async function runTaskNode(run: RunApi, ctx: NodeCtx): Promise<NodeResult> {
  const tn = ctx.node.target.value as TaskNode;
  const taskId = tn.reference.case === "referenceId"
    ? tn.reference.value
    : undefined;
  const task = run.task(taskId, ctx.node.id);
  if (task.type === "echo") {
    // Propeller's built-in echo plugin (flytekit's Echo): no container,
    // the outputs are the inputs.
    await ctx.markRunning?.();
    const outUri = joinUri(joinUri(ctx.D, "0"), "outputs.pb");
    await writeProto(LiteralMapSchema, outUri, ctx.inputs);
    return { outputs: ctx.inputs, outputUri: outUri };
  }
  // Active deadline: 2 × the node timeout from when the node was queued;
  // past it the node is TIMED_OUT (each attempt is bounded by the timeout).
  const timeoutMs = ctx.node.metadata?.timeout
    ? durationMs(ctx.node.metadata.timeout)
    : 0;
  const nodeAbort = new AbortController();
  const parent = ctx.scope.abort.signal;
  const forward = () => nodeAbort.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener("abort", forward, { once: true });
  const expired = new Aborted("active deadline exceeded");
  const timer = timeoutMs
    ? setTimeout(
      () => nodeAbort.abort(expired),
      Math.max(0, ctx.rec.startedAt + 2 * timeoutMs - Date.now()),
    )
    : undefined;
  try {
    return await run.runTaskAttempts({
      ctx: { ...ctx, scope: { ...ctx.scope, abort: nodeAbort } },
      task,
      uniqueId: ctx.uniqueId,
      rec: ctx.rec,
      inputs: ctx.inputs,
      inputUri: ctx.inputUri,
      D: ctx.D,
      outputDir: (a) => joinUri(ctx.D, String(a)),
      report: true,
    });
  } catch (e) {
    if (nodeAbort.signal.reason === expired && !parent.aborted) {
      throw new NodeFailure(
        "Timeout",
        `Timeout in node ${ctx.node.id}: it exceeded its active deadline ` +
          `(2 × timeout = ${2 * timeoutMs / 1000} s)`,
        Kind.USER,
        false,
      );
    }
    throw e;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    parent.removeEventListener("abort", forward);
  }
}

/**
 * Runs a task node; its SUCCEEDED event carries the cache status, the
 * catalog key of a cached task and the deck the task wrote.
 *
 * @example
 * ```ts
 * import { taskHandler } from "./task.ts";
 * console.log(taskHandler.kind); // "task"
 * ```
 */
export const taskHandler: NodeHandler = {
  kind: "task",
  isParent: false,
  isArray: false,
  handle: runTaskNode,
  async succeeded(_run, _ctx, result) {
    const catalogKey = result.catalog
      ? {
        datasetId: {
          resourceType: ResourceType.DATASET,
          project: result.catalog.dataset.project,
          domain: result.catalog.dataset.domain,
          name: result.catalog.dataset.name,
          version: result.catalog.dataset.version,
        },
        artifactTag: {
          artifactId: result.catalog.tag,
          name: result.catalog.tag,
        },
      }
      : undefined;
    const deck = result.outputUri.replace(/outputs\.pb$/, "deck.html");
    const deckUri = deck !== result.outputUri && await exists(deck) ? deck : "";
    return {
      deckUri,
      targetMetadata: {
        case: "taskNodeMetadata",
        value: {
          cacheStatus: result.cacheStatus ?? CatalogCacheStatus.CACHE_DISABLED,
          catalogKey,
        },
      },
    };
  },
};
