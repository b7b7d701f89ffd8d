/**
 * Type engine benchmarks (issue 3): a list of 1,000,000 ints and a list of
 * 100,000 records, each converted to a LiteralMap, encoded, decoded and
 * converted back. `deno bench -A bench/types_bench.ts` for the totals;
 * `deno run -A bench/types_bench.ts` prints a per-stage breakdown and MB/s.
 *
 * @module
 */
import process from "node:process";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import {
  decodeLiteralMap,
  Duration,
  encodeLiteralMap,
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

if (import.meta.main) {
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
