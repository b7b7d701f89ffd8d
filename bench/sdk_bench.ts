/**
 * Authoring benchmark (issue 10): define a 1,000-node workflow with src/sdk
 * (a chain of 1,000 task calls, each binding the previous node's output and
 * a constant) and compile it to flyteidl templates; aim under 100 ms.
 * `deno bench -A bench/sdk_bench.ts`, or `deno run -A bench/sdk_bench.ts`
 * for the median of 21 runs of each stage and the load average.
 *
 * @module
 */
import { loadavg } from "node:os";
import { t } from "../src/types/mod.ts";
import { compileWorkflow, task, workflow } from "../src/sdk/mod.ts";

const add = task(
  { name: "bench.add", inputs: { a: t.int, b: t.int }, outputs: t.int },
  ({ a, b }) => a + b,
);

let runs = 0;
function define(n: number) {
  return workflow(
    { name: `bench.chain${runs++}`, inputs: { x: t.int }, outputs: t.int },
    ({ x }) => {
      let v = add({ a: x, b: 0 });
      for (let i = 1; i < n; i++) v = add({ a: v, b: i });
      return v;
    },
  );
}

const SCOPE = { project: "p", domain: "d", version: "v1" };

Deno.bench("sdk: define a 1,000-node workflow", () => {
  define(1000);
});

Deno.bench("sdk: define + compile a 1,000-node workflow", () => {
  const c = compileWorkflow(define(1000), SCOPE);
  if (c.workflow.nodes.length !== 1000) throw new Error("wrong node count");
});

if (import.meta.main) {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const d: number[] = [], c: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const wf = define(1000);
    const t1 = performance.now();
    compileWorkflow(wf, SCOPE);
    const t2 = performance.now();
    d.push(t1 - t0);
    c.push(t2 - t1);
  }
  console.log(
    `define ${median(d).toFixed(1)} ms, compile ${
      median(c).toFixed(1)
    } ms (medians of 21), load ${loadavg()[0].toFixed(2)}`,
  );
}
