/**
 * The fast LiteralMap codec gives exactly protobuf-es's bytes and messages,
 * for every kind of literal, and falls back to protobuf-es when it meets
 * something it does not walk itself.
 */
import { assertEquals } from "../helpers/assert.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  Duration,
  FlyteDirectory,
  FlyteFile,
  PreciseDate,
  StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
} from "../../src/types/mod.ts";
import {
  decodeLiteral,
  decodeLiteralMap,
  encodeLiteral,
  encodeLiteralMap,
} from "../../src/types/wire.ts";

function corpus(): Record<string, Literal> {
  const R = t.record({ a: t.int, b: t.optional(t.list(t.float)) });
  return {
    int0: toLiteral(0, t.int),
    intNeg: toLiteral(-123456789, t.int),
    big: toLiteral(-(1n << 63n), t.bigint),
    float: toLiteral(-0.5, t.float),
    float0: toLiteral(0, t.float),
    str: toLiteral("héllo", t.string),
    empty: toLiteral("", t.string),
    boolF: toLiteral(false, t.bool),
    dt: toLiteral(new PreciseDate(-1, 5), t.datetime),
    epoch: toLiteral(new Date(0), t.datetime),
    dur: toLiteral(Duration.fromMillis(-1500), t.duration),
    dur0: toLiteral(new Duration(0), t.duration),
    none: toLiteral(null, t.none),
    list: toLiteral([[1], [], [2, 3]], t.list(t.list(t.int))),
    emptyList: toLiteral([], t.list(t.int)),
    map: toLiteral({ a: { b: "c" }, "": {} }, t.map(t.map(t.string))),
    record: toLiteral({ a: 1, b: [1.5] }, R),
    json: toLiteral({ x: [1, "y", null] }, t.json),
    emptyBinary: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: {
          value: {
            case: "binary",
            value: { tag: "", value: new Uint8Array() },
          },
        },
      },
    }),
    enum: toLiteral("b", t.enum(["a", "b"])),
    union: toLiteral(null, t.optional(t.int)),
    unionNested: toLiteral([1], t.union(t.list(t.int), t.string)),
    file: toLiteral(
      new FlyteFile("s3://f", { metadata: { k: "v", e: "" } }),
      t.file("csv"),
    ),
    dir: toLiteral(new FlyteDirectory("s3://d"), t.directory()),
    sd: toLiteral(
      new StructuredDataset("s3://sd", { format: "parquet" }),
      t.dataframe({ a: t.int }),
    ),
    generic: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: {
          value: { case: "generic", value: { a: 1, b: [true, null, "x"] } },
        },
      },
      metadata: { format: "json" },
    }),
    error: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: {
          value: { case: "error", value: { failedNodeId: "n", message: "m" } },
        },
      },
    }),
    schema: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: {
          value: {
            case: "schema",
            value: { uri: "s3://s", type: { columns: [] } },
          },
        },
      },
    }),
    offloaded: create(LiteralSchema, {
      value: {
        case: "offloadedMetadata",
        value: {
          uri: "s3://o",
          sizeBytes: 99n,
          inferredType: t.int.literalType,
        },
      },
      hash: "abc",
    }),
    hashed: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "noneType", value: {} } },
      },
      hash: "h",
      metadata: { a: "1" },
    }),
    unset: create(LiteralSchema, {}),
    emptyScalar: create(LiteralSchema, {
      value: { case: "scalar", value: {} },
    }),
    emptyPrimitive: create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "primitive", value: {} } },
      },
    }),
    emptyUnion: create(LiteralSchema, {
      value: { case: "scalar", value: { value: { case: "union", value: {} } } },
    }),
  };
}

Deno.test("encodeLiteralMap and decodeLiteralMap equal protobuf-es for every kind of literal", () => {
  const map = create(LiteralMapSchema, { literals: corpus() });
  const expected = toBinary(LiteralMapSchema, map);
  const ours = encodeLiteralMap(map);
  assertEquals(ours, expected);
  assertEquals(
    decodeLiteralMap(expected),
    fromBinary(LiteralMapSchema, expected),
  );
  for (const [name, lit] of Object.entries(corpus())) {
    const b = toBinary(LiteralSchema, lit);
    assertEquals(encodeLiteral(lit), b, name);
    assertEquals(decodeLiteral(b), fromBinary(LiteralSchema, b), name);
  }
});

Deno.test("a whole interface round trips through the fast codec", () => {
  const vars = { xs: t.list(t.int), m: t.map(t.optional(t.string)) };
  const map = toLiteralMap({ xs: [1, 2, 3], m: { a: null, b: "x" } }, vars);
  assertEquals(decodeLiteralMap(encodeLiteralMap(map)), map);
  const empty: LiteralMap = create(LiteralMapSchema, {});
  assertEquals(encodeLiteralMap(empty), new Uint8Array());
  assertEquals(decodeLiteralMap(new Uint8Array()), empty);
});

Deno.test("unknown fields and odd keys fall back to protobuf-es", () => {
  // A Literal with an unknown field 15 inside a LiteralMap entry.
  const lit = toBinary(LiteralSchema, toLiteral(1, t.int));
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).fork()
    .tag(1, WireType.LengthDelimited).string("x")
    .tag(2, WireType.LengthDelimited).fork()
    .raw(lit)
    .tag(15, WireType.Varint).uint32(7)
    .join().join();
  const bytes = w.finish();
  const expected = fromBinary(LiteralMapSchema, bytes);
  assertEquals(decodeLiteralMap(bytes), expected);
  // ... and is written back with it.
  assertEquals(
    encodeLiteralMap(expected),
    toBinary(LiteralMapSchema, expected),
  );
  // A "__proto__" key is decoded by protobuf-es too.
  const proto = create(LiteralMapSchema, {});
  Object.defineProperty(proto.literals, "__proto__", {
    value: toLiteral(1, t.int),
    enumerable: true,
  });
  const pb = toBinary(LiteralMapSchema, proto);
  assertEquals(decodeLiteralMap(pb), fromBinary(LiteralMapSchema, pb));
});

Deno.test("truncated bytes fail like protobuf-es", () => {
  const b = encodeLiteralMap(toLiteralMap({ s: "abc" }, { s: t.string }));
  const cut = b.subarray(0, b.length - 2);
  let theirs: unknown, ours: unknown;
  try {
    fromBinary(LiteralMapSchema, cut);
  } catch (e) {
    theirs = e;
  }
  try {
    decodeLiteralMap(cut);
  } catch (e) {
    ours = e;
  }
  assertEquals(String(ours), String(theirs));
});

Deno.test("int lists (the bulk fast path) equal protobuf-es, odd elements included", () => {
  let seed = 99;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const edges = [
    0n,
    1n,
    -1n,
    127n,
    128n,
    16383n,
    16384n,
    (1n << 49n) - 1n,
    1n << 49n,
    (1n << 56n) - 1n,
    1n << 56n,
    (1n << 63n) - 1n,
    -(1n << 63n),
    1n << 53n,
  ];
  const ints = [
    ...edges,
    ...Array.from(
      { length: 500 },
      () => BigInt(Math.floor((rand() - 0.5) * 2 ** (rand() * 64))),
    ),
  ].map((x) => BigInt.asIntN(64, x));
  const lits = ints.map((x) => toLiteral(x, t.bigint));
  // Elements the fast paths must leave to the general walk.
  const hashed = toLiteral(5n, t.bigint);
  hashed.hash = "h";
  const meta = toLiteral(6n, t.bigint);
  meta.metadata = { k: "v" };
  lits.splice(3, 0, hashed, meta, toLiteral(1.5, t.float));
  const map = create(LiteralMapSchema, {
    literals: {
      xs: toLiteral(null, t.none),
      ys: { value: { case: "collection", value: { literals: lits } } },
    },
  });
  const expected = toBinary(LiteralMapSchema, map);
  assertEquals(encodeLiteralMap(map), expected);
  assertEquals(
    decodeLiteralMap(expected),
    fromBinary(LiteralMapSchema, expected),
  );
  // An element with an unknown field after its integer.
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).fork()
    .tag(1, WireType.LengthDelimited).string("x")
    .tag(2, WireType.LengthDelimited).fork()
    .tag(2, WireType.LengthDelimited).fork()
    .tag(1, WireType.LengthDelimited).bytes(
      (() => {
        const e = new BinaryWriter();
        e.raw(toBinary(LiteralSchema, toLiteral(7, t.int)))
          .tag(15, WireType.Varint).uint32(1);
        return e.finish();
      })(),
    )
    .join().join().join();
  const odd = w.finish();
  const decoded = decodeLiteralMap(odd);
  assertEquals(decoded, fromBinary(LiteralMapSchema, odd));
  assertEquals(encodeLiteralMap(decoded), toBinary(LiteralMapSchema, decoded));
});
