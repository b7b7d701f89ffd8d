/**
 * Type engine benchmarks (issue 3): a list of 1,000,000 ints and a list of
 * 100,000 records, each converted to a LiteralMap, encoded, decoded and
 * converted back. `deno bench -A bench/types_bench.ts` for the totals;
 * `deno run -A bench/types_bench.ts` prints a per-stage breakdown and MB/s.
 *
 * Three pipelines: "fast" (toLiteralMap, encodeLiteralMap, decodeLiteralMap,
 * fromLiteralMap), "protobuf-es" (the same with toBinary / fromBinary) and
 * "direct" (encodeValues / decodeValues: values straight to bytes and back).
 *
 * Before/after in one run: export an older src/types and pass its folder,
 * e.g. `git archive <rev> src/types | tar -x -C /tmp/before` then
 * `deno run -A bench/types_bench.ts --before=/tmp/before/src/types`. The
 * old and new pipelines then run interleaved (so both see the same load),
 * their outputs are checked byte for byte and value for value, and the
 * medians are printed as a markdown table with the load average.
 *
 * @module
 */
import process from "node:process";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { isDeepStrictEqual } from "node:util";
import { loadavg } from "node:os";
import * as after from "../src/types/mod.ts";
import {
  decodeLiteralMap,
  decodeValues,
  Duration,
  encodeLiteralMap,
  encodeValues,
  fromLiteralMap,
  t,
  toLiteralMap,
} from "../src/types/mod.ts";

const N_INTS = 1_000_000;
const N_RECORDS = 100_000;

const ints = Array.from({ length: N_INTS }, (_, i) => i * 7 - 3_000_000);
const intVars = { xs: t.list(t.int) };

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
const recordVars = { rows: t.list(Row) };
const base = Date.UTC(2024, 0, 1);
const rows = Array.from({ length: N_RECORDS }, (_, i) => ({
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

type Vars = Record<string, ReturnType<typeof t.list>>;

/** The two codecs: our fast one and protobuf-es's reflective one. */
const codecs = {
  fast: {
    encode: encodeLiteralMap,
    decode: decodeLiteralMap,
  },
  "protobuf-es": {
    encode: (m: Parameters<typeof encodeLiteralMap>[0]) =>
      toBinary(LiteralMapSchema, m),
    decode: (b: Uint8Array) => fromBinary(LiteralMapSchema, b),
  },
};

function pipeline(
  values: Record<string, unknown>,
  vars: Vars,
  codec: keyof typeof codecs,
) {
  const map = toLiteralMap(values as never, vars);
  const bytes = codecs[codec].encode(map);
  return fromLiteralMap(codecs[codec].decode(bytes), vars);
}

function direct(values: Record<string, unknown>, vars: Vars) {
  return decodeValues(encodeValues(values as never, vars), vars);
}

Deno.bench({
  name: "1,000,000 ints: encodeValues, decodeValues (direct)",
  group: "ints",
  n: 5,
  warmup: 1,
  fn: () => {
    direct({ xs: ints }, intVars);
  },
});
Deno.bench({
  name: "100,000 records: encodeValues, decodeValues (direct)",
  group: "records",
  n: 5,
  warmup: 1,
  fn: () => {
    direct({ rows }, recordVars);
  },
});

for (const codec of ["fast", "protobuf-es"] as const) {
  Deno.bench({
    name: `1,000,000 ints: to LiteralMap, encode, decode, back (${codec})`,
    group: "ints",
    n: 5,
    warmup: 1,
    fn: () => {
      pipeline({ xs: ints }, intVars, codec);
    },
  });
  Deno.bench({
    name: `100,000 records: to LiteralMap, encode, decode, back (${codec})`,
    group: "records",
    n: 5,
    warmup: 1,
    fn: () => {
      pipeline({ rows }, recordVars, codec);
    },
  });
}

function stages(
  label: string,
  values: Record<string, unknown>,
  vars: Vars,
  check: (back: Record<string, unknown>) => void,
  codec: keyof typeof codecs,
) {
  const runs = 5;
  const times = { to: 0, encode: 0, decode: 0, back: 0 };
  let size = 0;
  let cpu = 0;
  for (let r = 0; r <= runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    // Sender and receiver are different processes in real use: each stage
    // drops what the next one does not need, so the heap (and GC work) is
    // what one side would hold.
    let map: ReturnType<typeof toLiteralMap> | undefined = toLiteralMap(
      values as never,
      vars,
    );
    const t1 = performance.now();
    const bytes = codecs[codec].encode(map);
    map = undefined;
    const t2 = performance.now();
    let decoded: ReturnType<typeof decodeLiteralMap> | undefined = codecs[codec]
      .decode(bytes);
    const t3 = performance.now();
    const back = fromLiteralMap(decoded, vars);
    decoded = undefined;
    const t4 = performance.now();
    const c = process.cpuUsage(c0);
    check(back);
    size = bytes.length;
    if (r === 0) continue; // warm-up
    cpu += (c.user + c.system) / 1000;
    times.to += t1 - t0;
    times.encode += t2 - t1;
    times.decode += t3 - t2;
    times.back += t4 - t3;
  }
  const ms = (x: number) => (x / runs).toFixed(0).padStart(5) + " ms";
  const total = (times.to + times.encode + times.decode + times.back) / runs;
  console.log(
    `${label} (${codec}): ${
      (size / 1e6).toFixed(1)
    } MB on the wire; to LiteralMap ${ms(times.to)}, encode ${
      ms(times.encode)
    }, decode ${ms(times.decode)}, back ${ms(times.back)}; total ${
      total.toFixed(0)
    } ms = ${(size / 1e6 / (total / 1000)).toFixed(1)} MB/s; CPU ${
      (cpu / runs).toFixed(0)
    } ms (all threads, GC included)`,
  );
}

function directStages(
  label: string,
  values: Record<string, unknown>,
  vars: Vars,
) {
  const runs = 5;
  let enc = 0, dec = 0, size = 0;
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const bytes = encodeValues(values as never, vars);
    const t1 = performance.now();
    decodeValues(bytes, vars);
    const t2 = performance.now();
    size = bytes.length;
    if (r === 0) continue;
    enc += t1 - t0;
    dec += t2 - t1;
  }
  const total = (enc + dec) / runs;
  console.log(
    `${label} (direct): encodeValues ${(enc / runs).toFixed(0)} ms, ` +
      `decodeValues ${(dec / runs).toFixed(0)} ms; total ${
        total.toFixed(0)
      } ms = ${(size / 1e6 / (total / 1000)).toFixed(1)} MB/s`,
  );
}

type Mod = typeof after;

/** One Literal-path pipeline of a module (old or new); the time in ms. */
function timeLiteralPath(m: Mod, values: Record<string, unknown>, vars: Vars) {
  const t0 = performance.now();
  let map: ReturnType<Mod["toLiteralMap"]> | undefined = m.toLiteralMap(
    values as never,
    vars,
  );
  const bytes = m.encodeLiteralMap(map);
  map = undefined;
  let decoded: ReturnType<Mod["decodeLiteralMap"]> | undefined = m
    .decodeLiteralMap(bytes);
  const back = m.fromLiteralMap(decoded, vars);
  decoded = undefined;
  return { ms: performance.now() - t0, bytes, back };
}

function timeDirect(values: Record<string, unknown>, vars: Vars) {
  const t0 = performance.now();
  const bytes = encodeValues(values as never, vars);
  const back = decodeValues(bytes, vars);
  return { ms: performance.now() - t0, bytes, back };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

async function compare(dir: string) {
  const before = await import(new URL(`file://${dir}/mod.ts`).href) as Mod;
  // The old module's types are its own objects: build the inputs with it.
  const oldRow = before.t.record({
    id: before.t.int,
    sku: before.t.string,
    price: before.t.float,
    qty: before.t.int,
    inStock: before.t.bool,
    tags: before.t.list(before.t.string),
    note: before.t.optional(before.t.string),
    when: before.t.datetime,
    ttl: before.t.duration,
  }, { name: "Row" });
  const oldRows = rows.map((r) => ({
    ...r,
    ttl: new before.Duration(r.ttl.seconds, r.ttl.nanos),
  }));
  const cases = [
    {
      label: "1,000,000 ints",
      old: { values: { xs: ints }, vars: { xs: before.t.list(before.t.int) } },
      now: { values: { xs: ints }, vars: intVars },
    },
    {
      label: "100,000 records",
      old: { values: { rows: oldRows }, vars: { rows: before.t.list(oldRow) } },
      now: { values: { rows }, vars: recordVars },
    },
  ];
  const runs = 9;
  const load0 = loadavg()[0];
  const lines: string[] = [];
  for (const c of cases) {
    const times = {
      before: [] as number[],
      after: [] as number[],
      direct: [] as number[],
    };
    for (let r = 0; r <= runs; r++) {
      const b = timeLiteralPath(
        before,
        c.old.values,
        c.old.vars as unknown as Vars,
      );
      const a = timeLiteralPath(after, c.now.values, c.now.vars);
      const d = timeDirect(c.now.values, c.now.vars);
      if (r === 0) {
        // Same bytes from all three, and the same values back.
        if (
          !isDeepStrictEqual(a.bytes, b.bytes) ||
          !isDeepStrictEqual(d.bytes, b.bytes)
        ) {
          throw new Error(`${c.label}: bytes differ from before`);
        }
        const norm = (x: unknown) =>
          JSON.stringify(x, (_, v) => typeof v === "bigint" ? `${v}n` : v);
        if (norm(a.back) !== norm(b.back) || norm(d.back) !== norm(b.back)) {
          throw new Error(`${c.label}: values differ from before`);
        }
        continue; // warm-up
      }
      times.before.push(b.ms);
      times.after.push(a.ms);
      times.direct.push(d.ms);
    }
    const mb = median(times.before),
      ma = median(times.after),
      md = median(times.direct);
    lines.push(
      `| ${c.label} | ${mb.toFixed(0)} ms | ${ma.toFixed(0)} ms (${
        (mb / ma).toFixed(2)
      }x) | ${md.toFixed(0)} ms (${(mb / md).toFixed(2)}x) |`,
    );
  }
  const load1 = loadavg()[0];
  console.log(
    `medians of ${runs} interleaved runs; load average ${
      load0.toFixed(2)
    } at start, ${load1.toFixed(2)} at end; outputs identical`,
  );
  console.log(
    "| data | before (Literal path) | after (Literal path) | after (direct) |",
  );
  console.log("| --- | --- | --- | --- |");
  for (const l of lines) console.log(l);
}

if (import.meta.main) {
  const beforeArg = Deno.args.find((a) => a.startsWith("--before="));
  if (beforeArg) {
    await compare(beforeArg.slice("--before=".length).replace(/\/$/, ""));
    Deno.exit(0);
  }
  directStages("1,000,000 ints", { xs: ints }, intVars);
  directStages("100,000 records", { rows }, recordVars);
  for (const codec of ["fast", "protobuf-es"] as const) {
    stages("1,000,000 ints", { xs: ints }, intVars, (b) => {
      const xs = b.xs as number[];
      if (xs.length !== N_INTS || xs[N_INTS - 1] !== ints[N_INTS - 1]) {
        throw new Error("ints did not round trip");
      }
    }, codec);
    stages("100,000 records", { rows }, recordVars, (b) => {
      const r = b.rows as typeof rows;
      if (r.length !== N_RECORDS || r[12345].sku !== "sku-12345") {
        throw new Error("records did not round trip");
      }
    }, codec);
  }
}
