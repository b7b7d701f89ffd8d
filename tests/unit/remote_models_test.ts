/**
 * The execution snapshots decode their literals lazily and once: nothing is
 * decoded until `inputs`/`outputs` is read, a second read returns the values
 * of the first, and new literals or a new interface are decoded afresh.
 */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
import { NodeExecutionSchema } from "@flyteidl/admin/node_execution_pb.ts";
import { TaskExecutionSchema } from "@flyteidl/admin/task_execution_pb.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import { TypedInterfaceSchema } from "@flyteidl/core/interface_pb.ts";
import {
  RemoteExecution,
  RemoteNodeExecution,
  RemoteTaskExecution,
} from "../../src/remote/models.ts";
import { t, toLiteralMap } from "../../src/types/mod.ts";

const ints = (values: Record<string, number>) =>
  toLiteralMap(
    values,
    Object.fromEntries(Object.keys(values).map((k) => [k, t.int])),
  );
const INT = { type: { type: { case: "simple" as const, value: 1 } } };
const iface = (type = INT) =>
  create(TypedInterfaceSchema, {
    inputs: { variables: { x: type } },
    outputs: { variables: { o0: type } },
  });

Deno.test("node and task snapshots decode once per literal map and interface", () => {
  const node = new RemoteNodeExecution(
    create(NodeExecutionSchema, {
      id: { nodeId: "n0" },
      closure: { phase: NodeExecution_Phase.SUCCEEDED },
    }),
  );
  const task = new RemoteTaskExecution(
    create(TaskExecutionSchema, {
      closure: { phase: TaskExecution_Phase.SUCCEEDED },
    }),
  );
  for (const view of [node, task]) {
    assertEquals(view.inputs, {});
    view.interface = iface();
    view.inputLiterals = ints({ x: 2 });
    view.outputLiterals = ints({ o0: 4 });
    const first = view.inputs;
    assertEquals(first, { x: 2 });
    assert(view.inputs === first, "read again: decoded again");
    assertEquals(view.outputs, { o0: 4 });
    assert(view.outputs === view.outputs, "read again: decoded again");
    // New literals (a later sync) are decoded afresh.
    view.inputLiterals = ints({ x: 3 });
    assertEquals(view.inputs, { x: 3 });
    assert(
      view.inputs !== first,
      "new literals or interface: kept the old values",
    );
    // So are the same literals through a new interface.
    const before = view.outputs;
    view.interface = iface();
    assert(
      view.outputs !== before,
      "new literals or interface: kept the old values",
    );
    assertEquals(view.outputs, { o0: 4 });
  }
});

Deno.test("an execution decodes its outputs once, and still refuses them before success", () => {
  const ex = new RemoteExecution(
    create(ExecutionSchema, {
      id: { project: "p", domain: "d", name: "e" },
      closure: { phase: WorkflowExecution_Phase.RUNNING },
    }),
  );
  ex.interface = iface();
  ex.outputLiterals = ints({ o0: 9 });
  assertThrows(() => ex.outputs, Error, "is RUNNING");
  ex.raw = create(ExecutionSchema, {
    id: ex.raw.id,
    closure: { phase: WorkflowExecution_Phase.SUCCEEDED },
  });
  const out = ex.outputs;
  assertEquals(out, { o0: 9 });
  assert(ex.outputs === out, "read again: decoded again");
  ex.inputLiterals = ints({ x: 1 });
  assert(ex.inputs === ex.inputs, "read again: decoded again");
  assertEquals(ex.inputs, { x: 1 });
});
