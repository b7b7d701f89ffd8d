import { assertEquals, assertRejects } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import {
  BlobType_BlobDimensionality,
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import {
  base32,
  type DataTransfer,
  hasLocalBlobs,
  isLocalPath,
  localPathIn,
  localPathOf,
  uploadLocalInputs,
} from "../../src/data/mod.ts";
import { FlyteInvalidInputError } from "../../src/client/mod.ts";
import { FlyteDirectory, FlyteFile } from "../../src/types/mod.ts";

const file = create(LiteralTypeSchema, {
  type: {
    case: "blob",
    value: {
      format: "csv",
      dimensionality: BlobType_BlobDimensionality.SINGLE,
    },
  },
});
const dir = create(LiteralTypeSchema, {
  type: {
    case: "blob",
    value: { dimensionality: BlobType_BlobDimensionality.MULTIPART },
  },
});
const int = create(LiteralTypeSchema, {
  type: { case: "simple", value: SimpleType.INTEGER },
});
const list = (t: LiteralType) =>
  create(LiteralTypeSchema, { type: { case: "collectionType", value: t } });
const map = (t: LiteralType) =>
  create(LiteralTypeSchema, { type: { case: "mapValueType", value: t } });

Deno.test("base32 matches RFC 4648 vectors (Go's StdEncoding)", () => {
  const enc = (s: string) => base32(new TextEncoder().encode(s));
  assertEquals(enc(""), "");
  assertEquals(enc("f"), "MY======");
  assertEquals(enc("fo"), "MZXQ====");
  assertEquals(enc("foo"), "MZXW6===");
  assertEquals(enc("foob"), "MZXW6YQ=");
  assertEquals(enc("fooba"), "MZXW6YTB");
  assertEquals(enc("foobar"), "MZXW6YTBOI======");
  assertEquals(base32(new Uint8Array(16).fill(255)).length, 32);
});

Deno.test("local paths: plain paths and file:// are local, other schemes are not", () => {
  for (const p of ["a.csv", "./a", "/tmp/x", "file:///tmp/x", "C-drive/x"]) {
    assertEquals(isLocalPath(p), true, p);
  }
  for (const p of ["s3://b/k", "gs://b/k", "https://h/x", "flyte://v1/p"]) {
    assertEquals(isLocalPath(p), false, p);
  }
  assertEquals(localPathOf("file:///tmp/a%20b.txt"), "/tmp/a b.txt");
  assertEquals(localPathOf("rel/x"), "rel/x");
  assertEquals(localPathIn(new FlyteFile("s3://b/k")), undefined);
  assertEquals(localPathIn(new FlyteDirectory("/tmp/d")), "/tmp/d");
  assertEquals(localPathIn(new URL("file:///tmp/u")), "file:///tmp/u");
  assertEquals(localPathIn(""), undefined);
  assertEquals(localPathIn(3), undefined);
});

Deno.test("hasLocalBlobs looks only where the type is a blob", () => {
  const exp = [
    { name: "f", type: file },
    { name: "n", type: int },
    { name: "fs", type: list(file) },
    { name: "m", type: map(dir) },
  ];
  assertEquals(hasLocalBlobs({ n: "./looks-local" }, exp), false);
  assertEquals(hasLocalBlobs({ f: "s3://b/k" }, exp), false);
  assertEquals(hasLocalBlobs({ f: "./a.csv" }, exp), true);
  assertEquals(hasLocalBlobs({ fs: ["s3://b/k", "x.csv"] }, exp), true);
  assertEquals(hasLocalBlobs({ m: { a: "gs://b/d" } }, exp), false);
  assertEquals(hasLocalBlobs({ m: { a: "/tmp/d" } }, exp), true);
});

function fakeTransfer(dirs: Set<string>) {
  const calls: string[] = [];
  const data = {
    upload(path: string) {
      calls.push(path);
      if (path.includes("missing")) {
        return Promise.reject(
          new FlyteInvalidInputError(`local path [${path}] does not exist`),
        );
      }
      return Promise.resolve({
        uri: `s3://bucket/up/${path.replace(/^file:\/\//, "")}`,
        directory: dirs.has(path),
        files: 1,
        bytes: 1,
      });
    },
  } as unknown as DataTransfer;
  return { data, calls };
}

Deno.test("uploadLocalInputs replaces local paths in place, keeps format/metadata, uploads each path once", async () => {
  const { data, calls } = fakeTransfer(new Set(["/d"]));
  const exp = [
    { name: "f", type: file },
    { name: "g", type: file },
    { name: "fs", type: list(file) },
    { name: "m", type: map(dir) },
    { name: "n", type: int },
  ];
  const out = await uploadLocalInputs(
    data,
    {
      f: new FlyteFile("/a.csv", { format: "tsv", metadata: { k: "v" } }),
      g: "s3://kept/x",
      fs: ["/a.csv", "file:///b.csv"],
      m: { one: "/d" },
      n: 7,
    },
    exp,
    { project: "p", domain: "d" },
  );
  const f = out.f as FlyteFile;
  assertEquals([f.uri, f.format, f.metadata], ["s3://bucket/up//a.csv", "tsv", {
    k: "v",
  }]);
  assertEquals(out.g, "s3://kept/x");
  assertEquals((out.fs as FlyteFile[]).map((x) => [x.uri, x.format]), [
    ["s3://bucket/up//a.csv", "csv"],
    ["s3://bucket/up//b.csv", "csv"],
  ]);
  const m = out.m as Record<string, FlyteDirectory>;
  assertEquals(m.one instanceof FlyteDirectory, true);
  assertEquals(m.one.uri, "s3://bucket/up//d");
  assertEquals(out.n, 7);
  assertEquals(calls.sort(), ["/a.csv", "/d", "file:///b.csv"]);
});

Deno.test("uploadLocalInputs names the input and path on failure and on file/directory mismatch", async () => {
  const { data } = fakeTransfer(new Set(["/d"]));
  await assertRejects(
    () =>
      uploadLocalInputs(data, { fs: ["/ok", "/missing"] }, [{
        name: "fs",
        type: list(file),
      }], { project: "p", domain: "d" }),
    FlyteInvalidInputError,
    "input fs[1]: local path [/missing] does not exist",
  );
  await assertRejects(
    () =>
      uploadLocalInputs(data, { f: "/d" }, [{ name: "f", type: file }], {
        project: "p",
        domain: "d",
      }),
    FlyteInvalidInputError,
    "input f: [/d] is a directory but the input is a file",
  );
});
