/**
 * Capturing a module file: `deno bundle` of the module that defines the
 * tasks (local and npm imports inlined into one ES module), with the path
 * comments esbuild writes (Deno cache, node_modules, the user's folders)
 * normalised, so the bytes do not depend on the machine, the home folder,
 * the Deno cache or the checkout.
 *
 * The bundled module is imported by the runtime, never run as the main
 * module: code under `if (import.meta.main)` (a script's own top-level
 * work, such as `await remote.execute(...)`) does not run in the container.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { fromFileUrl } from "./paths.ts";
import { CaptureError } from "./errors.ts";
import { sha256Hex } from "./bundle.ts";

/**
 * Normalises the `// <path>` comments of a `deno bundle` output: npm
 * modules keep their package path (`npm/<name>@<version>/...`), remote
 * modules their URL path, local ones their base name only.
 *
 * @example
 * ```ts
 * import { normaliseBundle } from "./capture_module.ts";
 * const out = normaliseBundle("// ../../home/me/.cache/deno/npm/registry.npmjs.org/fflate/0.8.3/esm/index.mjs\nvar a = 1;\n");
 * console.log(out.split("\n")[0]); // "// npm/fflate/0.8.3/esm/index.mjs"
 * ```
 */
export function normaliseBundle(source: string): string {
  return source.replace(/^\/\/ (\S+)$/gm, (_m, p: string) => {
    const i = p.lastIndexOf("node_modules/");
    if (i >= 0) {
      return `// npm/${p.slice(i + "node_modules/".length)}`;
    }
    // The Deno cache (any DENO_DIR): <dir>/npm/<registry host>/<pkg>/...
    const npm = /(?:^|\/)npm\/[^/]+\.[^/]+\/(.*)$/.exec(p);
    if (npm) return `// npm/${npm[1]}`;
    const remote = /(?:^|\/)remote\/(https?\/.*)$/.exec(p);
    if (remote) return `// remote/${remote[1]}`;
    if (/^[a-z]+:\/\//.test(p)) return `// ${p}`;
    return `// ${basename(p)}`;
  });
}

type FileStamp = { path: string; sha256: string };

/**
 * Programs bundled by this process, by module and config, with the local
 * files they were made of (from the bundle's own path comments) and the
 * sha-256 of each: a module is bundled again only when one of them changed
 * (npm packages are immutable at a locked version).
 */
const cache = new Map<string, { program: string; files: FileStamp[] }>();

function stamp(path: string): FileStamp | undefined {
  try {
    return { path, sha256: sha256Hex(Deno.readFileSync(path)) };
  } catch {
    return undefined;
  }
}

function localFiles(raw: string, cwd: string): FileStamp[] {
  const out: FileStamp[] = [];
  for (const m of raw.matchAll(/^\/\/ (\S+)$/gm)) {
    const p = m[1];
    if (/node_modules\/|(?:^|\/)npm\/[^/]+\.[^/]+\//.test(p)) continue;
    if (/^[a-z]+:\/\//.test(p)) continue;
    const s = stamp(resolve(cwd, p));
    if (s) out.push(s);
  }
  return out;
}

function unchanged(files: readonly FileStamp[]): boolean {
  return files.length > 0 &&
    files.every((f) => stamp(f.path)?.sha256 === f.sha256);
}

/**
 * The deno.json (or deno.jsonc) nearest above `dir`, else the nearest above
 * the working directory (a notebook's folder), else none.
 *
 * @example
 * ```ts
 * import { findConfig } from "./capture_module.ts";
 * console.log(findConfig(Deno.cwd()));
 * ```
 */
export function findConfig(dir: string): string | undefined {
  const has = (p: string) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  };
  const above = (start: string) => {
    for (let d = start;; d = dirname(d)) {
      for (const n of ["deno.json", "deno.jsonc"]) {
        if (has(`${d}/${n}`)) return `${d}/${n}`;
      }
      if (dirname(d) === d) return undefined;
    }
  };
  return above(dir) ?? above(Deno.cwd());
}

/**
 * Bundles a module file (a `file:` URL or a path) into one self-contained
 * program with `deno bundle`, with the deno.json nearest above the module
 * (its import map, nodeModulesDir), else the working directory's.
 *
 * @example
 * ```ts
 * import { bundleModule } from "./capture_module.ts";
 * const program = await bundleModule(new URL("./zip.ts", import.meta.url).href);
 * console.log(program.includes("writeZip")); // true
 * ```
 */
export async function bundleModule(
  module: string,
  options: {
    /** The deno.json to use [the nearest above the module, else the working directory's]. */
    config?: string;
    /** Reuse this process's earlier bundle when its local files are unchanged [true]. */
    cache?: boolean;
    /** Cache under this key instead of the module's URL, not checking the module file itself (generated programs) [none]. */
    cacheKey?: string;
  } = {},
): Promise<string> {
  const path = module.startsWith("file:") ? fromFileUrl(module) : module;
  const config = options.config ?? findConfig(dirname(path));
  const key = `${options.cacheKey ?? module}\0${config ?? ""}`;
  const hit = cache.get(key);
  if (options.cache !== false && hit && unchanged(hit.files)) {
    return hit.program;
  }
  const tmp = await Deno.makeTempDir({ prefix: "flyte-bundle-" });
  try {
    const out = `${tmp}/main.js`;
    const args = ["bundle", "--quiet", "--platform", "deno"];
    if (config) args.push("--config", config);
    args.push("-o", out, path);
    const r = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: dirname(path),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!r.success) {
      const err = new TextDecoder().decode(r.stderr).trim().slice(-2000);
      throw new CaptureError(
        `deno bundle of [${path}] failed (exit ${r.code}): ${err}`,
      );
    }
    const raw = await Deno.readTextFile(out);
    const program = normaliseBundle(raw);
    const files = localFiles(raw, dirname(path)).filter((f) =>
      !options.cacheKey || f.path !== resolve(path)
    );
    cache.set(key, { program, files });
    return program;
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
