/**
 * What Flyte's co-pilot gives raw containers with a DataLoadingConfig
 * (propeller-contract.md §3), done locally: the container's input_path and
 * output_path are mapped to per-attempt folders (occurrences in argv and env
 * are rewritten), inputs are written as files before the process starts,
 * and declared outputs are collected from files afterwards.
 *
 * @module
 */
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  stat,
  writeFile,
} from "node:fs/promises";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type DataLoadingConfig,
  DataLoadingConfig_LiteralMapFormat as Format,
} from "@flyteidl/core/tasks_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
} from "@flyteidl/core/errors_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import {
  BlobType_BlobDimensionality,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { joinUri, localPath, writeProto } from "./storage.ts";

function goDuration(seconds: bigint, nanos: number): string {
  let total = Number(seconds) + nanos / 1e9;
  if (total === 0) return "0s";
  const h = Math.floor(total / 3600);
  total -= h * 3600;
  const m = Math.floor(total / 60);
  const s = total - m * 60;
  return (h ? `${h}h` : "") + (h || m ? `${m}m` : "") + `${+s.toFixed(9)}s`;
}

function nativeValue(lit: Literal): unknown {
  switch (lit.value.case) {
    case "collection":
      return lit.value.value.literals.map(nativeValue);
    case "map":
      return Object.fromEntries(
        Object.entries(lit.value.value.literals).map((
          [k, v],
        ) => [k, nativeValue(v)]),
      );
    case "scalar": {
      const s = lit.value.value.value;
      switch (s.case) {
        case "primitive": {
          const p = s.value.value;
          if (p.case === "integer") return Number(p.value);
          if (p.case === "datetime") {
            return new Date(
              Number(p.value.seconds) * 1000 + p.value.nanos / 1e6,
            ).toISOString();
          }
          if (p.case === "duration") {
            return goDuration(p.value.seconds, p.value.nanos);
          }
          return p.value;
        }
        case "blob":
          return localPath(s.value.uri);
        case "schema":
          return localPath(s.value.uri);
        case "noneType":
          return null;
        case "generic":
          return s.value;
        case "union":
          return s.value.value ? nativeValue(s.value.value) : null;
        case "error":
          return s.value.message;
        case "binary":
          return btoa(String.fromCharCode(...s.value.value));
      }
    }
  }
  return null;
}

async function writeEntry(path: string, lit: Literal): Promise<void> {
  if (lit.value.case === "collection") {
    await mkdir(path, { recursive: true });
    const items = lit.value.value.literals;
    for (let i = 0; i < items.length; i++) {
      await writeEntry(`${path}/${i}`, items[i]);
    }
    return;
  }
  if (lit.value.case === "map") {
    await mkdir(path, { recursive: true });
    for (const [k, v] of Object.entries(lit.value.value.literals)) {
      await writeEntry(`${path}/${k}`, v);
    }
    return;
  }
  if (lit.value.case === "scalar") {
    const s = lit.value.value.value;
    if (s.case === "blob") {
      const src = localPath(s.value.uri);
      if ((await stat(src)).isDirectory()) {
        await mkdir(path, { recursive: true });
        for (const f of await readdir(src)) {
          await copyFile(`${src}/${f}`, `${path}/${f}`);
        }
      } else await copyFile(src, path);
      return;
    }
    if (s.case === "binary") return await writeFile(path, s.value.value);
    if (s.case === "union" && s.value.value) {
      return await writeEntry(path, s.value.value);
    }
    if (s.case === "generic") {
      return await writeFile(path, JSON.stringify(s.value));
    }
    if (s.case === "primitive" && s.value.value.case === "floatValue") {
      return await writeFile(path, String(s.value.value.value));
    }
  }
  const v = nativeValue(lit);
  await writeFile(path, v === null ? "null" : String(v));
}

/**
 * Writes the inputs for a co-pilot task and returns the path rewriter.
 *
 * @example
 * ```ts
 * import { prepareCopilotInputs } from "./copilot.ts";
 * console.log(typeof prepareCopilotInputs); // "function"
 * ```
 */
export async function prepareCopilotInputs(
  cfg: DataLoadingConfig,
  inputs: LiteralMap,
  scratch: string,
): Promise<
  { rewrite: (s: string) => string; inputDir: string; outputDir: string }
> {
  const inputPath = cfg.inputPath || "/var/flyte/inputs";
  const outputPath = cfg.outputPath || "/var/flyte/outputs";
  const inputDir = `${scratch}/copilot-inputs`;
  const outputDir = `${scratch}/copilot-outputs`;
  await mkdir(inputDir, { recursive: true });
  await mkdir(outputDir, { recursive: true });
  await writeFile(`${inputDir}/inputs.pb`, toBinary(LiteralMapSchema, inputs));
  const native = Object.fromEntries(
    Object.entries(inputs.literals).map(([k, v]) => [k, nativeValue(v)]),
  );
  if (cfg.format === Format.JSON) {
    await writeFile(`${inputDir}/inputs.json`, JSON.stringify(native));
  } else if (cfg.format === Format.YAML) {
    // JSON is valid YAML 1.2.
    await writeFile(`${inputDir}/inputs.yaml`, JSON.stringify(native, null, 2));
  }
  for (const [k, v] of Object.entries(inputs.literals)) {
    await writeEntry(`${inputDir}/${k}`, v);
  }
  const rewrite = (s: string) =>
    s.split(inputPath).join(inputDir).split(outputPath).join(outputDir);
  return { rewrite, inputDir, outputDir };
}

function parseSimple(t: SimpleType, text: string): Literal | undefined {
  const prim = (value: Record<string, unknown>) =>
    create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "primitive", value: { value } as never } },
      },
    });
  switch (t) {
    case SimpleType.INTEGER:
      return /^-?\d+$/.test(text)
        ? prim({ case: "integer", value: BigInt(text) })
        : undefined;
    case SimpleType.FLOAT:
      return isNaN(Number(text))
        ? undefined
        : prim({ case: "floatValue", value: Number(text) });
    case SimpleType.STRING:
      return prim({ case: "stringValue", value: text });
    case SimpleType.BOOLEAN:
      return text === "true" || text === "false"
        ? prim({ case: "boolean", value: text === "true" })
        : undefined;
    case SimpleType.DATETIME: {
      const ms = Date.parse(text);
      return isNaN(ms) ? undefined : prim({
        case: "datetime",
        value: {
          seconds: BigInt(Math.floor(ms / 1000)),
          nanos: (ms % 1000) * 1e6,
        },
      });
    }
  }
  return undefined;
}

/**
 * Collects declared outputs from the co-pilot output folder into
 * `O/outputs.pb`, or writes `O/error.pb` as co-pilot does on failure.
 *
 * @example
 * ```ts
 * import { collectCopilotOutputs } from "./copilot.ts";
 * console.log(typeof collectCopilotOutputs); // "function"
 * ```
 */
export async function collectCopilotOutputs(
  _cfg: DataLoadingConfig,
  iface: TypedInterface | undefined,
  scratch: string,
  outputPrefix: string,
  rawPrefix: string,
): Promise<void> {
  const outDir = `${scratch}/copilot-outputs`;
  const vars = iface?.outputs?.variables ?? {};
  const fail = async (message: string) => {
    await writeProto(
      ErrorDocumentSchema,
      joinUri(outputPrefix, "error.pb"),
      create(ErrorDocumentSchema, {
        error: {
          code: "OutputUploadFailed",
          message: `User Error: ${message}`,
          kind: ContainerError_Kind.RECOVERABLE,
        },
      }),
    );
  };
  if (Object.keys(vars).length === 0) {
    await writeProto(
      LiteralMapSchema,
      joinUri(outputPrefix, "outputs.pb"),
      create(LiteralMapSchema),
    );
    return;
  }
  try {
    const e = await readFile(`${outDir}/_ERROR`, "utf8");
    return await fail(e);
  } catch { /* no _ERROR */ }
  const literals: Record<string, Literal> = {};
  for (const [name, v] of Object.entries(vars)) {
    const path = `${outDir}/${name}`;
    const t = v.type?.type;
    let st;
    try {
      st = await stat(path);
    } catch {
      return await fail(`output ${name} was not written to ${path}`);
    }
    if (t?.case === "blob") {
      const target = joinUri(rawPrefix, name);
      const dest = localPath(target);
      if (st.isDirectory()) {
        await mkdir(dest, { recursive: true });
        for (const f of await readdir(path)) {
          await copyFile(`${path}/${f}`, `${dest}/${f}`);
        }
      } else {
        await mkdir(localPath(rawPrefix), { recursive: true });
        await copyFile(path, dest);
      }
      literals[name] = create(LiteralSchema, {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "blob",
              value: {
                uri: target,
                metadata: {
                  type: {
                    format: t.value.format,
                    dimensionality: st.isDirectory()
                      ? BlobType_BlobDimensionality.MULTIPART
                      : BlobType_BlobDimensionality.SINGLE,
                  },
                },
              },
            },
          },
        },
      });
    } else if (t?.case === "simple") {
      const buf = await readFile(path);
      if (buf.length > 1024) {
        return await fail(`output ${name} is larger than 1024 bytes`);
      }
      const lit = parseSimple(t.value, new TextDecoder().decode(buf).trim());
      if (!lit) {
        return await fail(
          `output ${name} could not be parsed as ${SimpleType[t.value]}`,
        );
      }
      literals[name] = lit;
    } else {
      return await fail(
        `output ${name}: only blob and simple types are supported`,
      );
    }
  }
  await writeProto(
    LiteralMapSchema,
    joinUri(outputPrefix, "outputs.pb"),
    create(LiteralMapSchema, { literals }),
  );
}
