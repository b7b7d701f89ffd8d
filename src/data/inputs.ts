/**
 * Local files and directories given as execution inputs: found by walking
 * the values alongside their Flyte types (top level, lists, maps), uploaded,
 * and replaced by FlyteFile / FlyteDirectory values pointing at the remote
 * URI, as flytekit does before it creates an execution.
 *
 * @module
 */
import {
  BlobType_BlobDimensionality,
  type LiteralType,
} from "@flyteidl/core/types_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { FlyteDirectory, FlyteFile } from "../types/values.ts";
import type { DataTransfer, UploadOptions } from "./transfer.ts";
import { isLiteralObject, localPathIn } from "./local.ts";
import {
  InlineFile,
  isInlineDirectoryInput,
  isInlineFileInput,
} from "./inline.ts";

/**
 * Uploads every local file/directory among `inputs` (typed by `expected`)
 * and returns a copy of the inputs with each one replaced by a FlyteFile or
 * FlyteDirectory at its remote URI (format and metadata kept). A path that
 * does not exist, or a directory given for a file input (or the reverse),
 * is a FlyteInvalidInputError naming the input and the path. Each distinct
 * path is uploaded once.
 *
 * @example
 * ```ts
 * import { uploadLocalInputs } from "./inputs.ts";
 * import type { DataTransfer } from "./transfer.ts";
 * declare const data: DataTransfer;
 * declare const expected: { name: string; type: import("@flyteidl/core/types_pb.ts").LiteralType }[];
 * const inputs = await uploadLocalInputs(data, { report: "./report.csv" }, expected, { project: "p", domain: "d" });
 * ```
 */
export async function uploadLocalInputs(
  data: DataTransfer,
  inputs: Record<string, unknown>,
  expected: { name: string; type: LiteralType }[],
  options: UploadOptions,
): Promise<Record<string, unknown>> {
  const done = new Map<string, Promise<{ uri: string; directory: boolean }>>();
  const upload = (path: string) => {
    let p = done.get(path);
    if (!p) {
      p = data.upload(path, options);
      done.set(path, p);
    }
    return p;
  };
  const inline = new Map<unknown, Promise<FlyteFile | FlyteDirectory>>();
  const uploadInline = (
    v: unknown,
    dir: boolean,
    where: string,
    format: string,
  ) => {
    let p = inline.get(v);
    if (!p) {
      const name = v instanceof InlineFile
        ? v.name
        : v instanceof File && v.name
        ? v.name
        : where.replace(/[^\w.-]+/g, "_");
      p = dir
        ? data.uploadDirectory(v as Record<string, never>, {
          ...options,
          format,
        })
        : data.uploadValue(v as never, {
          ...options,
          name,
          format: v instanceof InlineFile && v.format ? v.format : format,
        });
      inline.set(v, p);
    }
    return p.catch((e) => {
      if (e instanceof FlyteInvalidInputError) {
        throw new FlyteInvalidInputError(`input ${where}: ${e.message}`, {
          cause: e,
        });
      }
      throw e;
    });
  };
  const walk = async (
    v: unknown,
    t: LiteralType | undefined,
    where: string,
  ): Promise<unknown> => {
    if (!t || v === undefined || v === null || isLiteralObject(v)) return v;
    switch (t.type.case) {
      case "blob": {
        const multipart = t.type.value.dimensionality ===
          BlobType_BlobDimensionality.MULTIPART;
        if (multipart ? isInlineDirectoryInput(v) : isInlineFileInput(v)) {
          return await uploadInline(v, multipart, where, t.type.value.format);
        }
        const path = localPathIn(v);
        if (path === undefined) return v;
        const wantDir = t.type.value.dimensionality ===
          BlobType_BlobDimensionality.MULTIPART;
        let up;
        try {
          up = await upload(path);
        } catch (e) {
          if (e instanceof FlyteInvalidInputError) {
            throw new FlyteInvalidInputError(`input ${where}: ${e.message}`, {
              cause: e,
            });
          }
          throw e;
        }
        if (up.directory !== wantDir) {
          throw new FlyteInvalidInputError(
            `input ${where}: [${path}] is a ${
              up.directory ? "directory" : "file"
            } but the input is a ${wantDir ? "directory" : "file"}`,
          );
        }
        const format = v instanceof FlyteFile || v instanceof FlyteDirectory
          ? v.format
          : t.type.value.format;
        return wantDir
          ? new FlyteDirectory(up.uri, { format })
          : new FlyteFile(up.uri, {
            format,
            metadata: v instanceof FlyteFile ? { ...v.metadata } : undefined,
          });
      }
      case "collectionType": {
        if (!Array.isArray(v)) return v;
        const inner = t.type.value;
        return await Promise.all(
          v.map((x, i) => walk(x, inner, `${where}[${i}]`)),
        );
      }
      case "mapValueType": {
        if (typeof v !== "object" || v instanceof Map) return v;
        const inner = t.type.value;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as object)) {
          out[k] = await walk(x, inner, `${where}.${k}`);
        }
        return out;
      }
      case "unionType": {
        // The first variant that takes a local path: a blob variant.
        const blob = t.type.value.variants.find((u) => u.type.case === "blob");
        return blob && localPathIn(v) !== undefined
          ? await walk(v, blob, where)
          : v;
      }
      default:
        return v;
    }
  };
  const out: Record<string, unknown> = { ...inputs };
  for (const e of expected) {
    if (e.name in inputs) {
      out[e.name] = await walk(inputs[e.name], e.type, e.name);
    }
  }
  return out;
}
