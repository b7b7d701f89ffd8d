/**
 * Engine benchmarks (issue 5): a trivial task execution from launch to
 * SUCCEEDED; 100 executions of a three-node workflow submitted at once
 * (throughput printed); a 1,000-item map. Events go to the in-process
 * recorder of the engine tests (router transport), so these measure the
 * engine, not the admin server.
 *
 * Run: deno bench -A bench/engine_bench.ts
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import { WorkflowExecution_Phase as WfPhase } from "@flyteidl/core/execution_pb.ts";
import {
  closure,
  int,
  ints,
  lmap,
  Recorder,
  taskNode,
  writeProgram,
} from "../tests/integration/engine_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "engine-bench-" });
const program = await writeProgram(dir);
const rec = new Recorder(dir);
await rec.startEngine({ pollIntervalMs: 20 });

// A precomputed outputs.pb {o0: 1}; "sh" tasks copy it to their output prefix,
// so the process itself costs little and the engine's overhead shows.
const pre = `${dir}/o0.pb`;
await Deno.writeFile(pre, toBinary(LiteralMapSchema, lmap({ o0: int(1) })));
const shCopy = [
  "sh",
  "-c",
  `d="\${1#file://}"; mkdir -p "$d" && cp ${pre} "$d/outputs.pb"`,
  "sh",
  "{{.outputPrefix}}",
];
const sh = (name: string, inputs: string[] = []) => ({
  name,
  op: "",
  inputs,
  command: shCopy,
});

let seq = 0;
async function runOne(name: string, c: ReturnType<typeof closure>) {
  await rec.launch(name, c, lmap({}));
  const phase = await rec.finished(name, 600_000);
  if (phase !== WfPhase.SUCCEEDED) {
    throw new Error(`${name}: ${rec.errors.get(name)}`);
  }
}

const trivialSh = closure(program, [sh("t")], [taskNode("n0", "t", {})], {
  o: "n0.o0",
});
const trivialDeno = closure(
  program,
  [{ name: "inc", op: "inc", inputs: ["x"] }],
  [taskNode("n0", "inc", { x: 1 })],
  { o: "n0.o0" },
);
const three = closure(
  program,
  [sh("a", ["x"])],
  [
    taskNode("n0", "a", { x: 1 }),
    taskNode("n1", "a", { x: "n0.o0" }),
    taskNode("n2", "a", { x: "n1.o0" }),
  ],
  { o: "n2.o0" },
);
const map1000 = closure(
  program,
  [{ ...sh("m", ["x"]), listInputs: ["x"] }],
  [create(NodeSchema, {
    id: "n0",
    inputs: [{
      var: "x",
      binding: {
        value: { case: "promise", value: { nodeId: "start-node", var: "xs" } },
      },
    }],
    target: {
      case: "arrayNode",
      value: {
        node: taskNode("n0-sub", "m", { x: "start-node.xs" }),
        parallelismOption: { case: "parallelism", value: 32 },
      },
    },
  })],
  { o: "n0.o0" },
  { inputs: ["xs"] },
);

Deno.bench({
  name: "trivial task execution, launch → SUCCEEDED (sh task)",
  warmup: 2,
  n: 20,
  fn: async () => await runOne(`t${seq++}`, trivialSh),
});

Deno.bench({
  name:
    "trivial task execution, launch → SUCCEEDED (deno task reading inputs.pb)",
  warmup: 2,
  n: 10,
  fn: async () => await runOne(`d${seq++}`, trivialDeno),
});

Deno.bench({
  name: "100 three-node executions submitted at once",
  n: 1,
  warmup: 0,
  fn: async () => {
    const t0 = performance.now();
    const names = Array.from({ length: 100 }, () => `h${seq++}`);
    await Promise.all(names.map((n) => rec.launch(n, three, lmap({}))));
    await Promise.all(names.map(async (n) => {
      if ((await rec.finished(n, 600_000)) !== WfPhase.SUCCEEDED) {
        throw new Error(`${n} failed: ${rec.errors.get(n)}`);
      }
    }));
    const s = (performance.now() - t0) / 1000;
    console.log(
      `100 executions in ${s.toFixed(2)} s: ${
        (100 / s).toFixed(1)
      } executions/s`,
    );
  },
});

Deno.bench({
  name: "1,000-item map (parallelism 32, sh tasks)",
  n: 1,
  warmup: 0,
  fn: async () => {
    const name = `m${seq++}`;
    await rec.launch(
      name,
      map1000,
      lmap({ xs: ints(Array.from({ length: 1000 }, (_, i) => i)) }),
    );
    if ((await rec.finished(name, 600_000)) !== WfPhase.SUCCEEDED) {
      throw new Error(`${name}: ${rec.errors.get(name)}`);
    }
  },
});

addEventListener("unload", () => {
  rec.engine?.close();
});
