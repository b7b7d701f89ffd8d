/** Values and literals as HTML and text: escaping, truncation of huge values, datasets, files, images. */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  esc,
  link,
  literalHtml,
  literalMapHtml,
  literalMapPlain,
  plainValue,
  renderValue,
  typeName,
  valueHtml,
} from "../../src/display/mod.ts";
import {
  FlyteDirectory,
  FlyteFile,
  StructuredDataset,
  t,
  toLiteral,
} from "../../src/types/mod.ts";

import { lmap } from "./display_fixtures.ts";

const EVIL = `<img src=x onerror=alert(1)>`;

Deno.test("display values: every string from outside is escaped, in values, keys and literals", () => {
  assertEquals(
    esc(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
  for (
    const html of [
      valueHtml(EVIL),
      valueHtml({ [EVIL]: EVIL }),
      valueHtml([EVIL]),
      literalHtml(toLiteral(EVIL)),
    ]
  ) {
    assert(!html.includes("<img"), html);
    assertStringIncludes(html, "&lt;img src=x onerror=alert(1)&gt;");
  }
  const m = literalMapHtml(lmap({ [EVIL]: 1 }));
  assert(!m.includes("<img"));
});

Deno.test("display values: links only for safe schemes", () => {
  assertEquals(link("javascript:alert(1)", "x"), "x");
  assertEquals(link("//evil.example/x", "x"), "x");
  assertStringIncludes(
    link("file:///tmp/a.csv", "a"),
    'href="file:///tmp/a.csv"',
  );
  assertStringIncludes(
    link("/console/projects/p", "p"),
    'href="/console/projects/p"',
  );
  assertStringIncludes(link(`http://h/"${EVIL}`, "t"), "&quot;&lt;img");
});

Deno.test("display values: a 10,000-element list shows its first items and a note", () => {
  const big = Array.from({ length: 10_000 }, (_, i) => i);
  const html = valueHtml(big);
  assertEquals((html.match(/<li>/g) ?? []).length, 50);
  assertStringIncludes(html, "… 9,950 more items (10,000 in all)");
  const lit = literalHtml(toLiteral(big));
  assertEquals((lit.match(/<li>/g) ?? []).length, 50);
  assertStringIncludes(lit, "9,950 more items");
  assert(lit.length < 20_000, `literal html is ${lit.length} chars`);
  assertMatch(plainValue(big), /^\[0, 1, .*… 9990 more\]$/);
  assertStringIncludes(literalMapPlain(lmap({ big })), "… 9990 more");
});

Deno.test("display values: a 1 MB string is cut with a note, in HTML and text", () => {
  const s = "x".repeat(1024 * 1024);
  const html = valueHtml(s);
  assert(html.length < 5_000, `html is ${html.length} chars`);
  assertStringIncludes(html, "… 1,046,576 more characters (1,048,576 in all)");
  assert(plainValue(s).length <= 200);
  const lit = literalMapHtml(lmap({ s }));
  assert(lit.length < 5_000);
  const b = renderValue(s);
  assert(b["text/plain"].length <= 2000 && b["text/html"].length < 10_000);
});

Deno.test("display values: huge maps and deep nesting are capped", () => {
  const m = Object.fromEntries(
    Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]),
  );
  const html = valueHtml(m);
  assertStringIncludes(html, "… 4,950 more rows (5,000 in all)");
  let deep: unknown = 1;
  for (let i = 0; i < 50; i++) deep = [deep];
  assert(valueHtml(deep).length < 2000);
});

Deno.test("display values: arrays of records are dataset tables with column types and first rows", () => {
  const rows = Array.from(
    { length: 100 },
    (_, i) => ({ sku: `s${i}`, price: i / 2, when: new Date(0) }),
  );
  const html = valueHtml(rows);
  assertStringIncludes(html, "<th>sku: string</th>");
  assertStringIncludes(html, "<th>price: number</th>");
  assertStringIncludes(html, "<th>when: datetime</th>");
  assertEquals((html.match(/<tr>/g) ?? []).length, 21); // header + 20 rows
  assertStringIncludes(html, "… 80 more rows (100 in all)");
  // As literals (a list of records) too.
  const Row = t.record({ sku: t.string, price: t.float }, { name: "Row" });
  const lit = toLiteral(
    rows.map(({ sku, price }) => ({ sku, price })),
    t.list(Row),
  );
  const l = literalHtml(lit, t.list(Row).literalType);
  assertStringIncludes(l, "sku: string");
  assertStringIncludes(l, "80 more rows");
});

Deno.test("display values: files and directories are links, datasets show URI, format and columns", () => {
  assertStringIncludes(
    valueHtml(new FlyteFile("file:///data/a.csv", { format: "csv" })),
    '<a href="file:///data/a.csv"',
  );
  assertStringIncludes(
    valueHtml(new FlyteDirectory("s3://bucket/dir")),
    "directory s3://bucket/dir",
  );
  assertStringIncludes(
    valueHtml(
      new StructuredDataset("file:///d/x.parquet", { format: "parquet" }),
    ),
    "(parquet)",
  );
  const type = t.dataframe({ a: t.int, b: t.string }, "parquet");
  const lit = toLiteral(
    new StructuredDataset("file:///d/x", { format: "parquet" }),
    type,
  );
  const html = literalHtml(lit, type.literalType);
  assertStringIncludes(html, "<td>a</td><td><code>int</code></td>");
  assertStringIncludes(html, "<td>b</td><td><code>str</code></td>");
});

Deno.test("display values: images are inlined as data URIs, other bytes summarised", () => {
  const png = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    1,
    2,
    3,
  ]);
  assertStringIncludes(
    valueHtml(png),
    `src="data:image/png;base64,${btoa(String.fromCharCode(...png))}"`,
  );
  assertStringIncludes(valueHtml(new Uint8Array(10)), "10 bytes");
});

Deno.test("display values: type names", () => {
  assertEquals(typeName(t.list(t.int).literalType), "list[int]");
  assertEquals(typeName(t.map(t.float).literalType), "dict[str, float]");
  assertEquals(typeName(t.file().literalType), "file");
  assertEquals(typeName(t.optional(t.string).literalType), "str | none");
});

Deno.test("display values: a bare local path links as a file:// URL", () => {
  assertStringIncludes(
    valueHtml(new FlyteFile("/tmp/out dir/x.csv")),
    'href="file:///tmp/out%20dir/x.csv"',
  );
});
