/**
 * The shapes of interactive mode's options and reports, apart from the
 * `Interactive` class so the script loader can name them without importing
 * the class (re-exported by interactive.ts).
 *
 * @module
 */
import type { RemoteTask } from "./models.ts";

/**
 * Options of interactive register/execute.
 *
 * @example
 * ```ts
 * import type { InteractiveOptions } from "./interactive_types.ts";
 * const o: InteractiveOptions = { project: "flytesnacks", domain: "development", image: "ghcr.io/flyte-deno/runtime:0.1.0" };
 * ```
 */
export interface InteractiveOptions {
  /** Project [the remote's default]. */
  project?: string;
  /** Domain [the remote's default]. */
  domain?: string;
  /** Image of every TypeScript task [each task's `image`, else the sdk's `DEFAULT_IMAGE`]. */
  image?: string;
}

/**
 * What happened to one task.
 *
 * @example
 * ```ts
 * import type { PreparedTask } from "./interactive_types.ts";
 * const show = (p: PreparedTask) => `${p.name}@${p.version} uploaded=${p.uploaded}`;
 * ```
 */
export interface PreparedTask {
  /** The task's name. */
  name: string;
  /** The computed version. */
  version: string;
  /** sha-256 of its bundle. */
  bundleSha256: string;
  /** Bundle size in bytes. */
  bundleBytes: number;
  /** Where the bundle is (native URI). */
  bundleUri: string;
  /** Whether its bundle was uploaded by this call. */
  uploaded: boolean;
  /** Whether it was registered by this call (false: it already existed). */
  registered: boolean;
  /** The registered task. */
  task: RemoteTask;
}

/**
 * What one interactive call did.
 *
 * @example
 * ```ts
 * import type { InteractiveReport } from "./interactive_types.ts";
 * const uploads = (r: InteractiveReport) => r.tasks.filter((t) => t.uploaded).length;
 * ```
 */
export interface InteractiveReport {
  /** Every task, in the order given. */
  tasks: PreparedTask[];
  /** Bytes uploaded by this call. */
  uploadedBytes: number;
}
