/**
 * Attribute paths into msgpack Binary literals (issue 15, item 4), rule by
 * rule as propeller's attr_path_resolver.go resolves them.
 */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import {
  BindingDataSchema,
  type Literal,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type PromiseAttribute,
  PromiseAttributeSchema,
} from "@flyteidl/core/types_pb.ts";
import { followAttrPath } from "../../src/sandbox/engine/attr_path.ts";
import { resolveBindingData } from "../../src/sandbox/engine/bindings.ts";
import {
  msgpackArrayItems,
  msgpackItem,
  msgpackMapGet,
  MsgpackWalkError,
} from "../../src/sandbox/engine/msgpack_walk.ts";
import { NodeFailure } from "../../src/sandbox/engine/errors.ts";
import { F64, packMsgpack, unpackMsgpack } from "../../src/types/msgpack.ts";

const binary = (value: unknown, tag = "msgpack"): Literal =>
  create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "binary",
          value: { value: packMsgpack(value).slice(), tag },
        },
      },
    },
  });

const path = (...steps: (string | number)[]): PromiseAttribute[] =>
  steps.map((s) =>
    create(PromiseAttributeSchema, {
      value: typeof s === "number"
        ? { case: "intValue", value: s }
        : { case: "stringValue", value: s },
    })
  );

function binaryOf(lit: Literal): { value: Uint8Array; tag: string } {
  assert(lit.value.case === "scalar", `not a scalar: ${lit.value.case}`);
  const sv = lit.value.value.value;
  assert(sv.case === "binary", `not a binary: ${sv.case}`);
  return sv.value;
}

function primitiveOf(lit: Literal): { case?: string; value?: unknown } {
  assert(lit.value.case === "scalar", `not a scalar: ${lit.value.case}`);
  const sv = lit.value.value.value;
  assert(sv.case === "primitive", `not a primitive: ${sv.case}`);
  return sv.value.value;
}

// A pydantic model / dataclass as flytekit writes it (mashumaro + msgpack).
const MODEL = {
  name: "bm",
  count: 3,
  big: 1n << 40n,
  ratio: new F64(0.5),
  ok: true,
  my_floats: [new F64(1), new F64(2.5), new F64(-3)],
  inner: { a: 1, b: [new F64(2)], none: null },
  items: [{ name: "first" }, { name: "second" }],
  file: { path: "s3://my-s3-bucket/data/x.csv", metadata: { format: "csv" } },
  sd: { uri: "s3://my-s3-bucket/data/sd", file_format: "parquet" },
  nothing: null,
};

Deno.test("attr path: a list attribute becomes a collection of msgpack Binaries, floats kept float64", () => {
  const got = followAttrPath(binary(MODEL), path("my_floats"), "n0.o0");
  assert(got.value.case === "collection");
  const items = got.value.value.literals.map(binaryOf);
  assertEquals(items.map((b) => b.tag), ["msgpack", "msgpack", "msgpack"]);
  // 1.0 stays a float64 (0xcb), as flytekit's float transformer needs.
  assertEquals([...items[0].value], [0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
  assertEquals(items.map((b) => unpackMsgpack(b.value)), [1, 2.5, -3]);
});

Deno.test("attr path: scalars become primitives (str, int, 64-bit int, float, bool)", () => {
  const m = binary(MODEL);
  assertEquals(primitiveOf(followAttrPath(m, path("name"), "n.o")), {
    case: "stringValue",
    value: "bm",
  });
  assertEquals(primitiveOf(followAttrPath(m, path("count"), "n.o")), {
    case: "integer",
    value: 3n,
  });
  assertEquals(primitiveOf(followAttrPath(m, path("big"), "n.o")), {
    case: "integer",
    value: 1n << 40n,
  });
  assertEquals(primitiveOf(followAttrPath(m, path("ratio"), "n.o")), {
    case: "floatValue",
    value: 0.5,
  });
  assertEquals(primitiveOf(followAttrPath(m, path("ok"), "n.o")), {
    case: "boolean",
    value: true,
  });
  assertEquals(
    primitiveOf(followAttrPath(m, path("my_floats", 1), "n.o")),
    { case: "floatValue", value: 2.5 },
  );
  assertEquals(
    primitiveOf(followAttrPath(m, path("items", 1, "name"), "n.o")),
    { case: "stringValue", value: "second" },
  );
});

Deno.test("attr path: a nested object stays a msgpack Binary of exactly its bytes", () => {
  const m = binary(MODEL);
  const inner = binaryOf(followAttrPath(m, path("inner"), "n.o"));
  assertEquals(inner.tag, "msgpack");
  assertEquals(inner.value, packMsgpack(MODEL.inner).slice());
  assertEquals(unpackMsgpack(inner.value), { a: 1, b: [2], none: null });
  // Nested further: a list inside the nested object.
  const b = followAttrPath(m, path("inner", "b"), "n.o");
  assert(b.value.case === "collection");
  assertEquals(b.value.value.literals.length, 1);
  // nil is not a primitive: it stays a msgpack Binary (0xc0).
  assertEquals([...binaryOf(followAttrPath(m, path("nothing"), "n.o")).value], [
    0xc0,
  ]);
});

Deno.test("attr path: FlyteFile and StructuredDataset dicts stay msgpack Binaries flytekit's transformers read", () => {
  const m = binary(MODEL);
  const file = binaryOf(followAttrPath(m, path("file"), "n.o"));
  assertEquals(unpackMsgpack(file.value), MODEL.file);
  const sd = binaryOf(followAttrPath(m, path("sd"), "n.o"));
  assertEquals(unpackMsgpack(sd.value), MODEL.sd);
  assertEquals(file.tag, "msgpack");
});

Deno.test("attr path: through literal maps and collections, then into the Binary", () => {
  const list = create(LiteralSchema, {
    value: {
      case: "collection",
      value: { literals: [binary({ x: 7 }), binary({ x: 8 })] },
    },
  });
  assertEquals(primitiveOf(followAttrPath(list, path(1, "x"), "n.o")), {
    case: "integer",
    value: 8n,
  });
  const map = create(LiteralSchema, {
    value: { case: "map", value: { literals: { k: binary([1, 2]) } } },
  });
  // The path ends at the Binary: a list in it still becomes a collection.
  const got = followAttrPath(map, path("k"), "n.o");
  assert(got.value.case === "collection");
  assertEquals(got.value.value.literals.length, 2);
});

Deno.test("attr path: bad paths fail with PromiseAttributeResolveError naming the output and step", () => {
  const m = binary(MODEL);
  const cases: [PromiseAttribute[], string][] = [
    [path("missing"), "n0.o0: key .missing does not exist"],
    [path("my_floats", 3), "index [3] is out of range (the list has 3 items)"],
    [path("my_floats", -1), "index [-1] is out of range"],
    [path(0), "attribute [0]: a map (dataclass field) needs a string key"],
    [path("my_floats", "x"), "attribute .x: a list needs an integer index"],
    [path("name", "x"), "cannot follow attribute .x of a msgpack str"],
  ];
  for (const [p, msg] of cases) {
    const e = assertThrows(
      () => followAttrPath(m, p, "n0.o0"),
      NodeFailure,
      msg,
    );
    assertEquals(e.code, "PromiseAttributeResolveError");
  }
  assertThrows(
    () => followAttrPath(binary(MODEL, "json"), path("name"), "n0.o0"),
    NodeFailure,
    "format 'json' (only 'msgpack' is supported)",
  );
  assertThrows(
    () => followAttrPath(binary(1n << 63n), [], "n0.o0"),
    NodeFailure,
    "does not fit an int64",
  );
  const broken = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "binary",
          value: { value: new Uint8Array([0x82, 0xa1]), tag: "msgpack" },
        },
      },
    },
  });
  assertThrows(
    () => followAttrPath(broken, path("a"), "n0.o0"),
    NodeFailure,
    "malformed msgpack value",
  );
  const prim = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "integer", value: 1n } },
        },
      },
    },
  });
  assertThrows(
    () => followAttrPath(prim, path("a"), "n0.o0"),
    NodeFailure,
    "cannot follow attribute .a of a primitive literal",
  );
});

Deno.test("attr path: a generic Struct (older flytekit dataclasses) is still walked as JSON", () => {
  const generic = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: { case: "generic", value: { a: { b: [1.5, "x"] } } as never },
      },
    },
  });
  assertEquals(primitiveOf(followAttrPath(generic, path("a", "b", 0), "n.o")), {
    case: "floatValue",
    value: 1.5,
  });
  assertEquals(primitiveOf(followAttrPath(generic, path("a", "b", 1), "n.o")), {
    case: "stringValue",
    value: "x",
  });
});

Deno.test("attr path: a promise binding with an attribute path resolves through the Binary", () => {
  const outputs = create(LiteralMapSchema, {
    literals: { o0: binary(MODEL) },
  });
  const b = create(BindingDataSchema, {
    value: {
      case: "promise",
      value: { nodeId: "n0", var: "o0", attrPath: path("my_floats") },
    },
  });
  const lit = resolveBindingData(b, (id) => id === "n0" ? outputs : undefined);
  assert(lit.value.case === "collection");
  assertEquals(lit.value.value.literals.length, 3);
});

Deno.test("msgpack walk: every format's extent, scalars read as msgpack-python writes them", () => {
  const values: unknown[] = [
    0,
    127,
    -1,
    -32,
    -33,
    255,
    65535,
    1n << 33n,
    -(1n << 40n),
    new F64(1),
    0.25,
    "",
    "x".repeat(40),
    "y".repeat(300),
    "z".repeat(70000),
    new Uint8Array(3),
    new Uint8Array(300),
    new Date(0),
    Array.from({ length: 20 }, (_, i) => i),
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    { nested: [{ deep: [[], {}] }] },
    null,
    true,
    false,
  ];
  for (const v of values) {
    const bytes = packMsgpack(v).slice();
    const item = msgpackItem(bytes, 0);
    assertEquals(item.end, bytes.length, `extent of ${String(v)}`);
    if (["int", "float", "str", "bool", "nil"].includes(item.kind)) {
      const want = unpackMsgpack(bytes);
      assertEquals(
        item.value,
        typeof want === "number" && item.kind === "int" ? BigInt(want) : want,
      );
    }
  }
  const f32 = new Uint8Array([0xca, 0x3f, 0xc0, 0, 0]); // float32 1.5
  assertEquals(msgpackItem(f32, 0).value, 1.5);
  const arr = packMsgpack([1, "two", { three: 3 }]).slice();
  assertEquals(msgpackArrayItems(arr, 0).map((i) => i.kind), [
    "int",
    "str",
    "map",
  ]);
  const map = packMsgpack({ a: 1, b: [2] }).slice();
  assertEquals(msgpackMapGet(map, 0, "b")?.kind, "array");
  assertEquals(msgpackMapGet(map, 0, "c"), undefined);
  assertThrows(
    () => msgpackItem(new Uint8Array([0xc1]), 0),
    MsgpackWalkError,
    "byte 0xc1 at 0",
  );
  assertThrows(
    () => msgpackItem(new Uint8Array([0xcb, 0]), 0),
    MsgpackWalkError,
    "truncated",
  );
});
