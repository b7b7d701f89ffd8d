/**
 * Signals: list what gate nodes wait for, approve/reject approvals, and set
 * input values (converted through a LiteralType, a `t` type, or the type the
 * signal itself declares).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import type { WorkflowExecutionIdentifier } from "@flyteidl/core/identifier_pb.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../client/errors.ts";
import { fromLiteral, toLiteral } from "../types/mod.ts";
import type { RemoteContext } from "./context.ts";
import { formatExecutionId } from "./ids.ts";
import { describeType } from "./inputs.ts";
import { RemoteExecution, type RemoteSignal } from "./models.ts";
import { withDisplay } from "./display.ts";
import { renderSignals } from "../display/mod.ts";
import { type ListOptions, paginate } from "./paging.ts";

/**
 * A type to convert a signal value with: a flyteidl LiteralType, or any
 * object carrying one as `literalType` (such as a `t` type).
 *
 * @example
 * ```ts
 * import type { SignalType } from "./signals.ts";
 * ```
 */
export type SignalType = LiteralType | { literalType: LiteralType };

function literalTypeOf(t: SignalType): LiteralType {
  return (t as { $typeName?: string }).$typeName === "flyteidl.core.LiteralType"
    ? t as LiteralType
    : (t as { literalType: LiteralType }).literalType;
}

function isLiteral(v: unknown): v is Literal {
  return typeof v === "object" && v !== null &&
    (v as { $typeName?: string }).$typeName === "flyteidl.core.Literal";
}

function boolLiteral(value: boolean): Literal {
  return create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "boolean", value } },
        },
      },
    },
  });
}

/**
 * An execution given as a snapshot or by id.
 *
 * @example
 * ```ts
 * import type { ExecutionRef } from "./signals.ts";
 * ```
 */
export type ExecutionRef = RemoteExecution | WorkflowExecutionIdentifier;
const idOf = (e: ExecutionRef) => e instanceof RemoteExecution ? e.id : e;

/**
 * The signals sub-client (`remote.signals`): `listSignals` of an execution
 * (set or awaited), `approve` / `reject` an approval gate, `setInput` for a
 * `waitForInput` gate (converted through the signal's own type unless one
 * is given).
 *
 * @example
 * ```ts
 * import type { Signals } from "./signals.ts";
 * import type { RemoteExecution } from "./models.ts";
 * async function approveAll(s: Signals, e: RemoteExecution) {
 *   for await (const sig of s.listSignals(e)) if (sig.value === undefined) await s.approve(sig.signalId, e);
 * }
 * ```
 */
export class Signals {
  readonly #ctx: RemoteContext;

  /** Creates the sub-client. */
  constructor(ctx: RemoteContext) {
    this.#ctx = ctx;
  }

  /** Every signal of an execution (set or still awaited), paging for you. */
  listSignals(
    execution: ExecutionRef,
    options: ListOptions & { filters?: string } = {},
  ): AsyncGenerator<RemoteSignal, void, undefined> {
    const id = idOf(execution);
    return paginate(async (token, limit) => {
      const r = await this.#ctx.call(
        `list signals of ${formatExecutionId(id)}`,
        () =>
          this.#ctx.services.signal.listSignals({
            workflowExecutionId: id,
            limit,
            token,
            filters: options.filters ?? "",
          }, { signal: options.signal }),
      );
      return {
        items: r.signals.map((s): RemoteSignal => {
          let value: unknown;
          if (s.value) {
            try {
              value = fromLiteral(s.value, s.type);
            } catch {
              value = s.value;
            }
          }
          return withDisplay({
            signalId: s.id?.signalId ?? "",
            executionId: s.id?.executionId ?? id,
            type: s.type,
            value,
            raw: s,
          }, () => renderSignals([s]));
        }),
        token: r.token,
      };
    }, options);
  }

  async #set(signalId: string, execution: ExecutionRef, value: Literal) {
    const id = idOf(execution);
    if (!signalId) throw new FlyteInvalidInputError("signal id is required");
    await this.#ctx.call(
      `set signal ${JSON.stringify(signalId)} of ${formatExecutionId(id)}`,
      () =>
        this.#ctx.services.signal.setSignal({
          id: { signalId, executionId: id },
          value,
        }),
    );
  }

  /**
   * Approves an approval gate (sets its signal to boolean true).
   *
   * @example
   * ```ts
   * import type { Signals } from "./signals.ts";
   * declare const s: Signals;
   * declare const e: import("./models.ts").RemoteExecution;
   * await s.approve("deploy-approval", e);
   * ```
   */
  approve(signalId: string, execution: ExecutionRef): Promise<void> {
    return this.#set(signalId, execution, boolLiteral(true));
  }

  /** Rejects an approval gate (sets its signal to boolean false). */
  reject(signalId: string, execution: ExecutionRef): Promise<void> {
    return this.#set(signalId, execution, boolLiteral(false));
  }

  /**
   * Sets a gate's input value. The value is converted with `type` when given,
   * else with the type the signal declares (looked up); a flyteidl Literal is
   * sent as is.
   *
   * @example
   * ```ts
   * import type { Signals } from "./signals.ts";
   * declare const s: Signals;
   * declare const e: import("./models.ts").RemoteExecution;
   * await s.setInput("threshold", e, 0.75);
   * ```
   */
  async setInput(
    signalId: string,
    execution: ExecutionRef,
    value: unknown,
    type?: SignalType,
  ): Promise<void> {
    if (isLiteral(value)) return this.#set(signalId, execution, value);
    let lt = type ? literalTypeOf(type) : undefined;
    if (!lt) {
      for await (const s of this.listSignals(execution)) {
        if (s.signalId === signalId) {
          lt = s.type;
          break;
        }
      }
      if (!lt) {
        throw new FlyteEntityNotExistError(
          `signal ${JSON.stringify(signalId)} of ${
            formatExecutionId(idOf(execution))
          } not found (the gate may not have been reached yet); pass its type to set it anyway`,
        );
      }
    }
    let literal: Literal;
    try {
      literal = toLiteral(value, lt);
    } catch (e) {
      throw new FlyteInvalidInputError(
        `signal ${JSON.stringify(signalId)} expects ${describeType(lt)}: ${
          (e as Error).message
        }`,
      );
    }
    await this.#set(signalId, execution, literal);
  }
}
