/**
 * What an execution is created with: the options of `execute` and the
 * ExecutionSpec they make (labels, envs, notifications, raw output prefix,
 * parallelism, security context), and the execution name they choose.
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ExecutionMetadata_ExecutionMode,
  type ExecutionSpec,
  ExecutionSpecSchema,
} from "@flyteidl/admin/execution_pb.ts";
import type { NotificationSchema } from "@flyteidl/admin/common_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type { SecurityContextSchema } from "@flyteidl/core/security_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { chooseExecutionName } from "./ids.ts";
import type { WaitOptions } from "./wait.ts";

/**
 * Options of `execute`. Every field is optional; defaults in brackets.
 *
 * @example
 * ```ts
 * import type { ExecuteOptions } from "./executions.ts";
 * const o: ExecuteOptions = { executionNamePrefix: "nightly", tags: ["demo"], wait: { timeout: 60_000 } };
 * ```
 */
export interface ExecuteOptions {
  /** Project of the execution [the entity's project]. */
  project?: string;
  /** Domain of the execution [the entity's domain]. */
  domain?: string;
  /** Exact execution name (exclusive with executionNamePrefix) [generated: `f` + 19 hex]. */
  executionName?: string;
  /** Name prefix; `-<19 hex>` is appended. */
  executionNamePrefix?: string;
  /** Wait for the execution to finish (true, or wait options) [false]. */
  wait?: boolean | WaitOptions;
  /** Recompute cached tasks [false]. */
  overwriteCache?: boolean;
  /** Run tasks as interruptible (true/false) [the entity's setting]. */
  interruptible?: boolean;
  /** Environment variables for every task [none]. */
  envs?: Record<string, string>;
  /** Execution tags [none]. */
  tags?: string[];
  /** Kubernetes labels [the launch plan's]. */
  labels?: Record<string, string>;
  /** Kubernetes annotations [the launch plan's]. */
  annotations?: Record<string, string>;
  /** Cluster pool to run in [server default]. */
  clusterPool?: string;
  /** Execution cluster label [server default]. */
  executionClusterLabel?: string;
  /** "launchPlan" (use its notifications), "disable" (none), or a list [launchPlan]. */
  notifications?:
    | "launchPlan"
    | "disable"
    | MessageInitShape<typeof NotificationSchema>[];
  /** Prefix for raw output data [the remote's rawOutputDataPrefix, else server default]. */
  rawOutputDataPrefix?: string;
  /** Most nodes running at once [launch plan / server default]. */
  maxParallelism?: number;
  /** Run-as identity, secrets, tokens [launch plan's]. */
  securityContext?: MessageInitShape<typeof SecurityContextSchema>;
  /** Aborts the create call (and the wait, when waiting). */
  signal?: AbortSignal;
}

/** The execution name to use, with a bad name/prefix pair as an invalid-input error. */
export function executionNameOf(
  options: Pick<ExecuteOptions, "executionName" | "executionNamePrefix">,
): string {
  try {
    return chooseExecutionName({
      name: options.executionName,
      prefix: options.executionNamePrefix,
    });
  } catch (e) {
    throw new FlyteInvalidInputError((e as Error).message);
  }
}

function kv(r: Record<string, string> | undefined) {
  return r ? { values: r } : undefined;
}

/** The ExecutionSpec for `options` (exported for tests).  *
 * @example
 * ```ts
 * import { buildSpec } from "./execution_spec.ts";
 * import { entityId } from "./ids.ts";
 * const spec = buildSpec(entityId("launch_plan", "p", "d", "lp", "v1"), { tags: ["x"] });
 * ```
 */
export function buildSpec(
  launch: Identifier,
  options: ExecuteOptions,
  defaultRawPrefix?: string,
): ExecutionSpec {
  const n = options.notifications;
  const rawPrefix = options.rawOutputDataPrefix ?? defaultRawPrefix;
  if (
    options.maxParallelism !== undefined &&
    !(Number.isInteger(options.maxParallelism) && options.maxParallelism >= 0)
  ) {
    throw new FlyteInvalidInputError(
      `maxParallelism must be a non-negative integer, got ${options.maxParallelism}`,
    );
  }
  return create(ExecutionSpecSchema, {
    launchPlan: launch,
    metadata: { mode: ExecutionMetadata_ExecutionMode.MANUAL },
    overwriteCache: options.overwriteCache ?? false,
    interruptible: options.interruptible,
    labels: kv(options.labels),
    annotations: kv(options.annotations),
    envs: options.envs
      ? {
        values: Object.entries(options.envs).map(([key, value]) => ({
          key,
          value,
        })),
      }
      : undefined,
    tags: options.tags ?? [],
    clusterAssignment: options.clusterPool
      ? { clusterPoolName: options.clusterPool }
      : undefined,
    executionClusterLabel: options.executionClusterLabel
      ? { value: options.executionClusterLabel }
      : undefined,
    notificationOverrides: n === "disable"
      ? { case: "disableAll", value: true }
      : Array.isArray(n)
      ? { case: "notifications", value: { notifications: n } }
      : { case: undefined },
    rawOutputDataConfig: rawPrefix
      ? { outputLocationPrefix: rawPrefix }
      : undefined,
    maxParallelism: options.maxParallelism ?? 0,
    securityContext: options.securityContext,
  });
}
