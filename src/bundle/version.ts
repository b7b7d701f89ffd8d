/**
 * Versions from content: sha-256 over everything that changes behaviour,
 * cut to 16 bytes and written URL-safe base64 without padding (22
 * characters, as flytekit's interactive versions).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { RUNTIME_VERSION } from "./manifest.ts";

/**
 * Hashes parts (each length-prefixed, so `["ab","c"]` and `["a","bc"]`
 * differ) into a 22-character URL-safe version.
 *
 * @example
 * ```ts
 * import { hashVersion } from "./version.ts";
 * console.log(hashVersion(["a", "b"]).length); // 22
 * ```
 */
export function hashVersion(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  h.update("flyte-deno/version/1");
  for (const p of parts) {
    const bytes = typeof p === "string" ? new TextEncoder().encode(p) : p;
    h.update(`\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest().subarray(0, 16).toString("base64url");
}

/**
 * A task's version: its bundle's sha-256, its template without version (the
 * serialised bytes), the runtime version and the image.
 *
 * @example
 * ```ts
 * import { taskVersion } from "./version.ts";
 * const v = taskVersion({ bundleSha256: "00", template: new Uint8Array([1]), image: "img" });
 * console.log(/^[A-Za-z0-9_-]{22}$/.test(v)); // true
 * ```
 */
export function taskVersion(o: {
  bundleSha256: string;
  template: Uint8Array;
  image: string;
  runtimeVersion?: string;
}): string {
  return hashVersion([
    "task",
    o.bundleSha256,
    o.template,
    o.runtimeVersion ?? RUNTIME_VERSION,
    o.image,
  ]);
}

/**
 * A workflow's version: its template without version and its tasks'
 * (and sub-workflows') versions, sorted.
 *
 * @example
 * ```ts
 * import { workflowVersion } from "./version.ts";
 * console.log(workflowVersion(new Uint8Array([1]), ["b", "a"]) === workflowVersion(new Uint8Array([1]), ["a", "b"])); // true
 * ```
 */
export function workflowVersion(
  template: Uint8Array,
  dependencyVersions: readonly string[],
): string {
  return hashVersion(["workflow", template, ...[...dependencyVersions].sort()]);
}
