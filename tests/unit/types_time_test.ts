/**
 * The fast paths of pythonIsoformat / parseIsoDatetime (src/types/time.ts)
 * give exactly what the general forms (toISOString, the regular expression)
 * give, on random dates and on near-miss strings.
 */
import { assertEquals } from "../helpers/assert.ts";
import {
  parseIsoDatetime,
  parseIsoDatetimeGeneral,
  pythonIsoformat,
  pythonIsoformatGeneral,
} from "../../src/types/time.ts";
import { Duration, PreciseDate } from "../../src/types/values.ts";
import { t } from "../../src/types/mod.ts";

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = -62135596800000; // 0001-01-01
const MAX = 253402300800000; // 10000-01-01

function same(a: Date | undefined, b: Date | undefined, text: string) {
  assertEquals(a?.getTime(), b?.getTime(), text);
  assertEquals(a?.constructor, b?.constructor, text);
  assertEquals(
    (a as PreciseDate | undefined)?.subMillisecondNanos,
    (b as PreciseDate | undefined)?.subMillisecondNanos,
    text,
  );
}

Deno.test("pythonIsoformat equals its general form on random dates", () => {
  const r = rng(7);
  for (let i = 0; i < 20000; i++) {
    const span = r() < 0.5 ? MAX - MIN : 1e12; // whole range, or near 1970
    const base = span === 1e12 ? 1.5e12 : MIN;
    let ms = Math.floor(base + r() * span);
    if (r() < 0.3) ms -= ms % 1000; // whole seconds
    const d = r() < 0.1
      ? new PreciseDate(ms, Math.floor(r() * 1e6))
      : new Date(ms);
    const text = pythonIsoformat(d);
    assertEquals(text, pythonIsoformatGeneral(d), String(ms));
    same(parseIsoDatetime(text), parseIsoDatetimeGeneral(text), text);
  }
  for (const bad of [new Date(NaN), new Date(MIN - 1), new Date(MAX)]) {
    let ours = "", theirs = "";
    try {
      pythonIsoformat(bad);
    } catch (e) {
      ours = String(e);
    }
    try {
      pythonIsoformatGeneral(bad);
    } catch (e) {
      theirs = String(e);
    }
    assertEquals(ours, theirs);
  }
});

Deno.test("parseIsoDatetime equals its general form on near-miss strings", () => {
  const r = rng(11);
  const alphabet = "0123456789-:T .+Zz,";
  const seeds = [
    "2024-01-02T03:04:05+00:00",
    "2024-01-02T03:04:05.123456+00:00",
    "0099-12-31T23:59:59+00:00",
    "2024-02-30T25:61:61+00:00",
    "2024-13-01T00:00:00+00:00",
    "9999-12-31T23:59:59.999999+00:00",
  ];
  for (const s of seeds) {
    same(parseIsoDatetime(s), parseIsoDatetimeGeneral(s), s);
  }
  for (let i = 0; i < 20000; i++) {
    const chars = [...seeds[Math.floor(r() * seeds.length)]];
    const edits = 1 + Math.floor(r() * 2);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(r() * chars.length);
      chars[at] = alphabet[Math.floor(r() * alphabet.length)];
    }
    const s = chars.join("");
    same(parseIsoDatetime(s), parseIsoDatetimeGeneral(s), s);
  }
});

Deno.test("a datetime read naive or with Z is written back in that form", () => {
  const back = (text: string) => pythonIsoformat(parseIsoDatetime(text)!);
  assertEquals(
    back("2024-01-02T03:04:05.123456"),
    "2024-01-02T03:04:05.123456",
  );
  assertEquals(back("2024-01-02T03:04:05"), "2024-01-02T03:04:05");
  assertEquals(back("2024-01-02T03:04:05.5Z"), "2024-01-02T03:04:05.500000Z");
  assertEquals(back("2024-01-02T03:04:05+00:00"), "2024-01-02T03:04:05+00:00");
  // Another offset is converted to UTC; Dates made in JS are aware UTC.
  assertEquals(back("2024-01-02T05:04:05+02:00"), "2024-01-02T03:04:05+00:00");
  assertEquals(pythonIsoformat(new Date(0)), "1970-01-01T00:00:00+00:00");
});

Deno.test("a duration read from ISO text (pydantic) is written back as that text", () => {
  const T = t.record({ d: t.duration }, { name: "R" });
  const iso = T.fromMsgpack({ d: "PT1M30.5S" });
  assertEquals(iso.d.toMillis(), 90_500);
  assertEquals(T.toMsgpack(iso), { d: "PT1M30.5S" });
  // A Duration made in JS (or read as seconds) is written as seconds.
  assertEquals(T.toMsgpack({ d: Duration.fromMillis(90_500) }), { d: 90.5 });
  assertEquals(T.toMsgpack(T.fromMsgpack({ d: 90.5 })), { d: 90.5 });
});
