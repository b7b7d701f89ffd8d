/**
 * The record type of the vocabulary (src/types/vocabulary/records.ts):
 * `t.record`, flytekit's dataclass and pydantic encodings.
 *
 * Literals hand-built from flytekit 1.16's documented encodings
 * (../shared/reference/flytekit-literals.md), compared field by field with
 * what the engine writes, byte by byte where the encoding is fixed, and read
 * back (the byte strings were also checked against flytekit 1.16.31's
 * TypeEngine output; tests/integration/golden_literals_test.ts has flytekit
 * write them at test time), and round trips value -> literal -> bytes ->
 * literal -> value.
 */
import { assertEquals } from "../helpers/assert.ts";
import { create, type JsonObject } from "@bufbuild/protobuf";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  Duration,
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  PreciseDate,
  StructuredDataset,
  t,
  toLiteral,
  typeFromLiteralType,
} from "../../src/types/mod.ts";
import { hex, msgpack, same, scalar, simple } from "../helpers/literals.ts";

// ------------------------------------------------------------ dataclasses

const Inner = t.record({ x: t.float, when: t.datetime }, { name: "Inner" });
const DC = t.record({
  a: t.int,
  b: t.float,
  c: t.string,
  d: t.optional(t.int),
  e: t.list(t.int),
  f: Inner,
  g: t.duration,
  h: t.enum(["A", "B"]),
  i: t.file("csv"),
}, { name: "DC" });

Deno.test("dataclass: the LiteralType flytekit gives it", () => {
  const lt = DC.literalType;
  assertEquals(lt.type, { case: "simple", value: SimpleType.STRUCT });
  assertEquals(lt.annotation?.annotations, {
    "cache-key-metadata": { "serialization-format": "msgpack" },
  });
  assertEquals(lt.structure?.tag, "");
  assertEquals(Object.keys(lt.structure!.dataclassType), [
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
  ]);
  assertEquals(lt.structure!.dataclassType.a, simple(SimpleType.INTEGER));
  // A nested dataclass keeps its own structure for attribute access.
  assertEquals(
    Object.keys(lt.structure!.dataclassType.f.structure!.dataclassType),
    ["x", "when"],
  );
  const schema = lt.metadata!;
  assertEquals(schema.type, "object");
  assertEquals(schema.title, "DC");
  assertEquals(schema.additionalProperties, false);
  assertEquals(schema.required, ["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
  const props = schema.properties as JsonObject;
  assertEquals(props.a, { type: "integer" });
  assertEquals(props.b, { type: "number" });
  assertEquals(props.d, { anyOf: [{ type: "integer" }, { type: "null" }] });
  assertEquals(props.e, { type: "array", items: { type: "integer" } });
  assertEquals((props.f as JsonObject).title, "Inner");
  assertEquals((props.f as JsonObject).properties, {
    x: { type: "number" },
    when: { type: "string", format: "date-time" },
  });
  assertEquals(props.h, { enum: ["A", "B"] });
  assertEquals(schema.$schema, undefined);
});

// DC(a=1, b=2.0, c="x", d=None, e=[1, 2],
//    f=Inner(x=0.5, when=datetime(2024,1,2,3,4,5,123456,tzinfo=timezone.utc)),
//    g=timedelta(seconds=90), h=E.B, i=FlyteFile("s3://b/f.csv"))
const DC_BYTES = [
  "89",
  "a1 61 01", // a: 1
  "a1 62 cb 40 00 00 00 00 00 00 00", // b: 2.0 (float64 even when integral)
  "a1 63 a1 78", // c: "x"
  "a1 64 c0", // d: None kept as nil
  "a1 65 92 01 02", // e: [1, 2]
  "a1 66 82 a1 78 cb 3f e0 00 00 00 00 00 00", // f: {x: 0.5,
  "a4 77 68 65 6e d9 20", // when: str8 of 32 bytes
  hex(new TextEncoder().encode("2024-01-02T03:04:05.123456+00:00")),
  "a1 67 cb 40 56 80 00 00 00 00 00", // g: 90.0 seconds
  "a1 68 a1 42", // h: "B" (the value)
  "a1 69 81 a4 70 61 74 68 ac", // i: {"path": str of 12
  hex(new TextEncoder().encode("s3://b/f.csv")),
].join(" ");

const dcValue = {
  a: 1,
  b: 2,
  c: "x",
  d: null,
  e: [1, 2],
  f: {
    x: 0.5,
    when: new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456_000),
  },
  g: new Duration(90),
  h: "B" as const,
  i: new FlyteFile("s3://b/f.csv", { format: "csv" }),
};

Deno.test("dataclass: msgpack bytes field by field, and read back", () => {
  same(toLiteral(dcValue, DC), msgpack(DC_BYTES));
  assertEquals(fromLiteral(msgpack(DC_BYTES), DC), dcValue);
  // Read through the remote form of the type, no hints needed.
  const remote = typeFromLiteralType(DC.literalType);
  assertEquals(fromLiteral(msgpack(DC_BYTES), remote), dcValue);
});

Deno.test("dataclass: what Python writes reads as sensible JS values", () => {
  // A naive datetime (isoformat without offset) is taken as UTC; pydantic
  // writes "Z" and ISO-8601 durations; uint64 ints; an int in a float field.
  const R = t.record({
    naive: t.datetime,
    zulu: t.datetime,
    offset: t.datetime,
    iso: t.duration,
    secs: t.duration,
    big: t.int,
    f: t.float,
  });
  const enc = (s: string) => new TextEncoder().encode(s);
  const strHex = (s: string) => {
    const b = enc(s);
    return (b.length < 32
      ? (0xa0 | b.length).toString(16)
      : "d9 " + b.length.toString(16).padStart(2, "0")) + " " + hex(b);
  };
  const raw = [
    "87",
    strHex("naive"),
    strHex("2024-01-02T03:04:05.123456"),
    strHex("zulu"),
    strHex("2024-01-02T03:04:05Z"),
    strHex("offset"),
    strHex("2024-01-02T05:04:05+02:00"),
    strHex("iso"),
    strHex("PT1M30.5S"),
    strHex("secs"),
    "cb 3f f8 00 00 00 00 00 00",
    strHex("big"),
    "cf 00 00 00 01 00 00 00 00",
    strHex("f"),
    "03",
  ].join(" ");
  const v = fromLiteral(msgpack(raw), R);
  assertEquals(v.naive.toISOString(), "2024-01-02T03:04:05.123Z");
  assertEquals((v.naive as PreciseDate).subMillisecondNanos, 456_000);
  assertEquals(v.zulu.toISOString(), "2024-01-02T03:04:05.000Z");
  assertEquals(v.offset.toISOString(), "2024-01-02T03:04:05.000Z");
  assertEquals(v.iso.toMillis(), 90_500);
  assertEquals(v.secs.toMillis(), 1500);
  assertEquals(v.big, 2 ** 32);
  assertEquals(v.f, 3);
});

Deno.test("dataclass: the old generic (Struct) form reads, ints re-cast", () => {
  const generic = scalar({
    case: "generic",
    value: {
      a: 1, // every number is a double in a Struct
      b: 2,
      c: "x",
      d: null,
      e: [1, 2],
      f: { x: 0.5, when: "2024-01-02T03:04:05.123456+00:00" },
      g: 90,
      h: "B",
      i: { path: "s3://b/f.csv" },
    } as JsonObject,
  });
  assertEquals(fromLiteral(generic, DC), dcValue);
});

Deno.test("Flyte types inside a dataclass: their schemas and msgpack forms", () => {
  const D = t.record({
    dd: t.directory(),
    sd: t.dataframe(),
    m: t.map(t.int),
    ff: t.file(),
  }, { name: "D" });
  const props = D.literalType.metadata!.properties as JsonObject;
  const path = {
    anyOf: [{ type: "string" }, { type: "string", format: "path" }],
    default: null,
  };
  assertEquals(props.dd, {
    type: "object",
    title: "FlyteDirectory",
    properties: { path },
    additionalProperties: false,
  });
  assertEquals(props.ff, {
    type: "object",
    title: "FlyteFile",
    properties: {
      path,
      metadata: {
        anyOf: [
          {
            type: "object",
            additionalProperties: { type: "string" },
            propertyNames: { type: "string" },
          },
          { type: "null" },
        ],
        default: null,
      },
    },
    additionalProperties: false,
  });
  assertEquals(props.sd, {
    type: "object",
    title: "StructuredDataset",
    properties: {
      uri: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
      file_format: {
        anyOf: [{ type: "string" }, { type: "null" }],
        default: "",
      },
    },
    additionalProperties: false,
  });
  assertEquals(props.m, {
    type: "object",
    additionalProperties: { type: "integer" },
    propertyNames: { type: "string" },
  });
  // {'dd': {'path': 's3://b/d'}, 'sd': {'uri': 's3://b/sd', 'file_format':
  //  'parquet'}, 'm': {'a': 1}, 'ff': {'path': 's3://b/f', 'metadata': {'k': 'v'}}}
  const enc = (s: string) => {
    const b = new TextEncoder().encode(s);
    return (0xa0 | b.length).toString(16) + " " + hex(b);
  };
  const py = [
    "84",
    enc("dd"),
    "81",
    enc("path"),
    enc("s3://b/d"),
    enc("sd"),
    "82",
    enc("uri"),
    enc("s3://b/sd"),
    enc("file_format"),
    enc("parquet"),
    enc("m"),
    "81",
    enc("a"),
    "01",
    enc("ff"),
    "82",
    enc("path"),
    enc("s3://b/f"),
    enc("metadata"),
    "81",
    enc("k"),
    enc("v"),
  ].join(" ");
  const value = {
    dd: new FlyteDirectory("s3://b/d"),
    sd: new StructuredDataset("s3://b/sd", { format: "parquet" }),
    m: { a: 1 },
    ff: new FlyteFile("s3://b/f", { metadata: { k: "v" } }),
  };
  same(toLiteral(value, D), msgpack(py));
  assertEquals(fromLiteral(msgpack(py), D), value);
});

Deno.test("dataclass fields with Python defaults may be left out (remote types)", () => {
  // @dataclass class P: a: int; b: int = 3; c: Optional[str] = None
  const lt = create(LiteralTypeSchema, {
    type: { case: "simple", value: SimpleType.STRUCT },
    metadata: {
      type: "object",
      title: "P",
      properties: {
        a: { type: "integer" },
        b: { type: "integer", default: 3 },
        c: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
      },
      additionalProperties: false,
      required: ["a"],
    },
    structure: {
      dataclassType: {
        a: simple(SimpleType.INTEGER),
        b: simple(SimpleType.INTEGER),
        c: t.optional(t.string).literalType,
      },
    },
  });
  const P = typeFromLiteralType(lt);
  // {"a": 1} only: Python fills b=3 and c=None.
  same(toLiteral({ a: 1 }, P), msgpack("81 a1 61 01"));
  same(toLiteral({ a: 1, b: 4 }, P), msgpack("82 a1 61 01 a1 62 04"));
  assertEquals(fromLiteral(msgpack("81 a1 61 01"), P), { a: 1 });
  // The type goes back to the server exactly as it came.
  assertEquals(P.literalType, lt);
  // Without the schema's default, a field is required.
  let message = "";
  try {
    toLiteral({ b: 1 }, P);
  } catch (e) {
    message = (e as Error).message;
  }
  assertEquals(message, 'value.a: missing required field "a" of P');
});
