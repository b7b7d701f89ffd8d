/**
 * The flytesnacks basics written with src/sdk: the same workflows as
 * basics.py (flytekit), named by default naming (`basics.<const>`), so
 * tests/unit/sdk_flytekit_test.ts can compare what both compile to.
 *
 * @module
 */
import { t } from "../../src/types/mod.ts";
import {
  approve,
  conditional,
  launchPlan,
  map,
  sleep,
  task,
  waitForInput,
  workflow,
} from "../../src/sdk/mod.ts";

export const say_hello = task(
  { inputs: { name: t.string }, outputs: t.string },
  ({ name }) => `Hello, ${name}!`,
);

export const hello_wf = workflow(
  {
    inputs: { name: t.string },
    outputs: t.string,
    defaults: { name: "world" },
  },
  ({ name }) => say_hello({ name }),
);

export const add_one = task(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => x + 1,
);
export const double = task(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => x * 2,
);
export const square = task(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => x * x,
);
export const to_text = task(
  { inputs: { x: t.int }, outputs: t.string },
  ({ x }) => `value ${x}`,
);

export const chain_wf = workflow(
  { inputs: { x: t.int }, outputs: t.string },
  ({ x }) => to_text({ x: double({ x: add_one({ x }) }) }),
);

export const sub_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => double({ x }),
);

export const sub_lp = launchPlan(sub_wf, {
  name: "basics.sub_lp",
  defaultInputs: { x: 4 },
});

export const parent_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    const a = sub_wf({ x });
    const b = sub_lp({ x: a });
    return add_one({ x: b }).withOverrides({ name: "last", retries: 3 });
  },
);

export const cond_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) =>
    conditional("sign")
      .if(x.gt(5)).then(double({ x }))
      .elif(x.lt(0).and(x.gt(-10))).then(square({ x }))
      .else().then(add_one({ x })),
);

export const cond_fail_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    const y = add_one({ x });
    return conditional("check")
      .if(y.eq(1)).then(double({ x: y }))
      .else().fail("y must be 1");
  },
);

export const map_wf = workflow(
  { inputs: { xs: t.list(t.int) }, outputs: t.list(t.int) },
  ({ xs }) => map(double, { concurrency: 10 })({ x: xs }),
);

export const gates_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  () => {
    const s = sleep("5s");
    const n = waitForInput("extra", { type: t.int, timeout: "1h" });
    const total = add_one({ x: n });
    s.runsBefore(total);
    const ok = approve(total, "approve-total", { timeout: "2h" });
    return double({ x: ok });
  },
);

export const cleanup = task(
  { inputs: { x: t.int } },
  ({ x }) => {
    console.log(`cleaning up after ${x}`);
  },
);

export const fails = task(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    if (x >= 0) throw new Error(`fails on ${x}`);
    return x;
  },
);

export const failing_wf = workflow(
  {
    inputs: { x: t.int },
    outputs: t.int,
    onFailure: cleanup,
    failurePolicy: "failAfterExecutableNodesComplete",
  },
  ({ x }) => fails({ x }),
);

export const report = task(
  { inputs: { kickoff: t.datetime, n: t.int }, outputs: t.string },
  ({ kickoff, n }) => `${n} at ${kickoff.toISOString()}`,
);

export const report_wf = workflow(
  { inputs: { kickoff: t.datetime, n: t.int }, outputs: t.string },
  ({ kickoff, n }) => report({ kickoff, n }),
);

export const nightly = launchPlan(report_wf, {
  name: "basics.nightly",
  schedule: { cron: "0 3 * * *", kickoffTimeInput: "kickoff" },
  defaultInputs: { n: 5 },
});

export const tuned = task(
  {
    inputs: { a: t.int, b: t.list(t.string) },
    outputs: { total: t.int, label: t.string },
    retries: 2,
    cache: true,
    cacheVersion: "1.0",
    cacheSerialize: true,
    cacheIgnoreInputVars: ["b"],
    timeout: "5m",
    interruptible: true,
    resources: {
      requests: { cpu: "1", mem: "1Gi" },
      limits: { mem: "2Gi", ephemeralStorage: "10Gi" },
    },
    environment: { MODE: "fast" },
    secretRequests: [{ group: "db", key: "password", mount: "env" }],
    deprecated: "use add_one",
  },
  ({ a, b }) => ({ total: b.length + a, label: "x" }),
);

export const tuned_wf = workflow(
  { inputs: { a: t.int }, outputs: { total: t.int, label: t.string } },
  ({ a }) => {
    const first = add_one({ x: a });
    const out = tuned({ a: first, b: [to_text({ x: first }), "const"] });
    return { total: out.total, label: out.label };
  },
);

export const pod_greet = task(
  {
    inputs: { name: t.string },
    outputs: t.string,
    podTemplate: {
      primaryContainerName: "main",
      labels: { team: "a" },
      podSpec: {
        containers: [
          { name: "main", env: [{ name: "GREETING", value: "Howdy" }] },
          { name: "sidecar", image: "busybox", command: ["sleep", "3600"] },
        ],
      },
    },
    resources: { requests: { cpu: "1" } },
    environment: { A: "b" },
  },
  ({ name }) => `${Deno.env.get("GREETING")}, ${name}!`,
);

export const pod_wf = workflow(
  { inputs: { name: t.string }, outputs: t.string },
  ({ name }) => pod_greet({ name }),
);

export const overrides_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    const a = double({ x }).withOverrides({
      resources: { limits: { mem: "2Gi", cpu: "2" }, requests: { cpu: "1" } },
      timeout: "10m",
      interruptible: true,
    });
    return double({ x: a }).withOverrides({
      cache: { version: "3", serialize: true },
    });
  },
);

export const tuned_lp = launchPlan(report_wf, {
  name: "basics.tuned_lp",
  schedule: { rate: { value: 2, unit: "hour" }, kickoffTimeInput: "kickoff" },
  fixedInputs: { n: 7 },
  notifications: [{ phases: ["FAILED"], email: ["a@example.com"] }],
  labels: { team: "data" },
  annotations: { note: "x" },
  rawOutputDataPrefix: "s3://bucket/raw",
  maxParallelism: 4,
  securityContext: { serviceAccount: "runner" },
});

export const maybe_add = task(
  { inputs: { a: t.int, b: t.optional(t.int) }, outputs: t.int },
  ({ a, b }) => a + (b ?? 0),
);

export const optional_wf = workflow(
  { inputs: { a: t.int, c: t.optional(t.int) }, outputs: t.int },
  ({ a, c }) => maybe_add({ a: maybe_add({ a }), b: c }),
);

export const sum_values = task(
  { inputs: { m: t.map(t.int) }, outputs: t.int },
  ({ m }) => Object.values(m).reduce((a, b) => a + b, 0),
);

export const dict_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => sum_values({ m: { a: add_one({ x }), b: 2, c: x } }),
);

export const nested_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    const y = double({ x });
    return conditional("outer")
      .if(x.gt(0)).then(
        conditional("inner")
          .if(y.gt(10)).then(square({ x: y }))
          .else().then(double({ x: y })),
      )
      .else().then(square({ x }));
  },
);

export const case_deps_wf = workflow(
  { inputs: { x: t.int }, outputs: t.int },
  ({ x }) => {
    const y = double({ x });
    return conditional("pick")
      .if(x.gt(0)).then(square({ x: y }))
      .else().then(double({ x }));
  },
);
