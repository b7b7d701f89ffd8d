/**
 * Notebook-style capture: tasks defined in cells (evaluated as the Deno
 * kernel does, in REPL mode) that use a helper function, a class, constants,
 * another task and an npm import run on the sandbox; an unshippable
 * reference (a socket) fails before anything is uploaded or registered,
 * naming the variable, the cell and the line.
 */
import {
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { FlyteEntityNotExistError } from "../../src/client/mod.ts";
import { UnshippableReferenceError } from "../../src/bundle/errors.ts";
import type { TaskDefinition } from "../../src/sdk/contract.ts";
import { runCells } from "../helpers/cells.ts";
import { planTasks } from "../../src/remote/interactive.ts";

const here = new URL(".", import.meta.url).href;
const CELLS = [
  `const { strToU8 } = await import("fflate");
const { t } = await import("${here}../../src/types/mod.ts");
const { task } = await import("${here}../../src/sdk/mod.ts");`,
  `const SCALE = 10;
const LABELS = { a: "alpha", when: new Date(0) };
function helper(x) { return x * SCALE; }
class Box {
  constructor(v) { this.v = v; }
  get doubled() { return helper(this.v) * 2; }
}`,
  `const square = task({ name: "cell.square", inputs: { x: t.int }, outputs: t.int }, ({ x }) => x * x);`,
  `const calc = task({
  name: "cell.calc",
  inputs: { x: t.int },
  outputs: { total: t.int, label: t.string, n: t.int },
}, ({ x }) => ({
  total: new Box(x).doubled + square({ x }),
  label: LABELS.a + LABELS.when.getTime(),
  n: strToU8("abc").length,
}));
globalThis.__cellCalc = calc;`,
  `const server = Deno.listen({ port: 0 });
const leak = task({ name: "cell.leak", outputs: t.int }, () =>
  server.addr.port);
globalThis.__cellLeak = leak; globalThis.__cellServer = server;`,
];

Deno.test("interactive: notebook-cell tasks ship their helpers, constants, tasks and imports", async () => {
  await runCells(CELLS);
  const g = globalThis as Record<string, unknown>;
  const calc = g.__cellCalc as TaskDefinition;
  const leak = g.__cellLeak as TaskDefinition;
  const dir = await Deno.makeTempDir({ prefix: "interactive-cell-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const e = await remote.execute(calc, { x: 3 }, { wait: true });
    assertEquals(e.phase, "SUCCEEDED", e.error?.message);
    // Box(3).doubled = helper(3) * 2 = 60; square(3) = 9.
    assertEquals(e.outputs, { total: 69, label: "alpha0", n: 3 });

    const err = await assertRejects(
      () => remote.execute(leak, {}, { wait: true }),
      UnshippableReferenceError,
    );
    assertEquals(err.variable, "server");
    assertEquals(err.line, 3); // the line of `server` inside the task
    assertStringIncludes(err.message, "a notebook cell, line 3");
    assertStringIncludes(err.message, "Listener");
    assertStringIncludes(err.message, "Import it inside the task");
    assertStringIncludes(err.message, "pass it as an input");
    await assertRejects(
      () => remote.fetchTask("cell.leak"),
      FlyteEntityNotExistError,
    );
  } finally {
    (g.__cellServer as Deno.Listener).close();
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("interactive: a notebook task's version changes with its own code only", async () => {
  const here2 = new URL(".", import.meta.url).href;
  const define = (body: string) =>
    `const { task: task2 } = await import("${here2}../../src/sdk/mod.ts");
const { t: t2 } = await import("${here2}../../src/types/mod.ts");
globalThis.__cellA = task2({ name: "cell.a", inputs: { x: t2.int }, outputs: t2.int }, ({ x }) => x + 1);
globalThis.__cellB = task2({ name: "cell.b", inputs: { x: t2.int }, outputs: t2.int }, ({ x }) => ${body});`;
  const g = globalThis as Record<string, unknown>;
  const versions = async () => {
    const plans = await planTasks(
      [g.__cellA as TaskDefinition, g.__cellB as TaskDefinition],
      { project: "p", domain: "d" },
    );
    return Object.fromEntries(plans.map((p) => [p.def.name, p.version]));
  };
  await runCells([define("x * 2")]);
  const v1 = await versions();
  await runCells([define("x * 2")]);
  const v2 = await versions();
  await runCells([define("x * 3")]);
  const v3 = await versions();
  assertEquals(v2, v1);
  assertEquals(v3["cell.a"], v1["cell.a"]);
  assertNotEquals(v3["cell.b"], v1["cell.b"]);
});
