/**
 * Array (map) nodes (propeller-contract.md §5).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  ExecutionError_ErrorKind as Kind,
  TaskExecution_Phase as TaskPhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { ArrayNode } from "@flyteidl/core/workflow_pb.ts";
import type { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import { Aborted, NodeFailure } from "../errors.ts";
import { toExecutionError } from "../events.ts";
import { fixedLengthId, generatedName } from "../ids.ts";
import { joinUri, readProto, writeProto } from "../storage.ts";
import { Semaphore } from "../concurrency.ts";
import {
  EMPTY,
  type NodeCtx,
  type NodeResult,
  type RunApi,
  type Scope,
} from "../context.ts";
import type { NodeHandler } from "./handler.ts";
/**
 * An array (map) node: one sub-task per item with its own retries, bounded
 * parallelism, success criteria, outputs gathered per index; reported as one
 * `container_array` task execution with external resources per item.
 *
 * @example
 * ```ts
 * import { arrayHandler } from "./array.ts";
 * console.log(arrayHandler.isArray); // true
 * ```
 */
export const arrayHandler: NodeHandler = {
  kind: "array",
  isParent: false,
  isArray: true,
  handle: (run, ctx) => arrayNode(run, ctx, ctx.node.target.value as ArrayNode),
};

async function arrayNode(
  run: RunApi,
  ctx: NodeCtx,
  an: ArrayNode,
): Promise<NodeResult> {
  const s = run.settings;
  const sub = an.node;
  if (!sub || sub.target.case !== "taskNode") {
    throw new NodeFailure(
      "UnsupportedArrayNode",
      `array node ${ctx.node.id}: only task sub-nodes are supported`,
      Kind.USER,
      false,
    );
  }
  const tn = sub.target.value;
  const task = run.task(
    tn.reference.case === "referenceId" ? tn.reference.value : undefined,
    ctx.node.id,
  );
  let size = -1;
  for (const [name, lit] of Object.entries(ctx.inputs.literals)) {
    if (an.boundInputs.includes(name) || lit.value.case !== "collection") {
      continue;
    }
    const n = lit.value.value.literals.length;
    if (size >= 0 && n !== size) {
      throw new NodeFailure(
        "InvalidArrayLength",
        `array node ${ctx.node.id}: input ${name} has ${n} items, others ${size}`,
        Kind.USER,
        false,
      );
    }
    size = n;
  }
  if (size < 0) {
    throw new NodeFailure(
      "InvalidArrayLength",
      `array node ${ctx.node.id}: no collection input to map over`,
      Kind.USER,
      false,
    );
  }
  await ctx.markRunning!();
  if (ctx.rec.attempts === 0) {
    ctx.rec.attempts = 1;
    s.store.putNode(run.key, ctx.uniqueId, ctx.rec);
  }
  const arrayAttempt = 0;
  const O = joinUri(ctx.D, String(arrayAttempt));
  const need = an.successCriteria.case === "minSuccesses"
    ? an.successCriteria.value
    : an.successCriteria.case === "minSuccessRatio"
    ? Math.ceil(an.successCriteria.value * size)
    : size;
  const parallelism = an.parallelismOption.case === "parallelism" &&
      an.parallelismOption.value > 0
    ? an.parallelismOption.value
    : size || 1;
  const sem = new Semaphore(parallelism);
  const individual = an.dataMode === 1;
  const results: Array<LiteralMap | undefined> = new Array(size);
  const phases: TaskPhase[] = new Array(size).fill(TaskPhase.UNDEFINED);
  const attempts: number[] = new Array(size).fill(0);
  const cacheStates: CatalogCacheStatus[] = new Array(size).fill(0);
  let failures = 0;
  let lastError: unknown;
  const arrayName = generatedName(run.execId.name, ctx.uniqueId, 0);
  let phaseVersion = 0;
  let pending: Promise<void> | undefined;
  let dirty = false;
  const taskId = task.id;
  const emit = (phase: TaskPhase, final = false) => {
    const ev = () =>
      s.reporter.task({
        taskId,
        parentNodeExecutionId: {
          executionId: run.execId,
          nodeId: ctx.uniqueId,
        },
        retryAttempt: 0,
        phase,
        phaseVersion: phaseVersion++,
        taskType: "container_array",
        inputValue: { case: "inputUri", value: ctx.inputUri },
        outputResult: final && phase === TaskPhase.SUCCEEDED
          ? { case: "outputUri", value: joinUri(O, "outputs.pb") }
          : final && phase === TaskPhase.FAILED
          ? { case: "error", value: toExecutionError(lastError) }
          : { case: undefined },
        metadata: {
          generatedName: arrayName,
          pluginIdentifier: "k8s-array",
          externalResources: phases.map((p, i) => ({
            externalId: `${arrayName}-n${i}-${Math.max(0, attempts[i] - 1)}`,
            index: i,
            retryAttempt: Math.max(0, attempts[i] - 1),
            phase: p,
            cacheStatus: cacheStates[i],
          })),
        },
      });
    if (final) return ev();
    // coalesce intermediate updates
    dirty = true;
    if (!pending) {
      pending = (async () => {
        while (dirty) {
          dirty = false;
          await ev();
          await new Promise((r) => setTimeout(r, 100));
        }
        pending = undefined;
      })();
    }
    return pending;
  };
  await emit(TaskPhase.RUNNING);
  const itemInputs = (i: number): LiteralMap => {
    const literals: Record<string, Literal> = {};
    for (const [name, lit] of Object.entries(ctx.inputs.literals)) {
      literals[name] =
        !an.boundInputs.includes(name) && lit.value.case === "collection"
          ? lit.value.value.literals[i]
          : lit;
    }
    return create(LiteralMapSchema, { literals });
  };
  const abortItems = new AbortController();
  const forward = () => abortItems.abort(ctx.scope.abort.signal.reason);
  ctx.scope.abort.signal.addEventListener("abort", forward, { once: true });
  const itemScope: Scope = { ...ctx.scope, abort: abortItems };
  const runItem = async (i: number) => {
    let release: () => void;
    try {
      release = await sem.acquire(abortItems.signal);
    } catch {
      return; // aborted while waiting for a slot
    }
    try {
      if (abortItems.signal.aborted) return;
      const uid = fixedLengthId(
        [ctx.uniqueId, String(arrayAttempt), `n${i}`],
        20,
      );
      let rec = s.store.node(run.key, uid);
      if (rec?.phase === "succeeded") {
        results[i] = rec.outputUri
          ? await readProto(LiteralMapSchema, rec.outputUri)
          : EMPTY();
        phases[i] = TaskPhase.SUCCEEDED;
        return;
      }
      if (rec?.phase === "failed") {
        failures++;
        phases[i] = TaskPhase.FAILED;
        return;
      }
      rec ??= {
        phase: "running",
        attempts: 0,
        systemFailures: 0,
        startedAt: Date.now(),
        outputUri: "",
        cacheStatus: 0,
      };
      const items = itemInputs(i);
      const itemD = joinUri(ctx.D, String(i));
      let inUri = ctx.inputUri;
      if (individual) {
        inUri = joinUri(itemD, "inputs.pb");
        await writeProto(LiteralMapSchema, inUri, items);
      }
      try {
        const r = await run.runTaskAttempts({
          ctx: {
            ...ctx,
            scope: itemScope,
            node: sub,
            markRunning: undefined,
          },
          task,
          uniqueId: uid,
          rec,
          inputs: items,
          itemInputs: items,
          inputUri: inUri,
          D: itemD,
          outputDir: (a) => joinUri(O, String(i), String(a)),
          report: false,
          arrayIndex: i,
          onPhase: (a, p) => {
            attempts[i] = a + 1;
            phases[i] = p;
            emit(TaskPhase.RUNNING);
          },
        });
        results[i] = r.outputs;
        cacheStates[i] = r.cacheStatus ?? 0;
        phases[i] = TaskPhase.SUCCEEDED;
        s.store.putNode(run.key, uid, {
          ...rec,
          phase: "succeeded",
          outputUri: r.outputUri,
        });
      } catch (e) {
        if (e instanceof Aborted) return;
        failures++;
        lastError = e;
        phases[i] = TaskPhase.FAILED;
        const err = toExecutionError(e);
        s.store.putNode(run.key, uid, {
          ...rec,
          phase: "failed",
          error: { code: err.code, message: err.message, kind: err.kind },
        });
        if (size - failures < need) {
          abortItems.abort(
            new Aborted(
              "array node can no longer reach its success criteria",
            ),
          );
        }
      }
    } finally {
      release();
    }
  };
  try {
    await Promise.all(Array.from({ length: size }, (_, i) => runItem(i)));
  } finally {
    ctx.scope.abort.signal.removeEventListener("abort", forward);
  }
  await pending;
  if (ctx.scope.abort.signal.aborted) throw ctx.scope.abort.signal.reason;
  const successes = results.filter((r) => r !== undefined).length;
  if (successes < need) {
    const failure = new NodeFailure(
      "ArrayNodeFailed",
      `array node ${ctx.node.id}: ${successes} of ${size} items succeeded, ${need} needed; ` +
        `last error: ${toExecutionError(lastError).message}`,
      toExecutionError(lastError).kind,
      false,
    );
    lastError = failure;
    await emit(TaskPhase.FAILED, true);
    throw failure;
  }
  const literals: Record<string, Literal> = {};
  for (const name of Object.keys(task.interface?.outputs?.variables ?? {})) {
    literals[name] = create(LiteralSchema, {
      value: {
        case: "collection",
        value: {
          literals: results.map((r) => r?.literals[name] ?? noneLiteral()),
        },
      },
    });
  }
  const outputs = create(LiteralMapSchema, { literals });
  const outUri = joinUri(O, "outputs.pb");
  await writeProto(LiteralMapSchema, outUri, outputs);
  await emit(TaskPhase.SUCCEEDED, true);
  return { outputs, outputUri: outUri };
}

function noneLiteral(): Literal {
  return create(LiteralSchema, {
    value: {
      case: "scalar",
      value: { value: { case: "noneType", value: {} } },
    },
  });
}
