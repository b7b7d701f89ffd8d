/**
 * The collection types of the vocabulary (src/types/vocabulary/collections.ts):
 * `t.list`, `t.map` (and records and enums inside them).
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
import { create } from "@bufbuild/protobuf";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { t, toLiteral } from "../../src/types/mod.ts";
import { prim, roundTrip, same, simple } from "../helpers/literals.ts";

Deno.test("list, map, record, enum round trip", () => {
  roundTrip(t.list(t.int), [1, 2, 3]);
  roundTrip(t.list(t.string), []);
  roundTrip(t.map(t.float), { a: 1.5, "weird key.[0]": -2 });
  roundTrip(t.map(t.bool), new Map([["x", true]]), { x: true });
  const R = t.record({
    a: t.int,
    b: t.float,
    c: t.string,
    d: t.optional(t.bool),
  });
  roundTrip(R, { a: 1, b: 2, c: "x", d: true });
  roundTrip(R, { a: 1, b: 2, c: "x" }, { a: 1, b: 2, c: "x", d: null });
  roundTrip(t.enum(["red", "green"]), "green");
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
