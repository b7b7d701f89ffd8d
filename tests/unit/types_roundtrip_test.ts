/**
 * Round trips across the vocabulary: value -> literal -> bytes -> literal ->
 * value nested three deep, read back through the remote form of the type
 * (`typeFromLiteralType`) and without any type, and whole literal maps. The
 * round trips of each family are in types_<family>_test.ts.
 */
import { assertEquals } from "../helpers/assert.ts";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { LiteralTypeSchema } from "@flyteidl/core/types_pb.ts";
import {
  Duration,
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  type Infer,
  StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
  typeFromLiteralType,
} from "../../src/types/mod.ts";
import { roundTrip, viaBytes } from "../helpers/literals.ts";

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
