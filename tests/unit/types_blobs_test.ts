/**
 * Blobs and datasets in the vocabulary (src/types/vocabulary/blobs.ts):
 * `t.file`, `t.directory`, `t.dataframe`.
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
import { create, toBinary } from "@bufbuild/protobuf";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import {
  BlobType_BlobDimensionality,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import {
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  StructuredDataset,
  t,
  toLiteral,
} from "../../src/types/mod.ts";
import { hex, roundTrip, same, scalar, simple } from "../helpers/literals.ts";

Deno.test("file, directory and dataframe round trip", () => {
  roundTrip(t.file(), new FlyteFile("s3://b/k", { metadata: { m: "1" } }));
  roundTrip(
    t.file("csv"),
    "s3://b/x.csv",
    new FlyteFile("s3://b/x.csv", { format: "csv" }),
  );
  roundTrip(
    t.file(".csv"),
    new URL("file:///tmp/a.csv"),
    new FlyteFile("file:///tmp/a.csv", { format: "csv" }),
  );
  roundTrip(t.directory(), new FlyteDirectory("s3://b/dir/"));
  roundTrip(
    t.directory("png"),
    "gs://b/imgs",
    new FlyteDirectory("gs://b/imgs", { format: "png" }),
  );
  roundTrip(
    t.dataframe(),
    new StructuredDataset("s3://b/df", { format: "parquet" }),
  );
  roundTrip(
    t.dataframe({ a: t.int, b: t.string }, "parquet"),
    "s3://b/df2",
    new StructuredDataset("s3://b/df2", { format: "parquet" }),
  );
});

// ------------------------------------------------------------ blobs, datasets

Deno.test("files and directories: blob literals with the BlobType, metadata kept", () => {
  const bare = t.file();
  assertEquals(
    bare.literalType,
    create(LiteralTypeSchema, {
      type: {
        case: "blob",
        value: {
          format: "",
          dimensionality: BlobType_BlobDimensionality.SINGLE,
        },
      },
    }),
  );
  // blob.metadata.type {} is present even when the format is "" and SINGLE:
  // Literal{scalar{blob=2{metadata=1{type=1{}} uri=3 "s3://a"}}}
  assertEquals(
    hex(toBinary(LiteralSchema, toLiteral("s3://a", bare))),
    "0a 0e 12 0c 0a 02 0a 00 1a 06 " + hex(new TextEncoder().encode("s3://a")),
  );
  const withMd = scalar({
    case: "blob",
    value: {
      metadata: { type: { format: "csv", dimensionality: 0 } },
      uri: "s3://b/x.csv",
    },
  }, { owner: "me" });
  same(
    toLiteral(
      new FlyteFile("s3://b/x.csv", { metadata: { owner: "me" } }),
      t.file("csv"),
    ),
    withMd,
  );
  assertEquals(
    fromLiteral(withMd),
    new FlyteFile("s3://b/x.csv", { format: "csv", metadata: { owner: "me" } }),
  );
  const dir = scalar({
    case: "blob",
    value: {
      metadata: {
        type: {
          format: "",
          dimensionality: BlobType_BlobDimensionality.MULTIPART,
        },
      },
      uri: "s3://b/dir",
    },
  });
  same(toLiteral("s3://b/dir", t.directory()), dir);
  assertEquals(
    fromLiteral(dir, t.directory()),
    new FlyteDirectory("s3://b/dir"),
  );
  // A pickle (FlytePickle) comes back as a reference to the file.
  const pickleType = create(LiteralTypeSchema, {
    type: {
      case: "blob",
      value: { format: "PythonPickle", dimensionality: 0 },
    },
    metadata: { python_class_name: "typing.Any" },
  });
  const pickle = scalar({
    case: "blob",
    value: {
      metadata: { type: { format: "PythonPickle" } },
      uri: "s3://p/abc",
    },
  });
  assertEquals(
    fromLiteral(pickle, pickleType),
    new FlyteFile("s3://p/abc", { format: "PythonPickle" }),
  );
});

Deno.test("structured datasets: uri with the type, format from the value when the type has none", () => {
  const cols = t.dataframe({ a: t.int, b: t.string }, "");
  const sdt = {
    columns: [
      { name: "a", literalType: simple(SimpleType.INTEGER) },
      { name: "b", literalType: simple(SimpleType.STRING) },
    ],
    format: "",
  };
  assertEquals(
    cols.literalType,
    create(LiteralTypeSchema, {
      type: { case: "structuredDatasetType", value: sdt },
    }),
  );
  same(
    toLiteral(new StructuredDataset("s3://b/df", { format: "parquet" }), cols),
    scalar({
      case: "structuredDataset",
      value: {
        uri: "s3://b/df",
        metadata: { structuredDatasetType: { ...sdt, format: "parquet" } },
      },
    }),
  );
  const typed = t.dataframe(undefined, "csv");
  assertEquals(
    fromLiteral(
      toLiteral(
        new StructuredDataset("s3://b/df", { format: "parquet" }),
        typed,
      ),
    ),
    new StructuredDataset("s3://b/df", { format: "csv" }),
  );
  // The legacy FlyteSchema literal reads as a parquet dataset.
  const schema = scalar({
    case: "schema",
    value: { uri: "s3://b/s", type: { columns: [] } },
  });
  assertEquals(
    fromLiteral(schema),
    new StructuredDataset("s3://b/s", { format: "parquet" }),
  );
});
