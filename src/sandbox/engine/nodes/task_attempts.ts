/**
 * A task's attempts (propeller's task handler with its catalog step):
 * the cache (lookup, serialized-cache reservations, populate), retries with
 * Flyte's user / system failure budgets, an attempt the sandbox lost in a
 * restart, and a dynamic task's workflow.
 *
 * @module
 */
import { toBinary } from "@bufbuild/protobuf";
import {
  ExecutionError_ErrorKind as Kind,
  TaskExecution_Phase as TaskPhase,
} from "@flyteidl/core/execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { CatalogCacheStatus } from "@flyteidl/core/catalog_pb.ts";
import { Aborted, NodeFailure } from "../errors.ts";
import { toExecutionError } from "../events.ts";
import type { NodeRecord } from "../store.ts";
import { cacheDataset, cacheTag } from "../cache.ts";
import { exists, joinUri, readProto, writeBytes } from "../storage.ts";
import type { AttemptOpts, NodeResult, RunApi } from "../context.ts";
import { runAttempt, taskEventBase } from "./task_process.ts";
import { runDynamic } from "./dynamic.ts";

/**
 * A task's attempts with retries and the cache, for a task node or one
 * array item: a cache hit (or a serialized-cache owner's result) ends it;
 * otherwise attempts run until one succeeds or retries are exhausted.
 *
 * @example
 * ```ts
 * import { runTaskAttempts } from "./task_attempts.ts";
 * console.log(typeof runTaskAttempts); // "function"
 * ```
 */
export async function runTaskAttempts(
  run: RunApi,
  o: AttemptOpts,
): Promise<NodeResult> {
  const s = run.settings;
  const { task } = o;
  const meta = task.metadata;
  const spec = run.req.spec;
  // caching
  let catalog: NodeResult["catalog"];
  let cacheStatus = CatalogCacheStatus.CACHE_DISABLED;
  if (meta?.discoverable) {
    if (!meta.discoveryVersion) {
      throw new NodeFailure(
        "CacheVersionMissing",
        `task ${task.id?.name} is cacheable but has an empty discovery_version`,
        Kind.USER,
        false,
      );
    }
    const outVars = task.interface?.outputs?.variables;
    if (!(outVars && Object.keys(outVars).length === 0)) {
      const dataset = cacheDataset(
        task.id!,
        meta.discoveryVersion,
        task.interface,
      );
      const tag = cacheTag(o.inputs, meta.cacheIgnoreInputVars);
      catalog = { dataset, tag };
      cacheStatus = CatalogCacheStatus.CACHE_MISS;
      if (!spec.overwriteCache) {
        const lookup = async (): Promise<NodeResult | undefined> => {
          const hit = s.store.cacheGet(dataset.key, tag);
          if (!hit) return undefined;
          // Artifacts older than max-cache-age count as misses.
          if (
            s.maxCacheAgeMs && Date.now() - hit.createdAt > s.maxCacheAgeMs
          ) {
            return undefined;
          }
          const out = joinUri(o.outputDir(0), "outputs.pb");
          await writeBytes(out, hit.outputs);
          const outputs = await readProto(LiteralMapSchema, out);
          return {
            outputs,
            outputUri: out,
            cacheStatus: CatalogCacheStatus.CACHE_HIT,
            catalog,
          };
        };
        const cached = await lookup();
        if (cached) return cached;
        if (meta.cacheSerializable) {
          // Cache serialization: one owner computes, the others wait for
          // it (QUEUED, "waiting on serialized cache") and then re-check.
          const key = `${dataset.key}|${tag}`;
          for (
            let held = s.reservations.get(key);
            held;
            held = s.reservations.get(key)
          ) {
            await held;
            const later = await lookup();
            if (later) return later;
          }
          const mine = Promise.withResolvers<void>();
          s.reservations.set(key, mine.promise);
          try {
            return await attemptLoop(run, o, catalog, cacheStatus);
          } finally {
            s.reservations.delete(key);
            mine.resolve();
          }
        }
      } else cacheStatus = CatalogCacheStatus.CACHE_SKIPPED;
    }
  }
  return await attemptLoop(run, o, catalog, cacheStatus);
}

/** The attempts of a task with retries; populates the cache on success. */
async function attemptLoop(
  run: RunApi,
  o: AttemptOpts,
  catalog: NodeResult["catalog"],
  cacheStatus: CatalogCacheStatus,
): Promise<NodeResult> {
  const s = run.settings;
  const { ctx, task } = o;
  const meta = task.metadata;
  const retries = ctx.node.metadata?.retries?.retries ??
    meta?.retries?.retries ?? 0;
  const maxAttempts = retries + 1;
  const rec = o.rec;
  // an attempt that was running when the engine stopped ended with it
  if (rec.attempts > 0 && o.report) {
    const a = rec.attempts - 1;
    const futuresUri = joinUri(o.outputDir(a), "futures.pb");
    if (await exists(futuresUri)) {
      // The task finished and produced a dynamic workflow before the stop:
      // continue that workflow (its finished children are kept).
      const outputs = await runDynamic(run, o, a, futuresUri);
      const outputUri = joinUri(o.outputDir(a), "outputs.pb");
      return { outputs, outputUri, cacheStatus, catalog };
    }
  }
  if (rec.attempts > 0) {
    const a = rec.attempts - 1;
    const failure = new NodeFailure(
      "Interrupted",
      `the sandbox stopped while attempt ${a} was running (the task process was lost)`,
      Kind.SYSTEM,
      true,
    );
    if (o.report) {
      await s.reporter.task({
        ...taskEventBase(run, o, a),
        phase: TaskPhase.FAILED,
        phaseVersion: 0,
        outputResult: { case: "error", value: toExecutionError(failure) },
      });
    }
    checkRetry(run, failure, rec, maxAttempts);
    rec.systemFailures++;
    s.store.putNode(run.key, o.uniqueId, rec);
  }
  while (true) {
    const attempt = rec.attempts;
    rec.attempts++;
    s.store.putNode(run.key, o.uniqueId, rec);
    try {
      const got = await runAttempt(run, o, attempt);
      const outputs = "futuresUri" in got
        ? await runDynamic(run, o, attempt, got.futuresUri)
        : got;
      const outputUri = joinUri(o.outputDir(attempt), "outputs.pb");
      if (catalog) {
        try {
          s.store.cachePut(catalog.dataset.key, catalog.tag, {
            outputs: toBinary(LiteralMapSchema, outputs),
            createdAt: Date.now(),
            sourceExecution: run.key,
            sourceNode: o.uniqueId,
            sourceAttempt: attempt,
          });
          cacheStatus = CatalogCacheStatus.CACHE_POPULATED;
        } catch {
          cacheStatus = CatalogCacheStatus.CACHE_PUT_FAILURE;
        }
      }
      return { outputs, outputUri, cacheStatus, catalog };
    } catch (e) {
      if (
        e instanceof Aborted || run.abort.signal.aborted ||
        ctx.scope.abort.signal.aborted
      ) {
        throw e instanceof Aborted ? e : new Aborted(String(e));
      }
      if (!(e instanceof NodeFailure) || !e.recoverable) throw e;
      checkRetry(run, e, rec, maxAttempts);
      if (e.kind === Kind.SYSTEM) rec.systemFailures++;
      s.store.putNode(run.key, o.uniqueId, rec);
    }
  }
}

/** Throws the permanent failure when a retryable failure may not retry. */
function checkRetry(
  run: RunApi,
  e: NodeFailure,
  rec: NodeRecord,
  maxAttempts: number,
): void {
  const eligible = e.kind === Kind.SYSTEM
    ? rec.systemFailures < run.settings.maxSystemFailures
    : rec.attempts - rec.systemFailures < maxAttempts;
  if (eligible) return;
  const kindName = Kind[e.kind] ?? "UNKNOWN";
  throw new NodeFailure(
    `RetriesExhausted|${e.code}`,
    `[${rec.attempts}/${maxAttempts}] currentAttempt done. Last Error: ${kindName}::${e.message}`,
    Kind.USER,
    false,
  );
}
