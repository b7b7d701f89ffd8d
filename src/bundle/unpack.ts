/**
 * Unpacking a bundle in the task container, refusing anything that does not
 * match what it claims: a bundle whose sha-256 is not the one in its name,
 * entries that would land outside the folder, symlinks and other special
 * files, entries missing from the manifest or whose digest differs.
 *
 * @module
 */
import { dirname, join, resolve, sep } from "node:path";
import { BundleIntegrityError } from "./errors.ts";
import { type Manifest, MANIFEST_PATH, parseManifest } from "./manifest.ts";
import { listZip, readZip } from "./zip.ts";

// Web Crypto, not node:crypto: the runtime starts faster without the node
// polyfill (measured: tens of ms per task attempt).
async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(
    await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>),
  );
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function escapes(path: string): boolean {
  const parts = path.replace(/\/$/, "").split("/");
  return path.startsWith("/") || path.includes("\\") ||
    /^[A-Za-z]:/.test(path) ||
    path.includes("\0") || parts.some((p) => p === ".." || p === "");
}

/**
 * Checks a bundle's bytes and writes its entries under `dir` (created).
 * `expectedSha256` is the digest its name promises (`bundle-<sha>.zip`).
 *
 * @example
 * ```ts
 * import { buildBundle } from "./bundle.ts";
 * import { unpackBundle } from "./unpack.ts";
 * const b = buildBundle({ program: "export {};", tasks: [] });
 * const m = await unpackBundle(b.bytes, await Deno.makeTempDir(), { expectedSha256: b.sha256 });
 * console.log(m.entry); // "main.js"
 * ```
 */
export async function unpackBundle(
  bytes: Uint8Array,
  dir: string,
  options: { expectedSha256?: string; source?: string } = {},
): Promise<Manifest> {
  const source = options.source ?? "bundle";
  if (options.expectedSha256) {
    const got = await sha256Hex(bytes);
    if (got !== options.expectedSha256) {
      throw new BundleIntegrityError(
        source,
        `its sha-256 is ${got}, not ${options.expectedSha256} as its name says (changed after upload?)`,
      );
    }
  }
  let listing;
  try {
    listing = listZip(bytes);
  } catch (e) {
    throw new BundleIntegrityError(source, (e as Error).message);
  }
  const seen = new Set<string>();
  for (const e of listing) {
    if (escapes(e.path)) {
      throw new BundleIntegrityError(
        e.path,
        "its path leads outside the bundle folder",
      );
    }
    const kind = e.mode & S_IFMT;
    if (e.mode !== 0 && kind !== S_IFREG && kind !== S_IFDIR) {
      throw new BundleIntegrityError(
        e.path,
        kind === 0o120000
          ? "it is a symlink"
          : `it is not a regular file (mode ${e.mode.toString(8)})`,
      );
    }
    if (seen.has(e.path)) {
      throw new BundleIntegrityError(e.path, "it appears twice");
    }
    seen.add(e.path);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = readZip(bytes);
  } catch (e) {
    throw new BundleIntegrityError(
      source,
      `cannot be unzipped: ${(e as Error).message}`,
    );
  }
  const manifestBytes = files[MANIFEST_PATH];
  if (!manifestBytes) {
    throw new BundleIntegrityError(MANIFEST_PATH, "it is missing");
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestBytes);
  } catch (e) {
    throw new BundleIntegrityError(MANIFEST_PATH, (e as Error).message);
  }
  const names = Object.keys(files).filter((p) =>
    p !== MANIFEST_PATH && !p.endsWith("/")
  );
  for (const p of names) {
    const want = manifest.digests[p];
    if (!want) {
      throw new BundleIntegrityError(p, "it is not listed in the manifest");
    }
    const got = await sha256Hex(files[p]);
    if (got !== want) {
      throw new BundleIntegrityError(
        p,
        `its sha-256 is ${got}, the manifest says ${want}`,
      );
    }
  }
  for (const p of Object.keys(manifest.digests)) {
    if (!(p in files)) {
      throw new BundleIntegrityError(
        p,
        "the manifest lists it but the bundle lacks it",
      );
    }
  }
  if (manifest.entry && !(manifest.entry in files)) {
    throw new BundleIntegrityError(
      manifest.entry,
      "the manifest's entry point is missing",
    );
  }
  const root = resolve(dir);
  await Deno.mkdir(root, { recursive: true });
  for (const p of names) {
    const target = resolve(join(root, p));
    if (!target.startsWith(root + sep)) {
      throw new BundleIntegrityError(
        p,
        "its path leads outside the bundle folder",
      );
    }
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeFile(target, files[p], { createNew: true });
  }
  return manifest;
}
