/**
 * Enums and unions in the vocabulary (src/types/vocabulary/unions.ts):
 * `t.enum`, `t.union`, `t.optional`, with flytekit's union tags.
 *
 * Literals hand-built from flytekit 1.16's documented encodings
 * (../shared/reference/flytekit-literals.md), compared field by field with
 * what the engine writes, byte by byte where the encoding is fixed, and read
 * back (the byte strings were also checked against flytekit 1.16.31's
 * TypeEngine output; tests/integration/golden_literals_test.ts has flytekit
 * write them at test time), and round trips value -> literal -> bytes ->
 * literal -> value.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { create, toBinary } from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { fromLiteral, PreciseDate, t, toLiteral } from "../../src/types/mod.ts";
import {
  hex,
  prim,
  roundTrip,
  same,
  scalar,
  simple,
} from "../helpers/literals.ts";

// The dataclass of types_records_test.ts, as a union variant.
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

Deno.test("a pydantic record is tagged Pydantic Transformer as a union variant", () => {
  const M = t.record({ a: t.int }, { name: "M", pydantic: true });
  const O = t.optional(M);
  const vts =
    (O.literalType.type.value as { variants: LiteralType[] }).variants;
  assertEquals(vts.map((v) => v.structure?.tag), [
    "Pydantic Transformer",
    "none",
  ]);
  const lit = toLiteral({ a: 1 }, O);
  assert(lit.value.case === "scalar" && lit.value.value.value.case === "union");
  assertEquals(
    lit.value.value.value.value.type?.structure?.tag,
    "Pydantic Transformer",
  );
  assertEquals(fromLiteral(lit, O), { a: 1 });
  // The same record without the option is a dataclass.
  assertEquals(
    t.record({ a: t.int }, { name: "M" }).tag,
    "Object-Dataclass-Transformer",
  );
});
