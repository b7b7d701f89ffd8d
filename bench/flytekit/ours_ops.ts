/**
 * This module's side of bench/flytekit: a long-lived process that connects
 * once (`FlyteRemote.forSandbox`) and runs the operations the driver sends,
 * one JSON line each on stdin, answering a line `@@bench <json>` on stdout with the
 * time of the operation alone (`{ ms }`, or `{ error }`). The mirror of
 * bench/flytekit/flytekit_ops.py.
 *
 * `deno run -A ours_ops.ts <endpoint>`; with `--once '<op json>'` it runs
 * one operation in a fresh process and also reports its RSS before and its
 * peak RSS (VmHWM), for the memory rows.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { WorkflowExecutionIdentifierSchema } from "@flyteidl/core/identifier_pb.ts";
import {
  type AnyFlyteType,
  DataTransfer,
  decodeValues,
  Duration,
  encodeValues,
  FlyteRemote,
  type RemoteTask,
  t,
  task,
  workflow,
} from "../../mod.ts";
import type { Op } from "./specs.ts";

const endpoint = Deno.args[0];
const remote = await FlyteRemote.forSandbox({ endpoint });
const tasks = new Map<string, RemoteTask>();

const Row = t.record({
  id: t.int,
  sku: t.string,
  price: t.float,
  qty: t.int,
  inStock: t.bool,
  tags: t.list(t.string),
  note: t.optional(t.string),
  when: t.datetime,
  ttl: t.duration,
}, { name: "Row" });

/** Values built outside the timed part (as the Python side does). */
function values(op: string, n: number): unknown[] {
  if (op === "ints") return Array.from({ length: n }, (_, i) => i * 7 - 3e6);
  const base = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    id: i,
    sku: `sku-${i}`,
    price: i * 0.25,
    qty: i % 17,
    inStock: i % 3 === 0,
    tags: ["a", "bb"],
    note: i % 2 ? null : "note",
    when: new Date(base + i * 1000),
    ttl: new Duration(i % 3600),
  }));
}

/** The chain of `n` tasks and its workflow (defined outside the timed part). */
function chain(n: number) {
  const steps = Array.from({ length: n }, (_, i) =>
    task(
      { name: `bench.chain.t${i}`, inputs: { x: t.int }, outputs: t.int },
      ({ x }) => x + i,
    ));
  return workflow(
    { name: `bench.chain${n}`, inputs: { x: t.int }, outputs: t.int },
    ({ x }) => {
      let y = x;
      for (const s of steps) y = s({ x: y }) as typeof x;
      return y;
    },
  );
}

async function run({ op, args }: Op): Promise<number> {
  const a = args as Record<string, never>;
  if (op === "execute") {
    let tk = tasks.get(a.version);
    if (!tk) {
      tk = await remote.fetchTask(a.name, { version: a.version });
      tasks.set(a.version, tk);
    }
    const t0 = performance.now();
    const ex = await remote.execute(tk, { x: 1 }, { wait: true });
    const ms = performance.now() - t0;
    if (ex.phase !== "SUCCEEDED") throw new Error(`execute: ${ex.phase}`);
    return ms;
  }
  if (op === "sync") {
    const id = create(WorkflowExecutionIdentifierSchema, {
      project: "flytesnacks",
      domain: "development",
      name: a.name,
    });
    const t0 = performance.now();
    const ex = await remote.syncExecution(id, {
      nodes: true,
      nodeData: a.full,
      taskExecutions: a.full,
    });
    const ms = performance.now() - t0;
    if (ex.nodeExecutions.size === 0) throw new Error("sync: no nodes");
    return ms;
  }
  if (op === "upload") {
    // A fresh DataTransfer: FlyteRemote's own remembers what it sent and
    // would not send the same file again in this process.
    const data = new DataTransfer(remote.services);
    const t0 = performance.now();
    await data.upload(a.path, {
      project: "flytesnacks",
      domain: "development",
    });
    return performance.now() - t0;
  }
  if (op === "download") {
    const t0 = performance.now();
    await remote.download(a.url, a.path, { overwrite: true });
    const ms = performance.now() - t0;
    const got = (await Deno.stat(a.path)).size;
    await Deno.remove(a.path);
    if (got !== a.bytes) throw new Error(`download: ${got} bytes`);
    return ms;
  }
  if (op === "ints" || op === "records") {
    const vars: Record<string, AnyFlyteType> = {
      xs: op === "ints" ? t.list(t.int) : t.list(Row),
    };
    const xs = values(op, a.n);
    const t0 = performance.now();
    const back = decodeValues(encodeValues({ xs }, vars), vars);
    const ms = performance.now() - t0;
    if ((back.xs as unknown[]).length !== xs.length) throw new Error(op);
    return ms;
  }
  if (op === "register") {
    const wf = chain(a.n);
    const t0 = performance.now();
    const r = await remote.register(wf, { version: a.version });
    const ms = performance.now() - t0;
    if (r.ids.length < a.n + 1) throw new Error(`register: ${r.ids.length}`);
    return ms;
  }
  throw new Error(`unknown op ${op}`);
}

function kb(field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
    Deno.readTextFileSync("/proc/self/status"),
  );
  return m ? Number(m[1]) * 1024 : 0;
}

if (Deno.args[1] === "--once") {
  const rssBefore = kb("VmRSS");
  const ms = await run(JSON.parse(Deno.args[2]));
  console.log("@@bench " + JSON.stringify({ ms, rssBefore, hwm: kb("VmHWM") }));
} else {
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let buf = "";
  for await (const chunk of lines) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let reply;
      try {
        reply = { ms: await run(JSON.parse(line)) };
      } catch (e) {
        reply = { error: e instanceof Error ? e.stack : String(e) };
      }
      console.log("@@bench " + JSON.stringify(reply));
    }
  }
}
await remote.close();
