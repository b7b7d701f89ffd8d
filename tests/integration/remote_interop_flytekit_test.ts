/**
 * Interop, flytekit to TypeScript (issue 15): flytekit workflows holding
 * every node kind — task, sub-workflow, launch plan, branch, gates (signal,
 * sleep, approve), dynamic, array (map_task) and the failure node — are
 * registered with `pyflyte register` and started by flytekit's FlyteRemote;
 * our FlyteRemote answers the gates and syncs the executions with their
 * whole node tree, mid-run and at the end, and the tree, kinds, phases,
 * inputs and outputs are checked. Needs the project venv
 * (`deno task setup-python`).
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  FlyteRemote,
  type RemoteExecution,
  type RemoteNodeExecution,
} from "../../src/remote/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
} from "../helpers/flytekit.ts";

const ALLKINDS = `import typing
from datetime import timedelta

from flytekit import (LaunchPlan, approve, conditional, dynamic, map_task,
                      sleep, task, wait_for_input, workflow)
from flytekit.types.error import FlyteError


@task
def inc(x: int) -> int:
    return x + 1


@task
def square(x: int) -> int:
    return x * x


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@workflow
def sub_wf(x: int) -> int:
    return inc(x=x)


@workflow
def child(x: int = 1) -> int:
    return square(x=x)


child_lp = LaunchPlan.get_or_create(child, name="allkinds.child_lp")


@dynamic
def fan(n: int) -> typing.List[int]:
    return [inc(x=i) for i in range(n)]


@workflow
def every_kind(x: int = 3) -> typing.Tuple[int, int, int, int, int, int]:
    a = inc(x=x)
    b = sub_wf(x=a)
    c = child_lp(x=b)
    d = conditional("big").if_(c > 10).then(square(x=a)).else_().then(inc(x=a))
    m = map_task(square)(x=fan(n=x))
    n = wait_for_input("extra", timeout=timedelta(minutes=5), expected_type=int)
    s = sleep(timedelta(seconds=1))
    t = total(xs=m)
    s >> t
    ok = approve(t, "review", timeout=timedelta(minutes=5))
    return a, b, c, d, ok, n


@task
def boom(x: int) -> int:
    if x > 0:
        raise ValueError("boom")
    return x


@task
def clean(x: int, err: typing.Optional[FlyteError] = None) -> None:
    print("cleaning up after", err.message if err else "nothing")


@workflow(on_failure=clean)
def failing(x: int = 1) -> int:
    return inc(x=boom(x=x))
`;

/** flytekit starts both executions (argv[1] is admin's host:port). */
const START = `
import sys
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(Config.for_endpoint(sys.argv[1], insecure=True),
                     default_project="flytesnacks", default_domain="development")
for name, execution, x in (("every_kind", "kinds-1", 3), ("failing", "failing-1", 1)):
    wf = remote.fetch_workflow(name=f"allkinds.{name}", version="v1")
    remote.execute(wf, inputs={"x": x}, execution_name=execution)
    print("STARTED", execution)
`;

/** Waits until every one of `names` is among the execution's signals. */
async function untilSignals(
  remote: FlyteRemote,
  exec: RemoteExecution,
  names: string[],
) {
  for (let i = 0; i < 1200; i++) {
    const ids = new Set<string>();
    for await (const s of remote.signals.listSignals(exec)) ids.add(s.signalId);
    if (names.every((n) => ids.has(n))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`signals ${names} never appeared on ${exec.name}`);
}

/** A node by node id, failing with the ids there are. */
function node(
  nodes: Map<string, RemoteNodeExecution>,
  id: string,
): RemoteNodeExecution {
  const n = nodes.get(id);
  if (!n) throw new Error(`no node ${id} among ${[...nodes.keys()]}`);
  return n;
}

/** The node's children as `specNodeId kind phase`, sorted. */
function shape(nodes: Iterable<RemoteNodeExecution>): string[] {
  return [...nodes].map((n) => `${n.specNodeId} ${n.kind} ${n.phase}`).sort();
}

Deno.test("interop: flytekit workflows with every node kind are synced by our FlyteRemote", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "interop-kinds-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/allkinds.py`, ALLKINDS);
  await Deno.writeTextFile(`${dir}/start.py`, START);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const { hostPort } = await pyflyteRegister(sb.endpoint, dir, code, [
      "allkinds.py",
    ]);
    const started = await runOk(
      `${venvBin}/python`,
      [`${dir}/start.py`, hostPort],
      dir,
    );
    assert(started.includes("STARTED failing-1"), started);

    let exec = await remote.fetchExecution("kinds-1");
    // Mid-run: both gates wait for us (the signal and the approval, which
    // comes after the map and the total), so everything they wait behind
    // has finished and they have not.
    await untilSignals(remote, exec, ["extra", "review"]);
    exec = await remote.syncExecution(exec, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    assertEquals(exec.phase, "RUNNING");
    const mid = exec.nodeExecutions;
    for (const id of ["n6", "n9"]) {
      const gate = node(mid, id);
      assertEquals([gate.kind, gate.phase], ["gate", "RUNNING"], id);
      assertEquals(gate.outputs, {}, `${id} has no outputs while it waits`);
    }
    assertEquals(node(mid, "n4").kind, "dynamic");
    assertEquals(node(mid, "n5").outputs, { o0: [1, 4, 9] });
    assertEquals(node(mid, "n8").outputs, { o0: 14 });
    assert(mid.get("end-node")?.phase !== "SUCCEEDED");
    // Whatever has not succeeded reads as no outputs rather than failing.
    for (const n of exec.allNodeExecutions()) {
      if (n.phase !== "SUCCEEDED") assertEquals(n.outputs, {}, `${n}`);
    }

    await remote.signals.setInput("extra", exec, 7);
    await remote.signals.approve("review", exec);
    exec = await remote.wait(exec, { timeout: 240_000, pollInterval: 300 });
    assertEquals(exec.phase, "SUCCEEDED", exec.error?.message);
    exec = await remote.syncExecution(exec, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    // a = 4, b = 5 (sub-workflow), c = 25 (launch plan), d = 16 (branch:
    // c > 10, square(a)), ok = 1 + 4 + 9 (dynamic [1,2,3], mapped squares,
    // total, approved), n = 7 (signal).
    assertEquals(exec.outputs, { o0: 4, o1: 5, o2: 25, o3: 16, o4: 14, o5: 7 });
    const top = exec.nodeExecutions;
    assertEquals(shape(top.values()), [
      "end-node end SUCCEEDED",
      "n0 task SUCCEEDED",
      "n1 subworkflow SUCCEEDED",
      "n2 launchplan SUCCEEDED",
      "n3 branch SUCCEEDED",
      "n4 dynamic SUCCEEDED",
      "n5 array SUCCEEDED",
      "n6 gate SUCCEEDED",
      "n7 gate SUCCEEDED",
      "n8 task SUCCEEDED",
      "n9 gate SUCCEEDED",
      "start-node start SUCCEEDED",
    ]);
    const io = (id: string) => {
      const n = node(top, id);
      return { in: n.inputs, out: n.outputs };
    };
    assertEquals(io("n0"), { in: { x: 3 }, out: { o0: 4 } });
    assertEquals(io("n1"), { in: { x: 4 }, out: { o0: 5 } });
    assertEquals(io("n2"), { in: { x: 5 }, out: { o0: 25 } });
    assertEquals(node(top, "n3").outputs, { o0: 16 });
    assertEquals(io("n4"), { in: { n: 3 }, out: { o0: [1, 2, 3] } });
    assertEquals(io("n5"), { in: { x: [1, 2, 3] }, out: { o0: [1, 4, 9] } });
    assertEquals(node(top, "n6").outputs, { o0: 7 });
    assertEquals(io("n8"), { in: { xs: [1, 4, 9] }, out: { o0: 14 } });
    assertEquals(node(top, "n9").outputs, { o0: 14 });

    // Task attempts carry the node's data.
    const n0 = node(top, "n0");
    assertEquals(n0.taskExecutions.map((t) => t.phase), ["SUCCEEDED"]);
    assertEquals(n0.taskExecutions[0].outputs, { o0: 4 });
    assert(node(top, "n5").taskExecutions.length >= 1);
    // The sub-workflow's own nodes, nested start and end included.
    assertEquals(shape(node(top, "n1").children.values()), [
      "end-node end SUCCEEDED",
      "n0 task SUCCEEDED",
      "start-node start SUCCEEDED",
    ]);
    assertEquals(node(node(top, "n1").children, "n1-0-n0").outputs, { o0: 5 });
    // The launch plan's child execution, synced with its nodes.
    const child = node(top, "n2").childExecution;
    assert(child, "the launch-plan node has its child execution");
    assertEquals(child.outputs, { o0: 25 });
    assertEquals(shape(child.nodeExecutions.values()), [
      "end-node end SUCCEEDED",
      "n0 task SUCCEEDED",
      "start-node start SUCCEEDED",
    ]);
    // The branch ran its then-case only, with its own interface.
    const taken = [...node(top, "n3").children.values()];
    assertEquals(shape(taken), ["n3-n0 task SUCCEEDED"]);
    assertEquals([taken[0].inputs, taken[0].outputs], [{ x: 4 }, { o0: 16 }]);
    // The dynamic node's generated workflow and the nodes it ran.
    const dyn = node(top, "n4");
    assert(dyn.dynamicWorkflow?.compiledWorkflow, "dynamic workflow kept");
    assertEquals(shape(dyn.children.values()), [
      "dn0 task SUCCEEDED",
      "dn1 task SUCCEEDED",
      "dn2 task SUCCEEDED",
      "end-node end SUCCEEDED",
      "start-node start SUCCEEDED",
    ]);
    assertEquals(
      ["dn0", "dn1", "dn2"].map((s) =>
        [...dyn.children.values()].find((c) => c.specNodeId === s)!.outputs
      ),
      [{ o0: 1 }, { o0: 2 }, { o0: 3 }],
    );
    const kinds = new Set([...exec.allNodeExecutions()].map((n) => n.kind));
    assertEquals([...kinds].sort(), [
      "array",
      "branch",
      "dynamic",
      "end",
      "gate",
      "launchplan",
      "start",
      "subworkflow",
      "task",
    ]);
    assert(![...exec.allNodeExecutions()].some((n) => n.isFailureNode));

    // The failing workflow: the failed node with its error and no outputs,
    // its downstream node never succeeding, and the failure node that ran.
    let failing = await remote.fetchExecution("failing-1");
    failing = await remote.wait(failing, {
      timeout: 240_000,
      pollInterval: 300,
    });
    assertEquals(failing.phase, "FAILED");
    failing = await remote.syncExecution(failing, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    const f = failing.nodeExecutions;
    const boom = node(f, "n0");
    assertEquals([boom.kind, boom.phase], ["task", "FAILED"]);
    assertStringIncludes(boom.error?.message ?? "", "ValueError: boom");
    assertEquals(boom.inputs, { x: 1 });
    assertEquals(boom.outputs, {});
    assertEquals(boom.taskExecutions.map((t) => t.phase), ["FAILED"]);
    assertEquals(boom.taskExecutions[0].outputs, {});
    assert(f.get("n1")?.phase !== "SUCCEEDED");
    const handler = node(f, "fn0");
    assertEquals(
      [handler.kind, handler.phase, handler.isFailureNode],
      ["task", "SUCCEEDED", true],
    );
    assertEquals(handler.inputs.x, 1);
    assertStringIncludes(
      (handler.inputs.err as { message: string }).message,
      "ValueError: boom",
    );
    assertEquals(
      [...f.values()].filter((n) => n.isFailureNode).map((n) => n.nodeId),
      ["fn0"],
    );
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
