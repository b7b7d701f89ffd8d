/**
 * Waiting for an execution to finish: a light poll (one GetExecution per
 * interval; nodes only when asked), a timeout that is never overshot, an
 * AbortSignal, a progress callback, and a deadline on every call so a dead
 * connection cannot hang the wait.
 *
 * @module
 */
import { FlyteTimeoutError } from "../client/errors.ts";
import { sleep } from "../client/sleep.ts";
import type { RemoteContext } from "./context.ts";
import { formatExecutionId } from "./ids.ts";
import type { RemoteExecution } from "./models.ts";
import type { Monitor } from "./sync.ts";
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
  /** Milliseconds between polls. Default 2,000. */
  pollInterval?: number;
  /** Aborts the wait (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after every poll with the refreshed execution. */
  onProgress?: (execution: RemoteExecution) => void | Promise<void>;
  /** Sync the node tree on every poll (costly on big executions). Default false: nodes are synced once, at the end, only when `nodes` is set. */
  syncNodesEveryPoll?: boolean;
  /** Sync the node tree once the execution is done. Default false. */
  nodes?: boolean;
  /** Deadline for each call in milliseconds. Default 60,000. */
  callTimeout?: number;
  /**
   * Called while the backend cannot be reached (each retry of an outage the
   * wait rides out until its timeout). Default: a "reconnecting" line on
   * stderr when it is a terminal.
   */
  onReconnecting?: (r: Reconnecting) => void | Promise<void>;
}

function reconnectingLine(what: string) {
  return (r: Reconnecting) => {
    if (!Deno.stderr.isTerminal()) return;
    console.error(
      `waiting for ${what}: reconnecting (attempt ${r.attempt}, down ${
        Math.round(r.downForMs / 100) / 10
      } s): ${r.error.message}`,
    );
  };
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
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new FlyteTimeoutError(
        `execution ${what} still ${execution.phase} after ${options.timeout} ms (wait timeout)`,
      );
    }
    const timeoutMs = Math.max(1, Math.min(callTimeout, remaining));
    const retry = {
      deadline,
      signal,
      onRetry: options.onReconnecting ?? reconnectingLine(what),
    };
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
          signal,
        }), retry);
      await options.onProgress?.(execution as RemoteExecution);
      return execution;
    }
    await options.onProgress?.(execution as RemoteExecution);
    const left = deadline - Date.now();
    if (left <= 0) continue;
    await sleep(Math.min(poll, left), signal);
  }
}
