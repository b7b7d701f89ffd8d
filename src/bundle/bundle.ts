/**
 * A bundle: the deterministic zip of a task program (`main.js`), the files
 * its tasks asked for, and `manifest.json`; named by its sha-256 and
 * refused over {@link MAX_BUNDLE_BYTES} with its five biggest entries.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { BundleError, BundleTooLargeError } from "./errors.ts";
import {
  type Manifest,
  MANIFEST_PATH,
  MAX_BUNDLE_BYTES,
  RUNTIME_VERSION,
} from "./manifest.ts";
import { writeZip, type ZipEntry } from "./zip.ts";

export { MAX_BUNDLE_BYTES };

/** Files bigger than this are stored, not deflated. */
const STORE_ABOVE = 1024 * 1024;

/**
 * What goes into a bundle.
 *
 * @example
 * ```ts
 * import type { BundleInput } from "./bundle.ts";
 * const b: BundleInput = { program: "export {};", tasks: ["flows.add"] };
 * ```
 */
export interface BundleInput {
  /** The program (an ES module that defines the tasks). */
  program: string | Uint8Array;
  /** The Flyte names of the tasks it defines. */
  tasks: readonly string[];
  /** Extra files at relative paths (the unpacked bundle is the task's working directory). */
  files?: readonly { path: string; data: Uint8Array }[];
  /** Overrides the cap (tests). */
  limit?: number;
}

/**
 * A built bundle.
 *
 * @example
 * ```ts
 * import { buildBundle } from "./bundle.ts";
 * const b = buildBundle({ program: "export {};", tasks: [] });
 * console.log(b.sha256.length, b.fileName); // 64 "bundle-<sha256>.zip"
 * ```
 */
export interface Bundle {
  /** The zip's bytes. */
  bytes: Uint8Array;
  /** sha-256 of the bytes, hex. */
  sha256: string;
  /** The upload file name, `bundle-<sha256>.zip` (the runtime checks it). */
  fileName: string;
  /** The manifest inside. */
  manifest: Manifest;
}

/**
 * sha-256 of bytes, hex.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./bundle.ts";
 * console.log(sha256Hex(new Uint8Array()).slice(0, 8)); // "e3b0c442"
 * ```
 */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function checkPath(p: string): string {
  const parts = p.split("/");
  if (
    !p || p.startsWith("/") || p.includes("\\") || p.includes("\0") ||
    parts.some((x) => x === "" || x === "." || x === "..")
  ) {
    throw new BundleError(
      `bundle file [${p}]: paths must be relative, with no "..", "." or empty parts`,
    );
  }
  if (p === MANIFEST_PATH || p === "main.js") {
    throw new BundleError(`bundle file [${p}]: the name is reserved`);
  }
  return p;
}

/**
 * The five biggest entries, for {@link BundleTooLargeError}.
 *
 * @example
 * ```ts
 * import { biggest } from "./bundle.ts";
 * console.log(biggest([{ path: "a", size: 1 }, { path: "b", size: 2 }])[0].path); // "b"
 * ```
 */
export function biggest(entries: readonly { path: string; size: number }[]) {
  return [...entries].sort((a, b) =>
    b.size - a.size || (a.path < b.path ? -1 : 1)
  ).slice(0, 5);
}

/**
 * Adds the manifest entry, writes the zip and refuses it past `limit`
 * (naming the five biggest of `sizes`): the zip's bytes and sha-256. Shared
 * by task bundles and fast packages.
 *
 * @example
 * ```ts
 * import { sealZip } from "./bundle.ts";
 * import { RUNTIME_VERSION } from "./manifest.ts";
 * const { sha256 } = sealZip([], { format: 1, entry: "", tasks: [], runtimeVersion: RUNTIME_VERSION, digests: {} }, 1024, []);
 * console.log(sha256.length); // 64
 * ```
 */
export function sealZip(
  entries: ZipEntry[],
  manifest: Manifest,
  limit: number,
  sizes: readonly { path: string; size: number }[],
): { bytes: Uint8Array; sha256: string } {
  entries.push({
    path: MANIFEST_PATH,
    data: new TextEncoder().encode(JSON.stringify(manifest, null, 1)),
  });
  const bytes = writeZip(entries);
  if (bytes.length > limit) {
    throw new BundleTooLargeError(bytes.length, limit, biggest(sizes));
  }
  return { bytes, sha256: sha256Hex(bytes) };
}

/**
 * Builds a bundle. Throws {@link BundleTooLargeError} over the cap (before
 * compressing when the stored files alone exceed it).
 *
 * @example
 * ```ts
 * import { buildBundle } from "./bundle.ts";
 * const a = buildBundle({ program: "export const x = 1;", tasks: ["m.t"] });
 * const b = buildBundle({ program: "export const x = 1;", tasks: ["m.t"] });
 * console.log(a.sha256 === b.sha256); // true
 * ```
 */
export function buildBundle(input: BundleInput): Bundle {
  const limit = input.limit ?? MAX_BUNDLE_BYTES;
  const program = typeof input.program === "string"
    ? new TextEncoder().encode(input.program)
    : input.program;
  const entries: ZipEntry[] = [{ path: "main.js", data: program }];
  for (const f of input.files ?? []) {
    entries.push({
      path: checkPath(f.path),
      data: f.data,
      store: f.data.length > STORE_ABOVE,
    });
  }
  const sizes = entries.map((e) => ({ path: e.path, size: e.data.length }));
  const stored = entries.filter((e) => e.store).reduce(
    (n, e) => n + e.data.length,
    0,
  );
  if (stored > limit) {
    throw new BundleTooLargeError(stored, limit, biggest(sizes));
  }
  const digests: Record<string, string> = {};
  for (const e of [...entries].sort((a, b) => a.path < b.path ? -1 : 1)) {
    digests[e.path] = sha256Hex(e.data);
  }
  const manifest: Manifest = {
    format: 1,
    entry: "main.js",
    tasks: [...input.tasks].sort(),
    runtimeVersion: RUNTIME_VERSION,
    digests,
  };
  const { bytes, sha256 } = sealZip(entries, manifest, limit, sizes);
  return { bytes, sha256, fileName: `bundle-${sha256}.zip`, manifest };
}
