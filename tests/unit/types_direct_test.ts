/**
 * encodeValues / decodeValues (src/types/direct.ts) give exactly the bytes,
 * values and errors of the Literal path (toLiteralMap + encodeLiteralMap,
 * decodeLiteralMap + fromLiteralMap) and of protobuf-es toBinary /
 * fromBinary, on random nested inputs and on hand-made odd encodings.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  type AnyFlyteType,
  decodeLiteralMap,
  decodeValues as decodeValuesTyped,
  Duration,
  encodeLiteralMap,
  encodeValues as encodeValuesTyped,
  fromLiteralMap as fromLiteralMapTyped,
  type FromLiteralMapOptions,
  type LiteralMap,
  t,
  toLiteral,
  toLiteralMap as toLiteralMapTyped,
  type ToLiteralMapOptions,
  TypeTransformError,
  type Variables,
} from "../../src/types/mod.ts";
import { directCounters } from "../../src/types/direct.ts";

// Untyped views (the tests mix t types and LiteralTypes freely).
type Values = Record<string, unknown>;
const encodeValues = encodeValuesTyped as (
  v: Values,
  vars: Variables,
  o?: ToLiteralMapOptions,
) => Uint8Array;
const toLiteralMap = toLiteralMapTyped as (
  v: Values,
  vars: Variables,
  o?: ToLiteralMapOptions,
) => LiteralMap;
const decodeValues = decodeValuesTyped as (
  b: Uint8Array,
  vars?: Variables,
  o?: FromLiteralMapOptions,
) => Values;
const fromLiteralMap = fromLiteralMapTyped as (
  m: LiteralMap,
  vars?: Variables,
  o?: FromLiteralMapOptions,
) => Values;

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = { type: AnyFlyteType; value: () => unknown };

function generators(r: () => number): Record<string, Gen> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const int = () =>
    pick([
      0,
      1,
      -1,
      127,
      128,
      -128,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      2 ** 32,
      -(2 ** 32) - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      2 ** 52 + 1,
      -(2 ** 40) + 7,
    ]) + (r() < 0.5 ? 0 : Math.floor((r() - 0.5) * 2 ** (r() * 53)));
  const safeInt = () => {
    const x = int();
    return Number.isSafeInteger(x) ? x : 0;
  };
  const float = () =>
    pick([0, -0, 0.5, -1e300, 5e-324, NaN, Infinity, -Infinity, r() * 1e6]);
  const str = () => {
    const parts = ["", "a", "é", "日本", "😀", "\ud800", "\udc00x", "\0"];
    let s = "";
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) s += pick(parts);
    if (r() < 0.05) s = "x".repeat(200 + Math.floor(r() * 20000));
    return s;
  };
  const list = <T>(f: () => T, max = 40) =>
    Array.from({ length: Math.floor(r() * max) }, f);
  const Row = t.record({
    id: t.int,
    s: t.string,
    f: t.optional(t.float),
    tags: t.list(t.string),
  }, { name: "Row" });
  return {
    ints: { type: t.list(t.int), value: () => list(safeInt, 300) },
    floats: { type: t.list(t.float), value: () => list(float) },
    strings: { type: t.list(t.string), value: () => list(str) },
    bools: { type: t.list(t.bool), value: () => list(() => r() < 0.5) },
    nested: {
      type: t.list(t.list(t.int)),
      value: () => list(() => list(safeInt, 5), 5),
    },
    optInts: {
      type: t.list(t.optional(t.int)),
      value: () => list(() => r() < 0.3 ? null : safeInt(), 10),
    },
    bigints: {
      type: t.list(t.bigint),
      value: () => list(() => BigInt(safeInt()) * 1000n, 10),
    },
    rows: {
      type: t.list(Row),
      value: () =>
        list(() => ({
          id: safeInt(),
          s: str(),
          f: r() < 0.5 ? null : float(),
          tags: list(str, 3),
        }), 5),
    },
    map: {
      type: t.map(t.list(t.float)),
      value: () => ({ a: list(float, 4), "2": [], b: list(float, 2) }),
    },
    dur: { type: t.duration, value: () => new Duration(safeInt() % 1e6) },
    n: { type: t.int, value: safeInt },
    s: { type: t.string, value: str },
  };
}

Deno.test("encodeValues / decodeValues equal the Literal path and protobuf-es on random inputs", () => {
  const r = rng(20261126);
  const gens = generators(r);
  const names = Object.keys(gens);
  for (let round = 0; round < 150; round++) {
    // A random subset of variables, in a random order.
    const chosen = names.filter(() => r() < 0.6).sort(() => r() - 0.5);
    const vars: Record<string, AnyFlyteType> = {};
    const values: Record<string, unknown> = {};
    for (const n of chosen) {
      vars[n] = gens[n].type;
      values[n] = gens[n].value();
    }
    const map = toLiteralMap(values, vars);
    const expected = toBinary(LiteralMapSchema, map);
    const before = { ...directCounters };
    const ours = encodeValues(values, vars);
    assertEquals(ours, expected, `round ${round}: bytes`);
    assertEquals(encodeLiteralMap(map), expected);
    const back = fromLiteralMap(fromBinary(LiteralMapSchema, expected), vars);
    assertEquals(decodeValues(expected, vars), back, `round ${round}: values`);
    // Plain values took the direct paths (except t.bigint and nested lists,
    // which have none).
    assertEquals(directCounters.reruns, before.reruns, `round ${round}`);
    assertEquals(
      directCounters.literalElements,
      before.literalElements,
      `round ${round}`,
    );
    assertEquals(
      fromLiteralMap(decodeLiteralMap(expected), vars),
      back,
    );
    // Remote form (LiteralTypes, as read from an interface) and no types.
    const remote = Object.fromEntries(
      chosen.map((n) => [n, vars[n].literalType]),
    );
    assertEquals(
      decodeValues(expected, remote),
      fromLiteralMap(fromBinary(LiteralMapSchema, expected), remote),
    );
    assertEquals(
      decodeValues(expected),
      fromLiteralMap(fromBinary(LiteralMapSchema, expected)),
    );
    assertEquals(encodeValues(values, remote), expected);
  }
});

/** The error a function throws (a TypeTransformError's message). */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert(e instanceof TypeTransformError, `not a TypeTransformError: ${e}`);
    return e.message;
  }
  throw new Error("did not throw");
}

Deno.test("encodeValues checks values exactly as toLiteralMap does", () => {
  const vars = { xs: t.list(t.int), fs: t.list(t.float), s: t.list(t.string) };
  const cases: Record<string, unknown>[] = [
    { xs: [1, 2, 2.5], fs: [], s: [] },
    { xs: [1, 2 ** 53], fs: [], s: [] },
    { xs: [1, "2"], fs: [], s: [] },
    { xs: [1], fs: [1, "x"], s: [] },
    { xs: [1], fs: [], s: ["a", 3] },
    { xs: "nope", fs: [], s: [] },
    { xs: [1], fs: [] },
    { xs: [1], fs: [], s: [], extra: 1 },
    { xs: [1, 1.5], fs: [true], s: [] }, // first failing variable wins
  ];
  for (const values of cases) {
    const expected = errorOf(() => toLiteralMap(values, vars));
    assertEquals(errorOf(() => encodeValues(values, vars)), expected);
  }
  // partial and optional variables behave the same.
  const optional = { n: t.optional(t.int), xs: t.list(t.int) };
  assertEquals(
    encodeValues({ xs: [1] }, optional),
    encodeLiteralMap(toLiteralMap({ xs: [1] }, optional)),
  );
  assertEquals(
    encodeValues({}, optional, { partial: true }),
    encodeLiteralMap(toLiteralMap({}, optional, { partial: true })),
  );
  // Integer-like names come first in a LiteralMap, as JS orders keys.
  const odd = { b: t.list(t.int), "1": t.list(t.bool), a: t.string };
  const v = { b: [1], "1": [true], a: "x" };
  assertEquals(
    encodeValues(v, odd),
    toBinary(LiteralMapSchema, toLiteralMap(v, odd)),
  );
  // A list of lenient (remote) ints with a bigint beyond 2^53.
  const remote = { xs: t.list(t.int).literalType };
  const big = { xs: [1, 1n << 60n, -(1n << 62n)] };
  assertEquals(
    encodeValues(big, remote),
    toBinary(LiteralMapSchema, toLiteralMap(big, remote)),
  );
});

/** A LiteralMap entry whose literal bytes are given. */
function entry(w: BinaryWriter, key: string, literal: Uint8Array) {
  w.tag(1, WireType.LengthDelimited).fork()
    .tag(1, WireType.LengthDelimited).string(key)
    .tag(2, WireType.LengthDelimited).bytes(literal)
    .join();
}

/** A collection Literal from element Literal bytes. */
function collection(elements: Uint8Array[], extra?: (w: BinaryWriter) => void) {
  const w = new BinaryWriter();
  w.tag(2, WireType.LengthDelimited).fork();
  for (const e of elements) w.tag(1, WireType.LengthDelimited).bytes(e);
  w.join();
  extra?.(w);
  return w.finish();
}

const lit = (x: Parameters<typeof toLiteral>[0], ty: AnyFlyteType) =>
  toBinary(LiteralSchema, toLiteral(x, ty));

Deno.test("decodeValues reads odd encodings exactly as the Literal path", () => {
  const withHash = toLiteral(5, t.int);
  withHash.hash = "h";
  const withMeta = toLiteral("s", t.string);
  withMeta.metadata = { k: "v" };
  const floatAsInt = lit(3, t.float); // a float literal in an int list
  const intAsFloat = lit(3, t.int); // an int literal in a float list
  const huge = toBinary(LiteralSchema, toLiteral(1n << 60n, t.bigint));
  const minInt = toBinary(LiteralSchema, toLiteral(-(1n << 63n), t.bigint));
  // A non-canonical varint (5 padded with a continuation byte) for an int.
  const padded = new Uint8Array([0x0a, 0x05, 0x0a, 0x03, 0x08, 0x85, 0x00]);
  const w = new BinaryWriter();
  entry(
    w,
    "ints",
    collection([
      lit(1, t.int),
      toBinary(LiteralSchema, withHash),
      floatAsInt,
      padded,
    ]),
  );
  entry(w, "floats", collection([lit(0.5, t.float), intAsFloat]));
  entry(
    w,
    "strs",
    collection([lit("a", t.string), toBinary(LiteralSchema, withMeta)]),
  );
  entry(w, "bools", collection([lit(true, t.bool), lit(false, t.bool)]));
  entry(w, "loose", collection([lit(-7, t.int), huge, minInt]));
  // A collection with a hash on the list literal itself.
  entry(
    w,
    "hashed",
    collection(
      [lit(1, t.int)],
      (x) => x.tag(4, WireType.LengthDelimited).string("hh"),
    ),
  );
  // Not a collection: a msgpack list (flytekit's form inside records).
  entry(w, "packed", lit([1, 2], t.json));
  entry(w, "untyped", lit([1, 2], t.list(t.int)));
  entry(w, "ints", collection([lit(9, t.int)])); // a repeated key: last wins
  const bytes = w.finish();
  const vars = {
    ints: t.list(t.int),
    floats: t.list(t.float),
    strs: t.list(t.string),
    bools: t.list(t.bool),
    loose: t.list(t.int).literalType,
    hashed: t.list(t.int),
    packed: t.list(t.int),
  };
  const expected = fromLiteralMap(
    fromBinary(LiteralMapSchema, bytes),
    vars,
  );
  assertEquals(decodeValues(bytes, vars), expected);
  assertEquals(expected.ints, [9]);
  assertEquals(expected.loose, [-7, 1n << 60n, -(1n << 63n)]);
  // The same without the repeated key, so each odd element is read.
  const w2 = new BinaryWriter();
  entry(
    w2,
    "ints",
    collection([
      lit(1, t.int),
      toBinary(LiteralSchema, withHash),
      floatAsInt,
      padded,
    ]),
  );
  const b2 = w2.finish();
  assertEquals(decodeValues(b2, { ints: t.list(t.int) }), {
    ints: [1, 5, 3, 5],
  });
});

Deno.test("decodeValues fails exactly as fromLiteralMap does", () => {
  const unsafe = toBinary(LiteralSchema, toLiteral(1n << 60n, t.bigint));
  const w = new BinaryWriter();
  entry(w, "xs", collection([lit(1, t.int), unsafe]));
  entry(w, "fs", collection([lit("x", t.string)]));
  const bytes = w.finish();
  const check = (vars: Record<string, AnyFlyteType>) =>
    assertEquals(
      errorOf(() => decodeValues(bytes, vars)),
      errorOf(() => fromLiteralMap(fromBinary(LiteralMapSchema, bytes), vars)),
    );
  check({ xs: t.list(t.int) });
  check({ fs: t.list(t.float) });
  check({ xs: t.list(t.bigint), fs: t.list(t.float), missing: t.int });
  assert(
    errorOf(() => decodeValues(bytes, { xs: t.list(t.int) })).includes(
      "outputs.xs[1]",
    ),
  );
  // Truncated bytes: protobuf-es's error.
  const cut = bytes.subarray(0, bytes.length - 3);
  let theirs: unknown, ours: unknown;
  try {
    fromBinary(LiteralMapSchema, cut);
  } catch (e) {
    theirs = e;
  }
  try {
    decodeValues(cut, {});
  } catch (e) {
    ours = e;
  }
  assert(theirs instanceof Error);
  assertEquals(String(ours), String(theirs));
  // An empty map.
  assertEquals(decodeValues(new Uint8Array(), {}), {});
  assertEquals(
    encodeValues({}, {}),
    toBinary(LiteralMapSchema, create(LiteralMapSchema, {})),
  );
});

Deno.test("lists of records: direct msgpack path equals the Literal path", () => {
  const Row = t.record({ a: t.int, b: t.optional(t.string) }, { name: "Row" });
  const vars = { rows: t.list(Row) };
  // The older Struct (generic) form and a msgpack binary with a hash.
  const generic = toBinary(
    LiteralSchema,
    create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "generic", value: { a: 2, b: "g" } } },
      },
    }),
  );
  const hashed = toLiteral({ a: 3 }, Row);
  hashed.hash = "h";
  const otherTag = toLiteral({ a: 4 }, Row);
  const w = new BinaryWriter();
  entry(
    w,
    "rows",
    collection([
      lit({ a: 1, b: "x" }, Row),
      generic,
      toBinary(LiteralSchema, hashed),
    ]),
  );
  const bytes = w.finish();
  const expected = fromLiteralMap(fromBinary(LiteralMapSchema, bytes), vars);
  assertEquals(expected.rows, [{ a: 1, b: "x" }, { a: 2, b: "g" }, {
    a: 3,
    b: null,
  }]);
  assertEquals(decodeValues(bytes, vars), expected);
  // A binary with another tag, and bad msgpack: the same errors.
  if (
    otherTag.value.case === "scalar" &&
    otherTag.value.value.value.case === "binary"
  ) otherTag.value.value.value.value.tag = "json";
  const bad = toLiteral({ a: 5 }, Row);
  if (bad.value.case === "scalar" && bad.value.value.value.case === "binary") {
    bad.value.value.value.value.value = new Uint8Array([0xc1]);
  }
  for (const odd of [otherTag, bad]) {
    const w2 = new BinaryWriter();
    entry(
      w2,
      "rows",
      collection([lit({ a: 1 }, Row), toBinary(LiteralSchema, odd)]),
    );
    const b2 = w2.finish();
    const msg = errorOf(() => decodeValues(b2, vars));
    assertEquals(
      msg,
      errorOf(() => fromLiteralMap(fromBinary(LiteralMapSchema, b2), vars)),
    );
    assert(msg.includes("outputs.rows[1]"), msg);
  }
  // Encoding errors name the same path.
  for (const rows of [[{ a: 1 }, { b: "x" }], [{ a: 1, c: 2 }], [{ a: 1.5 }]]) {
    assertEquals(
      errorOf(() => encodeValues({ rows }, vars)),
      errorOf(() => toLiteralMap({ rows }, vars)),
    );
  }
  // Large records (multi-byte lengths) and many of them.
  const many = Array.from({ length: 3000 }, (_, i) => ({
    a: i,
    b: i % 3 ? "y".repeat(i) : null,
  }));
  const big = toBinary(LiteralMapSchema, toLiteralMap({ rows: many }, vars));
  assertEquals(encodeValues({ rows: many }, vars), big);
  assertEquals(decodeValues(big, vars), { rows: many });
});
