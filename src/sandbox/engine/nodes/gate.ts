/**
 * The gate node handler (propeller-contract.md §5).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import { ConnectError } from "@connectrpc/connect";
import {
  ExecutionError_ErrorKind as Kind,
} from "@flyteidl/core/execution_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { GateNode } from "@flyteidl/core/workflow_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { NodeFailure } from "../errors.ts";
import { joinUri, writeProto } from "../storage.ts";
import { abortable } from "../concurrency.ts";
import {
  EMPTY,
  type NodeCtx,
  type NodeResult,
  type RunApi,
} from "../context.ts";
import type { NodeHandler } from "./handler.ts";
/**
 * Gate nodes: a signal (GetOrCreateSignal, then poll until SetSignal gives
 * it a value), an approval (bool signal) or a sleep; the node timeout bounds
 * the wait.
 *
 * @example
 * ```ts
 * import { gateHandler } from "./gate.ts";
 * console.log(gateHandler.kind); // "gate"
 * ```
 */
export const gateHandler: NodeHandler = {
  kind: "gate",
  isParent: false,
  isArray: false,
  handle: (run, ctx) => gateNode(run, ctx, ctx.node.target.value as GateNode),
};

async function gateNode(
  run: RunApi,
  ctx: NodeCtx,
  gate: GateNode,
): Promise<NodeResult> {
  const timeoutMs = ctx.node.metadata?.timeout
    ? durationMs(ctx.node.metadata.timeout)
    : 0;
  const s = run.settings;
  await ctx.markRunning!();
  const O = joinUri(ctx.D, "0");
  const outUri = joinUri(O, "outputs.pb");
  const deadline = timeoutMs ? ctx.rec.startedAt + timeoutMs : Infinity;
  const signal = ctx.scope.abort.signal;
  const c = gate.condition;
  const waitSignal = async (
    signalId: string,
    type: unknown,
  ): Promise<Literal> => {
    while (true) {
      if (signal.aborted) throw signal.reason;
      let sig;
      try {
        sig = await s.signals.getOrCreateSignal({
          id: { executionId: run.execId, signalId },
          type: type as never,
        });
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        throw new NodeFailure(
          "SignalError",
          `GetOrCreateSignal ${signalId}: ${ConnectError.from(e).message}`,
          Kind.SYSTEM,
          false,
        );
      }
      if (sig.value) return sig.value;
      if (Date.now() >= deadline) {
        throw new NodeFailure(
          "Timeout",
          `gate ${signalId} timed out`,
          Kind.USER,
          false,
        );
      }
      await abortable(
        Math.min(s.pollMs, Math.max(1, deadline - Date.now())),
        signal,
      );
    }
  };
  let outputs: LiteralMap;
  if (c.case === "signal") {
    const v = await waitSignal(c.value.signalId, c.value.type);
    outputs = create(LiteralMapSchema, {
      literals: { [c.value.outputVariableName || "o0"]: v },
    });
  } else if (c.case === "approve") {
    const v = await waitSignal(c.value.signalId, {
      type: { case: "simple", value: SimpleType.BOOLEAN },
    });
    const ok = v.value.case === "scalar" &&
      v.value.value.value.case === "primitive" &&
      v.value.value.value.value.value.case === "boolean" &&
      v.value.value.value.value.value.value;
    if (!ok) {
      throw new NodeFailure(
        "ReceivedRejectSignal",
        `received reject signal for ${c.value.signalId}`,
        Kind.USER,
        false,
      );
    }
    outputs = ctx.inputs;
  } else if (c.case === "sleep") {
    const ms = c.value.duration ? durationMs(c.value.duration) : 0;
    const until = ctx.rec.startedAt + ms;
    if (until > deadline) {
      await abortable(Math.max(0, deadline - Date.now()), signal);
      throw new NodeFailure(
        "Timeout",
        "sleep gate timed out",
        Kind.USER,
        false,
      );
    }
    await abortable(Math.max(0, until - Date.now()), signal);
    outputs = EMPTY();
  } else {
    throw new NodeFailure(
      "MalformedGate",
      "gate node without condition",
      Kind.USER,
      false,
    );
  }
  await writeProto(LiteralMapSchema, outUri, outputs);
  return { outputs, outputUri: outUri };
}
