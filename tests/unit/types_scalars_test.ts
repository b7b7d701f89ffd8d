/**
 * The scalar and time types of the vocabulary (src/types/vocabulary/scalars.ts):
 * `t.int`, `t.bigint`, `t.float`, `t.string`, `t.bool`, `t.datetime`,
 * `t.duration`, `t.none`.
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
import { toBinary } from "@bufbuild/protobuf";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  Duration,
  fromLiteral,
  PreciseDate,
  t,
  toLiteral,
} from "../../src/types/mod.ts";
import {
  hex,
  msgpack,
  prim,
  roundTrip,
  same,
  simple,
  viaBytes,
} from "../helpers/literals.ts";

Deno.test("int round trips, including the safe-integer limits", () => {
  for (
    const v of [0, 1, -1, 42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]
  ) {
    const lit = roundTrip(t.int, v);
    assertEquals(
      (lit.value.value as { value: { value: { value: unknown } } }).value.value
        .value,
      { case: "integer", value: BigInt(v) },
    );
  }
});

Deno.test("bigint round trips the whole int64 range", () => {
  for (const v of [0n, -(1n << 63n), (1n << 63n) - 1n, 12345678901234567n]) {
    roundTrip(t.bigint, v);
  }
  roundTrip(t.bigint, 7, 7n);
});

Deno.test("float, string, bool round trip", () => {
  for (const v of [0, 1, -2.5, 1e300, Number.MIN_VALUE, Infinity, -Infinity]) {
    roundTrip(t.float, v);
  }
  const nan = fromLiteral(viaBytes(toLiteral(NaN, t.float)), t.float);
  assert(Number.isNaN(nan));
  for (const v of ["", "héllo ✓", "a\u0000b"]) roundTrip(t.string, v);
  roundTrip(t.bool, true);
  roundTrip(t.bool, false);
});

Deno.test("datetime round trips to the nanosecond, before and after 1970", () => {
  roundTrip(t.datetime, new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 678)));
  roundTrip(t.datetime, new Date(-1)); // 1969-12-31T23:59:59.999Z
  roundTrip(t.datetime, new Date(Date.UTC(1, 0, 1)));
  const p = new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 6), 789_123);
  const lit = roundTrip(t.datetime, p);
  const back = fromLiteral(lit, t.datetime);
  assert(back instanceof PreciseDate);
  assertEquals(back.subMillisecondNanos, 789_123);
});

Deno.test("duration round trips, negative and fractional", () => {
  for (
    const d of [
      new Duration(0),
      new Duration(5, 250),
      Duration.fromMillis(-1500),
      new Duration(-3, -1),
      new Duration(315_576_000_000, 999_999_999),
    ]
  ) roundTrip(t.duration, d);
  assertEquals(Duration.fromMillis(-1500).nanos, -500_000_000);
  assertEquals(new Duration(1, -1), new Duration(0, 999_999_999));
});

Deno.test("none round trips; undefined is written as none", () => {
  roundTrip(t.none, null);
  roundTrip(t.none, undefined, null);
});

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
