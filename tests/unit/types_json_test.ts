/**
 * JSON and errors in the vocabulary (src/types/vocabulary/json.ts): `t.json`
 * (flytekit's untyped dict) and FlyteError values.
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
import { fromLiteral, t, toLiteral } from "../../src/types/mod.ts";
import {
  msgpack,
  roundTrip,
  same,
  scalar,
  simple,
} from "../helpers/literals.ts";

Deno.test("json round trips objects, arrays, bytes and big integers", () => {
  roundTrip(t.json, { a: 1, b: [true, null, "s", 1.5], c: { d: {} } });
  roundTrip(t.json, [1, "x"]);
  roundTrip(t.json, { big: 1n << 60n, small: 5n }, {
    big: 1n << 60n,
    small: 5,
  });
  roundTrip(t.json, { bytes: new Uint8Array([1, 2, 3]) });
  roundTrip(t.json, { dropped: undefined, kept: 1 }, { kept: 1 });
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

Deno.test("FlyteError: scalar.error reads as a value", () => {
  const err = scalar({
    case: "error",
    value: { failedNodeId: "n1", message: "boom" },
  });
  const v = fromLiteral(err, simple(SimpleType.ERROR)) as { message: string };
  assertEquals(v.message, "boom");
});
