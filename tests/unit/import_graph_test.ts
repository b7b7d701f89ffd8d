/**
 * The import graph of src/ (issue 17): no import circle of any kind (static
 * imports, type-only imports, `import("./x.ts").T` types, dynamic imports,
 * re-exports), and the directions the design and the folders' READMEs fix:
 * the sandbox never imports remote, remote never imports the sandbox, types
 * imports nothing else in src/, each folder's "May import" list, and the
 * one-way order inside src/sandbox/admin that its README lists.
 *
 * The imports are read by Deno's own module-graph parser (`deno info --json`,
 * deno_graph on the SWC TypeScript parser), not by a pattern over the text:
 * acorn, the JavaScript parser in deno.json, does not read TypeScript. Nothing
 * under src/ is generated code (the flyteidl bindings live in proto/gen/), so
 * every file is checked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

/** How one module uses another. */
type EdgeKind = "code" | "type" | "dynamic";

/** A module's imports of other files: target path (relative to src/) -> kind. */
type Graph = Map<string, Map<string, EdgeKind>>;

const SRC = path.join(repoRoot, "src");

/** A file's path relative to src/, with forward slashes. */
const fromSrc = (f: string) => path.relative(SRC, f).split(path.sep).join("/");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The output of `deno info --json` this test reads. */
interface DenoInfo {
  modules: {
    specifier: string;
    error?: string;
    dependencies?: {
      specifier: string;
      isDynamic?: boolean;
      code?: { specifier?: string; error?: string };
      type?: { specifier?: string; error?: string };
    }[];
  }[];
}

/**
 * The graph of every .ts file under src/, read by `deno info --json` over a
 * root module that imports them all (one run of the parser for the tree).
 */
async function readGraph(): Promise<{ graph: Graph; errors: string[] }> {
  const files = sources(SRC);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-graph-"));
  try {
    const root = path.join(dir, "root.ts");
    fs.writeFileSync(
      root,
      files.map((f) => `import ${JSON.stringify(pathToFileURL(f).href)};\n`)
        .join(""),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "info",
        "--json",
        "--config",
        path.join(repoRoot, "deno.json"),
        root,
      ],
      cwd: repoRoot,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, `deno info failed: ${stderr}`);
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as DenoInfo;
    const srcUrl = pathToFileURL(SRC).href + "/";
    const rel = (url: string | undefined) =>
      url?.startsWith(srcUrl)
        ? decodeURIComponent(url.slice(srcUrl.length))
        : undefined;
    const graph: Graph = new Map(files.map((f) => [fromSrc(f), new Map()]));
    const errors: string[] = [];
    for (const m of info.modules) {
      const from = rel(m.specifier);
      if (!from) continue;
      if (m.error) errors.push(`${from}: ${m.error}`);
      const edges = graph.get(from) ?? new Map<string, EdgeKind>();
      graph.set(from, edges);
      for (const d of m.dependencies ?? []) {
        for (const [kind, r] of [["code", d.code], ["type", d.type]] as const) {
          if (r?.error) errors.push(`${from}: ${d.specifier}: ${r.error}`);
          const to = rel(r?.specifier);
          if (!to) continue;
          const k: EdgeKind = d.isDynamic ? "dynamic" : kind;
          // A module imported for its values too counts as a code import.
          if (edges.get(to) !== "code") edges.set(to, k);
        }
      }
    }
    const read = new Set(info.modules.map((m) => rel(m.specifier)));
    for (const f of graph.keys()) {
      if (!read.has(f)) errors.push(`${f}: not read by deno info`);
    }
    return { graph, errors };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One circle per strongly connected component of the graph (Tarjan), each
 * written as the files along it, back to the first: `a -> b -> a`.
 */
function findCycles(graph: Map<string, Iterable<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const targets = (v: string) => [...(graph.get(v) ?? [])];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of targets(v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || targets(v).includes(v)) {
        components.push(component);
      }
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  // Name one concrete circle through each component: the shortest way back
  // from its first file (breadth first, inside the component).
  return components.map((c) => {
    const inside = new Set(c);
    const start = [...c].sort()[0];
    const from = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of targets(v)) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const cycle = [start];
          for (let u = v; u !== start; u = from.get(u)!) cycle.splice(1, 0, u);
          return [...cycle, start];
        }
        if (!from.has(w)) {
          from.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  }).sort((a, b) => a[0].localeCompare(b[0]));
}

/** Where a file belongs for the rules: its folder, or its own path. */
interface Rule {
  /** The files the rule is about (a folder ending in "/", or one file). */
  area: string;
  /** What they may import outside their own area; undefined: anything. */
  mayImport?: string[];
  /** What they must never import. */
  never?: string[];
  /** Where the rule is written. */
  source: string;
}

const within = (file: string, area: string) =>
  area.endsWith("/") ? file.startsWith(area) : file === area;

/**
 * Every import against a rule, as `from imports to (rule, source)`. An
 * import inside a file's own area is always allowed; `seams` may be
 * imported from anywhere.
 */
function ruleViolations(
  graph: Map<string, Iterable<string>>,
  rules: Rule[],
  seams: string[] = [],
): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    for (const to of tos) {
      if (seams.some((s) => within(to, s))) continue;
      for (const r of rules) {
        if (!within(from, r.area) || within(to, r.area)) continue;
        const never = r.never?.find((n) => within(to, n));
        if (never) {
          bad.push(`${from} imports ${to} (never ${never}: ${r.source})`);
        } else if (r.mayImport && !r.mayImport.some((m) => within(to, m))) {
          const allowed = r.mayImport.length
            ? `only ${r.mayImport.join(", ")}`
            : "nothing else in src/";
          bad.push(
            `${from} imports ${to} (${r.area} may import ${allowed}: ${r.source})`,
          );
        }
      }
    }
  }
  return bad.sort();
}

/**
 * Modules that import nothing in src/ and that any folder may use (their
 * READMEs or module docs say so).
 */
const SEAMS = [
  "sdk/contract.ts", // "Types and two constants only, so every folder may import it."
  "names/", // names/mod.ts: "Imports nothing."
  "version.ts", // the release version, a constant
];

/** The rules written in design.md and the folders' READMEs / module docs. */
const RULES: Rule[] = [
  {
    area: "sandbox/",
    never: ["remote/"],
    mayImport: ["types/", "display/", "http2/"],
    source:
      "design.md: sandbox -> store, compiler, engine, types, display; never remote",
  },
  {
    area: "remote/",
    never: ["sandbox/"],
    mayImport: ["client/", "types/", "sdk/", "bundle/", "data/", "display/"],
    source: "design.md; src/remote/mod.ts",
  },
  {
    area: "types/",
    never: ["remote/", "sandbox/"],
    mayImport: [],
    source: "design.md; src/types/mod.ts: nothing else in src/",
  },
  { area: "names/", mayImport: [], source: "src/names/mod.ts" },
  { area: "version.ts", mayImport: [], source: "a constant" },
  {
    area: "http2/",
    mayImport: [],
    source: "src/http2/README.md: node:http2 only",
  },
  {
    area: "client/",
    mayImport: ["http2/"],
    source: "src/client/README.md; src/http2/README.md",
  },
  { area: "display/", mayImport: ["types/"], source: "src/display/mod.ts" },
  {
    area: "data/",
    mayImport: ["client/", "types/"],
    never: ["remote/", "sandbox/"],
    source: "src/data/README.md",
  },
  {
    area: "sdk/",
    mayImport: ["types/"],
    never: ["remote/", "sandbox/"],
    source: "src/sdk/mod.ts",
  },
  {
    area: "bundle/",
    mayImport: ["types/"],
    never: ["remote/", "sandbox/"],
    source: "src/bundle/README.md",
  },
  {
    area: "runtime/",
    mayImport: ["types/", "data/", "bundle/"],
    source: "src/runtime/README.md",
  },
  {
    area: "sandbox/store/",
    mayImport: [],
    source: "src/sandbox/store/README.md: nothing else from the sandbox",
  },
  {
    area: "sandbox/blobs/",
    mayImport: [],
    source: "src/sandbox/blobs/README.md: node:* only",
  },
  {
    area: "sandbox/compiler/",
    mayImport: [],
    source: "src/sandbox/compiler/mod.ts: flyteidl and protobuf only",
  },
  {
    area: "sandbox/admin/",
    mayImport: ["sandbox/store/", "sandbox/blobs/", "sandbox/launcher.ts"],
    never: ["sandbox/server/", "sandbox/engine/", "sandbox/compiler/"],
    source:
      "src/sandbox/admin/README.md: the compiler only through the SandboxCompiler port",
  },
  {
    area: "sandbox/engine/",
    mayImport: ["sandbox/launcher.ts", "sandbox/compiler/"],
    never: ["sandbox/admin/", "remote/", "client/"],
    source: "src/sandbox/engine/README.md",
  },
  {
    area: "sandbox/server/",
    mayImport: ["sandbox/blobs/", "display/", "http2/"],
    source:
      "src/sandbox/server/README.md; src/sandbox/mod.ts (server -> display); src/http2/README.md",
  },
];

const { graph, errors } = await readGraph();

Deno.test("the import graph is read: every file under src/, with its imports", () => {
  assertEquals(errors, []);
  assertEquals([...graph.keys()].sort(), sources(SRC).map(fromSrc).sort());
  const edges = [...graph.values()].reduce((n, e) => n + e.size, 0);
  assert(edges > 300, `only ${edges} imports read: the reader is broken`);
  // Kinds the parser tells apart: a value import, a type-only import, and a
  // type written as import("./x.ts").T.
  assertEquals(
    graph.get("sandbox/admin/service.ts")?.get("sandbox/admin/tasks.ts"),
    "code",
  );
  assertEquals(
    graph.get("sandbox/admin/context.ts")?.get("sandbox/launcher.ts"),
    "type",
  );
  assertEquals(graph.get("sdk/graph.ts")?.get("sdk/resources.ts"), "type");
});

Deno.test("src/ has no import circles (value, type or dynamic imports)", () => {
  const all = new Map([...graph].map(([f, e]) => [f, [...e.keys()]]));
  assertEquals(findCycles(all).map((c) => c.join(" -> ")), []);
});

Deno.test("src/ imports flow the way the design and the READMEs say", () => {
  const all = new Map([...graph].map(([f, e]) => [f, [...e.keys()]]));
  assertEquals(ruleViolations(all, RULES, SEAMS), []);
});

/**
 * The layers of a README's "Import order" block: one line a layer, a file
 * importing only files on lines above its own.
 */
function importOrder(readme: string): Map<string, number> {
  const text = fs.readFileSync(readme, "utf8");
  const block = text.match(/Import order[\s\S]*?```\n([\s\S]*?)```/);
  assert(block, `${readme} has no "Import order" block`);
  const layers = new Map<string, number>();
  block[1].trim().split("\n").forEach((line, i) => {
    for (const f of line.trim().split(/\s+/)) {
      assert(!layers.has(f), `${f} is listed twice in ${readme}`);
      layers.set(f, i);
    }
  });
  return layers;
}

/**
 * Imports inside `folder` (relative to src/, ending in "/") that do not go
 * to a line above their own in the README's import order, and files the
 * order leaves out or names without a file.
 */
function orderViolations(
  graph: Map<string, Iterable<string>>,
  folder: string,
  layers: Map<string, number>,
): string[] {
  const bad: string[] = [];
  const inFolder = (f: string) =>
    f.startsWith(folder) && !f.slice(folder.length).includes("/");
  const files = [...graph.keys()].filter(inFolder);
  for (const f of files) {
    const name = f.slice(folder.length);
    if (!layers.has(name)) bad.push(`${f} is not in the import order`);
  }
  for (const name of layers.keys()) {
    if (!graph.has(folder + name)) bad.push(`${folder}${name} does not exist`);
  }
  for (const f of files) {
    const from = layers.get(f.slice(folder.length));
    for (const to of graph.get(f) ?? []) {
      if (!inFolder(to)) continue;
      const at = layers.get(to.slice(folder.length));
      if (from !== undefined && at !== undefined && at >= from) {
        bad.push(`${f} imports ${to}, which is not above it`);
      }
    }
  }
  return bad.sort();
}

Deno.test("sandbox/admin imports one way, in its README's import order", () => {
  const all = new Map([...graph].map(([f, e]) => [f, [...e.keys()]]));
  const layers = importOrder(path.join(SRC, "sandbox/admin/README.md"));
  assertEquals(orderViolations(all, "sandbox/admin/", layers), []);
});

Deno.test("orderViolations flags imports sideways or up, and unlisted files", () => {
  const g = new Map<string, string[]>([
    ["f/a.ts", []],
    ["f/b.ts", ["f/a.ts", "f/c.ts", "other/x.ts"]],
    ["f/c.ts", ["f/a.ts"]],
    ["f/d.ts", ["f/b.ts"]],
    ["f/sub/e.ts", ["f/d.ts"]],
  ]);
  const layers = new Map([["a.ts", 0], ["b.ts", 1], ["c.ts", 1], ["z.ts", 2]]);
  assertEquals(orderViolations(g, "f/", layers), [
    "f/b.ts imports f/c.ts, which is not above it",
    "f/d.ts is not in the import order",
    "f/z.ts does not exist",
  ]);
});

Deno.test("findCycles names each circle's files and passes over the rest", () => {
  const g = new Map<string, string[]>([
    ["a.ts", ["b.ts", "x.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts", "x.ts"]],
    ["d.ts", ["d.ts"]],
    ["e.ts", ["f.ts"]],
    ["f.ts", ["x.ts"]],
    ["x.ts", []],
    ["p/one.ts", ["p/two.ts"]],
    ["p/two.ts", ["p/one.ts", "e.ts"]],
  ]);
  assertEquals(findCycles(g), [
    ["a.ts", "b.ts", "c.ts", "a.ts"],
    ["d.ts", "d.ts"],
    ["p/one.ts", "p/two.ts", "p/one.ts"],
  ]);
  // Removing one edge of each circle leaves none.
  g.set("c.ts", ["x.ts"]);
  g.set("d.ts", []);
  g.set("p/two.ts", ["e.ts"]);
  assertEquals(findCycles(g), []);
  // A circle through a long chain is reported through its shortest way back.
  const chain = new Map<string, string[]>([
    ["a", ["b", "c"]],
    ["b", ["c"]],
    ["c", ["d"]],
    ["d", ["a"]],
  ]);
  assertEquals(findCycles(chain), [["a", "c", "d", "a"]]);
});

Deno.test("ruleViolations flags never and may-import breaches, not seams", () => {
  const g = new Map<string, string[]>([
    ["sandbox/admin/x.ts", [
      "sandbox/admin/y.ts",
      "sandbox/store/db.ts",
      "sandbox/engine/run.ts",
      "remote/remote.ts",
      "names/mod.ts",
    ]],
    ["types/t.ts", ["types/u.ts", "data/fs.ts"]],
    ["remote/r.ts", ["client/c.ts", "sandbox/mod.ts"]],
  ]);
  const rules: Rule[] = [
    { area: "sandbox/", never: ["remote/"], source: "s" },
    {
      area: "sandbox/admin/",
      mayImport: ["sandbox/store/"],
      never: ["sandbox/engine/"],
      source: "a",
    },
    { area: "types/", mayImport: [], source: "t" },
    { area: "remote/", never: ["sandbox/"], source: "r" },
  ];
  assertEquals(ruleViolations(g, rules, ["names/"]), [
    "remote/r.ts imports sandbox/mod.ts (never sandbox/: r)",
    "sandbox/admin/x.ts imports remote/remote.ts (never remote/: s)",
    "sandbox/admin/x.ts imports remote/remote.ts (sandbox/admin/ may import only sandbox/store/: a)",
    "sandbox/admin/x.ts imports sandbox/engine/run.ts (never sandbox/engine/: a)",
    "types/t.ts imports data/fs.ts (types/ may import nothing else in src/: t)",
  ]);
});
