/**
 * flyteidl messages for the display tests and benchmark: an execution with
 * any number of task nodes (phases, attempts, log links), built with the
 * generated schemas as a server would send them.
 */
import { create } from "@bufbuild/protobuf";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
import { NodeExecutionSchema } from "@flyteidl/admin/node_execution_pb.ts";
import { TaskExecutionSchema } from "@flyteidl/admin/task_execution_pb.ts";
import {
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import type {
  ExecutionLike,
  NodeExecutionLike,
} from "../../src/display/mod.ts";
import { toLiteral } from "../../src/types/mod.ts";

export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const ts = (ms: number) => ({
  seconds: BigInt(Math.floor(ms / 1000)),
  nanos: (ms % 1000) * 1e6,
});
const dur = (ms: number) => ({
  seconds: BigInt(Math.floor(ms / 1000)),
  nanos: (ms % 1000) * 1e6,
});
export const execId = {
  project: "flytesnacks",
  domain: "development",
  name: "f1a2b3",
};

/** A node execution `nodeId` with one task attempt per entry of `attempts` (task phases). */
export function node(
  nodeId: string,
  phase: NodeExecution_Phase,
  attempts: TaskExecution_Phase[] = [TaskExecution_Phase.SUCCEEDED],
  startMs = 1000,
  durMs = 2500,
): NodeExecutionLike {
  const raw = create(NodeExecutionSchema, {
    id: { nodeId, executionId: execId },
    closure: {
      phase,
      startedAt: ts(T0 + startMs),
      duration: phase === NodeExecution_Phase.RUNNING ? undefined : dur(durMs),
      createdAt: ts(T0 + startMs),
    },
    metadata: { specNodeId: nodeId },
  });
  return {
    raw,
    kind: "task",
    taskExecutions: attempts.map((p, i) => ({
      raw: create(TaskExecutionSchema, {
        id: {
          taskId: {
            resourceType: ResourceType.TASK,
            project: "flytesnacks",
            domain: "development",
            name: "wf.double",
            version: "v1",
          },
          nodeExecutionId: { nodeId, executionId: execId },
          retryAttempt: i,
        },
        closure: {
          phase: p,
          startedAt: ts(T0 + startMs),
          duration: dur(durMs),
          logs: [{
            name: "stdout",
            uri: `http://127.0.0.1:30080/logs/${nodeId}/${i}`,
          }],
        },
      }),
    })),
  };
}

/** An execution with `n` task nodes (mostly succeeded, some running and failed). */
export function execution(
  n = 3,
  phase = WorkflowExecution_Phase.RUNNING,
): ExecutionLike {
  const nodes = new Map<string, NodeExecutionLike>();
  for (let i = 0; i < n; i++) {
    const p = i % 10 === 9
      ? NodeExecution_Phase.RUNNING
      : i % 25 === 24
      ? NodeExecution_Phase.FAILED
      : NodeExecution_Phase.SUCCEEDED;
    nodes.set(`n${i}`, node(`n${i}`, p, undefined, 1000 + i * 10, 2000 + i));
  }
  return {
    raw: create(ExecutionSchema, {
      id: execId,
      spec: {
        launchPlan: {
          resourceType: ResourceType.LAUNCH_PLAN,
          project: "flytesnacks",
          domain: "development",
          name: "wf",
          version: "v1",
        },
      },
      closure: {
        phase,
        startedAt: ts(T0),
        createdAt: ts(T0),
        duration: phase === WorkflowExecution_Phase.RUNNING
          ? undefined
          : dur(65_000),
        workflowId: {
          resourceType: ResourceType.WORKFLOW,
          project: "flytesnacks",
          domain: "development",
          name: "wf",
          version: "v1",
        },
      },
    }),
    inputLiterals: lmap({ n: 3, name: "<b>x</b>" }),
    nodeExecutions: nodes,
    consoleUrl:
      "http://localhost:30080/console/projects/flytesnacks/domains/development/executions/f1a2b3",
  };
}

/** A failed execution with a user error. */
export function failed(
  message = "boom <script>alert(1)</script>",
): ExecutionLike {
  const e = execution(2, WorkflowExecution_Phase.FAILED);
  e.raw.closure!.outputResult = {
    case: "error",
    value: create(ExecutionErrorSchema, {
      code: "USER:ValueError",
      message,
      kind: ExecutionError_ErrorKind.USER,
    }),
  };
  return e;
}

/** A LiteralMap of values, each literal's type guessed. */
export function lmap(values: Record<string, unknown>): LiteralMap {
  return create(LiteralMapSchema, {
    literals: Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, toLiteral(v)]),
    ),
  });
}
