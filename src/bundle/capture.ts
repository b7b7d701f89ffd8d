/**
 * From local task definitions to bundles: tasks defined in a module file
 * share one bundle of that module (`deno bundle`, see capture_module.ts);
 * tasks defined in a notebook cell get a program made of their closure
 * (see capture_cell.ts). Files a task lists in `options.files` (paths
 * relative to its module's folder, or to the working directory for a cell)
 * are added to its bundle.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { REGISTRY_KEY, type TaskDefinition } from "../sdk/contract.ts";
import { buildBundle, type Bundle } from "./bundle.ts";
import { bundleModule } from "./capture_module.ts";
import { CaptureError } from "./errors.ts";
import { fromFileUrl, isModuleFile } from "./paths.ts";
import { ClosureInspector } from "./inspect.ts";

/**
 * One bundle and the tasks it carries.
 *
 * @example
 * ```ts
 * import type { CapturedBundle } from "./capture.ts";
 * const names = (c: CapturedBundle) => c.tasks.map((t) => t.name);
 * ```
 */
export interface CapturedBundle {
  /** The bundle. */
  bundle: Bundle;
  /** The tasks it defines (those asked for). */
  tasks: TaskDefinition[];
}

/**
 * Options of {@link captureTasks}.
 *
 * @example
 * ```ts
 * import type { CaptureOptions } from "./capture.ts";
 * const o: CaptureOptions = { limit: 1024 };
 * ```
 */
export interface CaptureOptions {
  /** The bundle size cap (default 150 MiB). */
  limit?: number;
}

async function readFiles(
  defs: readonly TaskDefinition[],
  base: string,
): Promise<{ path: string; data: Uint8Array }[]> {
  const out = new Map<string, Uint8Array>();
  for (const d of defs) {
    const files = d.options.files;
    if (files === undefined) continue;
    if (!Array.isArray(files)) {
      throw new CaptureError(
        `task ${d.name}: options.files must be a list of paths`,
      );
    }
    for (const f of files as unknown[]) {
      if (typeof f !== "string") {
        throw new CaptureError(
          `task ${d.name}: options.files holds a non-string`,
        );
      }
      const abs = resolve(base, f);
      const rel = relative(base, abs);
      if (rel.startsWith("..") || isAbsolute(rel)) {
        throw new CaptureError(
          `task ${d.name}: file [${f}] is outside [${base}]; bundle files must be inside the task's folder`,
        );
      }
      try {
        out.set(rel.split("\\").join("/"), await Deno.readFile(abs));
      } catch (e) {
        throw new CaptureError(
          `task ${d.name}: file [${f}] cannot be read: ${(e as Error).message}`,
          { cause: e },
        );
      }
    }
  }
  return [...out].map(([path, data]) => ({ path, data }));
}

/**
 * The module file each task's function was defined in, from the inspector
 * (`[[FunctionLocation]]`), not from the definition's call site alone (a
 * notebook cell's call stack may run through a module file); tasks defined
 * in cells, REPL input or eval'd code are left out. (A definition's `site`
 * may name no file, or the wrong one, when it was made in a REPL.)
 */
async function definingModules(
  defs: readonly TaskDefinition[],
): Promise<Map<TaskDefinition, string>> {
  const out = new Map<TaskDefinition, string>();
  const ins = await ClosureInspector.open();
  try {
    for (const d of defs) {
      const { url } = await ins.site(d.fn);
      if (isModuleFile(url) && !unguardedMain(url)) out.set(d, url);
    }
  } finally {
    ins.close();
  }
  return out;
}

/**
 * True for the script being run when it does its work at its top level
 * (no `import.meta.main` guard): bundling it whole would run that work again
 * in the container, so its tasks ship as closures, like notebook cells.
 */
function unguardedMain(url: string): boolean {
  if (url !== Deno.mainModule) return false;
  try {
    return !Deno.readTextFileSync(fromFileUrl(url)).includes(
      "import.meta.main",
    );
  } catch {
    return false;
  }
}

function moduleTasks(
  url: string,
  asked: readonly TaskDefinition[],
): TaskDefinition[] {
  const registry = (globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as
    | Map<string, TaskDefinition | { kind: string }>
    | undefined;
  const found = new Map<string, TaskDefinition>();
  for (const d of registry?.values() ?? []) {
    const t = d as TaskDefinition;
    if (t.kind === "task" && t.site?.url === url) found.set(t.name, t);
  }
  for (const t of asked) found.set(t.name, t);
  return [...found.values()].sort((a, b) => a.name < b.name ? -1 : 1);
}

/**
 * Captures tasks into bundles (one per defining module; one per group of
 * notebook tasks). Throws {@link UnshippableReferenceError} or
 * {@link BundleTooLargeError} before anything leaves the machine.
 *
 * @example
 * ```ts
 * import { captureTasks } from "./capture.ts";
 * import { REGISTRY_KEY, type TaskDefinition } from "../sdk/contract.ts";
 * declare const add: TaskDefinition;
 * const [{ bundle }] = await captureTasks([add]);
 * console.log(bundle.fileName);
 * ```
 */
export async function captureTasks(
  defs: readonly TaskDefinition[],
  options: CaptureOptions = {},
): Promise<CapturedBundle[]> {
  const byModule = new Map<string, TaskDefinition[]>();
  const cells: TaskDefinition[] = [];
  const modules = await definingModules(defs);
  for (const d of defs) {
    const url = modules.get(d);
    if (url) {
      const list = byModule.get(url) ?? [];
      list.push(d);
      byModule.set(url, list);
    } else {
      cells.push(d);
    }
  }
  const out: CapturedBundle[] = [];
  // Modules are bundled concurrently (each `deno bundle` is a process).
  const programs = new Map(
    await Promise.all(
      [...byModule.keys()].map(async (url) =>
        [url, await bundleModule(url)] as const
      ),
    ),
  );
  for (const [url, tasks] of byModule) {
    const program = programs.get(url)!;
    // Every task the module defines (from the registry), so the bundle is
    // the same whichever of them is asked for.
    const all = moduleTasks(url, tasks);
    const files = await readFiles(all, dirname(fromFileUrl(url)));
    out.push({
      bundle: buildBundle({
        program,
        tasks: all.map((t) => t.name),
        files,
        limit: options.limit,
      }),
      tasks,
    });
  }
  if (cells.length) {
    // One bundle per notebook task (with what it refers to), so editing one
    // task changes only its own version.
    const { captureCells } = await import("./capture_cell.ts");
    for (const cell of cells) {
      const program = await captureCells([cell]);
      const files = await readFiles([cell], Deno.cwd());
      out.push({
        bundle: buildBundle({
          program,
          tasks: [cell.name],
          files,
          limit: options.limit,
        }),
        tasks: [cell],
      });
    }
  }
  return out;
}
