/**
 * One task attempt in the container: fetch and unpack the bundle, import its
 * program, find the task in the registry, read inputs.pb, run, write
 * outputs.pb, or error.pb (USER for the task's own errors and wrong return
 * values, SYSTEM for the runtime's: a bad bundle, a missing task, storage).
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
} from "@flyteidl/core/errors_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REGISTRY_KEY, type TaskDefinition } from "../sdk/contract.ts";
import {
  decodeLiteralMap,
  encodeLiteralMap,
  fromLiteralMap,
  type Literal,
  type LiteralMap,
  type LiteralType,
  toLiteralMap,
} from "../types/mod.ts";
import { joinUri, readUri, writeUri } from "../data/storage.ts";
import { RUNTIME_VERSION } from "../bundle/manifest.ts";
import { unpackBundle } from "../bundle/unpack.ts";
import type { RuntimeArgs } from "./args.ts";

/**
 * A failure with the error document's fields.
 *
 * @example
 * ```ts
 * import { TaskFailure } from "./run.ts";
 * const f = new TaskFailure("USER:Boom", "boom", "USER", false);
 * console.log(f.kind); // "USER"
 * ```
 */
export class TaskFailure extends Error {
  /** Error code (e.g. `USER:Error`, `SYSTEM:BundleIntegrity`). */
  readonly code: string;
  /** Who is at fault. */
  readonly kind: "USER" | "SYSTEM";
  /** Whether a retry may help. */
  readonly recoverable: boolean;
  /** Builds a failure. */
  constructor(
    code: string,
    message: string,
    kind: "USER" | "SYSTEM",
    recoverable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TaskFailure";
    this.code = code;
    this.kind = kind;
    this.recoverable = recoverable;
  }
}

function system(code: string, e: unknown): TaskFailure {
  const msg = e instanceof Error ? e.message : String(e);
  return new TaskFailure(`SYSTEM:${code}`, msg, "SYSTEM", false, { cause: e });
}

/** A thrown error is USER and non-recoverable unless it says `recoverable: true`. */
function userFailure(task: string, e: unknown): TaskFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const recoverable = (e as { recoverable?: unknown })?.recoverable === true ||
    /Recoverable/.test(err.name);
  return new TaskFailure(
    `USER:${err.name || "Error"}`,
    `task ${task} failed: ${err.stack ?? err.message}`,
    "USER",
    recoverable,
    { cause: e },
  );
}

const SHA = /(?:bundle-|fast)([0-9a-f]{64})\.zip$/;

async function loadTask(
  args: RuntimeArgs,
  workDir: string,
): Promise<TaskDefinition> {
  let bytes: Uint8Array;
  try {
    bytes = await readUri(args.bundle);
  } catch (e) {
    throw system("BundleDownload", e);
  }
  const dir = resolve(join(workDir, "bundle"));
  let manifest;
  try {
    manifest = await unpackBundle(bytes, dir, {
      expectedSha256: SHA.exec(args.bundle)?.[1],
      source: args.bundle,
    });
  } catch (e) {
    throw system("BundleIntegrity", e);
  }
  if (manifest.runtimeVersion !== RUNTIME_VERSION) {
    throw system(
      "RuntimeVersion",
      `the bundle was built for runtime [${manifest.runtimeVersion}] but this image has [${RUNTIME_VERSION}]: ` +
        `use an image with the matching flyte-deno runtime`,
    );
  }
  if (!manifest.entry) {
    throw system(
      "BundleIntegrity",
      `${args.bundle} names no entry point: it is a package of files, not a program`,
    );
  }
  try {
    await import(pathToFileURL(join(dir, manifest.entry)).href);
  } catch (e) {
    throw new TaskFailure(
      "USER:ImportError",
      `the bundle's program failed to load: ${(e as Error)?.stack ?? e}`,
      "USER",
      false,
      { cause: e },
    );
  }
  Deno.chdir(dir);
  const registry = (globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as
    | Map<string, { kind: string }>
    | undefined;
  const def = registry?.get(args.task);
  if (!def || def.kind !== "task") {
    throw new TaskFailure(
      "SYSTEM:TaskNotFound",
      `task [${args.task}] is not defined by the bundle (it defines: ${
        [...(registry?.keys() ?? [])].join(", ") || "nothing"
      })`,
      "SYSTEM",
      false,
    );
  }
  return def as TaskDefinition;
}

function depth(lt: LiteralType | undefined): number {
  return lt?.type.case === "collectionType" ? 1 + depth(lt.type.value) : 0;
}

function literalDepth(l: Literal | undefined): number {
  return l?.value.case === "collection"
    ? 1 + literalDepth(l.value.value.literals[0])
    : 0;
}

/**
 * One item of a map (array node, `--array-item`) run with a single input
 * file, as flytekit's map tasks read it: the index from the variable that
 * `BATCH_JOB_ARRAY_INDEX_VAR_NAME` names (plus
 * `BATCH_JOB_ARRAY_INDEX_OFFSET`), and every list input one level deeper
 * than the task's type replaced by its item at that index (inputs given
 * whole stay as they are). Without the index variable the inputs are
 * already the item's (one input file per item).
 */
function arrayItem(map: LiteralMap, def: TaskDefinition): LiteralMap {
  const indexVar = Deno.env.get("BATCH_JOB_ARRAY_INDEX_VAR_NAME");
  if (!indexVar) return map;
  const index = Number(Deno.env.get(indexVar) ?? "NaN") +
    Number(Deno.env.get("BATCH_JOB_ARRAY_INDEX_OFFSET") ?? 0);
  if (!Number.isInteger(index) || index < 0) {
    throw new Error(
      `array index ${indexVar}=${Deno.env.get(indexVar)} is not a valid index`,
    );
  }
  const literals: Record<string, Literal> = {};
  for (const [name, lit] of Object.entries(map.literals)) {
    const want = depth(def.inputs[name]?.literalType);
    if (lit.value.case === "collection" && literalDepth(lit) > want) {
      const item = lit.value.value.literals[index];
      if (!item) {
        throw new Error(`input ${name} has no item ${index} (array index)`);
      }
      literals[name] = item;
    } else {
      literals[name] = lit;
    }
  }
  return { ...map, literals };
}

/** Puts what a task returned into named outputs. */
function namedOutputs(
  def: TaskDefinition,
  value: unknown,
): Record<string, unknown> {
  const names = Object.keys(def.outputs);
  if (names.length === 0) return {};
  const single = def.singleOutput ?? (names.length === 1 && names[0] === "o0");
  if (single) return { [names[0]]: value };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    if (names.length === 1) return { [names[0]]: value };
    throw new TypeError(
      `expected an object with ${names.join(", ")}, got ${
        Array.isArray(value) ? "an array" : typeof value
      }`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Runs one attempt; resolves with the failure written (or undefined on
 * success). Throws only when even the error document cannot be written.
 *
 * @example
 * ```ts
 * import { runTask } from "./run.ts";
 * const failure = await runTask({ task: "m.t", inputs: "file:///tmp/i.pb", outputPrefix: "file:///tmp/o", rawOutputDataPrefix: "file:///tmp/r", bundle: "file:///tmp/bundle-x.zip" });
 * ```
 */
export async function runTask(
  args: RuntimeArgs,
  workDir = Deno.cwd(),
): Promise<TaskFailure | undefined> {
  let failure: TaskFailure | undefined;
  try {
    const def = await loadTask(args, workDir);
    let inputs: Record<string, unknown>;
    try {
      inputs = fromLiteralMap(
        args.arrayItem
          ? arrayItem(decodeLiteralMap(await readUri(args.inputs)), def)
          : decodeLiteralMap(await readUri(args.inputs)),
        def.inputs,
      ) as Record<string, unknown>;
    } catch (e) {
      throw system("InputsRead", e);
    }
    let value: unknown;
    try {
      value = await def.fn(inputs);
    } catch (e) {
      throw userFailure(args.task, e);
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeLiteralMap(
        toLiteralMap(namedOutputs(def, value), def.outputs, {
          root: "outputs",
        }),
      );
    } catch (e) {
      throw new TaskFailure(
        "USER:OutputsTypeError",
        `task ${args.task} returned a value that does not match its outputs: ${
          (e as Error).message
        }`,
        "USER",
        false,
        { cause: e },
      );
    }
    try {
      await writeUri(joinUri(args.outputPrefix, "outputs.pb"), bytes);
    } catch (e) {
      throw system("OutputsWrite", e);
    }
    return undefined;
  } catch (e) {
    failure = e instanceof TaskFailure ? e : system("Runtime", e);
  }
  const doc = create(ErrorDocumentSchema, {
    error: {
      code: failure.code,
      message: failure.message,
      kind: failure.recoverable
        ? ContainerError_Kind.RECOVERABLE
        : ContainerError_Kind.NON_RECOVERABLE,
      origin: failure.kind === "USER"
        ? ExecutionError_ErrorKind.USER
        : ExecutionError_ErrorKind.SYSTEM,
      timestamp: timestampNow(),
    },
  });
  await writeUri(
    joinUri(args.outputPrefix, "error.pb"),
    toBinary(ErrorDocumentSchema, doc),
  );
  return failure;
}
