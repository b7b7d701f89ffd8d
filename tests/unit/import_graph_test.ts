/**
 * The import graph of src/ (issue 17): no circles among the imports that
 * load modules at run time, and the directions the
 * design fixes (design.md, the folders' READMEs): the sandbox never imports
 * remote, remote never imports the sandbox, types imports neither, display
 * renders flyteidl only (tested on its own in display_imports_test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { assertEquals } from "../helpers/assert.ts";

const SRC = path.resolve(new URL("../../src", import.meta.url).pathname);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/**
 * Relative imports of a module that load it at run time: static imports and
 * re-exports that are not type-only, and dynamic `import()` calls (a type
 * written as `import("./x.ts").T` loads nothing, and neither does
 * `import type`).
 */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8")
    // JSDoc examples import too, but they are not the module's imports.
    .replace(/\/\*\*[\s\S]*?\*\//g, "");
  const out: string[] = [];
  const statics =
    /^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s*["'](\.{1,2}\/[^"']+)["']/gms;
  const dynamics =
    /(?<![\w.])import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)(?!\s*\.\s*[A-Z])/g;
  for (const re of [statics, dynamics]) {
    for (const m of text.matchAll(re)) {
      out.push(path.resolve(path.dirname(file), m[1]));
    }
  }
  return out;
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);
const area = (f: string) => rel(f).split(path.sep)[0];

Deno.test("src/ has no import circles", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (!graph.has(to)) continue;
      if (state.get(to) === "open") {
        cycles.push(
          stack.slice(stack.indexOf(to)).concat(to).map(rel).join(" -> "),
        );
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assertEquals(cycles, []);
});

Deno.test("src/ imports flow the way the design says", () => {
  const forbidden: Record<string, string[]> = {
    sandbox: ["remote", "sdk", "bundle", "runtime"],
    remote: ["sandbox"],
    types: [
      "remote",
      "sandbox",
      "client",
      "sdk",
      "data",
      "display",
      "bundle",
      "runtime",
    ],
    client: [
      "remote",
      "sandbox",
      "sdk",
      "data",
      "display",
      "bundle",
      "runtime",
    ],
    sdk: ["remote", "sandbox", "runtime"],
    bundle: ["remote", "sandbox"],
    data: ["remote", "sandbox"],
    runtime: ["remote", "sandbox"],
  };
  // The seam every folder may use (types and constants only).
  const seam = path.join(SRC, "sdk", "contract.ts");
  const bad: string[] = [];
  for (const [f, tos] of graph) {
    for (const to of tos) {
      if (to === seam) continue;
      if (forbidden[area(f)]?.includes(area(to))) {
        bad.push(`${rel(f)} imports ${rel(to)}`);
      }
    }
  }
  assertEquals(bad, []);
});
