/**
 * Round trips for every type: value -> literal -> bytes -> literal -> value,
 * also nested three deep, and read back through the remote form of the type
 * (`typeFromLiteralType`) and without any type.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type Literal,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import { LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import {
  type AnyFlyteType,
  Duration,
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  type Infer,
  PreciseDate,
  StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
  typeFromLiteralType,
} from "../../src/types/mod.ts";

function viaBytes(lit: Literal): Literal {
  const back = fromBinary(LiteralSchema, toBinary(LiteralSchema, lit));
  // Our plain builders must make exactly the messages protobuf-es makes.
  assertEquals(back, lit);
  return back;
}

function roundTrip<T extends AnyFlyteType>(
  type: T,
  value: unknown,
  expected: unknown = value,
): Literal {
  const lit = toLiteral(value as never, type);
  const back = viaBytes(lit);
  assertEquals(fromLiteral(back, type), expected);
  // The LiteralType itself survives the wire too.
  const lt = fromBinary(
    LiteralTypeSchema,
    toBinary(LiteralTypeSchema, type.literalType),
  );
  assertEquals(lt, type.literalType);
  return back;
}

Deno.test("int round trips, including the safe-integer limits", () => {
  for (
    const v of [0, 1, -1, 42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]
  ) {
    const lit = roundTrip(t.int, v);
    assertEquals(
      (lit.value.value as { value: { value: { value: unknown } } }).value.value
        .value,
      { case: "integer", value: BigInt(v) },
    );
  }
});

Deno.test("bigint round trips the whole int64 range", () => {
  for (const v of [0n, -(1n << 63n), (1n << 63n) - 1n, 12345678901234567n]) {
    roundTrip(t.bigint, v);
  }
  roundTrip(t.bigint, 7, 7n);
});

Deno.test("float, string, bool round trip", () => {
  for (const v of [0, 1, -2.5, 1e300, Number.MIN_VALUE, Infinity, -Infinity]) {
    roundTrip(t.float, v);
  }
  const nan = fromLiteral(viaBytes(toLiteral(NaN, t.float)), t.float);
  assert(Number.isNaN(nan));
  for (const v of ["", "héllo ✓", "a\u0000b"]) roundTrip(t.string, v);
  roundTrip(t.bool, true);
  roundTrip(t.bool, false);
});

Deno.test("datetime round trips to the nanosecond, before and after 1970", () => {
  roundTrip(t.datetime, new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678)));
  roundTrip(t.datetime, new Date(-1)); // 1969-12-31T23:59:59.999Z
  roundTrip(t.datetime, new Date(Date.UTC(1, 0, 1)));
  const p = new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 6), 789_123);
  const lit = roundTrip(t.datetime, p);
  const back = fromLiteral(lit, t.datetime);
  assert(back instanceof PreciseDate);
  assertEquals(back.subMillisecondNanos, 789_123);
});

Deno.test("duration round trips, negative and fractional", () => {
  for (
    const d of [
      new Duration(0),
      new Duration(5, 250),
      Duration.fromMillis(-1500),
      new Duration(-3, -1),
      new Duration(315_576_000_000, 999_999_999),
    ]
  ) roundTrip(t.duration, d);
  assertEquals(Duration.fromMillis(-1500).nanos, -500_000_000);
  assertEquals(new Duration(1, -1), new Duration(0, 999_999_999));
});

Deno.test("none round trips; undefined is written as none", () => {
  roundTrip(t.none, null);
  roundTrip(t.none, undefined, null);
});

Deno.test("list, map, record, enum round trip", () => {
  roundTrip(t.list(t.int), [1, 2, 3]);
  roundTrip(t.list(t.string), []);
  roundTrip(t.map(t.float), { a: 1.5, "weird key.[0]": -2 });
  roundTrip(t.map(t.bool), new Map([["x", true]]), { x: true });
  const R = t.record({
    a: t.int,
    b: t.float,
    c: t.string,
    d: t.optional(t.bool),
  });
  roundTrip(R, { a: 1, b: 2, c: "x", d: true });
  roundTrip(R, { a: 1, b: 2, c: "x" }, { a: 1, b: 2, c: "x", d: null });
  roundTrip(t.enum(["red", "green"]), "green");
});

Deno.test("union and optional round trip with their tags", () => {
  const U = t.union(t.int, t.string, t.list(t.float));
  roundTrip(U, 3);
  roundTrip(U, "three");
  roundTrip(U, [1.5, 2]);
  const O = t.optional(t.int);
  roundTrip(O, 5);
  roundTrip(O, null);
  roundTrip(O, undefined, null);
  // An int and a float: an integral number is the int, others the float.
  const N = t.union(t.int, t.float);
  const i = roundTrip(N, 2);
  const f = roundTrip(N, 2.5);
  const tagOf = (
    l: Literal,
  ) => ((l.value.value as {
    value: { value: { type: { structure: { tag: string } } } };
  })
    .value.value.type.structure.tag);
  assertEquals(tagOf(i), "int");
  assertEquals(tagOf(f), "float");
});

Deno.test("file, directory and dataframe round trip", () => {
  roundTrip(t.file(), new FlyteFile("s3://b/k", { metadata: { m: "1" } }));
  roundTrip(
    t.file("csv"),
    "s3://b/x.csv",
    new FlyteFile("s3://b/x.csv", { format: "csv" }),
  );
  roundTrip(
    t.file(".csv"),
    new URL("file:///tmp/a.csv"),
    new FlyteFile("file:///tmp/a.csv", { format: "csv" }),
  );
  roundTrip(t.directory(), new FlyteDirectory("s3://b/dir/"));
  roundTrip(
    t.directory("png"),
    "gs://b/imgs",
    new FlyteDirectory("gs://b/imgs", { format: "png" }),
  );
  roundTrip(
    t.dataframe(),
    new StructuredDataset("s3://b/df", { format: "parquet" }),
  );
  roundTrip(
    t.dataframe({ a: t.int, b: t.string }, "parquet"),
    "s3://b/df2",
    new StructuredDataset("s3://b/df2", { format: "parquet" }),
  );
});

Deno.test("json round trips objects, arrays, bytes and big integers", () => {
  roundTrip(t.json, { a: 1, b: [true, null, "s", 1.5], c: { d: {} } });
  roundTrip(t.json, [1, "x"]);
  roundTrip(t.json, { big: 1n << 60n, small: 5n }, {
    big: 1n << 60n,
    small: 5,
  });
  roundTrip(t.json, { bytes: new Uint8Array([1, 2, 3]) });
  roundTrip(t.json, { dropped: undefined, kept: 1 }, { kept: 1 });
});

// ------------------------------------------------------------ nested three deep

const Item = t.record({
  sku: t.string,
  price: t.float,
  qty: t.int,
  when: t.datetime,
  ttl: t.duration,
  color: t.enum(["red", "blue"]),
  file: t.optional(t.file("csv")),
  dir: t.directory(),
  df: t.dataframe(),
  extra: t.json,
  big: t.bigint,
}, { name: "Item" });

const Order = t.record({
  id: t.int,
  items: t.list(Item),
  byTag: t.map(t.list(t.optional(t.int))),
  choice: t.union(t.int, t.string, Item),
}, { name: "Order" });

type OrderValue = Infer<typeof Order>;

function item(i: number): Infer<typeof Item> {
  return {
    sku: `s${i}`,
    price: i + 0.5,
    qty: i,
    when: new Date(Date.UTC(2024, 0, 1, 0, 0, i)),
    ttl: Duration.fromSeconds(i * 1.25),
    color: i % 2 ? "red" : "blue",
    file: i % 2 ? new FlyteFile(`s3://b/${i}.csv`, { format: "csv" }) : null,
    dir: new FlyteDirectory(`s3://b/d${i}`),
    df: new StructuredDataset(`s3://b/df${i}`, { format: "parquet" }),
    extra: { i, tags: ["a", "b"] },
    big: 1n << 40n,
  };
}

const order: OrderValue = {
  id: 7,
  items: [item(1), item(2), item(3)],
  byTag: { a: [1, null, 3], b: [] },
  choice: item(4),
};

Deno.test("nested three deep: list of map of records, records of lists of records", () => {
  roundTrip(t.list(t.map(Order)), [{ x: order }, {}]);
  roundTrip(t.map(t.list(t.map(t.int))), { a: [{ b: 1 }, { c: 2 }], z: [] });
  roundTrip(
    t.optional(t.list(t.optional(t.list(t.int)))),
    [[1], null, []],
  );
  roundTrip(
    t.union(t.list(t.map(t.list(t.string))), t.int),
    [{ k: ["v"] }],
  );
});

Deno.test("nested values come back through the remote form of the type", () => {
  const T = t.list(t.map(Order));
  const lit = viaBytes(toLiteral([{ x: order }], T));
  const remote = typeFromLiteralType(
    fromBinary(LiteralTypeSchema, toBinary(LiteralTypeSchema, T.literalType)),
  );
  // The remote form reads INTEGER as a number (bigint only beyond 2^53).
  const asNumbers = {
    ...order,
    items: order.items.map((i) => ({ ...i, big: Number(i.big) })),
    choice: { ...(order.choice as object), big: Number(1n << 40n) },
  };
  assertEquals(fromLiteral(lit, remote), [{ x: asNumbers }]);
  // And the remote type writes the same literal again.
  assertEquals(toLiteral([{ x: order }], remote), lit);
});

Deno.test("literals read without a type give plain readable values", () => {
  const lit = viaBytes(
    toLiteral({ n: [1, 2], s: ["x"] }, t.map(t.list(t.json))),
  );
  assertEquals(fromLiteral(lit), { n: [1, 2], s: ["x"] } as unknown);
  const u = viaBytes(toLiteral(5, t.optional(t.int)));
  assertEquals(fromLiteral(u), 5);
  const f = viaBytes(toLiteral("s3://a", t.directory()));
  assertEquals(fromLiteral(f), new FlyteDirectory("s3://a"));
  assertEquals(
    fromLiteral(viaBytes(toLiteral(1n << 62n, t.bigint))),
    1n << 62n,
  );
});

Deno.test("literal maps round trip through bytes, typed and guessed", () => {
  const vars = {
    order: Order,
    n: t.int,
    when: t.datetime,
    maybe: t.optional(t.string),
  };
  const map = toLiteralMap({ order, n: 3, when: new Date(5) }, vars);
  const bytes = toBinary(LiteralMapSchema, map);
  const decoded = fromBinary(LiteralMapSchema, bytes);
  assertEquals(decoded, map);
  const back = fromLiteralMap(decoded, vars);
  assertEquals(back, { order, n: 3, when: new Date(5), maybe: null });
  // Guessed types on the way in, no types on the way out.
  const g = toLiteralMap({ a: 1, b: [1.5, 2], c: { d: "e" } }, {
    a: typeFromLiteralType(t.int.literalType),
    b: t.list(t.float),
    c: t.json,
  });
  assertEquals(fromLiteralMap(g), { a: 1, b: [1.5, 2], c: { d: "e" } });
});

Deno.test("guessed literals round trip", () => {
  const values: unknown[] = [
    1,
    2.5,
    "s",
    true,
    null,
    new Date(0),
    new Duration(1),
    [1, 2, 3],
    [1, 2.5],
    [1, null],
    [[1], [2, 3]],
    { a: [1, { b: null }] },
    new Map([["k", [1]]]),
    new FlyteFile("s3://x", { format: "csv" }),
    new FlyteDirectory("s3://y"),
    1n << 62n,
  ];
  for (const v of values) {
    const back = fromLiteral(viaBytes(toLiteral(v)));
    assertEquals(back, v instanceof Map ? Object.fromEntries(v) : v);
  }
});
