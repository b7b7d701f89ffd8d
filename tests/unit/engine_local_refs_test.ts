import { assert, assertEquals } from "../helpers/assert.ts";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  plainLocalRef,
  withPlainLocalBlobs,
} from "../../src/sandbox/engine/local_refs.ts";

const blob = (uri: string) => ({
  value: {
    case: "scalar" as const,
    value: {
      value: { case: "blob" as const, value: { uri, metadata: {} } },
    },
  },
});
const sd = (uri: string) => ({
  value: {
    case: "scalar" as const,
    value: {
      value: {
        case: "structuredDataset" as const,
        value: { uri },
      },
    },
  },
});

function uris(l: Literal | undefined): string[] {
  const v = l?.value;
  if (v?.case === "collection") return v.value.literals.flatMap(uris);
  if (v?.case === "map") return Object.values(v.value.literals).flatMap(uris);
  if (v?.case === "scalar") {
    const s = v.value.value;
    if (s.case === "blob" || s.case === "structuredDataset") {
      return [s.value.uri];
    }
    if (s.case === "union") return uris(s.value.value);
  }
  return [];
}
const all = (m: LiteralMap) =>
  Object.fromEntries(
    Object.entries(m.literals).map(([k, l]) => [k, uris(l)]),
  );

Deno.test("local refs: file:// becomes a plain path; other schemes stay", () => {
  assertEquals(plainLocalRef("file:///tmp/a%20b/c.csv"), "/tmp/a b/c.csv");
  assertEquals(plainLocalRef("/tmp/x"), "/tmp/x");
  assertEquals(plainLocalRef("s3://bucket/x"), "s3://bucket/x");
  assertEquals(plainLocalRef("file://host/x"), "file://host/x");
});

Deno.test("local refs: blobs in collections, maps and unions are rewritten in a copy", () => {
  const inputs = create(LiteralMapSchema, {
    literals: {
      f: blob("file:///data/uploads/a.csv"),
      files: {
        value: {
          case: "collection",
          value: {
            literals: [blob("file:///data/x"), blob("s3://b/y")],
          },
        },
      },
      byName: {
        value: {
          case: "map",
          value: { literals: { d: blob("file:///data/dir") } },
        },
      },
      maybe: {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "union",
              value: { value: blob("file:///data/u") },
            },
          },
        },
      },
      table: sd("file:///data/t.parquet"),
    },
  });
  const before = toBinary(LiteralMapSchema, inputs);
  const out = withPlainLocalBlobs(inputs);
  assertEquals(all(out), {
    f: ["/data/uploads/a.csv"],
    files: ["/data/x", "s3://b/y"],
    byName: ["/data/dir"],
    maybe: ["/data/u"],
    table: ["file:///data/t.parquet"], // structured datasets are left alone
  });
  // The input is untouched.
  assertEquals(toBinary(LiteralMapSchema, inputs), before);
});

Deno.test("local refs: nothing to change returns the same map", () => {
  const inputs = create(LiteralMapSchema, {
    literals: { f: blob("/already/plain"), g: blob("gs://b/k") },
  });
  assert(withPlainLocalBlobs(inputs) === inputs);
});
