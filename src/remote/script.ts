/**
 * Script mode (flytekit's `register_script` / `fast_register_workflow`):
 * a script's folder packed with {@link fastPackage} (ignore files, default
 * rules, deterministic digest), uploaded once, and the script's entities
 * registered at versions derived from the package and their templates.
 * The runtime unpacks the package and imports the script (its
 * `import.meta.main` block does not run); the script's own imports resolve
 * in the task's container: relative ones inside the folder, `npm:` /
 * `jsr:` / URL specifiers as they are, bare ones through the runtime's
 * import map (not the folder's deno.json).
 *
 * @module
 */
import { dirname, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REGISTRY_KEY, type TaskDefinition } from "../sdk/contract.ts";
import type { AnyWorkflow } from "../sdk/workflow.ts";
import type { AnyLaunchPlan } from "../sdk/launch_plan.ts";
import {
  fastPackage,
  type FastPackageOptions,
} from "../bundle/fast_package.ts";
import { ClosureInspector } from "../bundle/inspect.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import type {
  InteractiveOptions,
  InteractiveReport,
} from "./interactive_types.ts";
import {
  collectTasks,
  planWithBundle,
  type TaskPlan,
} from "./interactive_plan.ts";
import type { LocalDefinition, Registration } from "./register.ts";

/**
 * Options of {@link registerScript}.
 *
 * @example
 * ```ts
 * import type { RegisterScriptOptions } from "./script.ts";
 * const o: RegisterScriptOptions = { entity: "flows.wf", root: "./workflows" };
 * ```
 */
export interface RegisterScriptOptions
  extends InteractiveOptions, Pick<FastPackageOptions, "ignore"> {
  /** The entity to register (a task, workflow or launch plan name) [every one the script defines]. */
  entity?: string;
  /** The folder to package [the script's folder]. */
  root?: string;
}

/**
 * What {@link registerScript} registered.
 *
 * @example
 * ```ts
 * import type { ScriptRegistration } from "./script.ts";
 * const show = (r: ScriptRegistration) => `${r.packageUri}: ${r.entities.length}`;
 * ```
 */
export interface ScriptRegistration {
  /** The package's sha-256 (its digest). */
  packageSha256: string;
  /** Where the package is. */
  packageUri: string;
  /** One registration per entity, in the script's order. */
  entities: { name: string; registration: Registration }[];
}

async function definedIn(url: string): Promise<LocalDefinition[]> {
  const registry = (globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as
    | Map<string, LocalDefinition>
    | undefined;
  const all = [...(registry?.values() ?? [])];
  const ins = await ClosureInspector.open();
  try {
    const out: LocalDefinition[] = [];
    for (const d of all) {
      const where = d.kind === "task"
        ? (await ins.site((d as TaskDefinition).fn)).url
        : (d as { site?: { url: string } }).site?.url;
      if (where === url) out.push(d);
    }
    return out;
  } finally {
    ins.close();
  }
}

/**
 * What the script loader needs of interactive mode (`Interactive` is one;
 * declared here so the two modules do not import each other).
 *
 * @example
 * ```ts
 * import type { ScriptHost } from "./script.ts";
 * import type { Interactive } from "./interactive.ts";
 * const asHost = (i: Interactive): ScriptHost => i;
 * ```
 */
export interface ScriptHost {
  /** The project and domain `options` resolve to. */
  scopeOf(options: InteractiveOptions): { project: string; domain: string };
  /** Registers `def` with its planned tasks. */
  registerPlanned(
    def: LocalDefinition,
    plans: readonly TaskPlan[],
    options?: InteractiveOptions,
  ): Promise<Registration>;
  /** What the last call did. */
  readonly lastReport?: InteractiveReport;
}

/**
 * Packages the script's folder, uploads it (unless the store has it) and
 * registers the script's entities (or `options.entity`) with the package as
 * their code.
 *
 * @example
 * ```ts
 * import { registerScript } from "./script.ts";
 * import { FlyteRemote } from "./remote.ts";
 * const remote = await FlyteRemote.forSandbox();
 * const r = await registerScript(await remote.interactive(), "./workflows/flows.ts");
 * console.log(r.entities.map((e) => e.name));
 * ```
 */
export async function registerScript(
  interactive: ScriptHost,
  file: string,
  options: RegisterScriptOptions = {},
): Promise<ScriptRegistration> {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  await import(url);
  let defs = await definedIn(url);
  if (options.entity) defs = defs.filter((d) => d.name === options.entity);
  if (defs.length === 0) {
    throw new FlyteInvalidInputError(
      `registerScript: ${path} defines ${
        options.entity
          ? `no entity named ${options.entity}`
          : "no tasks or workflows"
      }`,
    );
  }
  const scope = interactive.scopeOf(options);
  const tasks = new Map<string, TaskDefinition>();
  for (const d of defs) {
    const list = d.kind === "task"
      ? [d as TaskDefinition]
      : collectTasks(d as AnyWorkflow | AnyLaunchPlan, scope);
    for (const t of list) tasks.set(t.name, t);
  }
  const root = resolve(options.root ?? dirname(path));
  const entry = relative(root, path).split("\\").join("/");
  if (entry.startsWith("..")) {
    throw new FlyteInvalidInputError(
      `registerScript: ${path} is not inside the package root ${root}`,
    );
  }
  const pkg = await fastPackage(root, {
    entry,
    tasks: [...tasks.keys()],
    ignore: options.ignore,
  });
  const plans = [...tasks.values()].map((t) =>
    planWithBundle(t, pkg, { ...scope, image: options.image })
  );
  const entities: ScriptRegistration["entities"] = [];
  let packageUri = "";
  for (const d of defs) {
    const mine = d.kind === "task"
      ? plans.filter((p) => p.def.name === d.name)
      : plans.filter((p) =>
        collectTasks(d as AnyWorkflow | AnyLaunchPlan, scope).some((t) =>
          t.name === p.def.name
        )
      );
    const registration = await interactive.registerPlanned(d, mine, options);
    packageUri ||= interactive.lastReport?.tasks[0]?.bundleUri ?? "";
    entities.push({ name: d.name, registration });
  }
  return { packageSha256: pkg.sha256, packageUri, entities };
}
