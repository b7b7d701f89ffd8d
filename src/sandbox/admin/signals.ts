/**
 * SignalService: gate-node signals stored per execution (GetOrCreateSignal
 * from the engine, ListSignals and SetSignal from clients).
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { SignalService } from "@flyteidl/service/signal_pb.ts";
import { type Signal, SignalSchema } from "@flyteidl/admin/signal_pb.ts";
import { buildList, type Columns } from "../store/query.ts";
import { type AdminContext, listPage, now } from "./context.ts";
import { invalidArgument, missing, notFound } from "./errors.ts";
import { checkExecutionId, loadExecution } from "./executions.ts";

const SIGNAL_COLUMNS: Columns = {
  signal_id: { col: "signal_id", kind: "text" },
  created_at: { col: "created_at", kind: "time" },
  updated_at: { col: "updated_at", kind: "time" },
};

/**
 * Builds the SignalService implementation.
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { signalService } from "./signals.ts";
 * declare const ctx: AdminContext;
 * const impl = signalService(ctx);
 * ```
 */
export function signalService(
  ctx: AdminContext,
): ServiceImpl<typeof SignalService> {
  const db = ctx.db;
  function load(
    p: string,
    d: string,
    e: string,
    s: string,
  ): Signal | undefined {
    const row = db.get(
      "SELECT data FROM signals WHERE project=? AND domain=? AND exec_name=? AND signal_id=?",
      p,
      d,
      e,
      s,
    );
    return row ? fromBinary(SignalSchema, row.data as Uint8Array) : undefined;
  }
  return {
    getOrCreateSignal(req) {
      if (!req.id) throw missing("id");
      checkExecutionId(ctx, req.id.executionId, "id.execution_id");
      if (!req.id.signalId) throw missing("id.signal_id");
      if (!req.type) throw missing("type");
      const e = req.id.executionId;
      const sid = req.id.signalId;
      return db.tx(() => {
        loadExecution(ctx, e);
        const found = load(e.project, e.domain, e.name, sid);
        if (found) return found;
        const s = create(SignalSchema, { id: req.id, type: req.type });
        const t = now().iso;
        db.run(
          "INSERT INTO signals VALUES (?,?,?,?,?,?,?)",
          e.project,
          e.domain,
          e.name,
          sid,
          t,
          t,
          toBinary(SignalSchema, s),
        );
        return s;
      });
    },
    listSignals(req) {
      checkExecutionId(ctx, req.workflowExecutionId, "workflow_execution_id");
      const e = req.workflowExecutionId;
      const q = buildList(
        "signals",
        ["project = ?", "domain = ?", "exec_name = ?"],
        [e.project, e.domain, e.name],
        req,
        SIGNAL_COLUMNS,
        "signal",
        "created_at",
      );
      const page = listPage(db, q, SignalSchema);
      return { signals: page.items, token: page.token };
    },
    setSignal(req) {
      if (!req.id) throw missing("id");
      checkExecutionId(ctx, req.id.executionId, "id.execution_id");
      if (!req.id.signalId) throw missing("id.signal_id");
      if (!req.value) throw missing("value");
      const e = req.id.executionId;
      const sid = req.id.signalId;
      const value = req.value;
      db.tx(() => {
        const s = load(e.project, e.domain, e.name, sid);
        if (!s) {
          throw notFound(
            "signal",
            `${e.project}/${e.domain}/${e.name}/${sid}`,
          );
        }
        const valueType = ctx.compiler.literalTypeForLiteral(value);
        if (
          s.type &&
          (!valueType ||
            !ctx.compiler.literalTypesCompatible(valueType, s.type))
        ) {
          throw invalidArgument(
            `value: requested signal value is not castable to the type of signal [${sid}]`,
          );
        }
        s.value = value;
        db.run(
          "UPDATE signals SET updated_at=?, data=? WHERE project=? AND domain=? AND exec_name=? AND signal_id=?",
          now().iso,
          toBinary(SignalSchema, s),
          e.project,
          e.domain,
          e.name,
          sid,
        );
      });
      return {};
    },
  };
}
