/**
 * How the sandbox's local store is presented to task processes.
 *
 * The blob store hands out `file://` native URLs (uploads, the data proxy),
 * but flytekit treats a `file://` URI as a local file and then checks it with
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

/** Whether any blob under `l` has a `file://` URI. */
function hasFileBlob(l: Literal | undefined): boolean {
  const v = l?.value;
  switch (v?.case) {
    case "scalar": {
      const s = v.value.value;
      if (s.case === "blob") return s.value.uri.startsWith("file://");
      if (s.case === "union") return hasFileBlob(s.value.value);
      return false;
    }
    case "collection":
      return v.value.literals.some(hasFileBlob);
    case "map":
      return Object.values(v.value.literals).some(hasFileBlob);
    default:
      return false;
  }
}

/** Rewrites `file://` blob URIs under `l` in place (`l` is a copy). */
function rewrite(l: Literal | undefined): void {
  const v = l?.value;
  switch (v?.case) {
    case "scalar": {
      const s = v.value.value;
      if (s.case === "blob") s.value.uri = plainLocalRef(s.value.uri);
      else if (s.case === "union") rewrite(s.value.value);
      return;
    }
    case "collection":
      v.value.literals.forEach(rewrite);
      return;
    case "map":
      Object.values(v.value.literals).forEach(rewrite);
      return;
  }
}

/**
 * `inputs` with every file/directory (blob) literal's `file://` URI turned
 * into a plain path, through collections, maps and unions. Returns `inputs`
 * itself when there is nothing to change; never modifies it.
 *
 * @example
 * ```ts
 * import { clone } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * import { withPlainLocalBlobs } from "./local_refs.ts";
 * const m = create(LiteralMapSchema, { literals: { f: { value: { case: "scalar", value: {
 *   value: { case: "blob", value: { uri: "file:///tmp/a.csv", metadata: {} } } } } } } });
 * const out = withPlainLocalBlobs(m);
 * ```
 */
export function withPlainLocalBlobs(inputs: LiteralMap): LiteralMap {
  if (!Object.values(inputs.literals).some(hasFileBlob)) return inputs;
  const copy = clone(LiteralMapSchema, inputs);
  Object.values(copy.literals).forEach(rewrite);
  return copy;
}
