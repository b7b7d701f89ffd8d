/**
 * Resource requests and limits (Kubernetes quantities) of a task or of a
 * node's override; shared by the task options and the graph's node
 * overrides.
 *
 * @module
 */

/**
 * CPU, memory, GPU and ephemeral storage quantities (Kubernetes notation).
 *
 * @example
 * ```ts
 * import type { ResourceSpec } from "./resources.ts";
 * const r: ResourceSpec = { cpu: "500m", mem: "1Gi" };
 * console.log(r);
 * ```
 */
export interface ResourceSpec {
  /** CPU, e.g. `"1"`, `"500m"`. */
  cpu?: string | number;
  /** Memory, e.g. `"1Gi"`. */
  mem?: string;
  /** GPUs, e.g. `1`. */
  gpu?: string | number;
  /** Ephemeral storage, e.g. `"10Gi"`. */
  ephemeralStorage?: string;
}

/**
 * Resource requests and limits of a task (or a node's override).
 *
 * @example
 * ```ts
 * import type { ResourcesOption } from "./resources.ts";
 * const r: ResourcesOption = { requests: { cpu: 1 }, limits: { mem: "2Gi" } };
 * console.log(r);
 * ```
 */
export interface ResourcesOption {
  /** What the task asks for. */
  requests?: ResourceSpec;
  /** What the task may use at most. */
  limits?: ResourceSpec;
}
