/**
 * `fastPackage(dir)`: a directory packed as a deterministic zip, as
 * flytekit's `fast_package` packs a tar.gz: the files under `dir`, minus
 * what `.gitignore`, `.flyteignore` and `.dockerignore` files (each applying
 * to its own folder and below) and the default rules leave out; sorted
 * entries, fixed times and modes, symlinks replaced by what they point to;
 * a manifest with every entry's sha-256; named by the zip's sha-256.
 *
 * @module
 */
import ignore from "ignore";
import { join } from "node:path";
import { biggest, MAX_BUNDLE_BYTES, sealZip, sha256Hex } from "./bundle.ts";
import { BundleTooLargeError, CaptureError } from "./errors.ts";
import { type Manifest, MANIFEST_PATH, RUNTIME_VERSION } from "./manifest.ts";
import type { ZipEntry } from "./zip.ts";

/**
 * Rules applied to every package (gitignore syntax).
 *
 * @example
 * ```ts
 * import { DEFAULT_IGNORES } from "./fast_package.ts";
 * console.log(DEFAULT_IGNORES.includes(".git/")); // true
 * ```
 */
export const DEFAULT_IGNORES: readonly string[] = [
  ".git/",
  "node_modules/",
  ".venv/",
  ".cache/",
  "__pycache__/",
  "*.pyc",
  ".DS_Store",
];

const RULE_FILES = [".gitignore", ".flyteignore", ".dockerignore"];

/**
 * Options of {@link fastPackage}.
 *
 * @example
 * ```ts
 * import type { FastPackageOptions } from "./fast_package.ts";
 * const o: FastPackageOptions = { ignore: ["*.csv"], entry: "flows.ts" };
 * ```
 */
export interface FastPackageOptions {
  /** More rules (gitignore syntax, relative to `dir`) [none]. */
  ignore?: readonly string[];
  /** The program the runtime imports, relative to `dir` [none: not runnable alone]. */
  entry?: string;
  /** Task names to list in the manifest [none]. */
  tasks?: readonly string[];
  /** Size cap [150 MiB]. */
  limit?: number;
}

/**
 * A packed directory.
 *
 * @example
 * ```ts
 * import type { FastPackage } from "./fast_package.ts";
 * const show = (p: FastPackage) => `${p.fileName}: ${p.files.length} files`;
 * ```
 */
export interface FastPackage {
  /** The zip's bytes. */
  bytes: Uint8Array;
  /** sha-256 of the bytes, hex (the package's digest). */
  sha256: string;
  /** Upload name: `fast<sha256>.zip`. */
  fileName: string;
  /** Packed files (relative `/` paths, sorted) and sizes. */
  files: { path: string; size: number }[];
  /** The manifest inside. */
  manifest: Manifest;
}

type Rules = { base: string; ig: ReturnType<typeof ignore> };

function ignored(rel: string, dir: boolean, rules: readonly Rules[]): boolean {
  let out = false;
  for (const r of rules) {
    if (r.base && !rel.startsWith(r.base)) continue;
    const local = rel.slice(r.base.length) + (dir ? "/" : "");
    const t = r.ig.test(local);
    if (t.ignored) out = true;
    if (t.unignored) out = false;
  }
  return out;
}

async function walk(
  root: string,
  rel: string,
  rules: Rules[],
  out: { path: string; abs: string }[],
  seen: Set<string>,
): Promise<void> {
  const here = rel ? join(root, rel) : root;
  const real = await Deno.realPath(here);
  if (seen.has(real)) {
    throw new CaptureError(
      `fast package: [${here}] is reached twice (a symlink loop?)`,
    );
  }
  seen.add(real);
  const local = [...rules];
  for (const f of RULE_FILES) {
    try {
      const text = await Deno.readTextFile(join(here, f));
      local.push({ base: rel ? `${rel}/` : "", ig: ignore().add(text) });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const names: string[] = [];
  for await (const e of Deno.readDir(here)) names.push(e.name);
  for (const name of names.sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = join(root, r);
    let st: Deno.FileInfo;
    try {
      st = await Deno.stat(abs);
    } catch {
      throw new CaptureError(`fast package: [${abs}] is a broken symlink`);
    }
    if (ignored(r, st.isDirectory, local)) continue;
    if (st.isDirectory) await walk(root, r, local, out, seen);
    else if (st.isFile) out.push({ path: r, abs });
  }
  seen.delete(real);
}

/**
 * Packs a directory. Throws {@link BundleTooLargeError} over the cap, before
 * reading the files.
 *
 * @example
 * ```ts
 * import { fastPackage } from "./fast_package.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/flows.ts`, "export {};");
 * const a = await fastPackage(dir);
 * const b = await fastPackage(dir);
 * console.log(a.sha256 === b.sha256, a.files.map((f) => f.path)); // true ["flows.ts"]
 * ```
 */
export async function fastPackage(
  dir: string,
  options: FastPackageOptions = {},
): Promise<FastPackage> {
  const limit = options.limit ?? MAX_BUNDLE_BYTES;
  const base: Rules = {
    base: "",
    ig: ignore().add([...DEFAULT_IGNORES, ...(options.ignore ?? [])]),
  };
  const found: { path: string; abs: string }[] = [];
  await walk(dir, "", [base], found, new Set());
  const sizes = await Promise.all(
    found.map(async (f) => ({
      path: f.path,
      size: (await Deno.stat(f.abs)).size,
    })),
  );
  const total = sizes.reduce((n, f) => n + f.size, 0);
  if (total > limit) {
    throw new BundleTooLargeError(total, limit, biggest(sizes));
  }
  if (found.some((f) => f.path === MANIFEST_PATH)) {
    throw new CaptureError(
      `fast package: [${dir}] has its own ${MANIFEST_PATH}; the name is reserved`,
    );
  }
  const entries: ZipEntry[] = [];
  const digests: Record<string, string> = {};
  for (const f of found) {
    const data = await Deno.readFile(f.abs);
    digests[f.path] = sha256Hex(data);
    entries.push({ path: f.path, data, store: data.length > 1024 * 1024 });
  }
  if (options.entry && !(options.entry in digests)) {
    throw new CaptureError(
      `fast package: the entry [${options.entry}] is not in the package`,
    );
  }
  const manifest: Manifest = {
    format: 1,
    entry: options.entry ?? "",
    tasks: [...(options.tasks ?? [])].sort(),
    runtimeVersion: RUNTIME_VERSION,
    digests,
  };
  const { bytes, sha256 } = sealZip(entries, manifest, limit, sizes);
  return {
    bytes,
    sha256,
    fileName: `fast${sha256}.zip`,
    files: sizes,
    manifest,
  };
}
