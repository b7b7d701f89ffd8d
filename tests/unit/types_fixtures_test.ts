/**
 * Fixtures: literals hand-built from flytekit 1.16's documented encodings
 * (../shared/reference/flytekit-literals.md), compared field by field with
 * what the engine writes, byte by byte where the encoding is fixed, and read
 * back. The byte strings below were also checked against flytekit 1.16.31's
 * TypeEngine output; the conformance suite later adds files written by
 * flytekit itself.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  create,
  fromBinary,
  type JsonObject,
  toBinary,
} from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import {
  BlobType_BlobDimensionality,
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
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

const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
const bytes = (h: string) =>
  new Uint8Array(h.trim().split(/\s+/).map((x) => parseInt(x, 16)));

function scalar(value: unknown, metadata?: Record<string, string>): Literal {
  return create(LiteralSchema, {
    value: { case: "scalar", value: { value: value as never } },
    ...(metadata ? { metadata } : {}),
  });
}
const prim = (value: unknown) =>
  scalar({ case: "primitive", value: { value: value as never } });
const simple = (s: SimpleType): LiteralType =>
  create(LiteralTypeSchema, { type: { case: "simple", value: s } });
const msgpack = (h: string) =>
  scalar({ case: "binary", value: { value: bytes(h), tag: "msgpack" } });

function same(ours: Literal, theirs: Literal) {
  assertEquals(ours, theirs);
  assertEquals(
    fromBinary(LiteralSchema, toBinary(LiteralSchema, ours)),
    fromBinary(LiteralSchema, toBinary(LiteralSchema, theirs)),
  );
}

// ------------------------------------------------------------ primitives

Deno.test("primitives: oneof members written even at their zero values", () => {
  // Literal{scalar=1{primitive=1{integer=1: 0}}}
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(0, t.int))),
    "0a 04 0a 02 08 00",
  );
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral("", t.string))),
    "0a 04 0a 02 1a 00",
  );
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(false, t.bool))),
    "0a 04 0a 02 20 00",
  );
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(0, t.float))),
    "0a 0b 0a 09 11 00 00 00 00 00 00 00 00",
  );
  // none_type {} is present: Literal{scalar{none_type=5{}}}
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(null, t.none))),
    "0a 02 2a 00",
  );
  // int64 -1 is a ten-byte varint.
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(-1, t.int))),
    "0a 0d 0a 0b 08 ff ff ff ff ff ff ff ff ff 01",
  );
});

Deno.test("primitives: the LiteralTypes and literals flytekit writes", () => {
  same(toLiteral(42, t.int), prim({ case: "integer", value: 42n }));
  same(toLiteral(1.5, t.float), prim({ case: "floatValue", value: 1.5 }));
  same(toLiteral("s", t.string), prim({ case: "stringValue", value: "s" }));
  same(toLiteral(true, t.bool), prim({ case: "boolean", value: true }));
  assertEquals(t.int.literalType, simple(SimpleType.INTEGER));
  assertEquals(t.bigint.literalType, simple(SimpleType.INTEGER));
  assertEquals(t.float.literalType, simple(SimpleType.FLOAT));
  assertEquals(t.string.literalType, simple(SimpleType.STRING));
  assertEquals(t.bool.literalType, simple(SimpleType.BOOLEAN));
  assertEquals(t.none.literalType, simple(SimpleType.NONE));
  assertEquals(t.datetime.literalType, simple(SimpleType.DATETIME));
  assertEquals(t.duration.literalType, simple(SimpleType.DURATION));
  // Flytekit's readers: a FLOAT reader takes an integer; an INTEGER reader
  // takes a float (we refuse fractional ones instead of truncating).
  assertEquals(fromLiteral(prim({ case: "integer", value: 3n }), t.float), 3);
  assertEquals(fromLiteral(prim({ case: "floatValue", value: 3 }), t.int), 3);
  // Every simple reader also takes a msgpack binary.
  assertEquals(fromLiteral(msgpack("2a"), t.int), 42);
  assertEquals(fromLiteral(msgpack("a1 78"), t.string), "x");
  assertEquals(fromLiteral(msgpack("c3"), t.bool), true);
  assertEquals(
    fromLiteral(msgpack("cb 3f f8 00 00 00 00 00 00"), t.float),
    1.5,
  );
});

Deno.test("datetime: Timestamp in UTC with sub-second precision; duration signs", () => {
  const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 123);
  same(
    toLiteral(new PreciseDate(ms, 456_000), t.datetime),
    prim({
      case: "datetime",
      value: { seconds: BigInt(Math.floor(ms / 1000)), nanos: 123_456_000 },
    }),
  );
  // Before 1970: nanos stay positive, seconds go down.
  same(
    toLiteral(new Date(-1), t.datetime),
    prim({ case: "datetime", value: { seconds: -1n, nanos: 999_000_000 } }),
  );
  // A Python datetime with microseconds reads back exactly.
  const back = fromLiteral(
    prim({
      case: "datetime",
      value: { seconds: 1704164645n, nanos: 123_456_000 },
    }),
    t.datetime,
  );
  assertEquals(back.toISOString(), "2024-01-02T03:04:05.123Z");
  assert(back instanceof PreciseDate && back.subMillisecondNanos === 456_000);
  // Negative durations: seconds and nanos share the sign.
  same(
    toLiteral(Duration.fromMillis(-1500), t.duration),
    prim({ case: "duration", value: { seconds: -1n, nanos: -500_000_000 } }),
  );
  assertEquals(
    fromLiteral(
      prim({ case: "duration", value: { seconds: -2n, nanos: -250_000_000 } }),
      t.duration,
    ).toMillis(),
    -2250,
  );
});

// ------------------------------------------------------------ containers

Deno.test("lists and dicts: collection and map literals", () => {
  assertEquals(
    t.list(t.int).literalType,
    create(LiteralTypeSchema, {
      type: { case: "collectionType", value: simple(SimpleType.INTEGER) },
    }),
  );
  assertEquals(
    t.map(t.string).literalType,
    create(LiteralTypeSchema, {
      type: { case: "mapValueType", value: simple(SimpleType.STRING) },
    }),
  );
  same(
    toLiteral([1, 2], t.list(t.int)),
    create(LiteralSchema, {
      value: {
        case: "collection",
        value: {
          literals: [
            prim({ case: "integer", value: 1n }),
            prim({ case: "integer", value: 2n }),
          ],
        },
      },
    }),
  );
  same(
    toLiteral({ k: "v" }, t.map(t.string)),
    create(LiteralSchema, {
      value: {
        case: "map",
        value: { literals: { k: prim({ case: "stringValue", value: "v" }) } },
      },
    }),
  );
});

Deno.test("untyped dict: STRUCT with the msgpack annotation, no metadata; msgpack bytes", () => {
  assertEquals(
    t.json.literalType,
    create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.STRUCT },
      annotation: {
        annotations: {
          "cache-key-metadata": { "serialization-format": "msgpack" },
        },
      },
    }),
  );
  assertEquals(t.json.literalType.metadata, undefined);
  // {"a": 1, "b": [True, None], "c": 1.5, "d": "x"} as packb(use_bin_type=True)
  const py =
    "84 a1 61 01 a1 62 92 c3 c0 a1 63 cb 3f f8 00 00 00 00 00 00 a1 64 a1 78";
  same(
    toLiteral({ a: 1, b: [true, null], c: 1.5, d: "x" }, t.json),
    msgpack(py),
  );
  assertEquals(fromLiteral(msgpack(py)), {
    a: 1,
    b: [true, null],
    c: 1.5,
    d: "x",
  });
  // ints beyond 32 bits are uint64/int64 in msgpack-python; bytes are bin.
  const big =
    "83 a1 75 cf 00 00 00 01 00 00 00 00 a1 6e d3 ff ff ff ff 7f ff ff ff a1 62 c4 02 01 02";
  same(
    toLiteral(
      { u: 2 ** 32, n: -(2 ** 31) - 1, b: new Uint8Array([1, 2]) },
      t.json,
    ),
    msgpack(big),
  );
  // int keys (a Python Dict[int, str]) come back as string keys.
  assertEquals(fromLiteral(msgpack("81 01 a1 61"), t.json), { "1": "a" });
  // The old generic form (with Literal.metadata {"format": "json"}) reads too.
  const generic = scalar(
    { case: "generic", value: { a: 1, b: ["x"] } as JsonObject },
    { format: "json" },
  );
  assertEquals(fromLiteral(generic, t.json), { a: 1, b: ["x"] });
  assertEquals(fromLiteral(generic), { a: 1, b: ["x"] });
});

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

// ------------------------------------------------------------ enum, union

Deno.test("enum: enum_type with the values, literal the string value", () => {
  const E = t.enum(["red", "green"]);
  assertEquals(
    E.literalType,
    create(LiteralTypeSchema, {
      type: { case: "enumType", value: { values: ["red", "green"] } },
    }),
  );
  same(toLiteral("green", E), prim({ case: "stringValue", value: "green" }));
});

function tagged(lt: LiteralType, tag: string): LiteralType {
  return create(LiteralTypeSchema, {
    type: lt.type,
    metadata: lt.metadata,
    annotation: lt.annotation,
    structure: { tag },
  });
}

Deno.test("union: variants with structure tags; Optional[int] holding None", () => {
  const O = t.optional(t.int);
  assertEquals(
    O.literalType,
    create(LiteralTypeSchema, {
      type: {
        case: "unionType",
        value: {
          variants: [
            tagged(simple(SimpleType.INTEGER), "int"),
            tagged(simple(SimpleType.NONE), "none"),
          ],
        },
      },
    }),
  );
  const none = scalar({
    case: "union",
    value: {
      value: scalar({ case: "noneType", value: {} }),
      type: tagged(simple(SimpleType.NONE), "none"),
    },
  });
  same(toLiteral(null, O), none);
  assertEquals(fromLiteral(none, O), null);
  same(
    toLiteral(3, O),
    scalar({
      case: "union",
      value: {
        value: prim({ case: "integer", value: 3n }),
        type: tagged(simple(SimpleType.INTEGER), "int"),
      },
    }),
  );
  // Record variants: structure replaced by the tag (dataclass_type dropped).
  const U = t.union(
    t.string,
    DC,
    t.list(t.int),
    t.map(t.int),
    t.file(),
    t.json,
  );
  const vts =
    (U.literalType.type.value as { variants: LiteralType[] }).variants;
  assertEquals(vts.map((v) => v.structure?.tag), [
    "str",
    "Object-Dataclass-Transformer",
    "Typed List",
    "Typed Dict",
    "FlyteFilePath",
    "Typed Dict",
  ]);
  assertEquals(vts[1].structure?.dataclassType, {});
  assertEquals(vts[1].metadata, DC.literalType.metadata);
  // A literal without the union wrapper is tried against every variant.
  assertEquals(fromLiteral(prim({ case: "integer", value: 4n }), O), 4);
  // Tags pick the variant: a float literal tagged "float" in int | float.
  const N = t.union(t.int, t.float);
  const tagFloat = scalar({
    case: "union",
    value: {
      value: prim({ case: "floatValue", value: 2 }),
      type: tagged(simple(SimpleType.FLOAT), "float"),
    },
  });
  assertEquals(fromLiteral(tagFloat, N), 2);
  same(
    toLiteral(2.5, N),
    scalar({
      case: "union",
      value: {
        value: prim({ case: "floatValue", value: 2.5 }),
        type: tagged(simple(SimpleType.FLOAT), "float"),
      },
    }),
  );
});

// ------------------------------------------------------------ blobs, datasets

Deno.test("files and directories: blob literals with the BlobType, metadata kept", () => {
  const bare = t.file();
  assertEquals(
    bare.literalType,
    create(LiteralTypeSchema, {
      type: {
        case: "blob",
        value: {
          format: "",
          dimensionality: BlobType_BlobDimensionality.SINGLE,
        },
      },
    }),
  );
  // blob.metadata.type {} is present even when the format is "" and SINGLE:
  // Literal{scalar{blob=2{metadata=1{type=1{}} uri=3 "s3://a"}}}
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral("s3://a", bare))),
    "0a 0e 12 0c 0a 02 0a 00 1a 06 " + hex(new TextEncoder().encode("s3://a")),
  );
  const withMd = scalar({
    case: "blob",
    value: {
      metadata: { type: { format: "csv", dimensionality: 0 } },
      uri: "s3://b/x.csv",
    },
  }, { owner: "me" });
  same(
    toLiteral(
      new FlyteFile("s3://b/x.csv", { metadata: { owner: "me" } }),
      t.file("csv"),
    ),
    withMd,
  );
  assertEquals(
    fromLiteral(withMd),
    new FlyteFile("s3://b/x.csv", { format: "csv", metadata: { owner: "me" } }),
  );
  const dir = scalar({
    case: "blob",
    value: {
      metadata: {
        type: {
          format: "",
          dimensionality: BlobType_BlobDimensionality.MULTIPART,
        },
      },
      uri: "s3://b/dir",
    },
  });
  same(toLiteral("s3://b/dir", t.directory()), dir);
  assertEquals(
    fromLiteral(dir, t.directory()),
    new FlyteDirectory("s3://b/dir"),
  );
  // A pickle (FlytePickle) comes back as a reference to the file.
  const pickleType = create(LiteralTypeSchema, {
    type: {
      case: "blob",
      value: { format: "PythonPickle", dimensionality: 0 },
    },
    metadata: { python_class_name: "typing.Any" },
  });
  const pickle = scalar({
    case: "blob",
    value: {
      metadata: { type: { format: "PythonPickle" } },
      uri: "s3://p/abc",
    },
  });
  assertEquals(
    fromLiteral(pickle, pickleType),
    new FlyteFile("s3://p/abc", { format: "PythonPickle" }),
  );
});

Deno.test("structured datasets: uri with the type, format from the value when the type has none", () => {
  const cols = t.dataframe({ a: t.int, b: t.string }, "");
  const sdt = {
    columns: [
      { name: "a", literalType: simple(SimpleType.INTEGER) },
      { name: "b", literalType: simple(SimpleType.STRING) },
    ],
    format: "",
  };
  assertEquals(
    cols.literalType,
    create(LiteralTypeSchema, {
      type: { case: "structuredDatasetType", value: sdt },
    }),
  );
  same(
    toLiteral(new StructuredDataset("s3://b/df", { format: "parquet" }), cols),
    scalar({
      case: "structuredDataset",
      value: {
        uri: "s3://b/df",
        metadata: { structuredDatasetType: { ...sdt, format: "parquet" } },
      },
    }),
  );
  const typed = t.dataframe(undefined, "csv");
  assertEquals(
    fromLiteral(
      toLiteral(
        new StructuredDataset("s3://b/df", { format: "parquet" }),
        typed,
      ),
    ),
    new StructuredDataset("s3://b/df", { format: "csv" }),
  );
  // The legacy FlyteSchema literal reads as a parquet dataset.
  const schema = scalar({
    case: "schema",
    value: { uri: "s3://b/s", type: { columns: [] } },
  });
  assertEquals(
    fromLiteral(schema),
    new StructuredDataset("s3://b/s", { format: "parquet" }),
  );
});

Deno.test("FlyteError: scalar.error reads as a value", () => {
  const err = scalar({
    case: "error",
    value: { failedNodeId: "n1", message: "boom" },
  });
  const v = fromLiteral(err, simple(SimpleType.ERROR)) as { message: string };
  assertEquals(v.message, "boom");
});

Deno.test("Optional[int] None and a naive datetime: flytekit's exact bytes", () => {
  // TypeEngine.to_literal(None, Optional[int]).SerializeToString()
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral(null, t.optional(t.int)))),
    "0a 14 4a 12 0a 04 0a 02 2a 00 12 0a 08 00 5a 06 0a 04 6e 6f 6e 65",
  );
  // datetime(2024,1,2,3,4,5,123456) (naive, taken as UTC)
  assertEquals(
    hex(toBinary(
      LiteralSchema,
      toLiteral(
        new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456_000),
        t.datetime,
      ),
    )),
    "0a 0f 0a 0d 2a 0b 08 a5 fa cd ac 06 10 80 94 ef 3a",
  );
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
