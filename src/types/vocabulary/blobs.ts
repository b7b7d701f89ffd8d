/**
 * Blobs and datasets in the type vocabulary: `t.file(fmt)`,
 * `t.directory(fmt)` (blob literals) and `t.dataframe(cols, fmt)`
 * (structured datasets), by URI.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { JsonObject, LiteralType } from "../idl.ts";
import {
  type BlobType,
  BlobType_BlobDimensionality,
  LiteralTypeSchema,
  type StructuredDatasetType,
} from "@flyteidl/core/types_pb.ts";
import { describe } from "../errors.ts";
import {
  blobLiteral,
  NOT_MSGPACK,
  scalarLiteral,
  scalarOf,
} from "../literals.ts";
import type { FlyteType, RecordFields } from "../type.ts";
import { FlyteDirectory, FlyteFile, StructuredDataset } from "../values.ts";
import { fail, viaMsgpack, wrongLiteral } from "./common.ts";
import { isPlainObject } from "./collections.ts";

// ---------------------------------------------------------------- files

function blobType(
  format: string,
  dim: BlobType_BlobDimensionality,
): LiteralType {
  return create(LiteralTypeSchema, {
    type: { case: "blob", value: { format, dimensionality: dim } },
  });
}

function uriOf(v: unknown, what: string): string {
  if (typeof v === "string") {
    if (v === "") return fail(`expected a ${what} URI, got an empty string`);
    return v;
  }
  if (v instanceof URL) return v.href;
  return fail(`expected a ${what} (or its URI), got ${describe(v)}`);
}

// mashumaro's schema of FlyteFile/FlyteDirectory.path (flytekit 1.16).
const PATH_SCHEMA: JsonObject = {
  anyOf: [{ type: "string" }, { type: "string", format: "path" }],
  default: null,
};

/** `t.file(format)`: a file (blob, SINGLE) as a FlyteFile, by URI. */
export function file(
  format = "",
): FlyteType<FlyteFile, FlyteFile | string | URL> {
  format = format.replace(/^[.~]+/, "");
  const lt = blobType(format, BlobType_BlobDimensionality.SINGLE);
  const blob = lt.type.value as BlobType;
  const check = (v: unknown): FlyteFile =>
    v instanceof FlyteFile ? v : new FlyteFile(uriOf(v, "file"), { format });
  const fromMsgpack = (raw: unknown): FlyteFile => {
    if (typeof raw === "string") return new FlyteFile(raw, { format });
    if (isPlainObject(raw) && typeof raw.path === "string") {
      const md = isPlainObject(raw.metadata)
        ? raw.metadata as Record<string, string>
        : {};
      return new FlyteFile(raw.path, { format, metadata: md });
    }
    return fail(`expected a file ({"path": uri}), got ${describe(raw)}`);
  };
  return {
    kind: "file",
    name: format ? `file<${format}>` : "file",
    literalType: lt,
    tag: "FlyteFilePath",
    toLiteral(v) {
      const f = check(v);
      return blobLiteral(f.uri, blob, { ...f.metadata });
    },
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "blob") {
        const t = s.value.metadata?.type;
        if (t && t.dimensionality !== BlobType_BlobDimensionality.SINGLE) {
          return fail(
            "expected a single file blob, got a multipart blob (a directory)",
          );
        }
        return new FlyteFile(s.value.uri, {
          format: t?.format ?? format,
          metadata: { ...lit.metadata },
        });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a file (blob) literal");
    },
    match: (v) =>
      v instanceof FlyteFile
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack(v) {
      const f = check(v);
      return Object.keys(f.metadata).length
        ? { path: f.uri, metadata: { ...f.metadata } }
        : { path: f.uri };
    },
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "FlyteFile",
      properties: {
        path: PATH_SCHEMA,
        metadata: {
          anyOf: [
            {
              type: "object",
              additionalProperties: { type: "string" },
              propertyNames: { type: "string" },
            } as JsonObject,
            { type: "null" },
          ],
          default: null,
        },
      },
      additionalProperties: false,
    }),
  };
}

/** `t.directory(format)`: a directory (blob, MULTIPART) as a FlyteDirectory. */
export function directory(
  format = "",
): FlyteType<FlyteDirectory, FlyteDirectory | string | URL> {
  format = format.replace(/^[.~]+/, "");
  const lt = blobType(format, BlobType_BlobDimensionality.MULTIPART);
  const blob = lt.type.value as BlobType;
  const check = (v: unknown): FlyteDirectory =>
    v instanceof FlyteDirectory
      ? v
      : new FlyteDirectory(uriOf(v, "directory"), { format });
  const fromMsgpack = (raw: unknown): FlyteDirectory => {
    if (typeof raw === "string") return new FlyteDirectory(raw, { format });
    if (isPlainObject(raw) && typeof raw.path === "string") {
      return new FlyteDirectory(raw.path, { format });
    }
    return fail(`expected a directory ({"path": uri}), got ${describe(raw)}`);
  };
  return {
    kind: "directory",
    name: format ? `directory<${format}>` : "directory",
    literalType: lt,
    tag: "FlyteDirectory",
    toLiteral: (v) => blobLiteral(check(v).uri, blob),
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "blob") {
        const t = s.value.metadata?.type;
        if (t && t.dimensionality !== BlobType_BlobDimensionality.MULTIPART) {
          return fail(
            "expected a multipart blob (a directory), got a single file blob",
          );
        }
        return new FlyteDirectory(s.value.uri, { format: t?.format ?? format });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a directory (multipart blob) literal");
    },
    match: (v) =>
      v instanceof FlyteDirectory
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack: (v) => ({ path: check(v).uri }),
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "FlyteDirectory",
      properties: { path: PATH_SCHEMA },
      additionalProperties: false,
    }),
  };
}

/** `t.dataframe(columns, format)`: a structured dataset by URI (`literalType` keeps a remote one as it came). */
export function dataframe(
  columns: RecordFields = {},
  format = "",
  literalType?: LiteralType,
): FlyteType<StructuredDataset, StructuredDataset | string | URL> {
  const lt = literalType ?? create(LiteralTypeSchema, {
    type: {
      case: "structuredDatasetType",
      value: {
        columns: Object.entries(columns).map(([name, t]) => ({
          name,
          literalType: t.literalType,
        })),
        format,
        externalSchemaType: "",
        externalSchemaBytes: new Uint8Array(),
      },
    },
  });
  const sdt = lt.type.value as StructuredDatasetType;
  format = sdt.format;
  const check = (v: unknown): StructuredDataset =>
    v instanceof StructuredDataset
      ? v
      : new StructuredDataset(uriOf(v, "dataset"), { format });
  const fromMsgpack = (raw: unknown): StructuredDataset => {
    if (isPlainObject(raw) && typeof raw.uri === "string") {
      return new StructuredDataset(raw.uri, {
        format: typeof raw.file_format === "string" ? raw.file_format : format,
      });
    }
    return fail(`expected a dataset ({"uri": ...}), got ${describe(raw)}`);
  };
  return {
    kind: "dataframe",
    name: format ? `dataframe<${format}>` : "dataframe",
    literalType: lt,
    tag: "StructuredDataset Transformer",
    toLiteral(v) {
      const sd = check(v);
      // flytekit: the value's format is used only when the type has none.
      const type: StructuredDatasetType = sdt.format || !sd.format
        ? sdt
        : { ...sdt, format: sd.format };
      return scalarLiteral({
        case: "structuredDataset",
        value: {
          $typeName: "flyteidl.core.StructuredDataset",
          uri: sd.uri,
          metadata: {
            $typeName: "flyteidl.core.StructuredDatasetMetadata",
            structuredDatasetType: type,
          },
        },
      });
    },
    fromLiteral(lit) {
      const s = scalarOf(lit);
      if (s?.case === "structuredDataset") {
        return new StructuredDataset(s.value.uri, {
          format: s.value.metadata?.structuredDatasetType?.format || format,
        });
      }
      if (s?.case === "schema") {
        // Legacy FlyteSchema: parquet files under the URI.
        return new StructuredDataset(s.value.uri, { format: "parquet" });
      }
      const m = viaMsgpack(lit, { fromMsgpack });
      if (m !== NOT_MSGPACK) return m;
      return wrongLiteral(lit, "a structured dataset literal");
    },
    match: (v) =>
      v instanceof StructuredDataset
        ? 2
        : typeof v === "string" || v instanceof URL
        ? 1
        : 0,
    toMsgpack(v) {
      const sd = check(v);
      return { uri: sd.uri, file_format: sd.format || format || "parquet" };
    },
    fromMsgpack,
    jsonSchema: () => ({
      type: "object",
      title: "StructuredDataset",
      properties: {
        uri: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
        file_format: {
          anyOf: [{ type: "string" }, { type: "null" }],
          default: "",
        },
      },
      additionalProperties: false,
    }),
  };
}
