/**
 * The engine's layout (issue 17, src/sandbox/engine/README.md): one handler
 * per node kind behind `NodeHandler`, handlers that never reach back into
 * the executor, and files that stay small.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { create } from "@bufbuild/protobuf";
import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { handlerFor } from "../../src/sandbox/engine/nodes/mod.ts";

const ENGINE = path.resolve(
  new URL("../../src/sandbox/engine", import.meta.url).pathname,
);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

Deno.test("engine: every node target flyteidl defines has its own handler", () => {
  const target = NodeSchema.oneofs.find((o) => o.name === "target");
  assert(target, "flyteidl Node has no target oneof");
  const kinds = new Set<string>();
  for (const field of target.fields) {
    const node = create(NodeSchema, {
      id: "n",
      target: { case: field.localName, value: {} } as never,
    });
    const h = handlerFor(node);
    assert(h.kind !== "unsupported", `no handler for ${field.localName}`);
    kinds.add(h.kind);
  }
  // A workflow node is a sub-workflow or a launch plan by its reference.
  const lp = create(NodeSchema, {
    id: "n",
    target: {
      case: "workflowNode",
      value: { reference: { case: "launchplanRef", value: {} } },
    },
  });
  kinds.add(handlerFor(lp).kind);
  assertEquals([...kinds].sort(), [
    "array",
    "branch",
    "gate",
    "launch plan",
    "sub-workflow",
    "task",
  ]);
  assertEquals(handlerFor(create(NodeSchema, { id: "n" })).kind, "unsupported");
});

Deno.test("engine: node handlers never import the executor (run.ts, graph.ts, node.ts)", () => {
  const executor = ["run.ts", "graph.ts", "node.ts"].map((f) =>
    path.join(ENGINE, f)
  );
  const bad: string[] = [];
  for (const file of sources(path.join(ENGINE, "nodes"))) {
    const text = fs.readFileSync(file, "utf8").replace(
      /\/\*\*[\s\S]*?\*\//g,
      "",
    );
    for (const m of text.matchAll(/from\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const to = path.resolve(path.dirname(file), m[1]);
      if (executor.includes(to)) {
        bad.push(`${path.relative(ENGINE, file)} -> ${m[1]}`);
      }
    }
  }
  assertEquals(bad, []);
});

Deno.test("engine: no file over 600 lines", () => {
  const long = sources(ENGINE)
    .map((f) => ({
      f: path.relative(ENGINE, f),
      n: fs.readFileSync(f, "utf8").split("\n").length,
    }))
    .filter((x) => x.n > 600)
    .map((x) => `${x.f}: ${x.n} lines`);
  assertEquals(long, []);
});
