/**
 * Capturing tasks defined in notebook cells (or any code that is not a
 * module file): the task function's source and exactly what it refers to,
 * found with a JavaScript parser (acorn) and a scope analyser (periscopic)
 * for the free names, and the V8 inspector for what each name is bound to
 * (`[[Scopes]]`) and where functions were defined
 * (`[[FunctionLocation]]`):
 *
 * - other tasks: captured too and registered under their names;
 * - helper functions and classes defined in the notebook: their source,
 *   recursively;
 * - names imported by specifier in a cell (`import { x } from "npm:..."`,
 *   or `const { x } = await import("...")`): the same import;
 * - constants that can be written as source (JSON, dates, typed arrays,
 *   Maps/Sets, `t` types);
 * - built-in globals are left alone.
 *
 * Anything else (a socket, a class instance, a function from a library that
 * was not imported by specifier) raises {@link UnshippableReferenceError}
 * naming the variable, the cell and the line. The generated program is
 * then run through `deno bundle`, so imports are inlined like a module's.
 *
 * @module
 */
import { parse } from "acorn";
import { analyze } from "periscopic";
import type { Node } from "estree";
import type { TaskDefinition } from "../sdk/contract.ts";
import { CaptureError, UnshippableReferenceError } from "./errors.ts";
import { ClosureInspector, type ScopeBinding, userGlobal } from "./inspect.ts";
import { NotSerialisable, typeSource, valueSource } from "./serialise.ts";
import { bundleModule, findConfig } from "./capture_module.ts";
import { fromFileUrl, isModuleFile } from "./paths.ts";
import { dirname } from "node:path";
import { sha256Hex } from "./bundle.ts";
import { importOf } from "./import_of.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;
const SUPPORT = new URL("./cell_support.ts", import.meta.url).href;
const SKIP = new Set([
  "arguments",
  "undefined",
  "NaN",
  "Infinity",
  "globalThis",
  "eval",
]);

type ImportBinding = { spec: string; imported: string; scriptId: number };

function isTaskDefinition(v: unknown): v is TaskDefinition {
  const d = v as TaskDefinition;
  return typeof v === "function" && d.kind === "task" &&
    typeof d.fn === "function" && typeof d.inputs === "object";
}

function parseProgram(src: string) {
  const opts = {
    ecmaVersion: "latest" as const,
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
  };
  try {
    return parse(src, { ...opts, sourceType: "module" });
  } catch {
    return parse(src, { ...opts, sourceType: "script" });
  }
}

/** The function's source as an expression, and the offset of `src` in it. */
function asExpression(fn: AnyFunction): { code: string; offset: number } {
  const src = Function.prototype.toString.call(fn);
  for (const [pre, post] of [["(", ")"], ["({", "})"]]) {
    const code = `${pre}${src}${post}`;
    try {
      parseProgram(code);
      return pre === "("
        ? { code, offset: 1 }
        : { code: `${code}[${JSON.stringify(fn.name)}]`, offset: 2 };
    } catch { /* next form */ }
  }
  throw new CaptureError(
    `cannot parse the source of function ${fn.name || "(anonymous)"}`,
  );
}

function isLibraryUrl(url: string): boolean {
  // The script being run is the user's code too (its tasks come here when it
  // works at its top level: see capture.ts).
  return /^(file|https?|npm|jsr|node|ext|data):/.test(url) &&
    !url.includes("$deno$") && url !== Deno.mainModule;
}

class CellCapture {
  readonly #ins: ClosureInspector;
  readonly #imports = new Map<string, ImportBinding>();
  readonly #decls: string[] = [];
  readonly #declared = new Map<string, unknown>();
  readonly #tasks = new Map<string, { index: number; def: TaskDefinition }>();
  readonly #taskBindings = new Map<string, string>();
  readonly #visiting = new Set<unknown>();
  #importIndex?: Map<string, ImportBinding>;

  constructor(ins: ClosureInspector) {
    this.#ins = ins;
  }

  async #index(): Promise<Map<string, ImportBinding>> {
    if (this.#importIndex) return this.#importIndex;
    const index = new Map<string, ImportBinding>();
    for (const [id, url] of this.#ins.scripts) {
      if (isLibraryUrl(url)) continue;
      let ast;
      try {
        ast = parseProgram(await this.#ins.source(id));
      } catch {
        continue;
      }
      const add = (name: string, spec: string, imported: string) => {
        const prev = index.get(name);
        if (!prev || prev.scriptId < Number(id)) {
          index.set(name, {
            spec: resolveSpec(spec, url),
            imported,
            scriptId: Number(id),
          });
        }
      };
      for (const st of ast.body as unknown as Node[]) {
        if (st.type === "ImportDeclaration") {
          for (const s of st.specifiers) {
            add(
              s.local.name,
              String(st.source.value),
              s.type === "ImportDefaultSpecifier"
                ? "default"
                : s.type === "ImportNamespaceSpecifier"
                ? "*"
                : s.imported.type === "Identifier"
                ? s.imported.name
                : String(s.imported.value),
            );
          }
        } else if (st.type === "VariableDeclaration") {
          for (const d of st.declarations) {
            const init = d.init?.type === "AwaitExpression"
              ? d.init.argument
              : undefined;
            if (
              init?.type !== "ImportExpression" ||
              init.source.type !== "Literal"
            ) continue;
            const spec = String(init.source.value);
            if (d.id.type === "Identifier") add(d.id.name, spec, "*");
            else if (d.id.type === "ObjectPattern") {
              for (const p of d.id.properties) {
                if (p.type !== "Property" || p.value.type !== "Identifier") {
                  continue;
                }
                const key = p.key.type === "Identifier"
                  ? p.key.name
                  : String((p.key as { value: unknown }).value);
                add(p.value.name, spec, key);
              }
            }
          }
        }
      }
    }
    this.#importIndex = index;
    return index;
  }

  #declare(name: string, value: unknown, code: string) {
    if (this.#declared.has(name)) {
      if (this.#declared.get(name) !== value) {
        throw new CaptureError(
          `two different values are both named "${name}" in the captured code; rename one`,
        );
      }
      return;
    }
    this.#declared.set(name, value);
    this.#decls.push(code);
  }

  async task(def: TaskDefinition): Promise<number> {
    const known = this.#tasks.get(def.name);
    if (known) return known.index;
    const index = this.#tasks.size;
    this.#tasks.set(def.name, { index, def });
    const { code } = asExpression(def.fn);
    await this.#function(def.fn, def);
    this.#decls.push(`const __flyteTask${index} = ${code};`);
    return index;
  }

  async #function(fn: AnyFunction, owner: TaskDefinition): Promise<void> {
    if (this.#visiting.has(fn)) return;
    this.#visiting.add(fn);
    const { code, offset } = asExpression(fn);
    const ast = parseProgram(code) as unknown as Node;
    const free = analyze(ast).globals;
    const site = await this.#ins.site(fn);
    const bindings = new Map<string, ScopeBinding>();
    for (const b of await this.#ins.bindings(fn)) {
      if (!bindings.has(b.name)) bindings.set(b.name, b);
    }
    const index = await this.#index();
    for (const [name, node] of free) {
      if (SKIP.has(name)) continue;
      const at = (node as { start?: number }).start ?? offset;
      const line = site.line + 1 +
        (code.slice(offset, at).match(/\n/g)?.length ?? 0);
      const ownerUrl = owner.site?.url;
      const where = site.url ||
        (ownerUrl && !isModuleFile(ownerUrl) ? ownerUrl : "a notebook cell");
      const ref = { name, owner, where, line };
      const b = bindings.get(name);
      if (b && b.scope !== "Script" && b.scope !== "Module") {
        await this.#value(ref, b.value);
      } else if (index.has(name)) {
        this.#imports.set(name, index.get(name)!);
      } else if (b) {
        await this.#value(ref, b.value);
      } else if (userGlobal(name)) {
        await this.#value(ref, (globalThis as Record<string, unknown>)[name]);
      } else if (!(name in globalThis)) {
        throw new UnshippableReferenceError(
          name,
          owner.name,
          where,
          line,
          "not defined anywhere the capture can see",
        );
      }
    }
  }

  async #value(
    ref: { name: string; owner: TaskDefinition; where: string; line: number },
    value: unknown,
  ): Promise<void> {
    const { name, owner, where, line } = ref;
    if (isTaskDefinition(value)) {
      await this.task(value);
      this.#taskBindings.set(name, value.name);
      return;
    }
    if (typeof value === "function") {
      const src = Function.prototype.toString.call(value);
      const site = await this.#ins.site(value as AnyFunction);
      if (src.includes("[native code]") || isLibraryUrl(site.url)) {
        // A cell's import whose cell V8 has already dropped: the function's
        // module names the import (only if importing it gives this value).
        const found = site.url
          ? await importOf(value, name, site.url)
          : undefined;
        if (found) {
          this.#imports.set(name, { ...found, scriptId: -1 });
          return;
        }
        throw new UnshippableReferenceError(
          name,
          owner.name,
          where,
          line,
          `a function from ${
            site.url || "a library"
          } that the notebook did not import by specifier`,
        );
      }
      if (this.#declared.has(name)) return this.#declare(name, value, "");
      await this.#function(value as AnyFunction, owner);
      this.#declare(
        name,
        value,
        `const ${name} = ${asExpression(value as AnyFunction).code};`,
      );
      return;
    }
    try {
      this.#declare(
        name,
        value,
        `let ${name} = ${valueSource(value, name, "__flyteType")};`,
      );
    } catch (e) {
      if (!(e instanceof NotSerialisable)) throw e;
      throw new UnshippableReferenceError(
        name,
        owner.name,
        where,
        line,
        e.path === name ? e.what : `${e.what} (at ${e.path})`,
      );
    }
  }

  program(): string {
    const lines = [
      `import { registerCaptured as __flyteRegister, typeFromJson as __flyteType } from ${
        JSON.stringify(SUPPORT)
      };`,
    ];
    for (
      const [local, b] of [...this.#imports].sort(([a], [b]) => a < b ? -1 : 1)
    ) {
      const spec = JSON.stringify(b.spec);
      if (b.imported === "*") lines.push(`import * as ${local} from ${spec};`);
      else if (b.imported === "default") {
        lines.push(`import ${local} from ${spec};`);
      } else {lines.push(
          `import { ${JSON.stringify(b.imported)} as ${local} } from ${spec};`,
        );}
    }
    lines.push(...this.#decls.filter(Boolean));
    const types = (io: Record<string, unknown>) =>
      `{${
        Object.entries(io).map(([k, v]) =>
          `${JSON.stringify(k)}: ${typeSource(v as never, "__flyteType")}`
        ).join(", ")
      }}`;
    for (const { index, def } of this.#tasks.values()) {
      lines.push(
        `const __flyteDef${index} = __flyteRegister(${
          JSON.stringify(def.name)
        }, __flyteTask${index}, ${types(def.inputs)}, ${types(def.outputs)}, ${
          JSON.stringify(def.taskType || "typescript")
        }, ${JSON.stringify(def.singleOutput ?? null)} ?? undefined);`,
      );
    }
    for (const [local, taskName] of this.#taskBindings) {
      lines.push(
        `const ${local} = __flyteDef${this.#tasks.get(taskName)!.index};`,
      );
    }
    return lines.join("\n") + "\n";
  }
}

function resolveSpec(spec: string, scriptUrl: string): string {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
  const base = scriptUrl.startsWith("file:")
    ? scriptUrl
    : new URL(`file://${Deno.cwd()}/`).href;
  return new URL(spec, base).href;
}

/**
 * Builds one program defining the given notebook tasks (and what they
 * refer to), bundled with `deno bundle`.
 *
 * @example
 * ```ts
 * import { captureCells } from "./capture_cell.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const t: TaskDefinition;
 * const program = await captureCells([t]);
 * ```
 */
export async function captureCells(
  defs: readonly TaskDefinition[],
): Promise<string> {
  const source = await captureCellsSource(defs);
  const dir = await Deno.makeTempDir({ prefix: "flyte-cell-" });
  try {
    await Deno.writeTextFile(`${dir}/cells.js`, source);
    // Imports resolve as they do for the code that defined the tasks: with
    // the deno.json of the script being run (a script's tasks come here when
    // it works at its top level), else of the working directory (a notebook's).
    const main = isModuleFile(Deno.mainModule)
      ? findConfig(dirname(fromFileUrl(Deno.mainModule)))
      : undefined;
    return await bundleModule(`${dir}/cells.js`, {
      cacheKey: `cells:${sha256Hex(source)}`,
      config: main,
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The unbundled program for notebook tasks (what {@link captureCells}
 * bundles), for inspection and tests.
 *
 * @example
 * ```ts
 * import { captureCellsSource } from "./capture_cell.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const t: TaskDefinition;
 * console.log(await captureCellsSource([t]));
 * ```
 */
export async function captureCellsSource(
  defs: readonly TaskDefinition[],
): Promise<string> {
  const ins = await ClosureInspector.open();
  try {
    const c = new CellCapture(ins);
    for (const d of [...defs].sort((a, b) => a.name < b.name ? -1 : 1)) {
      await c.task(d);
    }
    return c.program();
  } finally {
    ins.close();
  }
}
