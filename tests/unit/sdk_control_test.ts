// deno-lint-ignore-file no-explicit-any
/**
 * Local runs of the flytesnacks basics (tests/sdk_flytekit/basics.ts) and
 * the control-flow constructs: conditionals, map, gates, onFailure,
 * overrides, launch plans; and their definition errors.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { compileChecked, SCOPE } from "../helpers/sdk.ts";
import { t } from "../../src/types/mod.ts";
import {
  compileLaunchPlan,
  compileWorkflow,
  conditional,
  DefinitionError,
  launchPlan,
  map,
  runWorkflowLocally,
  sleep,
  task,
  waitForInput,
  workflow,
} from "../../src/sdk/mod.ts";
import * as b from "../sdk_flytekit/basics.ts";

Deno.test("local runs: hello, chain, sub-workflow and launch plan", async () => {
  assertEquals(await b.hello_wf(), "Hello, world!");
  assertEquals(await b.hello_wf({ name: "Deno" }), "Hello, Deno!");
  assertEquals(await b.chain_wf({ x: 1 }), "value 4");
  // sub_wf doubles, sub_lp doubles again, add_one.
  assertEquals(await b.parent_wf({ x: 3 }), 13);
  assertEquals(await b.sub_lp(), 8);
});

Deno.test("local runs: the cron launch plan, the tuned task, pod and overrides workflows", async () => {
  const at = new Date("2026-12-07T03:00:00Z");
  assertEquals(
    await b.nightly({ kickoff: at }),
    "5 at 2026-12-07T03:00:00.000Z",
  );
  // tuned adds the length of [to_text(3), "const"] to add_one(2) = 3.
  assertEquals(await b.tuned_wf({ a: 2 }), { total: 5, label: "x" });
  assertEquals(await b.overrides_wf({ x: 3 }), 12);
  Deno.env.set("GREETING", "Howdy");
  try {
    assertEquals(await b.pod_wf({ name: "deno" }), "Howdy, deno!");
  } finally {
    Deno.env.delete("GREETING");
  }
});

Deno.test("local runs: conditionals take the matching case, else, or fail", async () => {
  assertEquals(await b.cond_wf({ x: 6 }), 12);
  assertEquals(await b.cond_wf({ x: -3 }), 9);
  assertEquals(await b.cond_wf({ x: -20 }), -19);
  assertEquals(await b.cond_wf({ x: 2 }), 3);
  assertEquals(await b.cond_fail_wf({ x: 0 }), 2);
  await assertRejects(() => b.cond_fail_wf({ x: 5 }), Error, "y must be 1");
});

Deno.test("local runs: a map over 100 items", async () => {
  const xs = Array.from({ length: 100 }, (_, i) => i);
  assertEquals(await b.map_wf({ xs }), xs.map((x) => x * 2));
  const { defs } = compileChecked(b.map_wf);
  const node = defs.workflow.nodes[0];
  assert(node.target.case === "arrayNode");
  assertEquals(node.target.value.parallelismOption.value, 10);
  const mapped = defs.tasks.find((x) => x.id!.name.includes("map_double"))!;
  assertEquals(mapped.taskTypeVersion, 1);
  assertEquals(
    mapped.interface!.inputs!.variables.x.type!.type.case,
    "collectionType",
  );
});

Deno.test("local runs: a map with minSuccessRatio gives null for failed items", async () => {
  const picky = task(
    { name: "m.picky", inputs: { x: t.int }, outputs: t.int },
    ({ x }) => {
      if (x === 3) throw new Error("three");
      return x;
    },
  );
  const wf = workflow(
    {
      name: "m.partial",
      inputs: { xs: t.list(t.int) },
      outputs: t.list(t.optional(t.int)),
    },
    ({ xs }) => map(picky, { minSuccessRatio: 0.5 })({ x: xs }),
  );
  assertEquals(await wf({ xs: [1, 2, 3, 4] }), [1, 2, null, 4]);
  compileChecked(wf);
  const strict = workflow(
    { name: "m.strict", inputs: { xs: t.list(t.int) }, outputs: t.list(t.int) },
    ({ xs }) => map(picky)({ x: xs }),
  );
  await assertRejects(() => strict({ xs: [3] }), Error, "three");
});

Deno.test("local runs: gates take signals; approve passes the value through", async () => {
  assertEquals(
    await runWorkflowLocally(b.gates_wf, { x: 0 }, { signals: { extra: 4 } }),
    10,
  );
  await assertRejects(
    () => runWorkflowLocally(b.gates_wf, { x: 0 }),
    Error,
    "pass it as signals.extra",
  );
  await assertRejects(
    () =>
      runWorkflowLocally(b.gates_wf, { x: 0 }, {
        signals: { extra: 1, "approve-total": false },
      }),
    Error,
    "was not approved",
  );
  const { defs } = compileChecked(b.gates_wf);
  assertEquals(
    defs.workflow.nodes.map((n) =>
      n.target.case === "gateNode"
        ? n.target.value.condition.case
        : n.target.case
    ),
    ["sleep", "signal", "taskNode", "approve", "taskNode"],
  );
  assertEquals(defs.workflow.nodes[2].upstreamNodeIds, ["n1", "n0"]);
});

Deno.test("local runs: onFailure runs the handler with the workflow's inputs", async () => {
  const seen: number[] = [];
  const handler = task({ name: "m.handler", inputs: { x: t.int } }, ({ x }) => {
    seen.push(x);
  });
  const boom = task(
    { name: "m.boom", inputs: { x: t.int }, outputs: t.int },
    () => {
      throw new Error("boom");
    },
  );
  const wf = workflow(
    {
      name: "m.guarded",
      inputs: { x: t.int },
      outputs: t.int,
      onFailure: handler,
      failurePolicy: "failAfterExecutableNodesComplete",
    },
    ({ x }) => boom({ x }),
  );
  await assertRejects(() => wf({ x: 7 }), Error, "boom");
  assertEquals(seen, [7]);
  const { defs } = compileChecked(wf);
  assertEquals(defs.workflow.failureNode?.id, "fn0");
  assertEquals(defs.workflow.metadata?.onFailure, 1);
  await assertRejects(() => b.failing_wf({ x: 1 }), Error, "fails on 1");
  assertEquals(await b.failing_wf({ x: -1 }), -1);
});

Deno.test("withOverrides: name, retries, timeout, resources, cache, interruptible", () => {
  const wf = workflow(
    { name: "m.over", inputs: { x: t.int }, outputs: t.int },
    ({ x }) =>
      b.double({ x }).withOverrides({
        name: "big",
        retries: 2,
        timeout: "10m",
        resources: { limits: { mem: "2Gi" } },
        cache: { version: "3" },
        interruptible: true,
      }),
  );
  const { defs } = compileChecked(wf);
  const n = defs.workflow.nodes[0];
  assertEquals(n.metadata?.name, "big");
  assertEquals(n.metadata?.retries?.retries, 2);
  assertEquals(n.metadata?.timeout?.seconds, 600n);
  assertEquals(n.metadata?.interruptibleValue.value, true);
  assertEquals(n.metadata?.cacheVersionValue.value, "3");
  assert(n.target.case === "taskNode");
  assertEquals(n.target.value.overrides?.resources?.limits[0].value, "2Gi");
});

Deno.test("launch plans: fixed inputs, schedule by rate, labels; local run", async () => {
  const lp = launchPlan(b.report_wf, {
    name: "m.hourly",
    schedule: { rate: { value: 1, unit: "hour" }, kickoffTimeInput: "kickoff" },
    fixedInputs: { n: 2 },
    labels: { team: "x" },
    notifications: [{ phases: ["FAILED"], email: ["a@example.com"] }],
    maxParallelism: 4,
  });
  const c = compileLaunchPlan(lp, SCOPE);
  assertEquals(Object.keys(c.spec.defaultInputs!.parameters), ["kickoff"]);
  assertEquals(c.spec.fixedInputs!.literals.n.value.case, "scalar");
  assertEquals(
    c.spec.entityMetadata?.schedule?.ScheduleExpression.case,
    "rate",
  );
  assertEquals(c.spec.labels?.values, { team: "x" });
  assertEquals(c.spec.maxParallelism, 4);
  assertEquals(c.spec.entityMetadata?.notifications.length, 1);
  const at = new Date("2026-01-02T03:04:05Z");
  assertEquals(await lp({ kickoff: at }), "2 at 2026-01-02T03:04:05.000Z");
});

Deno.test("definition errors: conditionals, gates and maps name the place", () => {
  const noElse = assertThrows(
    () =>
      workflow(
        { name: "e.noelse", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => {
          conditional("c").if(x.gt(1)).then(b.double({ x })) as any;
          return x;
        },
      ),
    DefinitionError,
  );
  assertEquals(
    noElse.message,
    "workflow e.noelse: conditional c is not finished: it needs .else().then(...) or .else().fail(...)",
  );
  const twoCalls = assertThrows(
    () =>
      workflow(
        { name: "e.two", inputs: { x: t.int }, outputs: t.int },
        ({ x }) =>
          conditional("c")
            .if(x.gt(1)).then((b.double({ x }), b.square({ x })))
            .else().fail("no"),
      ),
    DefinitionError,
  );
  assertEquals(
    twoCalls.message,
    "workflow e.two: conditional c: case 1 must make exactly one call (a task, workflow or launch plan), made 2",
  );
  const mismatch = assertThrows(
    () =>
      workflow(
        { name: "e.mix", inputs: { x: t.int }, outputs: t.int },
        ({ x }) =>
          conditional("c")
            .if(x.gt(1)).then(b.double({ x }))
            .else().then(b.to_text({ x }) as any),
      ),
    DefinitionError,
  );
  assert(
    mismatch.message.startsWith(
      "workflow e.mix: conditional c: every case must give the same outputs",
    ),
    mismatch.message,
  );
  const escaped = assertThrows(
    () =>
      workflow(
        { name: "e.escape", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => {
          let inner: unknown;
          conditional("c")
            .if(x.gt(1)).then(inner = b.double({ x }))
            .else().fail("no");
          return b.double({ x: inner as never });
        },
      ),
    DefinitionError,
  );
  assertEquals(
    escaped.message,
    "workflow e.escape: node n1 (double) input x uses a reference (n0.o0) made inside a conditional case; use the conditional's result instead",
  );
  const outside = assertThrows(() => conditional("c"), DefinitionError);
  assertEquals(
    outside.message,
    "conditional c: is used outside a workflow body",
  );
  assertThrows(
    () => sleep("1s"),
    DefinitionError,
    "sleep: is used outside a workflow body",
  );
  const badDuration = assertThrows(
    () =>
      workflow({ name: "e.sleep" }, () => {
        sleep("soon");
      }),
    DefinitionError,
  );
  assertEquals(
    badDuration.message,
    'sleep: duration: cannot read the duration "soon" (use e.g. "90s", "1h30m")',
  );
  const badRatio = assertThrows(
    () => map(b.double, { minSuccessRatio: 2 }),
    DefinitionError,
  );
  assertEquals(
    badRatio.message,
    "map basics.double: minSuccessRatio must be between 0 and 1, got 2",
  );
  const gateType = assertThrows(
    () =>
      workflow(
        { name: "e.gate", outputs: t.int },
        () => b.double({ x: waitForInput("s", { type: t.string }) as any }),
      ),
    DefinitionError,
  );
  assertEquals(
    gateType.message,
    "workflow e.gate: node n1 (double) input x expects int, got string from n0.o0",
  );
  const lpBad = assertThrows(
    () => launchPlan(b.sub_wf, { name: "e.lp", fixedInputs: { y: 1 } as any }),
    DefinitionError,
  );
  assertEquals(
    lpBad.message,
    "launch plan e.lp: sets input y, which workflow basics.sub_wf does not have",
  );
  const cronNeeds = assertThrows(
    () =>
      launchPlan(b.sub_wf, { name: "e.cron", schedule: { cron: "* * * * *" } }),
    DefinitionError,
  );
  assertEquals(
    cronNeeds.message,
    "launch plan e.cron: a scheduled launch plan needs a value for input x (a default or a fixed input)",
  );
});

Deno.test("conditionals: upstream of the branch and of its cases, as flytekit sets them", () => {
  const { defs } = compileChecked(b.cond_fail_wf);
  const [n0, n1] = defs.workflow.nodes;
  assertEquals(n0.id, "n0");
  assertEquals(n1.id, "n1");
  assertEquals(n1.upstreamNodeIds, ["n0"]);
  assert(n1.target.case === "branchNode");
  assertEquals(n1.inputs.map((i) => i.var), ["n0.o0"]);
  // compileWorkflow is pure: compiling twice gives the same template.
  assertEquals(
    compileWorkflow(b.cond_wf, SCOPE).workflow,
    compileWorkflow(b.cond_wf, SCOPE).workflow,
  );
});

Deno.test("local runs: optional inputs default to null", async () => {
  assertEquals(await b.optional_wf({ a: 2 }), 2);
  assertEquals(await b.optional_wf({ a: 2, c: 3 }), 5);
});

Deno.test("local runs: a map of references and constants", async () => {
  assertEquals(await b.dict_wf({ x: 3 }), 4 + 2 + 3);
});

Deno.test("local runs: nested conditionals", async () => {
  assertEquals(await b.nested_wf({ x: 6 }), 144);
  assertEquals(await b.nested_wf({ x: 2 }), 8);
  assertEquals(await b.nested_wf({ x: -3 }), 9);
  assertEquals(await b.case_deps_wf({ x: 3 }), 36);
});

Deno.test("conditionals: a cycle through a case's dependency is found", () => {
  const e = assertThrows(
    () =>
      workflow(
        { name: "e.casecycle", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => {
          const y = b.double({ x });
          const pick = conditional("pick")
            .if(x.gt(0)).then(b.square({ x: y }))
            .else().then(b.double({ x }));
          pick.runsBefore(y);
          return pick;
        },
      ),
    DefinitionError,
  );
  assertEquals(
    e.message,
    "workflow e.casecycle: the nodes form a cycle: n0 (double) -> n1 (pick) -> n0 (double)",
  );
});
