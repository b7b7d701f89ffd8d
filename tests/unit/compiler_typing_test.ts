/**
 * Literal type compatibility, case by case as Flyte's compiler decides it
 * (the cases of flytepropeller/pkg/compiler/validators/typing_test.go).
 */
import { create } from "@bufbuild/protobuf";
import {
  BlobType_BlobDimensionality,
  type LiteralType,
  LiteralTypeSchema,
  SchemaType_SchemaColumn_SchemaColumnType as Col,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  literalTypeForLiteral,
  literalTypesCompatible as ok,
} from "../../src/sandbox/compiler/mod.ts";

const lt = (init: Parameters<typeof create<typeof LiteralTypeSchema>>[1]) =>
  create(LiteralTypeSchema, init);
const simple = (s: SimpleType) => lt({ type: { case: "simple", value: s } });
const INT = simple(SimpleType.INTEGER);
const FLOAT = simple(SimpleType.FLOAT);
const STR = simple(SimpleType.STRING);
const NONE = simple(SimpleType.NONE);
const STRUCT = simple(SimpleType.STRUCT);
const list = (t: LiteralType) =>
  lt({ type: { case: "collectionType", value: t } });
const map = (t: LiteralType) =>
  lt({ type: { case: "mapValueType", value: t } });
const union = (...variants: LiteralType[]) =>
  lt({ type: { case: "unionType", value: { variants } } });
const tagged = (t: LiteralType, tag: string) =>
  lt({ type: t.type, structure: { tag } });
const enumOf = (...values: string[]) =>
  lt({ type: { case: "enumType", value: { values } } });
const blob = (format: string) =>
  lt({
    type: {
      case: "blob",
      value: { format, dimensionality: BlobType_BlobDimensionality.SINGLE },
    },
  });
const sd = (format: string, columns: [string, LiteralType][] = []) =>
  lt({
    type: {
      case: "structuredDatasetType",
      value: {
        format,
        columns: columns.map(([name, literalType]) => ({ name, literalType })),
      },
    },
  });
const schema = (columns: [string, Col][] = []) =>
  lt({
    type: {
      case: "schema",
      value: { columns: columns.map(([name, type]) => ({ name, type })) },
    },
  });

Deno.test("typing: simple types match exactly, ignoring metadata", () => {
  assert(ok(INT, INT));
  assert(!ok(INT, FLOAT), "integers do not widen to floats");
  assert(!ok(FLOAT, INT));
  assert(!ok(NONE, INT), "void is not an integer");
  assert(
    ok(lt({ type: INT.type, metadata: { a: 1 } }), INT),
    "metadata is ignored",
  );
});

Deno.test("typing: enums and strings convert both ways", () => {
  assert(ok(enumOf("a", "b"), STR));
  assert(ok(STR, enumOf("a", "b")));
  assert(ok(enumOf("a"), enumOf("a")));
  assert(!ok(enumOf("a"), enumOf("b")));
});

Deno.test("typing: unions", () => {
  assert(
    ok(STR, union(tagged(STR, "str"), tagged(INT, "int"))),
    "one variant fits",
  );
  assert(
    !ok(STR, union(tagged(STR, "a"), tagged(STR, "b"))),
    "ambiguous: two variants fit",
  );
  const small = union(tagged(STR, "str"), tagged(INT, "int"));
  const big = union(
    tagged(STR, "str"),
    tagged(INT, "int"),
    tagged(NONE, "none"),
  );
  assert(ok(small, big), "each source variant fits the target");
  assert(!ok(big, small));
  assert(
    !ok(union(tagged(STR, "x")), union(tagged(STR, "y"))),
    "tags must agree",
  );
  assert(ok(union(INT), INT), "a single-variant union unwraps");
  assert(ok(NONE, union(INT, NONE)), "None fits an optional");
});

Deno.test("typing: collections and maps", () => {
  assert(ok(list(INT), list(INT)));
  assert(ok(list(NONE), list(INT)), "an empty collection fits any");
  assert(!ok(list(INT), list(FLOAT)));
  assert(!ok(INT, list(INT)) && !ok(list(INT), INT), "nesting levels differ");
  assert(!ok(list(list(INT)), list(INT)));
  assert(ok(map(INT), map(INT)));
  assert(ok(map(NONE), map(STR)));
  assert(!ok(map(INT), map(FLOAT)));
  assert(!ok(map(INT), list(INT)));
});

Deno.test("typing: blobs, schemas and structured datasets", () => {
  assert(
    ok(blob(""), blob("csv")) && ok(blob("csv"), blob("")),
    "generic blobs",
  );
  assert(ok(blob("csv"), blob("csv")));
  assert(!ok(blob("csv"), blob("parquet")));
  assert(!ok(NONE, blob("")), "blobs are not nullable in bindings");

  const wide = schema([["a", Col.INTEGER], ["b", Col.STRING]]);
  const narrow = schema([["a", Col.INTEGER]]);
  assert(ok(wide, narrow), "a subset of columns");
  assert(!ok(narrow, wide));
  assert(ok(schema(), narrow) && ok(narrow, schema()), "generic schemas");
  assert(!ok(schema([["a", Col.STRING]]), narrow), "column types must match");

  assert(ok(sd("parquet"), sd("parquet")));
  assert(
    ok(sd(""), sd("csv")) && ok(sd("csv"), sd("")),
    "empty format is generic",
  );
  assert(!ok(sd("csv"), sd("parquet")));
  assert(ok(NONE, sd("")), "structured datasets are nullable");
  assert(ok(sd("", [["a", INT], ["b", STR]]), sd("", [["a", INT]])));
  assert(!ok(sd("", [["a", INT]]), sd("", [["a", INT], ["b", STR]])));
  assert(ok(sd("", [["a", INT]]), narrow), "dataset into schema");
  assert(ok(narrow, sd("", [["a", INT]])), "schema into dataset");
  assert(!ok(narrow, sd("csv", [["a", INT]])), "schemas are parquet only");
});

Deno.test("typing: structs compare their JSON schemas", () => {
  const parent = {
    type: "object",
    title: "A",
    required: ["a"],
    properties: { a: { type: "integer" } },
    AdditionalProperties: false,
  };
  const child = {
    type: "object",
    title: "B",
    required: ["a", "b"],
    properties: {
      a: { type: "integer" },
      b: { default: null, anyOf: [{ type: "string" }, { type: "null" }] },
    },
    AdditionalProperties: false,
  };
  const withSchema = (m: Record<string, unknown>) =>
    lt({ type: STRUCT.type, metadata: m as never });
  assert(ok(STRUCT, STRUCT), "structs without schemas");
  assert(ok(withSchema(parent), withSchema(parent)), "same schema");
  assert(ok(withSchema(child), withSchema(parent)), "child into parent");
  assert(!ok(withSchema(parent), withSchema(child)), "parent into child");
  const other = {
    type: "object",
    required: ["c"],
    properties: { c: { type: "string" } },
  };
  assert(!ok(withSchema(other), withSchema(parent)), "unrelated classes");
  assert(!ok(STRUCT, STR));
});

Deno.test("typing: the literal type of literal values", () => {
  const int = create(LiteralSchema, {
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
  const str = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "stringValue", value: "x" } },
        },
      },
    },
  });
  assertEquals(literalTypeForLiteral(int), INT);
  const mixed = create(LiteralSchema, {
    value: { case: "collection", value: { literals: [int, str, int] } },
  });
  const t = literalTypeForLiteral(mixed)!;
  assert(t.type.case === "collectionType");
  assert(t.type.value.type.case === "unionType", "mixed elements give a union");
  assertEquals(t.type.value.type.value.variants.length, 2);
  const empty = create(LiteralSchema, {
    value: { case: "collection", value: { literals: [] } },
  });
  assertEquals(literalTypeForLiteral(empty), list(NONE));
  assert(ok(literalTypeForLiteral(empty)!, list(STR)));
});
