/**
 * TypeScript infers value types from the vocabulary (checked when this file
 * is type-checked, which `deno test` does), and conversions are typed.
 */
import { assertEquals } from "../helpers/assert.ts";
import {
  Duration,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  type Infer,
  type InferInput,
  type StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
} from "../../src/types/mod.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<_ extends true>(): void {}

const Row = t.record({
  id: t.int,
  big: t.bigint,
  price: t.float,
  name: t.string,
  ok: t.bool,
  when: t.datetime,
  ttl: t.duration,
  note: t.optional(t.string),
  tags: t.list(t.string),
  attrs: t.map(t.float),
  color: t.enum(["red", "blue"]),
  either: t.union(t.int, t.string),
  file: t.file("csv"),
  df: t.dataframe(),
  extra: t.json,
}, { name: "Row" });

Deno.test("value types are inferred from the vocabulary", () => {
  expectType<Equal<Infer<typeof t.int>, number>>();
  expectType<Equal<Infer<typeof t.bigint>, bigint>>();
  expectType<Equal<InferInput<typeof t.bigint>, bigint | number>>();
  expectType<Equal<Infer<typeof t.none>, null>>();
  const L = t.list(t.optional(t.string));
  expectType<Equal<Infer<typeof L>, (string | null)[]>>();
  const E = t.enum(["a", "b"]);
  expectType<Equal<Infer<typeof E>, "a" | "b">>();
  const F = t.file();
  expectType<Equal<Infer<typeof F>, FlyteFile>>();
  expectType<Equal<InferInput<typeof F>, FlyteFile | string | URL>>();
  type R = Infer<typeof Row>;
  expectType<Equal<R["id"], number>>();
  expectType<Equal<R["when"], Date>>();
  expectType<Equal<R["ttl"], Duration>>();
  expectType<Equal<R["note"], string | null | undefined>>();
  expectType<Equal<R["attrs"], Record<string, number>>>();
  expectType<Equal<R["color"], "red" | "blue">>();
  expectType<Equal<R["either"], number | string>>();
  expectType<Equal<R["df"], StructuredDataset>>();
  // Optional fields may be left out; required ones may not.
  const row: InferInput<typeof Row> = {
    id: 1,
    big: 2n,
    price: 1.5,
    name: "n",
    ok: true,
    when: new Date(0),
    ttl: new Duration(1),
    tags: [],
    attrs: {},
    color: "red",
    either: "x",
    file: "s3://b/f.csv",
    df: "s3://b/df",
    extra: { a: [1] },
  };
  // @ts-expect-error: "id" is required
  const bad: InferInput<typeof Row> = { ...row, id: undefined };
  void bad;
  const back = fromLiteral(toLiteral(row, Row), Row);
  assertEquals(back.note, null);
  assertEquals(back.file, new FlyteFile("s3://b/f.csv", { format: "csv" }));
});

Deno.test("interfaces are typed both ways", () => {
  const vars = { n: t.int, rows: t.list(Row), maybe: t.optional(t.string) };
  // Type-checked only (it would throw): a string for an int is a compile error.
  const wrong = () =>
    // @ts-expect-error: n must be a number
    toLiteralMap({ n: "1", rows: [] }, vars);
  void wrong;
  const map = toLiteralMap({ n: 1, rows: [] }, vars);
  const out = fromLiteralMap(map, vars);
  expectType<Equal<typeof out.n, number>>();
  expectType<Equal<typeof out.maybe, string | null>>();
  assertEquals(out, { n: 1, rows: [], maybe: null });
});
