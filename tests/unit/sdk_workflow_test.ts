// deno-lint-ignore-file no-explicit-any
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { compileChecked } from "../helpers/sdk.ts";
import { t, TypeTransformError } from "../../src/types/mod.ts";
import { DefinitionError, task, workflow } from "../../src/sdk/mod.ts";

const add = task(
  { name: "flows.add", inputs: { a: t.int, b: t.int }, outputs: t.int },
  ({ a, b }) => a + b,
);
const show = task(
  { name: "flows.show", inputs: { n: t.int }, outputs: t.string },
  ({ n }) => `n=${n}`,
);

Deno.test("workflow: a chain of three tasks compiles with n0.. ids and passes the sandbox compiler", async () => {
  const chain = workflow(
    {
      name: "flows.chain",
      inputs: { x: t.int },
      outputs: t.string,
      defaults: { x: 3 },
    },
    ({ x }) => {
      const a = add({ a: x, b: 1 });
      const b = add({ a, b: 2 });
      return show({ n: b });
    },
  );
  const { defs, closure } = compileChecked(chain);
  const w = defs.workflow;
  assertEquals(w.nodes.map((n) => n.id), ["n0", "n1", "n2"]);
  assertEquals(w.nodes.map((n) => n.metadata?.name), ["add", "add", "show"]);
  assertEquals(w.nodes.map((n) => n.upstreamNodeIds), [[], ["n0"], ["n1"]]);
  assertEquals(defs.tasks.map((x) => x.id?.name), ["flows.add", "flows.show"]);
  assertEquals(chain.tasks().map((x) => x.name), ["flows.add", "flows.show"]);
  assert(closure.primary?.connections?.downstream["start-node"] !== undefined);
  assertEquals(await chain({ x: 1 }), "n=4");
  assertEquals(await chain(), "n=6");
});

Deno.test("workflow: named outputs, constants, lists of references", async () => {
  const sum = task(
    { name: "flows.sum", inputs: { xs: t.list(t.int) }, outputs: t.int },
    ({ xs }) => xs.reduce((a, b) => a + b, 0),
  );
  const wf = workflow(
    {
      name: "flows.lists",
      inputs: { x: t.int },
      outputs: { total: t.int, label: t.string },
    },
    ({ x }) => {
      const a = add({ a: x, b: 10 });
      const total = sum({ xs: [a, x, 5] });
      return { total, label: show({ n: total }) };
    },
  );
  const { defs } = compileChecked(wf);
  const b = defs.workflow.nodes[1].inputs[0].binding?.value;
  assert(b?.case === "collection");
  assertEquals(b.value.bindings.map((x) => x.value.case), [
    "promise",
    "promise",
    "scalar",
  ]);
  assertEquals(await wf({ x: 1 }), { total: 17, label: "n=17" });
});

Deno.test("workflow: sub-workflows compile innermost first and run locally", async () => {
  const inner = workflow(
    { name: "flows.inner", inputs: { x: t.int }, outputs: t.int },
    ({ x }) => add({ a: x, b: x }),
  );
  const outer = workflow(
    { name: "flows.outer", inputs: { x: t.int }, outputs: t.int },
    ({ x }) => add({ a: inner({ x }), b: 1 }),
  );
  const { defs } = compileChecked(outer);
  assertEquals(defs.subWorkflows.map((s) => s.id?.name), ["flows.inner"]);
  const n0 = defs.workflow.nodes[0];
  assertEquals(n0.target.case, "workflowNode");
  assertEquals(await outer({ x: 2 }), 5);
});

Deno.test("workflow: runsBefore orders nodes; await in a body is refused", () => {
  const wf = workflow(
    { name: "flows.ordered", inputs: { x: t.int } },
    ({ x }) => {
      const a = show({ n: x });
      const b = show({ n: x });
      b.runsBefore(a);
    },
  );
  const { defs } = compileChecked(wf);
  assertEquals(defs.workflow.nodes.map((n) => n.upstreamNodeIds), [["n1"], []]);
  const e = assertThrows(
    () =>
      workflow(
        { name: "flows.awaits", inputs: { x: t.int } },
        (async ({ x }: any) => {
          await show({ n: x });
        }) as any,
      ),
    DefinitionError,
  );
  assert(e.message.includes("the body returned a promise"), e.message);
  const e2 = assertThrows(
    () =>
      workflow({ name: "flows.thens", inputs: { x: t.int } }, ({ x }) => {
        show({ n: x }).then(() => {});
      }),
    DefinitionError,
  );
  assert(e2.message.includes("do not await calls"), e2.message);
});

Deno.test("workflow: definition errors name the place", () => {
  const e1 = assertThrows(
    () =>
      workflow(
        { name: "wf", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => {
          const s = show({ n: x });
          return add({ a: x, b: s as any });
        },
      ),
    DefinitionError,
  );
  assertEquals(
    e1.message,
    "workflow wf: node n1 (add) input b expects int, got string from n0.o0",
  );
  const e2 = assertThrows(
    () =>
      workflow({ name: "wf2", inputs: { x: t.int } }, ({ x }) => {
        add({ a: x, c: 1 } as any);
      }),
    DefinitionError,
  );
  assertEquals(
    e2.message,
    "workflow wf2: node n0 (add) has no input c (its inputs: a, b)",
  );
  const e3 = assertThrows(
    () =>
      workflow({ name: "wf3", inputs: { x: t.int } }, ({ x }) => {
        add({ a: x } as any);
      }),
    DefinitionError,
  );
  assertEquals(
    e3.message,
    "workflow wf3: node n0 (add) input b (int) is missing",
  );
  const e4 = assertThrows(
    () =>
      workflow({
        name: "wf4",
        inputs: { x: t.int },
        outputs: { a: t.int, b: t.int },
      }, ({ x }) => ({ a: x }) as any),
    DefinitionError,
  );
  assertEquals(e4.message, "workflow wf4: output b is never bound");
  let leaked: unknown;
  workflow({ name: "wf5", inputs: { x: t.int } }, ({ x }) => {
    leaked = add({ a: x, b: 1 });
  });
  const e5 = assertThrows(
    () =>
      workflow({ name: "wf6", inputs: { x: t.int } }, ({ x }) => {
        add({ a: x, b: leaked as any });
      }),
    DefinitionError,
  );
  assertEquals(
    e5.message,
    "workflow wf6: node n0 (add) input b uses a reference (n0.o0) from workflow wf5; references are valid only inside the workflow that made them",
  );
  const e6 = assertThrows(
    () =>
      workflow({ name: "wf7", inputs: { x: t.int } }, ({ x }) => {
        const a = show({ n: x });
        const b = show({ n: x });
        a.runsBefore(b);
        b.runsBefore(a);
      }),
    DefinitionError,
  );
  assertEquals(
    e6.message,
    "workflow wf7: the nodes form a cycle: n0 (show) -> n1 (show) -> n0 (show)",
  );
  const e7 = assertThrows(
    () =>
      workflow({ name: "wf8", inputs: { x: t.int } }, ({ x }) => {
        add({ a: x, b: "two" as any });
      }),
    DefinitionError,
  );
  assert(
    e7.message.startsWith("workflow wf8: node n0 (add) input b: "),
    e7.message,
  );
});

Deno.test("workflow calls: inputs with defaults may be left out, others may not (types)", async () => {
  const wf = workflow(
    {
      name: "flows.defaults",
      inputs: { a: t.int, b: t.int },
      outputs: t.int,
      defaults: { b: 5 },
    },
    ({ a, b }) => add({ a, b }),
  );
  assertEquals(await wf({ a: 1 }), 6);
  const typeChecks = () => {
    // @ts-expect-error a has no default
    wf({ b: 1 });
    // @ts-expect-error an input of the wrong type
    wf({ a: "1" });
  };
  assert(typeof typeChecks === "function");
  await assertRejects(() => wf({} as never), TypeTransformError);
});

Deno.test("definition errors: references leaking into local runs, undeclared outputs, bad defaults", async () => {
  let leaked: unknown;
  workflow({ name: "wf.leak", inputs: { x: t.int } }, ({ x }) => {
    leaked = x;
  });
  await assertRejects(
    () => add({ a: leaked as never, b: 1 }),
    DefinitionError,
    "task flows.add: called outside a workflow with a workflow reference",
  );
  const e1 = assertThrows(
    () =>
      workflow(
        { name: "wf.extra", inputs: { x: t.int } },
        ({ x }) => add({ a: x, b: 1 }) as any,
      ),
    DefinitionError,
  );
  assertEquals(
    e1.message,
    "workflow wf.extra: the body returns a value but the workflow declares no outputs",
  );
  const e2 = assertThrows(
    () =>
      workflow(
        {
          name: "wf.baddefault",
          inputs: { x: t.int },
          defaults: { y: 1 } as any,
        },
        ({ x }) => {
          show({ n: x });
        },
      ),
    DefinitionError,
  );
  assertEquals(
    e2.message,
    "workflow wf.baddefault: defaults name y, which is not an input",
  );
  const e3 = assertThrows(
    () =>
      workflow(
        { name: "wf.extraout", inputs: { x: t.int }, outputs: { a: t.int } },
        ({ x }) => ({ a: x, b: x }) as any,
      ),
    DefinitionError,
  );
  assertEquals(
    e3.message,
    "workflow wf.extraout: the body returns b, which is not a declared output",
  );
});

Deno.test("reference: registered entities as nodes; not callable outside a workflow", async () => {
  const { compileWorkflow, map, reference } = await import(
    "../../src/sdk/mod.ts"
  );
  const { SCOPE } = await import("../helpers/sdk.ts");
  const remoteTask = reference({
    kind: "task",
    id: {
      project: "flytesnacks",
      domain: "development",
      name: "py.inc",
      version: "v7",
    },
    interface: compileWorkflow(
      workflow(
        { name: "ref.shape", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => add({ a: x, b: 1 }),
      ),
      SCOPE,
    ).workflow.interface,
  });
  assertEquals(Object.keys(remoteTask.inputs), ["x"]);
  const wf = workflow(
    { name: "ref.user", inputs: { x: t.int }, outputs: t.int },
    ({ x }) => add({ a: remoteTask({ x }), b: 1 }),
  );
  const c = compileWorkflow(wf, SCOPE);
  const n0 = c.workflow.nodes[0];
  assert(n0.target.case === "taskNode");
  assert(n0.target.value.reference.case === "referenceId");
  assertEquals(n0.target.value.reference.value.name, "py.inc");
  assertEquals(n0.target.value.reference.value.version, "v7");
  assertEquals(c.references.map((r) => r.name), ["py.inc"]);
  assertEquals(c.tasks.map((x) => x.id!.name), ["flows.add"]);
  assertThrows(
    () => remoteTask({ x: 1 }),
    DefinitionError,
    "call it inside a workflow body",
  );
  await assertRejects(
    () => wf({ x: 1 }),
    DefinitionError,
    "cannot run locally",
  );
  const mapped = workflow(
    {
      name: "ref.mapped",
      inputs: { xs: t.list(t.int) },
      outputs: t.list(t.int),
    },
    ({ xs }) => map(remoteTask)({ x: xs }),
  );
  assertThrows(
    () => compileWorkflow(mapped, SCOPE),
    DefinitionError,
    "map py.inc: mapping a registered task needs its template",
  );
});
