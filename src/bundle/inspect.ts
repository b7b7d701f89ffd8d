/**
 * The V8 inspector, in process (`node:inspector/promises`), as the capture
 * of notebook tasks uses it: where a function was defined
 * (`[[FunctionLocation]]`, the script's URL and source), the bindings its
 * closure holds (`[[Scopes]]`: closure, script and module scopes), and the
 * values behind them.
 *
 * @module
 */
import { Session } from "node:inspector/promises";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;
type RemoteObject = {
  type: string;
  subtype?: string;
  value?: unknown;
  objectId?: string;
  description?: string;
};
type PropertyDescriptor = { name: string; value?: RemoteObject };

const GROUP = "flyte-deno-capture";
const SLOT = Symbol.for("flyte-deno.capture.slot");

/**
 * One binding seen from a function: its scope kind and its value.
 *
 * @example
 * ```ts
 * import type { ScopeBinding } from "./inspect.ts";
 * const show = (b: ScopeBinding) => `${b.scope}:${b.name}`;
 * ```
 */
export interface ScopeBinding {
  /** The variable's name. */
  name: string;
  /** `Closure`, `Script`, `Module`, `Block`, `Local`, ... (never `Global`). */
  scope: string;
  /** The value. */
  value: unknown;
}

/**
 * Where a function was defined.
 *
 * @example
 * ```ts
 * import type { FunctionSite } from "./inspect.ts";
 * const show = (s: FunctionSite) => `${s.url || "<cell>"}:${s.line}`;
 * ```
 */
export interface FunctionSite {
  /** The script's id. */
  scriptId: string;
  /** The script's URL ("" for REPL/notebook cells and eval'd code). */
  url: string;
  /** 0-based line of the function's start. */
  line: number;
  /** 0-based column of the function's start. */
  column: number;
}

/**
 * An in-process inspector session for reading closures.
 *
 * @example
 * ```ts
 * import { ClosureInspector } from "./inspect.ts";
 * const k = 3;
 * const f = () => k;
 * const ins = await ClosureInspector.open();
 * const bindings = await ins.bindings(f);
 * console.log(bindings.find((b) => b.name === "k")?.value); // 3
 * ins.close();
 * ```
 */
export class ClosureInspector {
  readonly #session: Session;
  readonly #scripts = new Map<string, string>();

  private constructor(session: Session) {
    this.#session = session;
  }

  /** Connects and enables the debugger (to learn every script's URL). */
  static async open(): Promise<ClosureInspector> {
    const session = new Session();
    session.connect();
    const ins = new ClosureInspector(session);
    session.on("Debugger.scriptParsed", (m) => {
      const p = (m as { params: { scriptId: string; url: string } }).params;
      ins.#scripts.set(p.scriptId, p.url);
    });
    await session.post("Debugger.enable");
    // V8 reports every script already loaded as scriptParsed events, which
    // Deno's Session may deliver after the enable reply: take them all
    // (until none arrives for a few ms) before anyone reads `scripts`.
    for (let seen = -1, i = 0; seen !== ins.#scripts.size && i < 50; i++) {
      seen = ins.#scripts.size;
      await new Promise((r) => setTimeout(r, 5));
    }
    return ins;
  }

  /** Releases remote objects and disconnects. */
  close(): void {
    try {
      void this.#session.post("Runtime.releaseObjectGroup", {
        objectGroup: GROUP,
      }).catch(() => {});
      void this.#session.post("Debugger.disable").catch(() => {});
    } finally {
      this.#session.disconnect();
    }
  }

  /** Every script seen: id → URL. */
  get scripts(): ReadonlyMap<string, string> {
    return this.#scripts;
  }

  /** A script's source text. */
  async source(scriptId: string): Promise<string> {
    const r = await this.#session.post("Debugger.getScriptSource", {
      scriptId,
    }) as { scriptSource: string };
    return r.scriptSource;
  }

  async #objectId(value: unknown): Promise<string> {
    const g = globalThis as Record<symbol, unknown>;
    g[SLOT] = value;
    try {
      const r = await this.#session.post("Runtime.evaluate", {
        expression: `globalThis[Symbol.for("flyte-deno.capture.slot")]`,
        objectGroup: GROUP,
      }) as { result: RemoteObject };
      if (!r.result.objectId) throw new Error("not an object");
      return r.result.objectId;
    } finally {
      delete g[SLOT];
    }
  }

  async #properties(objectId: string) {
    return await this.#session.post("Runtime.getProperties", {
      objectId,
      ownProperties: true,
    }) as {
      result: PropertyDescriptor[];
      internalProperties?: PropertyDescriptor[];
    };
  }

  async #value(o: RemoteObject): Promise<unknown> {
    if (!o.objectId) {
      if (o.type === "undefined") return undefined;
      if (o.type === "bigint") {
        return BigInt(String(o.description ?? "0").replace(/n$/, ""));
      }
      if (o.type === "number" && o.value === undefined) {
        return Number(o.description);
      }
      return o.value;
    }
    const g = globalThis as Record<symbol, unknown>;
    await this.#session.post("Runtime.callFunctionOn", {
      objectId: o.objectId,
      functionDeclaration:
        `function () { globalThis[Symbol.for("flyte-deno.capture.slot")] = this; }`,
      objectGroup: GROUP,
    });
    const v = g[SLOT];
    delete g[SLOT];
    return v;
  }

  /** Where a function was defined. */
  async site(fn: AnyFunction): Promise<FunctionSite> {
    const props = await this.#properties(await this.#objectId(fn));
    const loc = props.internalProperties?.find((p) =>
      p.name === "[[FunctionLocation]]"
    )?.value?.value as
      | { scriptId: string; lineNumber: number; columnNumber: number }
      | undefined;
    if (!loc) return { scriptId: "", url: "", line: 0, column: 0 };
    return {
      scriptId: loc.scriptId,
      url: this.#scripts.get(loc.scriptId) ?? "",
      line: loc.lineNumber,
      column: loc.columnNumber,
    };
  }

  /**
   * The bindings a function closes over, innermost scope first (the global
   * scope is left out: see {@link userGlobal}).
   */
  async bindings(fn: AnyFunction): Promise<ScopeBinding[]> {
    const props = await this.#properties(await this.#objectId(fn));
    const scopes = props.internalProperties?.find((p) =>
      p.name === "[[Scopes]]"
    )?.value;
    if (!scopes?.objectId) return [];
    const list = await this.#properties(scopes.objectId);
    const out: ScopeBinding[] = [];
    for (const s of list.result) {
      const kind = String(s.value?.description ?? "").split(" ")[0];
      if (!s.value?.objectId || kind === "Global") continue;
      const vars = await this.#properties(s.value.objectId);
      for (const v of vars.result) {
        if (!v.value) continue;
        out.push({
          name: v.name,
          scope: kind,
          value: await this.#value(v.value),
        });
      }
    }
    return out;
  }
}

/**
 * Whether a global name was declared by user code (a top-level `var` or
 * function declaration in a notebook cell or script: enumerable and not
 * configurable), as opposed to a built-in global.
 *
 * @example
 * ```ts
 * import { userGlobal } from "./inspect.ts";
 * console.log(userGlobal("Deno")); // false
 * ```
 */
export function userGlobal(name: string): boolean {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  return !!d && d.enumerable === true && d.configurable === false;
}
