/**
 * importOf: a library function is matched to the import that yields it (by
 * identity), which the cell capture uses when the cell that imported it is
 * gone from the inspector.
 */
import { assertEquals } from "../helpers/assert.ts";
import { candidateSpecs, importOf } from "../../src/bundle/import_of.ts";

const FFLATE =
  "file:///p/node_modules/.deno/fflate@0.8.3/node_modules/fflate/esm/index.mjs";

Deno.test("candidateSpecs: npm packages from Deno's node_modules layout, scoped too, and the module URL", () => {
  assertEquals(candidateSpecs(FFLATE), ["npm:fflate@0.8.3", FFLATE]);
  assertEquals(
    candidateSpecs(
      "file:///p/node_modules/.deno/@bufbuild+protobuf@2.2.3/node_modules/@bufbuild/protobuf/dist/esm/index.js",
    )[0],
    "npm:@bufbuild/protobuf@2.2.3",
  );
  assertEquals(candidateSpecs("https://example.com/mod.ts"), [
    "https://example.com/mod.ts",
  ]);
  assertEquals(candidateSpecs("ext:core/01_core.js"), []);
});

Deno.test("importOf: finds the export by identity, under another local name too", async () => {
  const { strToU8 } = await import("fflate"); // npm:fflate@0.8.3 (deno.json)
  // Only the package in the path matters: its npm specifier is imported.
  assertEquals(await importOf(strToU8, "strToU8", FFLATE), {
    spec: "npm:fflate@0.8.3",
    imported: "strToU8",
  });
  assertEquals(
    await importOf(strToU8, "toBytes", FFLATE),
    { spec: "npm:fflate@0.8.3", imported: "strToU8" },
  );
});

Deno.test("importOf: claims nothing for a value no candidate exports", async () => {
  const notExported = () => 1;
  assertEquals(await importOf(notExported, "strToU8", FFLATE), undefined);
  assertEquals(
    await importOf(
      notExported,
      "x",
      "file:///nowhere/node_modules/.deno/nope@1.0.0/node_modules/nope/i.js",
    ),
    undefined,
  );
});
