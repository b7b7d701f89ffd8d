/**
 * Gates: `sleep(duration)`, `waitForInput(name, { type, timeout })` and
 * `approve(ref, name, { timeout })` (gate nodes; signals are set with
 * FlyteRemote's `setSignal`).
 *
 * @module
 */
import type { AnyFlyteType, Infer } from "../types/mod.ts";
import { type DurationLike, toPbDuration } from "./duration.ts";
import { DefinitionError } from "./errors.ts";
import { currentScope, type Ref, type Scope } from "./graph.ts";
import { addNode, type NodeHandle, resultOf } from "./nodes.ts";

const HOUR = 3600;

function scopeFor(what: string): Scope {
  const s = currentScope();
  if (!s) throw new DefinitionError(what, "is used outside a workflow body");
  return s;
}

/**
 * Pauses the workflow for `duration` (a gate node named `sleep-gate`).
 *
 * @example
 * ```ts
 * import { workflow } from "./workflow.ts";
 * import { sleep } from "./gates.ts";
 * const wf = workflow({ name: "flows.nap" }, () => { sleep("10s"); });
 * console.log(wf.nodes[0].name); // "sleep-gate"
 * ```
 */
export function sleep(duration: DurationLike): NodeHandle {
  const scope = scopeFor("sleep");
  const node = addNode(
    scope,
    {
      kind: "gate",
      gate: {
        kind: "sleep",
        duration: toPbDuration(duration, "sleep: duration"),
      },
    },
    "sleep-gate",
    { inputs: {}, outputs: {} },
    {},
  );
  node.timeout = { seconds: BigInt(HOUR), nanos: 0 };
  return resultOf(node, false) as NodeHandle;
}

/**
 * Waits for a value of `type` sent as signal `name` (for at most
 * `timeout`, default one hour); returns a reference to it.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { workflow } from "./workflow.ts";
 * import { waitForInput } from "./gates.ts";
 * const wf = workflow({ name: "flows.ask", outputs: t.int }, () => waitForInput("num", { type: t.int, timeout: "1h" }));
 * console.log(wf.nodes[0].name); // "num"
 * ```
 */
export function waitForInput<T extends AnyFlyteType>(
  name: string,
  options: { type: T; timeout?: DurationLike },
): Ref<Infer<T>> {
  const scope = scopeFor(`waitForInput ${name}`);
  const node = addNode(
    scope,
    {
      kind: "gate",
      gate: { kind: "signal", signalId: name, type: options.type },
    },
    name,
    { inputs: {}, outputs: { o0: options.type } },
    {},
  );
  node.timeout = toPbDuration(
    options.timeout ?? HOUR,
    `waitForInput ${name}: timeout`,
  );
  return resultOf(node, true) as Ref<Infer<T>>;
}

/**
 * Waits for approval `name` of `value` (for at most `timeout`, default
 * one hour); returns a reference to the approved value.
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { workflow } from "./workflow.ts";
 * import { approve } from "./gates.ts";
 * const wf = workflow({ name: "flows.review", inputs: { x: t.int }, outputs: t.int }, ({ x }) => approve(x, "ok"));
 * console.log(await wf({ x: 1 })); // 1
 * ```
 */
export function approve<T>(
  value: Ref<T>,
  name: string,
  options: { timeout?: DurationLike } = {},
): Ref<T> {
  const scope = scopeFor(`approve ${name}`);
  const node = addNode(
    scope,
    {
      kind: "gate",
      gate: { kind: "approve", signalId: name },
    },
    name,
    { inputs: { o0: value.type }, outputs: { o0: value.type } },
    { o0: value },
  );
  node.timeout = toPbDuration(
    options.timeout ?? HOUR,
    `approve ${name}: timeout`,
  );
  return resultOf(node, true) as Ref<T>;
}
