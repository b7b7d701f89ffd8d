/**
 * Every refusal of the type engine: a TypeTransformError with its message,
 * the variable and the path inside it.
 */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { VariableSchema } from "@flyteidl/core/interface_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  guessType,
  t,
  toLiteral,
  toLiteralMap,
  TypeTransformError,
} from "../../src/types/mod.ts";

function expectError(
  f: () => unknown,
  message: string,
  path: string,
  variable?: string,
): TypeTransformError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  assert(
    caught instanceof TypeTransformError,
    `expected a TypeTransformError, got ${caught}`,
  );
  assertEquals(caught.message, message);
  assertEquals(caught.path, path);
  assertEquals(caught.variable, variable);
  return caught;
}

const Row = t.record({ sku: t.string, price: t.int }, { name: "Row" });

Deno.test("a fractional number for t.int names the variable and path", () => {
  const e = expectError(
    () =>
      toLiteralMap({
        rows: [
          { sku: "a", price: 1 },
          { sku: "b", price: 2 },
          { sku: "c", price: 3 },
          { sku: "d", price: 4.5 },
        ],
      }, { rows: t.list(Row) }),
    "inputs.rows[3].price: expected an integer, got the fractional number 4.5",
    "inputs.rows[3].price",
    "rows",
  );
  assertEquals(e.segments, [3, "price"]);
  assertEquals(e.reason, "expected an integer, got the fractional number 4.5");
});

Deno.test("a missing required record field", () => {
  expectError(
    () =>
      toLiteralMap({ rows: [{ sku: "a" }] } as never, { rows: t.list(Row) }),
    'inputs.rows[0].price: missing required field "price" of Row',
    "inputs.rows[0].price",
    "rows",
  );
});

Deno.test("an unknown record field", () => {
  expectError(
    () => toLiteral({ sku: "a", price: 1, prcie: 2 } as never, Row),
    'value.prcie: unknown field "prcie" (Row has sku, price)',
    "value.prcie",
  );
});

Deno.test("functions, symbols and class instances are refused", () => {
  expectError(
    () => toLiteralMap({ f: (() => 1) as never }, { f: t.json }),
    "inputs.f: a function (f) cannot be sent to Flyte",
    "inputs.f",
    "f",
  );
  expectError(
    () => toLiteral({ a: { b: [1, Symbol("s")] } }),
    "value.a.b[1]: a symbol (Symbol(s)) cannot be sent to Flyte",
    "value.a.b[1]",
  );
  class Point {
    constructor(public x: number) {}
  }
  expectError(
    () => toLiteral(new Point(1)),
    "value: an instance of Point has no Flyte type; give a t.record type for it or pass a plain object",
    "value",
  );
  expectError(
    () => toLiteralMap({ p: { at: new Point(1) } as never }, { p: t.json }),
    "inputs.p.at: an instance of Point is not JSON data; give it a record type (t.record) or convert it to a plain object",
    "inputs.p.at",
    "p",
  );
  // With a record type, an instance is fine.
  const P = t.record({ x: t.int });
  assertEquals(fromLiteral(toLiteral(new Point(2), P), P), { x: 2 });
  expectError(
    () => guessType(function named() {}),
    "value: a function (named) cannot be sent to Flyte",
    "value",
  );
});

Deno.test("integers outside the safe range are refused, never rounded", () => {
  expectError(
    () => toLiteral(2 ** 53, t.int),
    "value: integer 9007199254740992 is outside JavaScript's safe-integer range and may have been rounded; pass a bigint with t.bigint",
    "value",
  );
  expectError(
    () => toLiteral(1n << 63n, t.bigint),
    "value: integer 9223372036854775808n does not fit int64",
    "value",
  );
  const big = toLiteral(1n << 60n, t.bigint);
  expectError(
    () => fromLiteral(big, t.int),
    "value: integer 1152921504606846976 is outside JavaScript's safe-integer range; use t.bigint to read it exactly",
    "value",
  );
  expectError(
    () => toLiteral(Infinity, t.int),
    "value: expected an integer, got Infinity",
    "value",
  );
  expectError(
    () => toLiteral("1" as never, t.int),
    'value: expected an integer (number), got string "1"',
    "value",
  );
});

Deno.test("missing and unknown variables", () => {
  const vars = { a: t.int, b: t.optional(t.int) };
  expectError(
    () => toLiteralMap({} as never, vars),
    "inputs.a: missing required value (type int)",
    "inputs.a",
    "a",
  );
  expectError(
    () => toLiteralMap({ a: 1, c: 2 } as never, vars),
    'inputs.c: unknown name "c" (the interface has a, b)',
    "inputs.c",
    "c",
  );
  // partial: missing values are left out for the server's defaults.
  assertEquals(
    Object.keys(toLiteralMap({} as never, vars, { partial: true }).literals),
    [],
  );
  const map = toLiteralMap({ a: 1 }, { a: t.int });
  expectError(
    () => fromLiteralMap(map, { a: t.int, o0: t.string }),
    "outputs.o0: missing from the literal map",
    "outputs.o0",
    "o0",
  );
  expectError(
    () => fromLiteralMap(map, { a: t.string }),
    "outputs.a: expected a stringValue literal, got a integer primitive",
    "outputs.a",
    "a",
  );
  // A VariableMap's variables work the same way.
  const flyteVars = {
    n: create(VariableSchema, {
      type: { type: { case: "simple", value: SimpleType.INTEGER } },
    }),
  };
  expectError(
    () => toLiteralMap({ n: 0.5 }, flyteVars, { root: "wf.inputs" }),
    "wf.inputs.n: expected an integer, got the fractional number 0.5",
    "wf.inputs.n",
    "n",
  );
});

Deno.test("enum, union and json refusals", () => {
  expectError(
    () => toLiteral("pink" as never, t.enum(["red", "blue"])),
    'value: expected one of "red", "blue", got string "pink"',
    "value",
  );
  expectError(
    () => toLiteral(true as never, t.union(t.int, t.string)),
    "value: boolean true matches no variant of int | string",
    "value",
  );
  expectError(
    () => toLiteral("x", t.union(t.string, t.enum(["x"]))),
    'value: ambiguous: string "x" matches string and enum<x> of string | enum<x>',
    "value",
  );
  expectError(
    () => toLiteral({ when: new Date() }, t.json),
    "value.when: a Date inside t.json has no JSON form; use a t.record field of t.datetime, or an ISO string",
    "value.when",
  );
  expectError(
    () => toLiteral([1, undefined], t.json),
    "value[1]: undefined is not a JSON value (use null)",
    "value[1]",
  );
  expectError(
    () => toLiteral(new Uint8Array(2)),
    "value: bytes have no Flyte type (flytekit pickles them); put them in t.json or upload a file",
    "value",
  );
  expectError(
    () => toLiteral(new Map<unknown, number>([[1, 2]])),
    "value: a Map with number 1 keys; only string keys are allowed",
    "value",
  );
  expectError(
    () => toLiteral({ "a b": { c: [() => 0] } }),
    'value["a b"].c[0]: a function cannot be sent to Flyte',
    'value["a b"].c[0]',
  );
});

Deno.test("other value refusals", () => {
  expectError(
    () => toLiteral(new Date(NaN), t.datetime),
    "value: invalid Date",
    "value",
  );
  expectError(
    () => toLiteral("1970-01-01" as never, t.datetime),
    'value: expected a Date, got string "1970-01-01"',
    "value",
  );
  expectError(
    () => toLiteral(1000 as never, t.duration),
    "value: expected a Duration, got number 1000",
    "value",
  );
  expectError(
    () => toLiteral(1 as never, t.file()),
    "value: expected a file (or its URI), got number 1",
    "value",
  );
  expectError(
    () => toLiteral("" as never, t.directory()),
    "value: expected a directory URI, got an empty string",
    "value",
  );
  expectError(
    () => toLiteral(0 as never, t.none),
    "value: expected null, got number 0",
    "value",
  );
  expectError(
    () => toLiteral({ a: 1 } as never, t.list(t.int)),
    "value: expected an array, got an object",
    "value",
  );
});

Deno.test("literal refusals on read", () => {
  const dir = toLiteral("s3://d", t.directory());
  expectError(
    () => fromLiteral(dir, t.file()),
    "value: expected a single file blob, got a multipart blob (a directory)",
    "value",
  );
  const file = toLiteral(new FlyteFile("s3://f"), t.file());
  expectError(
    () => fromLiteral(file, t.directory()),
    "value: expected a multipart blob (a directory), got a single file blob",
    "value",
  );
  const offloaded: Literal = create(LiteralSchema, {
    value: {
      case: "offloadedMetadata",
      value: { uri: "s3://b/o0_offloaded_metadata.pb", sizeBytes: 10n },
    },
  });
  expectError(
    () => fromLiteral(offloaded, t.int),
    "value: the literal is offloaded to s3://b/o0_offloaded_metadata.pb; download it first (the data layer resolves offloaded literals)",
    "value",
  );
  expectError(
    () => fromLiteral(offloaded),
    "value: the literal is offloaded to s3://b/o0_offloaded_metadata.pb; download it first (the data layer resolves offloaded literals)",
    "value",
  );
  const pickled: Literal = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: { value: { case: "generic", value: { pickle_file: "s3://p" } } },
    },
    metadata: { format: "pickle" },
  });
  expectError(
    () => fromLiteral(pickled, t.json),
    'value: the value was pickled by Python ({"pickle_file":"s3://p"}); pickles cannot be read in TypeScript',
    "value",
  );
  const otherBinary: Literal = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "binary",
          value: { value: new Uint8Array([1]), tag: "raw" },
        },
      },
    },
  });
  expectError(
    () => fromLiteral(otherBinary, t.json),
    'value: binary literal with tag "raw" cannot be read (only "msgpack")',
    "value",
  );
  const list = toLiteral([[1, 2], [3, "x"]], t.json);
  expectError(
    () => fromLiteral(list, t.list(t.list(t.int))),
    'value[1][1]: expected an integer, got string "x"',
    "value[1][1]",
  );
  const m = toLiteral({ a: { b: [1.5] } }, t.map(t.map(t.list(t.float))));
  expectError(
    () => fromLiteral(m, t.map(t.map(t.list(t.int)))),
    "value.a.b[0]: expected an integer literal, got the float 1.5",
    "value.a.b[0]",
  );
  const rec = toLiteral({ sku: "a", price: 1 }, Row);
  expectError(
    () =>
      fromLiteral(rec, t.record({ sku: t.string, price: t.int, qty: t.int })),
    'value.qty: missing required field "qty" of Record',
    "value.qty",
  );
  expectError(
    () => fromLiteral(toLiteral("s", t.string), Row),
    "value: expected a Row record (msgpack binary), got a stringValue primitive",
    "value",
  );
});

Deno.test("errors carry the cause chain and are Errors", () => {
  const e = assertThrows(() => toLiteral(0.5, t.int), TypeTransformError);
  assert(e instanceof Error);
  assertEquals((e as TypeTransformError).name, "TypeTransformError");
});

Deno.test("values outside Flyte's ranges name their path", () => {
  expectError(
    () => toLiteral([new Date(Date.UTC(10000, 0, 1))], t.list(t.datetime)),
    "value[0]: +010000-01-01T00:00:00.000Z is outside the years 1 to 9999 that Flyte (and Python) datetimes cover",
    "value[0]",
  );
  // A datetime just inside the range is fine.
  toLiteral(new Date(-62135596800000), t.datetime);
  // A bad duration inside a record (NaN seconds from msgpack) keeps its path.
  const R = t.record({ d: t.duration });
  const lit = toLiteral({ d: Number.NaN }, t.json);
  expectError(
    () => fromLiteral(lit, R),
    "value.d: bad duration NaN s",
    "value.d",
  );
});

Deno.test("a literal that fits no union variant says why the first failed", () => {
  const R = t.record({ a: t.int }, { name: "R" });
  const lit = toLiteral({ a: "x" }, t.json);
  expectError(
    () => fromLiteral(lit, t.union(R, t.string)),
    'value: a binary (tag "msgpack") matches no variant of R | string (as R: .a: expected an integer, got string "x")',
    "value",
  );
});
