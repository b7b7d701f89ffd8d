/**
 * Interop, TypeScript to flytekit (issue 15): tasks, workflows and a launch
 * plan written with src/sdk and registered by our FlyteRemote (interactive
 * mode: versions from content, bundles uploaded once) are fetched, executed
 * and read by flytekit 1.16's own FlyteRemote, as a Python user would; the
 * values flytekit reads are compared with what the TypeScript code computes
 * and with what our FlyteRemote reads from the same executions. Needs the
 * project venv (`deno task setup-python`).
 */
import { assertEquals } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { Duration } from "../../src/types/mod.ts";
import {
  negSquares,
  squares,
  summarise,
} from "../fixtures/interop/ts_flows.ts";
import { requireVenvTool, runOk, venvBin } from "../helpers/flytekit.ts";

/**
 * flytekit's side: argv[1] is admin's host:port, argv[2] a JSON object of
 * versions and the name of an execution our side started. Prints one JSON
 * object with everything it read.
 */
const FLYTEKIT = `
import dataclasses
import datetime
import enum
import json
import sys
from flytekit.configuration import Config
from flytekit.core.type_engine import TypeEngine
from flytekit.remote import FlyteRemote

host, args = sys.argv[1], json.loads(sys.argv[2])
remote = FlyteRemote(Config.for_endpoint(host, insecure=True),
                     default_project="flytesnacks", default_domain="development")
wait = dict(timeout=datetime.timedelta(seconds=240), poll_interval=datetime.timedelta(seconds=0.5))


def plain(v):
    if dataclasses.is_dataclass(v):
        return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(v, datetime.timedelta):
        return v.total_seconds()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def outputs(ex):
    return {k: plain(ex.outputs[k]) for k in sorted(ex.outputs.literals)}


report = {}

task = remote.fetch_task(name="interop.summarise", version=args["summarise"])
report["task_inputs"] = sorted(task.interface.inputs)
report["task_outputs"] = sorted(task.interface.outputs)
item_type = TypeEngine.guess_python_type(task.interface.inputs["item"].type)
colour_type = TypeEngine.guess_python_type(task.interface.inputs["colour"].type)
ex = remote.execute(task, inputs={
    "label": "py",
    "xs": [1.5, 2.5, 4.0],
    "counts": {"a": 1, "b": 20},
    "when": datetime.datetime(2024, 2, 29, 23, 59, 30, tzinfo=datetime.timezone.utc),
    "every": datetime.timedelta(seconds=45),
    "note": None,
    "colour": colour_type("blue"),
    "item": item_type(name="pen", price=1.25, qty=4),
    "loud": True,
}, wait=True)
ex = remote.wait(ex, **wait)
report["task_phase"] = ex.closure.phase
report["task_execution"] = ex.id.name
report["task"] = outputs(ex)

wf = remote.fetch_workflow(name="interop.squares", version=args["squares"])
ex = remote.execute(wf, inputs={"xs": [1, 2, 3]}, wait=True)
ex = remote.wait(ex, **wait)
report["wf_phase"] = ex.closure.phase
report["wf"] = outputs(ex)

lp = remote.fetch_launch_plan(name="interop.neg_squares", version=args["neg_squares"])
report["lp_fixed"] = sorted(lp.fixed_inputs.literals)
ex = remote.execute(lp, inputs={"xs": [3, 4]}, wait=True)
ex = remote.wait(ex, **wait)
report["lp_phase"] = ex.closure.phase
report["lp"] = outputs(ex)

ours = remote.fetch_execution(name=args["ours"])
ours = remote.sync_execution(ours, sync_nodes=True)
report["ours_phase"] = ours.closure.phase
report["ours_inputs"] = {k: plain(ours.inputs[k]) for k in sorted(ours.inputs.literals)}
report["ours"] = outputs(ours)
report["ours_nodes"] = sorted(ours.node_executions)
print("REPORT " + json.dumps(report))
`;

Deno.test("interop: TypeScript entities registered by us are fetched, executed and read by flytekit's FlyteRemote", async () => {
  await requireVenvTool("python");
  const dir = await Deno.makeTempDir({ prefix: "interop-ts-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const versions: Record<string, string> = {};
    for (
      const [key, def] of Object.entries({ summarise, squares, negSquares })
    ) {
      const reg = await remote.register(def);
      versions[key === "negSquares" ? "neg_squares" : key] =
        (reg.launchPlan ?? reg.task)!.id.version;
    }
    // One execution of ours, which flytekit then reads.
    const ours = await remote.execute(squares, { xs: [2, 3], k: 1 }, {
      wait: { timeout: 240_000 },
    });
    assertEquals(ours.phase, "SUCCEEDED", ours.error?.message);
    assertEquals(ours.outputs, { total: 169, squares: [4, 9] });

    await Deno.writeTextFile(`${dir}/flytekit_side.py`, FLYTEKIT);
    const out = await runOk(`${venvBin}/python`, [
      `${dir}/flytekit_side.py`,
      sb.endpoint.replace(/^http:\/\//, ""),
      JSON.stringify({ ...versions, ours: ours.name }),
    ], dir);
    const line = out.split("\n").find((l) => l.startsWith("REPORT "));
    if (!line) throw new Error(`no report from flytekit:\n${out}`);
    const report = JSON.parse(line.slice("REPORT ".length));

    assertEquals(report.task_inputs, [
      "colour",
      "counts",
      "every",
      "item",
      "label",
      "loud",
      "note",
      "when",
      "xs",
    ]);
    assertEquals(report.task_outputs, [
      "counts",
      "item",
      "later",
      "note",
      "title",
      "total",
    ]);
    assertEquals(report.task_phase, 4, "task execution SUCCEEDED");
    // What the TypeScript function computes for these inputs.
    const expected = await summarise({
      label: "py",
      xs: [1.5, 2.5, 4.0],
      counts: { a: 1, b: 20 },
      when: new Date("2024-02-29T23:59:30Z"),
      every: Duration.fromSeconds(45),
      note: null,
      colour: "blue",
      item: { name: "pen", price: 1.25, qty: 4 },
      loud: true,
    });
    assertEquals(report.task, {
      counts: expected.counts,
      item: expected.item,
      later: expected.later.toISOString().replace(/\.000Z$/, "+00:00"),
      note: expected.note,
      title: expected.title,
      total: expected.total,
    });
    assertEquals(report.task.title, "PY/BLUE");
    assertEquals(report.task.later, "2024-03-01T00:00:15+00:00");
    // The same execution read by our FlyteRemote.
    const taskEx = await remote.fetchExecution(report.task_execution);
    assertEquals(taskEx.outputs.title, report.task.title);
    assertEquals(taskEx.outputs.item, report.task.item);
    assertEquals(taskEx.outputs.counts, report.task.counts);

    assertEquals(report.wf_phase, 4);
    assertEquals(report.wf, { squares: [1, 4, 9], total: 196 });
    assertEquals(report.lp_fixed, ["k"]);
    assertEquals(report.lp_phase, 4);
    assertEquals(report.lp, { squares: [9, 16], total: -25 });

    assertEquals(report.ours_phase, 4);
    assertEquals(report.ours_inputs, { k: 1, xs: [2, 3] });
    assertEquals(report.ours, { squares: [4, 9], total: 169 });
    // Our node ids as flytekit lists them: the map, the sum, the branch.
    const synced = await remote.syncExecution(ours, { nodes: true });
    assertEquals(
      report.ours_nodes,
      [...synced.nodeExecutions.keys()].sort(),
    );
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
