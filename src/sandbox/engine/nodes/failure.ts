/**
 * The failure node (a workflow's `failure_node`, flytekit's `on_failure`):
 * when a graph fails, propeller runs it with the graph's inputs plus `err`,
 * a union-wrapped FlyteError naming the failed node, before the workflow
 * reports FAILED.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { type Literal, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { Aborted } from "../errors.ts";
import { toExecutionError } from "../events.ts";
import type { RunApi, Scope } from "../context.ts";

/** The `err` input of a failure node: Union[FlyteError] as flytekit reads it. */
function errorInput(failedNodeId: string, original: unknown): Literal {
  const error = create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "error",
          value: {
            failedNodeId,
            message: toExecutionError(original).message,
          },
        },
      },
    },
  });
  return create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "union",
          value: {
            value: error,
            type: {
              type: { case: "simple", value: SimpleType.ERROR },
              structure: { tag: "FlyteError" },
            },
          },
        },
      },
    },
  });
}

/**
 * Runs the scope's failure node, if it has one, after the graph failed with
 * `original`; returns the error the workflow reports: the original one, or
 * the failure node's own when it fails too. Runs even though the failed
 * graph's scope is aborted (its own abort follows only the execution's).
 *
 * @example
 * ```ts
 * import { runFailureNode } from "./failure.ts";
 * console.log(typeof runFailureNode); // "function"
 * ```
 */
export async function runFailureNode(
  run: RunApi,
  scope: Scope,
  original: unknown,
): Promise<unknown> {
  const fn = scope.wf.failureNode;
  if (!fn) return original;
  const failScope: Scope = { ...scope, abort: new AbortController() };
  const forward = () => failScope.abort.abort(run.abort.signal.reason);
  if (run.abort.signal.aborted) forward();
  else run.abort.signal.addEventListener("abort", forward, { once: true });
  try {
    await run.runNode(failScope, fn, { err: errorInput(fn.id, original) });
    return original;
  } catch (e) {
    if (e instanceof Aborted) throw e;
    return e;
  }
}
