import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { LiteralMapSchema, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import {
  BooleanExpressionSchema,
  ComparisonExpression_Operator as Op,
} from "@flyteidl/core/condition_pb.ts";
import {
  base32,
  childExecutionName,
  childUniqueId,
  fnv32a,
  fnv64a,
  generatedName,
  perRetryUniqueKey,
  shardOf,
} from "../../src/sandbox/engine/ids.ts";
import { renderArg } from "../../src/sandbox/engine/template.ts";
import { evaluate } from "../../src/sandbox/engine/branch.ts";
import { cacheTag } from "../../src/sandbox/engine/cache.ts";
import { NodeFailure } from "../../src/sandbox/engine/errors.ts";
import { ScheduleSchema } from "@flyteidl/admin/schedule_pb.ts";

const hex = (b: Uint8Array) =>
  [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("engine ids: FNV-1a 32/64 and Flyte's base32 alphabet", () => {
  assertEquals(hex(fnv32a("")), "811c9dc5");
  assertEquals(hex(fnv32a("a")), "e40c292c");
  assertEquals(hex(fnv64a("a")), "af63dc4c8601ec8c");
  assertEquals(base32(new Uint8Array([0xff])), "63");
  assertEquals(base32(new Uint8Array([0, 0, 0, 0, 0])), "aaaaaaaa");
});

Deno.test("engine ids: unique ids, generated names, child execution names", () => {
  assertEquals(childUniqueId(undefined, 0, "n0"), "n0");
  assertEquals(childUniqueId("n1", 0, "n0"), "n1-0-n0");
  const long = childUniqueId("some-long-parent", 3, "node-name");
  assertEquals(long.length <= 20 && long.startsWith("f"), true);
  assertEquals(long, "f" + base32(fnv32a("some-long-parent-3-node-name")));
  assertEquals(generatedName("abc", "n0", 1), "abc-n0-1");
  assertEquals(childExecutionName("abc", "n0", 0), "abc-n0-0");
  const lp = childExecutionName("a1234567890123456789", "n0", 0);
  assertEquals(lp, "f" + base32(fnv64a("a1234567890123456789-n0-0")));
  assertEquals(shardOf("abc-n0-0").length, 2);
  assertEquals(perRetryUniqueKey("0ab-c.d-1"), "aab_c_d_1");
});

Deno.test("engine template: Flyte's placeholders, case-insensitive, with Inputs", () => {
  const inputs = create(LiteralMapSchema, {
    literals: {
      n: create(LiteralSchema, {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "primitive",
              value: { value: { case: "integer", value: 7n } },
            },
          },
        },
      }),
    },
  });
  const v = {
    input: "file:///d/inputs.pb",
    outputPrefix: "file:///d/0",
    inputs,
  };
  assertEquals(renderArg("{{.input}}", v), "file:///d/inputs.pb");
  assertEquals(renderArg("--out={{ $OutputPrefix }}", v), "--out=file:///d/0");
  assertEquals(renderArg("{{.Inputs.n}}", v), "7");
  assertEquals(renderArg("{{.unknown}}", v), "{{.unknown}}");
  assertThrows(
    () => renderArg("{{.Inputs.missing}}", v),
    NodeFailure,
    "missing",
  );
});

Deno.test("engine branch: comparisons and type mismatch", () => {
  const prim = (n: bigint | string) => ({
    val: {
      case: "primitive" as const,
      value: {
        value: typeof n === "bigint"
          ? { case: "integer" as const, value: n }
          : { case: "stringValue" as const, value: n },
      },
    },
  });
  const cmp = (operator: Op, l: bigint | string, r: bigint | string) =>
    create(BooleanExpressionSchema, {
      expr: {
        case: "comparison",
        value: { operator, leftValue: prim(l), rightValue: prim(r) },
      },
    });
  const empty = create(LiteralMapSchema);
  assertEquals(evaluate(cmp(Op.GT, 3n, 2n), empty), true);
  assertEquals(evaluate(cmp(Op.LTE, 3n, 2n), empty), false);
  assertEquals(evaluate(cmp(Op.GTE, 2n, 2n), empty), true);
  assertEquals(evaluate(cmp(Op.LT, "a", "b"), empty), true);
  assertThrows(
    () => evaluate(cmp(Op.EQ, 1n, "1"), empty),
    NodeFailure,
    "cannot compare",
  );
});

Deno.test("engine cache: tag depends on inputs, ignores listed vars", () => {
  const m = (x: bigint, y: bigint) =>
    create(LiteralMapSchema, {
      literals: Object.fromEntries(
        [["x", x], ["y", y]].map(([k, v]) => [
          k,
          create(LiteralSchema, {
            value: {
              case: "scalar",
              value: {
                value: {
                  case: "primitive",
                  value: { value: { case: "integer", value: v as bigint } },
                },
              },
            },
          }),
        ]),
      ),
    });
  assertEquals(cacheTag(m(1n, 2n), []), cacheTag(m(1n, 2n), []));
  assertEquals(cacheTag(m(1n, 2n), []) === cacheTag(m(1n, 3n), []), false);
  assertEquals(cacheTag(m(1n, 2n), ["y"]), cacheTag(m(1n, 3n), ["y"]));
});

Deno.test("engine scheduler: cron parsing and next ticks (UTC)", async () => {
  const { CronExpression, fnv1_64, ticksBetween } = await import(
    "../../src/sandbox/engine/scheduler.ts"
  );
  const at = (s: string) => Date.parse(s);
  const iso = (ms: number) => new Date(ms).toISOString();
  assertEquals(
    iso(CronExpression.parse("*/15 * * * *").next(at("2026-01-01T00:07:30Z"))),
    "2026-01-01T00:15:00.000Z",
  );
  assertEquals(
    iso(CronExpression.parse("@daily").next(at("2026-01-01T00:00:00Z"))),
    "2026-01-02T00:00:00.000Z",
  );
  assertEquals(
    iso(CronExpression.parse("0 9 * * MON").next(at("2026-11-26T10:00:00Z"))),
    "2026-11-30T09:00:00.000Z",
  );
  assertEquals(
    iso(
      CronExpression.parse("30 2 1 JAN,jul *").next(at("2026-02-01T00:00:00Z")),
    ),
    "2026-07-01T02:30:00.000Z",
  );
  assertThrows(() => CronExpression.parse("61 * * * *"), Error, "minute");
  assertThrows(() => CronExpression.parse("* * *"), Error, "5 fields");
  assertEquals(fnv1_64("").toString(16), "cbf29ce484222325");
  assertEquals(fnv1_64("a").toString(16), "af63bd4c8601b7be");
  const rate = create(ScheduleSchema, {
    ScheduleExpression: { case: "rate", value: { value: 2, unit: 1 } },
  });
  assertEquals(ticksBetween(rate, 0, 5 * 3600_000), [
    2 * 3600_000,
    4 * 3600_000,
  ]);
});
