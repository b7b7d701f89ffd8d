/**
 * Notebook display helpers of FlyteRemote's results that are not classes:
 * lists as tables, and a display for plain objects (signals, metrics). The
 * pictures themselves come from src/display.
 *
 * @module
 */
import {
  type MimeBundle,
  renderExecutionList,
  renderList,
  renderSignals,
} from "../display/mod.ts";
import { RemoteExecution, type RemoteSignal } from "./models.ts";

/**
 * A list (of executions, entities, nodes, signals or any values) with a
 * table as its notebook display: `asTable(await Array.fromAsync(remote.executions.recentExecutions()))`.
 *
 * @example
 * ```ts
 * import { asTable } from "./display.ts";
 * const t = asTable([1, 2, 3]);
 * ```
 */
export function asTable<T>(
  items: T[],
  title = "",
): T[] & { [k: symbol]: () => MimeBundle } {
  const list = [...items] as T[] & { [k: symbol]: () => MimeBundle };
  Object.defineProperty(list, Symbol.for("Jupyter.display"), {
    value: () => {
      if (items.length && items.every((x) => x instanceof RemoteExecution)) {
        return renderExecutionList(items as RemoteExecution[]);
      }
      if (items.length && items.every(isSignal)) {
        return renderSignals((items as RemoteSignal[]).map((x) => x.raw));
      }
      return renderList(items, title);
    },
  });
  return list;
}

function isSignal(x: unknown): x is RemoteSignal {
  return typeof x === "object" && x !== null && "signalId" in x &&
    (x as { raw?: { $typeName?: string } }).raw?.$typeName ===
      "flyteidl.admin.Signal";
}

/**
 * Gives a plain object a notebook display (a non-enumerable
 * `Symbol.for("Jupyter.display")` method) and returns it.
 *
 * @example
 * ```ts
 * import { withDisplay } from "./display.ts";
 * const o = withDisplay({ n: 1 }, () => ({ "text/plain": "n=1", "text/html": "<b>n=1</b>" }));
 * ```
 */
export function withDisplay<T extends object>(
  obj: T,
  render: () => MimeBundle,
): T {
  Object.defineProperty(obj, Symbol.for("Jupyter.display"), { value: render });
  return obj;
}
