/**
 * Waiting for an execution to finish: a light poll (one GetExecution per
 * poll; nodes only when asked or drawn), adaptive intervals (the first polls
 * come within tens of milliseconds, then back off towards `pollInterval`), a
 * timeout that is never overshot, an AbortSignal, a progress callback, a
 * deadline on every call so a dead connection cannot hang the wait, and a
 * live display (src/display): updated in place in a notebook, a progress
 * line on stderr in a terminal. An outage (UNAVAILABLE, a lost connection,
 * a call deadline) is ridden out until the wait's timeout, reconnecting with
 * backoff, and the live display says "reconnecting" meanwhile.
 *
 * @module
 */
import { FlyteTimeoutError } from "../client/errors.ts";
import { sleep } from "../client/sleep.ts";
import type { RemoteContext } from "./context.ts";
import { formatExecutionId } from "./ids.ts";
import type { RemoteExecution } from "./models.ts";
import type { Monitor } from "./sync.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import { LiveDisplay, renderProgress } from "../display/mod.ts";
import { type Reconnecting, retryTransient } from "./retry_wait.ts";

/**
 * Options of {@link waitForExecution}.
 *
 * @example
 * ```ts
 * import type { WaitOptions } from "./wait.ts";
 * const o: WaitOptions = { timeout: 600_000, pollInterval: 2_000, onProgress: (e) => console.log(e.phase) };
 * ```
 */
export interface WaitOptions {
  /** Give up after this many milliseconds with a FlyteTimeoutError. Default: no limit. */
  timeout?: number;
  /** Longest time between polls in milliseconds; the first polls come sooner (from 10 ms, growing by half each time). Default 2,000. */
  pollInterval?: number;
  /** Draw live progress: in a notebook a display updated in place, in a terminal a line on stderr (only when it is a TTY). Default true; false disables it. */
  display?: boolean;
  /** Aborts the wait (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after every poll with the refreshed execution. */
  onProgress?: (execution: RemoteExecution) => void | Promise<void>;
  /** Sync the node tree on every poll (costly on big executions). Default false: nodes are synced once, at the end, only when `nodes` is set. */
  syncNodesEveryPoll?: boolean;
  /** Sync the node tree once the execution is done. Default false. */
  nodes?: boolean;
  /** With `nodes`: also list every task node's attempts (log links) at the end. Default false. */
  taskExecutions?: boolean;
  /** Deadline for each call in milliseconds. Default 60,000. */
  callTimeout?: number;
  /**
   * Called on each retry while the backend cannot be reached (the wait rides
   * out outages until its timeout). The live display shows it either way.
   */
  onReconnecting?: (r: Reconnecting) => void | Promise<void>;
}

/**
 * Polls until the execution is ABORTED, FAILED, SUCCEEDED or TIMED_OUT,
 * then syncs its data (and nodes when asked) and returns it. The same
 * object is updated in place and returned.
 *
 * @example
 * ```ts
 * import type { FlyteRemote } from "./remote.ts";
 * declare const remote: FlyteRemote;
 * declare const exec: import("./models.ts").RemoteExecution;
 * const done = await remote.wait(exec, { timeout: 60_000 });
 * ```
 */
export async function waitForExecution<O extends Record<string, unknown>>(
  ctx: RemoteContext,
  monitor: Monitor,
  execution: RemoteExecution<O>,
  options: WaitOptions = {},
): Promise<RemoteExecution<O>> {
  const poll = options.pollInterval ?? 2_000;
  if (!(poll > 0)) {
    throw new RangeError(`pollInterval must be > 0 ms, got ${poll}`);
  }
  const start = Date.now();
  const deadline = options.timeout === undefined
    ? Infinity
    : start + options.timeout;
  const callTimeout = options.callTimeout ?? 60_000;
  const signal = options.signal;
  const what = formatExecutionId(execution.id);
  const live = new LiveDisplay(
    options.display === false ? { target: "none" } : {},
  );
  let delay = Math.min(FIRST_POLL_MS, poll);
  let nodes: NodeExecution[] = [];
  const draw = async (note?: string) => {
    if (!live.enabled) return;
    if (!note) {
      nodes = options.syncNodesEveryPoll
        ? [...execution.allNodeExecutions()].map((n) => n.raw)
        : await topLevelNodes(ctx, execution, signal, callTimeout);
    }
    await live.update(renderProgress(execution.raw, nodes, Date.now(), note));
  };
  const retry = {
    deadline,
    signal,
    onRetry: async (r: Reconnecting) => {
      await draw(
        `reconnecting (attempt ${r.attempt}, down ${
          (r.downForMs / 1000).toFixed(1)
        } s): ${r.error.message}`,
      );
      await options.onReconnecting?.(r);
    },
  };
  try {
    return await loop();
  } finally {
    await live.close();
  }
  async function loop(): Promise<RemoteExecution<O>> {
    for (;;) {
      signal?.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new FlyteTimeoutError(
          `execution ${what} still ${execution.phase} after ${options.timeout} ms (wait timeout)`,
        );
      }
      const timeoutMs = Math.max(1, Math.min(callTimeout, remaining));
      await retryTransient(async () => {
        if (options.syncNodesEveryPoll) {
          await monitor.syncExecution(execution, { nodes: true, signal });
        } else {
          execution.raw = await ctx.call(
            `get execution ${what}`,
            () =>
              ctx.services.admin.getExecution({ id: execution.id }, {
                signal,
                timeoutMs,
              }),
          );
        }
      }, retry);
      if (execution.isDone) {
        await retryTransient(() =>
          monitor.syncExecution(execution, {
            nodes: options.nodes || options.syncNodesEveryPoll,
            taskExecutions: options.taskExecutions,
            signal,
          }), retry);
        await draw();
        await options.onProgress?.(execution as RemoteExecution);
        return execution;
      }
      await draw();
      await options.onProgress?.(execution as RemoteExecution);
      const left = deadline - Date.now();
      if (left <= 0) continue;
      await sleep(Math.min(delay, left), signal);
      delay = Math.min(poll, Math.ceil(delay * POLL_GROWTH));
    }
  }
}

/**
 * The first poll interval (ms); each later one is `POLL_GROWTH` times the
 * last, up to `pollInterval` (10, 15, 23, 35, 53, 80 ms, ...: a task that
 * ends 65 ms after creation is seen ~15 ms later, where doubling from 20 ms
 * saw it after 140 ms; ~12 polls in the first 2 s).
 */
const FIRST_POLL_MS = 10;
/** How much each poll interval grows over the last. */
const POLL_GROWTH = 1.5;

/** The top-level node executions (one page), for the progress display; none when listing fails. */
async function topLevelNodes(
  ctx: RemoteContext,
  execution: RemoteExecution,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<NodeExecution[]> {
  try {
    const r = await ctx.services.admin.listNodeExecutions({
      workflowExecutionId: execution.id,
      limit: 1000,
    }, { signal, timeoutMs });
    return r.nodeExecutions;
  } catch {
    // Progress is drawn without nodes; the wait itself reports real errors.
    return [];
  }
}
