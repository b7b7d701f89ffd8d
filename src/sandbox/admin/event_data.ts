/**
 * The data node, task and workflow events carry and the reads answer with:
 * inline event data offloaded to the blob store (FlyteAdmin's default
 * policy), a closure's input and output after an event, the time between
 * two events, what Get*ExecutionData answers with, and the flyte:// URLs.
 *
 * @module
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { type Duration, durationFromMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ExecutionError } from "@flyteidl/core/execution_pb.ts";
import type { NodeExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import type { UrlBlob } from "@flyteidl/admin/common_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import { type AdminContext, msOf } from "./context.ts";
import { readLiteralMap, urlBlob } from "./executions.ts";

/**
 * The output oneof of node and task closures (and, as the event names it,
 * of their events).
 */
export type OutputResult =
  | { case: "outputUri"; value: string }
  | { case: "error"; value: ExecutionError }
  | { case: "outputData"; value: LiteralMap }
  | { case: undefined; value?: undefined };

/**
 * Writes inline event data to the blob store under `metadata/<parts>` and
 * returns its URL (FlyteAdmin's default "offload" policy).
 *
 * @example
 * ```ts
 * import { offload } from "./event_data.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const map: import("@flyteidl/core/literals_pb.ts").LiteralMap;
 * const uri = offload(ctx, ["p", "d", "e", "n0", "offloaded_inputs.pb"], map);
 * ```
 */
export function offload(
  ctx: AdminContext,
  parts: string[],
  map: LiteralMap,
): string {
  const key = ["metadata", ...parts].join("/");
  ctx.blobs.write(key, toBinary(LiteralMapSchema, map));
  return ctx.blobs.nativeUrl(key);
}

/**
 * A closure's input URI after an event: the one it has, else the event's
 * URI, else the event's inline data offloaded to `parts`.
 *
 * @example
 * ```ts
 * import { inputUriAfter } from "./event_data.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * inputUriAfter(ctx, "", { case: "inputUri", value: "file:///i.pb" }, []); // "file:///i.pb"
 * ```
 */
export function inputUriAfter(
  ctx: AdminContext,
  current: string,
  input:
    | { case: "inputUri"; value: string }
    | { case: "inputData"; value: LiteralMap }
    | { case: undefined; value?: undefined },
  parts: string[],
): string {
  if (current) return current;
  if (input.case === "inputUri") return input.value;
  if (input.case === "inputData") return offload(ctx, parts, input.value);
  return current;
}

/**
 * A closure's output from its event: a URI or error is kept as is, inline
 * data is offloaded to `parts` and kept by URI; undefined when the event
 * carries no output.
 *
 * @example
 * ```ts
 * import { closureOutput } from "./event_data.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * closureOutput(ctx, { case: undefined }, []); // undefined
 * ```
 */
export function closureOutput(
  ctx: AdminContext,
  out: OutputResult,
  parts: string[],
):
  | { case: "outputUri"; value: string }
  | { case: "error"; value: ExecutionError }
  | undefined {
  switch (out.case) {
    case "outputUri":
      return { case: "outputUri", value: out.value };
    case "error":
      return { case: "error", value: out.value };
    case "outputData":
      return { case: "outputUri", value: offload(ctx, parts, out.value) };
  }
  return undefined;
}

/**
 * The time from `start` to `end` as a Duration.
 *
 * @example
 * ```ts
 * import { elapsed } from "./event_data.ts";
 * import { timestampFromMs } from "@bufbuild/protobuf/wkt";
 * elapsed(timestampFromMs(0), timestampFromMs(1500)).seconds; // 1n
 * ```
 */
export function elapsed(
  start: Timestamp | undefined,
  end: Timestamp | undefined,
): Duration {
  return durationFromMs(msOf(end) - msOf(start));
}

/** A literal map from a store URL; empty when it is absent or unreadable. */
function readMapOrEmpty(ctx: AdminContext, uri: string): LiteralMap {
  try {
    return readLiteralMap(ctx, uri);
  } catch {
    return create(LiteralMapSchema, {});
  }
}

/**
 * The inputs and outputs a GetNodeExecutionData / GetTaskExecutionData
 * answers with: signed blobs of the stored maps and the maps themselves.
 *
 * @example
 * ```ts
 * import { closureData } from "./event_data.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const data = closureData(ctx, "", { case: undefined });
 * ```
 */
export function closureData(
  ctx: AdminContext,
  inputUri: string,
  out: OutputResult,
): {
  inputs: UrlBlob | undefined;
  outputs: UrlBlob | undefined;
  fullInputs: LiteralMap;
  fullOutputs: LiteralMap;
} {
  const outUri = out.case === "outputUri" ? out.value : "";
  return {
    inputs: urlBlob(ctx, inputUri),
    outputs: outUri ? urlBlob(ctx, outUri) : undefined,
    fullInputs: readMapOrEmpty(ctx, inputUri),
    fullOutputs: out.case === "outputData"
      ? out.value
      : readMapOrEmpty(ctx, outUri),
  };
}

/**
 * The flyte:// URLs of a node (or one of its attempts).
 *
 * @example
 * ```ts
 * import { flyteUrls } from "./event_data.ts";
 * declare const id: import("@flyteidl/core/identifier_pb.ts").NodeExecutionIdentifier;
 * const { inputs } = flyteUrls(id, 0); // flyte://v1/<p>/<d>/<e>/<node>/0/i
 * ```
 */
export function flyteUrls(
  id: NodeExecutionIdentifier,
  attempt?: number,
): {
  $typeName: "flyteidl.admin.FlyteURLs";
  inputs: string;
  outputs: string;
  deck: string;
} {
  const e = id.executionId!;
  const base = `flyte://v1/${e.project}/${e.domain}/${e.name}/${id.nodeId}${
    attempt !== undefined ? `/${attempt}` : ""
  }`;
  return {
    $typeName: "flyteidl.admin.FlyteURLs" as const,
    inputs: `${base}/i`,
    outputs: `${base}/o`,
    deck: `${base}/d`,
  };
}
