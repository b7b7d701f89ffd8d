/**
 * Constants a notebook task refers to, written as source: what ships
 * (JSON, dates, typed arrays, Maps, Sets, bigints, `t` types) evaluates back
 * to an equal value; what cannot ship is refused naming where it is.
 */
import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { NotSerialisable, valueSource } from "../../src/bundle/serialise.ts";
import { typeFromJson } from "../../src/bundle/cell_support.ts";
import { t } from "../../src/types/mod.ts";

const back = (src: string) =>
  new Function("__t", `return (${src});`)(typeFromJson);

Deno.test("valueSource: shippable constants evaluate back to equal values", () => {
  const v = {
    s: 'a"b',
    n: [1, -0, 1.5, NaN, Infinity],
    big: 12345678901234567890n,
    when: new Date(86_400_000),
    bytes: new Uint8Array([1, 2, 255]),
    floats: new Float64Array([0.5]),
    m: new Map<string, unknown>([["k", { deep: [null, true] }]]),
    set: new Set([1, 2]),
    nothing: undefined,
  };
  assertEquals(back(valueSource(v, "v", "__t")), v);
  const T = t.list(
    t.record({ a: t.int, b: t.optional(t.string) }, { name: "Row" }),
  );
  const T2 = back(valueSource({ T }, "cfg", "__t")).T;
  assertEquals(T2.literalType, T.literalType);
  assertEquals(
    T2.toLiteral([{ a: 1, b: null }]),
    T.toLiteral([{ a: 1, b: null }]),
  );
});

Deno.test("valueSource: class instances, functions, getters and cycles are refused with their path", () => {
  class Pool {
    size = 1;
  }
  const cases: [unknown, string, string][] = [
    [{ pool: new Pool() }, "cfg.pool", "a Pool instance"],
    [{ f: () => 1 }, "cfg.f", "a function inside a value"],
    [
      {
        get x() {
          return 1;
        },
      },
      "cfg.x",
      "getters or setters",
    ],
    [[Symbol("s")], "cfg[0]", "a symbol"],
  ];
  for (const [v, path, what] of cases) {
    const e = assertThrows(() => valueSource(v, "cfg", "__t"), NotSerialisable);
    assertEquals(e.path, path);
    assertStringIncludes(e.what, what);
  }
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assertStringIncludes(
    assertThrows(() => valueSource(loop, "loop", "__t"), NotSerialisable).what,
    "contains itself",
  );
});
