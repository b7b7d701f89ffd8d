/**
 * The manifest inside every bundle (`manifest.json`): the entry point, the
 * task names, the runtime version the bundle was built for and the sha-256
 * of every other entry.
 *
 * @module
 */

/**
 * The runtime version bundles are built for and the task image's runtime
 * reports; part of every version hash.
 *
 * @example
 * ```ts
 * import { RUNTIME_VERSION } from "./manifest.ts";
 * console.log(RUNTIME_VERSION.length > 0); // true
 * ```
 */
export const RUNTIME_VERSION = "flyte-deno-runtime/1";

/**
 * The size cap of a bundle: 150 MiB (150 × 1024 × 1024 bytes), as flytekit.
 *
 * @example
 * ```ts
 * import { MAX_BUNDLE_BYTES } from "./manifest.ts";
 * console.log(MAX_BUNDLE_BYTES); // 157286400
 * ```
 */
export const MAX_BUNDLE_BYTES = 150 * 1024 * 1024;

/**
 * The manifest's path inside the zip.
 *
 * @example
 * ```ts
 * import { MANIFEST_PATH } from "./manifest.ts";
 * console.log(MANIFEST_PATH); // "manifest.json"
 * ```
 */
export const MANIFEST_PATH = "manifest.json";

/**
 * What `manifest.json` holds.
 *
 * @example
 * ```ts
 * import type { Manifest } from "./manifest.ts";
 * const m: Manifest = { format: 1, entry: "main.js", tasks: ["flows.add"], runtimeVersion: "flyte-deno-runtime/1", digests: {} };
 * console.log(m.entry);
 * ```
 */
export interface Manifest {
  /** The manifest format (1). */
  format: 1;
  /** The program's path inside the bundle (an ES module). */
  entry: string;
  /** The Flyte names of the tasks the program defines. */
  tasks: string[];
  /** {@link RUNTIME_VERSION} at build time. */
  runtimeVersion: string;
  /** sha-256 (hex) of every entry but the manifest, by path. */
  digests: Record<string, string>;
}

/**
 * Parses and checks a manifest's bytes; throws a plain Error naming what is
 * wrong.
 *
 * @example
 * ```ts
 * import { parseManifest } from "./manifest.ts";
 * const m = parseManifest(new TextEncoder().encode(JSON.stringify({ format: 1, entry: "main.js", tasks: [], runtimeVersion: "r", digests: {} })));
 * console.log(m.format); // 1
 * ```
 */
export function parseManifest(bytes: Uint8Array): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`manifest.json is not JSON: ${(e as Error).message}`);
  }
  if (
    typeof m !== "object" || m === null || m.format !== 1 ||
    typeof m.entry !== "string" || !Array.isArray(m.tasks) ||
    typeof m.digests !== "object" || m.digests === null
  ) {
    throw new Error("manifest.json lacks format 1, entry, tasks or digests");
  }
  if (typeof m.runtimeVersion !== "string" || !m.runtimeVersion) {
    throw new Error("manifest.json names no runtime version");
  }
  return m;
}
