import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import {
  BlobType_BlobDimensionality,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import {
  directoryOf,
  fileOf,
  hasLocalBlobs,
  InlineDirectory,
  withPlaceholders,
} from "../../src/data/mod.ts";
import {
  inlineSource,
  isInlineDirectoryInput,
  isInlineFileInput,
} from "../../src/data/inline.ts";
import { fileSource } from "../../src/data/source.ts";
import { FlyteInvalidInputError } from "../../src/client/mod.ts";
import { FlyteDirectory, FlyteFile } from "../../src/types/mod.ts";

const blob = (d: BlobType_BlobDimensionality) =>
  create(LiteralTypeSchema, {
    type: { case: "blob", value: { format: "", dimensionality: d } },
  });
const FILE = blob(BlobType_BlobDimensionality.SINGLE);
const DIR = blob(BlobType_BlobDimensionality.MULTIPART);
const INT = create(LiteralTypeSchema, {
  type: { case: "simple", value: SimpleType.INTEGER },
});
const hex = (b: Uint8Array) =>
  [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("data inline: which values a file or directory input takes in memory", () => {
  for (
    const v of [
      new Uint8Array(1),
      new ArrayBuffer(2),
      new Float32Array(1),
      new Blob(["x"]),
      ReadableStream.from([new Uint8Array(1)]),
      (async function* () {})(),
      fileOf("x", { name: "x.txt" }),
    ]
  ) assert(isInlineFileInput(v), String(v));
  for (const v of ["./a.csv", 1, null, { a: 1 }, new FlyteFile("s3://b/x")]) {
    assert(!isInlineFileInput(v), String(v));
  }
  assert(isInlineDirectoryInput({ "a.txt": "x" }));
  assert(isInlineDirectoryInput(directoryOf({ "a.txt": "x" })));
  assert(!isInlineDirectoryInput({}));
  assert(!isInlineDirectoryInput({ uri: "s3://b/d" }));
  assert(!isInlineDirectoryInput(new FlyteDirectory("s3://b/d")));
});

Deno.test("data inline: in-memory inputs are found and stand in for the type check", () => {
  const expected = [
    { name: "f", type: FILE },
    { name: "d", type: DIR },
    { name: "n", type: INT },
  ];
  assert(!hasLocalBlobs({ f: "s3://b/x", n: 1 }, expected));
  assert(hasLocalBlobs({ f: new Uint8Array(1) }, expected));
  assert(hasLocalBlobs({ d: { "a.txt": "x" } }, expected));
  // A plain object is a directory of values only for a directory input.
  assert(!hasLocalBlobs({ f: { "a.txt": "x" } }, expected));
  const p = withPlaceholders(
    { f: new Blob(["x"]), d: directoryOf({ a: "x" }), n: 3 },
    expected,
  );
  assert(p.f instanceof FlyteFile && p.d instanceof FlyteDirectory);
  assertEquals(p.n, 3);
  // Local paths stay as they are (the type check takes them as URIs).
  assertEquals(withPlaceholders({ f: "./a.csv" }, expected).f, "./a.csv");
});

Deno.test("data inline: names are checked and named", () => {
  for (const name of ["", "/abs", "a//b", "a/../b", "./a", "a\\b"]) {
    let err: unknown;
    try {
      fileOf("x", { name });
    } catch (e) {
      err = e;
    }
    assert(err instanceof FlyteInvalidInputError, name);
  }
  let err: unknown;
  try {
    directoryOf({ "ok.txt": "x", "../bad": "y" });
  } catch (e) {
    err = e;
  }
  assert(err instanceof FlyteInvalidInputError);
  assert((err as Error).message.includes("[../bad]"), (err as Error).message);
  assert(directoryOf({ "a/b.txt": "x" }) instanceof InlineDirectory);
});

Deno.test("data inline: sources carry size and md5 of what will be sent", async () => {
  const text = await inlineSource("héllo", "h.txt");
  assertEquals(text.size, 6);
  const { createHash } = await import("node:crypto");
  assertEquals(
    hex(text.md5),
    createHash("md5").update(new TextEncoder().encode("héllo")).digest("hex"),
  );
  const json = await inlineSource({ b: [1, 2] }, "j.json");
  let sent = "";
  for await (const c of json.open()) sent += new TextDecoder().decode(c);
  assertEquals(sent, '{"b":[1,2]}');
  assertEquals(json.size, sent.length);
  // A stream is spooled to a temporary file, removed by cleanup.
  const s = await inlineSource(
    ReadableStream.from([new Uint8Array([1, 2]), new Uint8Array([3])]),
    "s.bin",
  );
  assertEquals(s.size, 3);
  const same = await inlineSource(new Uint8Array([1, 2, 3]), "b.bin");
  assertEquals(hex(s.md5), hex(same.md5));
  await s.cleanup();
  // Files: a missing one and a directory are named.
  await assertRejects(
    () => fileSource("/no/such/file", "x"),
    FlyteInvalidInputError,
    "[/no/such/file] does not exist",
  );
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => fileSource(dir, "x"),
      FlyteInvalidInputError,
      `[${dir}] is a directory, not a file`,
    );
  } finally {
    await Deno.remove(dir);
  }
});
