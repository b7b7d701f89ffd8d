/**
 * Golden literals both ways (issue 15). flytekit 1.16.31's TypeEngine (the
 * project's .venv, run by tests/fixtures/golden/golden.py at test time, so
 * nothing here is copied from its output) writes a Literal and a LiteralType
 * for each value of a table covering every kind of type; our engine
 *
 * 1. reads each Literal with the matching `t.*` type, and with the type made
 *    from flytekit's LiteralType, to the expected JS value;
 * 2. writes that value back to the same bytes as flytekit;
 * 3. declares a LiteralType equal to flytekit's (the JSON schema in a
 *    record's metadata aside, see `sameTypes`);
 * 4. the other way: the values we write are read by flytekit (golden.py
 *    read) to the same Python values as the table's.
 *
 * Byte comparisons are canonical in one respect only: protobuf map fields
 * (LiteralMap.literals; in the LiteralType a union literal carries, the JSON
 * schema Struct and structure.dataclassType) are compared sorted by key. flytekit writes protobuf
 * maps in the order of the C hash table (SerializeToString is not
 * deterministic for maps), so golden.py writes them sorted
 * (deterministic=True) and the test sorts ours the same way. Everything
 * else, msgpack bytes of records and dicts included, is compared as is.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  create,
  fromBinary,
  type JsonValue,
  toBinary,
} from "@bufbuild/protobuf";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import { VariableMapSchema } from "@flyteidl/core/interface_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
} from "@flyteidl/core/types_pb.ts";
import {
  type AnyFlyteType,
  decodeLiteralMap,
  decodeValues,
  Duration,
  encodeLiteral,
  encodeValues,
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  type JsonObject,
  PreciseDate,
  StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
  typeFromLiteralType,
} from "../../src/types/mod.ts";
import { repoRoot } from "../helpers/paths.ts";
import { requireVenvTool, venvBin } from "../helpers/flytekit.ts";

const SCRIPT = `${repoRoot}/tests/fixtures/golden/golden.py`;

async function python(args: string[]): Promise<unknown> {
  await requireVenvTool("python");
  const out = await new Deno.Command(`${venvBin}/python`, {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) {
    throw new Error(
      `golden.py ${args[0]} failed (exit ${out.code}); pydantic and flytekit ` +
        `come from \`deno task setup-python\`:\n${err}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

// ------------------------------------------------------------ the table

const Color = t.enum(["red", "green"]);
const Point = t.record({ x: t.float, y: t.float }, { name: "Point" });
const Shape = t.record({
  name: t.string,
  points: t.list(Point),
  color: Color,
  origin: Point,
  note: t.optional(t.string),
  tags: t.map(t.int),
  when: t.datetime,
  span: t.duration,
  big: t.int,
}, { name: "Shape" });
const Assets = t.record({
  report: t.file(),
  folder: t.directory(),
  table: t.dataframe(),
  maybe: t.optional(t.file()),
}, { name: "Assets" });
const Address = t.record(
  { city: t.string, zip: t.optional(t.string) },
  { name: "Address", pydantic: true },
);
const Person = t.record({
  name: t.string,
  age: t.int,
  address: Address,
  previous: t.list(Address),
  nickname: t.optional(t.string),
  scores: t.map(t.float),
}, { name: "Person", pydantic: true });

const Event = t.record({
  at: t.datetime,
  took: t.duration,
  where: t.optional(Address),
}, { name: "Event", pydantic: true });
const Wrapper = t.record({
  inner: t.optional(Point),
  items: t.list(t.optional(t.int)),
  lookup: t.map(Point),
}, { name: "Wrapper" });

const when = new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456_000);

/** Each case of golden.py: our type and the JS value of flytekit's value. */
const CASES: Record<string, [AnyFlyteType, unknown]> = {
  int: [t.int, 42],
  int_negative: [t.int, -7],
  int_zero: [t.int, 0],
  int_big: [t.bigint, 1n << 60n],
  float: [t.float, 3.25],
  float_whole: [t.float, 2],
  float_negative: [t.float, -0.1],
  str: [t.string, "héllo ✓"],
  str_empty: [t.string, ""],
  bool_true: [t.bool, true],
  bool_false: [t.bool, false],
  datetime: [t.datetime, when],
  datetime_epoch: [t.datetime, new Date(0)],
  timedelta: [t.duration, new Duration(86402, 3000)],
  timedelta_negative: [t.duration, Duration.fromMillis(-1500)],
  list_int: [t.list(t.int), [1, 2, 3]],
  list_empty: [t.list(t.string), []],
  list_nested: [t.list(t.list(t.string)), [["a"], [], ["b", "c"]]],
  dict_int: [t.map(t.int), { b: 2, a: 1 }],
  dict_nested: [
    t.map(t.list(t.map(t.float))),
    { x: [{ p: 1.5 }, {}], y: [] },
  ],
  enum: [Color, "green"],
  optional_none: [t.optional(t.int), null],
  optional_some: [t.optional(t.int), 5],
  union_str: [t.union(t.int, t.string), "x"],
  union_int: [t.union(t.int, t.string), 3],
  optional_list: [t.optional(t.list(t.int)), [4, 5]],
  dataclass: [Shape, {
    name: "tri",
    points: [{ x: 0, y: 0 }, { x: 1, y: 0.5 }],
    color: "green",
    origin: { x: -1.5, y: 2 },
    note: null,
    tags: { a: 1, b: 2 },
    when,
    span: new Duration(90),
    big: 2 ** 40,
  }],
  list_dataclass: [t.list(Point), [{ x: 1, y: 2 }, { x: 3, y: 4 }]],
  dataclass_assets: [Assets, {
    report: new FlyteFile("s3://bucket/report.csv"),
    folder: new FlyteDirectory("s3://bucket/folder"),
    table: new StructuredDataset("s3://bucket/table", { format: "parquet" }),
    maybe: null,
  }],
  pydantic: [Person, {
    name: "Ada",
    age: 36,
    address: { city: "London", zip: null },
    previous: [{ city: "Paris", zip: "75001" }],
    nickname: null,
    scores: { math: 9.5 },
  }],
  pydantic_time: [Event, {
    at: new PreciseDate(Date.UTC(2024, 4, 6, 7, 8, 9), 10_000),
    took: Duration.fromMillis(90_500),
    where: { city: "Oslo", zip: null },
  }],
  dataclass_optional_nested: [Wrapper, {
    inner: { x: 1, y: 2 },
    items: [1, null, 3],
    lookup: { o: { x: 0, y: 0 } },
  }],
  optional_pydantic: [t.optional(Address), { city: "Rome", zip: "00100" }],
  union_dataclass: [t.union(Point, t.int), { x: 5, y: 6 }],
  dict_dataclass: [t.map(Point), { a: { x: 1, y: 1 } }],
  list_optional: [t.list(t.optional(t.string)), ["a", null]],
  file: [t.file(), new FlyteFile("s3://bucket/key.txt")],
  file_csv: [
    t.file("csv"),
    new FlyteFile("s3://bucket/data.csv", {
      format: "csv",
    }),
  ],
  directory: [t.directory(), new FlyteDirectory("s3://bucket/dir")],
  structured_dataset: [t.dataframe(), new StructuredDataset("s3://bucket/sd")],
  optional_file: [
    t.optional(t.file()),
    new FlyteFile("s3://bucket/opt.bin"),
  ],
  list_directory: [t.list(t.directory()), [
    new FlyteDirectory("s3://bucket/d1"),
  ]],
  optional_enum: [t.optional(Color), "red"],
  json_dict: [t.json, { a: 1, b: [1.5, "x", null, true], c: { d: 2 ** 40 } }],
};

// ------------------------------------------------------------ canonical bytes

/** A JSON value (a Struct) with every object's keys sorted. */
function sortedJson(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.keys(v).sort().map((k) => [k, sortedJson(v[k])]),
  );
}

/**
 * A copy of a LiteralType with its protobuf maps sorted by key: the JSON
 * schema in `metadata` (a Struct, whose fields are a map) and the record's
 * `structure.dataclassType`; `keep` may drop parts (see `sameTypes`).
 */
function sortedType(
  lt: LiteralType,
  keep: (md: JsonObject) => JsonObject = (md) => md,
): LiteralType {
  // New objects all the way down: the engine's LiteralTypes are shared.
  const ty = lt.type;
  const type = ty.case === "collectionType" || ty.case === "mapValueType"
    ? { case: ty.case, value: sortedType(ty.value, keep) }
    : ty.case === "unionType"
    ? {
      case: ty.case,
      value: {
        ...ty.value,
        variants: ty.value.variants.map((x) => sortedType(x, keep)),
      },
    }
    : ty;
  const dc = lt.structure?.dataclassType;
  return create(LiteralTypeSchema, {
    ...lt,
    type: type as LiteralType["type"],
    metadata: lt.metadata && sortedJson(keep(lt.metadata)) as JsonObject,
    structure: lt.structure && {
      ...lt.structure,
      dataclassType: Object.fromEntries(
        Object.keys(dc ?? {}).sort().map((k) => [k, sortedType(dc![k], keep)]),
      ),
    },
  });
}

/**
 * A copy of a Literal with its protobuf maps sorted by key: LiteralMaps, and
 * the variant type a union literal carries.
 */
function sortedMaps(
  lit: Literal,
  keep?: (md: JsonObject) => JsonObject,
): Literal {
  const v = lit.value;
  if (v.case === "map") {
    return { ...lit, value: { case: "map", value: sortedMap(v.value, keep) } };
  }
  if (v.case === "collection") {
    return {
      ...lit,
      value: {
        case: "collection",
        value: {
          ...v.value,
          literals: v.value.literals.map((x) => sortedMaps(x, keep)),
        },
      },
    };
  }
  if (v.case === "scalar" && v.value.value.case === "union") {
    const u = v.value.value.value;
    return {
      ...lit,
      value: {
        case: "scalar",
        value: {
          ...v.value,
          value: {
            case: "union",
            value: {
              ...u,
              value: u.value && sortedMaps(u.value, keep),
              type: u.type && sortedType(u.type, keep),
            },
          },
        },
      },
    };
  }
  return lit;
}

function sortedMap(
  m: LiteralMap,
  keep?: (md: JsonObject) => JsonObject,
): LiteralMap {
  const literals: Record<string, Literal> = {};
  for (const k of Object.keys(m.literals).sort()) {
    literals[k] = sortedMaps(
      m.literals[k],
      PYDANTIC_IN_UNION.has(k) ? titleOnly : keep,
    );
  }
  return { ...m, literals };
}

const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/**
 * Cases where a union literal carries a pydantic model's type: its JSON
 * schema (pydantic's `model_json_schema()`: per-field titles, defaults,
 * `$defs`) is compared by its title only, as in `sameTypes`. flytekit reads
 * such a literal by the variant's tag and the Python type, not the schema.
 */
const PYDANTIC_IN_UNION = new Set(["optional_pydantic"]);

const titleOnly = (md: JsonObject): JsonObject =>
  "title" in md ? { title: md.title } : md;

function literalBytes(lit: Literal, name: string): string {
  const keep = PYDANTIC_IN_UNION.has(name) ? titleOnly : undefined;
  return hex(
    toBinary(LiteralSchema, create(LiteralSchema, sortedMaps(lit, keep))),
  );
}

/**
 * Compares our LiteralType with flytekit's, byte for byte, except for a
 * record's JSON schema in `metadata` beyond its `title`: flytekit puts there
 * the schema mashumaro or pydantic makes of the class (defaults, `$defs`,
 * per-field titles), which no TypeScript declaration can reproduce and which
 * neither side reads to convert values. The `title` is kept: flytekit's
 * guess names the class from it.
 */
function sameTypes(ours: LiteralType, theirs: LiteralType, name: string) {
  assertEquals(
    hex(toBinary(LiteralTypeSchema, sortedType(ours, titleOnly))),
    hex(toBinary(LiteralTypeSchema, sortedType(theirs, titleOnly))),
    `${name}: LiteralType`,
  );
}

// ------------------------------------------------------------ the tests

type Written = {
  cases: Record<string, { type: string; literal: string }>;
  literal_map: string;
  variable_map: string;
};

const written = python(["write"]) as Promise<Written>;

Deno.test("golden: flytekit writes every case of the table", async () => {
  const w = await written;
  assertEquals(Object.keys(w.cases).sort(), Object.keys(CASES).sort());
});

for (const [name, [type, expected]] of Object.entries(CASES)) {
  Deno.test(`golden: ${name} read and written back as flytekit does`, async () => {
    const w = await written;
    const theirs = fromBinary(LiteralSchema, b64(w.cases[name].literal));
    const theirType = fromBinary(LiteralTypeSchema, b64(w.cases[name].type));
    // Read with our declared type and with the one made from flytekit's.
    const value = fromLiteral(theirs, type);
    assertEquals(value, expected, `${name}: t.* read`);
    assertEquals(
      fromLiteral(theirs, typeFromLiteralType(theirType)),
      expected,
      `${name}: read with flytekit's LiteralType`,
    );
    // Written back: the same bytes, through protobuf-es and the fast codec.
    // (A datetime read from a naive text, as a dataclass field, goes back
    // naive: a JS Date made from scratch would be written "+00:00".)
    const ours = toLiteral(value, type);
    assertEquals(
      literalBytes(ours, name),
      literalBytes(theirs, name),
      `${name}: bytes`,
    );
    const keep = PYDANTIC_IN_UNION.has(name) ? titleOnly : undefined;
    assertEquals(
      hex(encodeLiteral(create(LiteralSchema, sortedMaps(ours, keep)))),
      literalBytes(theirs, name),
      `${name}: fast codec bytes`,
    );
    sameTypes(type.literalType, theirType, name);
  });
}

Deno.test("golden: flytekit's whole LiteralMap and interface read and written back", async () => {
  const w = await written;
  const map = decodeLiteralMap(b64(w.literal_map));
  const vars = fromBinary(VariableMapSchema, b64(w.variable_map)).variables;
  const expected = Object.fromEntries(
    Object.entries(CASES).map(([k, [, v]]) => [k, v]),
  );
  assertEquals(fromLiteralMap(map, vars), expected);
  const types = Object.fromEntries(
    Object.entries(CASES).map(([k, [ty]]) => [k, ty]),
  );
  const values = fromLiteralMap(map, types);
  assertEquals(values, expected);
  const ours = toLiteralMap(values, types);
  for (const k of Object.keys(CASES)) {
    assertEquals(
      literalBytes(ours.literals[k], k),
      literalBytes(map.literals[k], k),
      `${k}: bytes in the map`,
    );
  }
  const theirBytes = hex(
    toBinary(LiteralMapSchema, create(LiteralMapSchema, sortedMap(map))),
  );
  assertEquals(
    hex(toBinary(LiteralMapSchema, create(LiteralMapSchema, sortedMap(ours)))),
    theirBytes,
  );
  // The direct codec (named values straight from and to bytes) agrees.
  const direct = decodeValues(b64(w.literal_map), types);
  assertEquals(direct, expected);
  const again = decodeLiteralMap(encodeValues(direct, types));
  assertEquals(
    hex(toBinary(LiteralMapSchema, create(LiteralMapSchema, sortedMap(again)))),
    theirBytes,
  );
});

Deno.test("golden: flytekit reads the literals we write to the table's values", async () => {
  const ours: Record<string, string> = {};
  for (const [name, [type, value]] of Object.entries(CASES)) {
    ours[name] = toB64(encodeLiteral(toLiteral(value as never, type)));
  }
  const dir = await Deno.makeTempDir({ prefix: "golden-" });
  try {
    await Deno.writeTextFile(`${dir}/ours.json`, JSON.stringify(ours));
    const read = await python(["read", `${dir}/ours.json`]) as Record<
      string,
      { decoded?: unknown; expected?: unknown; error?: string }
    >;
    assertEquals(Object.keys(read).sort(), Object.keys(CASES).sort());
    const failures = Object.entries(read).filter(([, r]) =>
      r.error !== undefined
    ).map(([k, r]) => `${k}: ${r.error}`);
    assert(failures.length === 0, failures.join("\n"));
    for (const [name, r] of Object.entries(read)) {
      assertEquals(r.decoded, r.expected, `${name}: flytekit read`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
