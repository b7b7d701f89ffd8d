/**
 * How the sandbox's local store is presented to task processes.
 *
 * The blob store hands out `s3://` native URLs, which tasks read through the
 * sandbox's S3 face; older data directories hold `file://` ones, and
 * flytekit treats a `file://` URI as a local file and then checks it with
 * `os.path.isfile(uri)`, which fails on the URI string: a Python task given a
 * FlyteFile or FlyteDirectory as `file:///...` dies with "Expected a file, but
 * file:///... is not a file". Local files reach flytekit as plain paths in
 * its own local runs, so the engine does the same: file and directory inputs
 * of a node are written with plain absolute paths, and the raw output prefix a
 * task writes its files under is a plain path (so what flytekit returns is
 * one too). Everything else — metadata (`inputs.pb`, `outputs.pb`), structured
 * dataset URIs, other schemes — is left as it is.
 *
 * @module
 */
import { clone } from "@bufbuild/protobuf";
import { fileURLToPath } from "node:url";
import {
  type Blob,
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";

/**
 * A `file://` URI as a plain absolute path; any other reference unchanged.
 *
 * @example
 * ```ts
 * import { plainLocalRef } from "./local_refs.ts";
 * plainLocalRef("file:///tmp/raw/x"); // "/tmp/raw/x"
 * plainLocalRef("s3://bucket/x"); // "s3://bucket/x"
 * ```
 */
export function plainLocalRef(uri: string): string {
  if (!uri.startsWith("file://")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri; // not a local file URL (file://host/...): leave it
  }
}

/** Every blob (file or directory) literal under `l`, through collections, maps and unions. */
function blobsUnder(l: Literal | undefined, out: Blob[] = []): Blob[] {
  const v = l?.value;
  switch (v?.case) {
    case "scalar": {
      const s = v.value.value;
      if (s.case === "blob") out.push(s.value);
      else if (s.case === "union") blobsUnder(s.value.value, out);
      break;
    }
    case "collection":
      for (const item of v.value.literals) blobsUnder(item, out);
      break;
    case "map":
      for (const item of Object.values(v.value.literals)) blobsUnder(item, out);
      break;
  }
  return out;
}

const isFileUri = (b: Blob) => b.uri.startsWith("file://");

/**
 * `inputs` with every file/directory (blob) literal's `file://` URI turned
 * into a plain path, through collections, maps and unions. Returns `inputs`
 * itself when there is nothing to change; never modifies it.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * import { withPlainLocalBlobs } from "./local_refs.ts";
 * const m = create(LiteralMapSchema, { literals: { f: { value: { case: "scalar", value: {
 *   value: { case: "blob", value: { uri: "file:///tmp/a.csv", metadata: {} } } } } } } });
 * withPlainLocalBlobs(m); // f's uri is now "/tmp/a.csv"
 * ```
 */
export function withPlainLocalBlobs(inputs: LiteralMap): LiteralMap {
  const all = (m: LiteralMap) =>
    Object.values(m.literals).flatMap((l) => blobsUnder(l));
  if (!all(inputs).some(isFileUri)) return inputs;
  const copy = clone(LiteralMapSchema, inputs);
  for (const blob of all(copy)) blob.uri = plainLocalRef(blob.uri);
  return copy;
}
