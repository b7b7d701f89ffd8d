/**
 * TypeScript workflows over flytekit entities on the sandbox: tasks and a
 * workflow are registered with `pyflyte register`, fetched with FlyteRemote,
 * called in workflows written with src/sdk (`reference`: task nodes, a
 * conditional, a map over a fetched task, a fetched launch plan as a node),
 * which FlyteRemote registers (workflow + default launch plan) and executes
 * end to end; the engine runs the Python tasks with flytekit's entry point. Registering again is fine;
 * a different workflow under the same name and version is refused, saying
 * so. Needs the project venv (`deno task setup-python`).
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { FlyteEntityAlreadyExistsError } from "../../src/client/errors.ts";
import { t } from "../../src/types/mod.ts";
import { conditional, map, reference, workflow } from "../../src/sdk/mod.ts";
import { pyflyteRegister, requireVenvTool } from "../helpers/flytekit.ts";

const PYTASKS = `from typing import List

from flytekit import task, workflow


@task
def add_one(x: int) -> int:
    return x + 1


@task
def total(xs: List[int]) -> int:
    return sum(xs)


@workflow
def py_wf(x: int) -> int:
    return add_one(x=add_one(x=x))


@task
def greet(name: str, n: int) -> str:
    return f"{name} {n}"
`;

Deno.test("sdk: a TypeScript workflow over pyflyte-registered tasks runs on the sandbox via FlyteRemote", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "sdk-remote-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/pytasks.py`, PYTASKS);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    await pyflyteRegister(sb.endpoint, dir, code, ["pytasks.py"]);
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      const addOne = reference(
        await remote.fetchTask("pytasks.add_one", { version: "v1" }),
      );
      const greet = reference(
        await remote.fetchTask("pytasks.greet", { version: "v1" }),
      );
      const wf = workflow(
        {
          name: "ts.over_python",
          inputs: { name: t.string, x: t.int },
          outputs: t.string,
          defaults: { name: "deno" },
        },
        ({ name, x }) => {
          const n = addOne({ x: addOne({ x }) });
          const m = conditional("big")
            .if(n.gt(2)).then(addOne({ x: n }))
            .else().then(addOne({ x }));
          return greet({ name, n: m });
        },
      );
      const exec = await remote.execute(wf, { x: 1 }, {
        version: "ts1",
        wait: { timeout: 240_000 },
      });
      assertEquals(exec.phase, "SUCCEEDED", exec.error?.message);
      assertEquals(exec.outputs.o0, "deno 4");

      // A map over a fetched task (its own item interface) and a fetched
      // launch plan as a node.
      const total = reference(
        await remote.fetchTask("pytasks.total", { version: "v1" }),
      );
      const pyWf = reference(
        await remote.fetchLaunchPlan("pytasks.py_wf", { version: "v1" }),
      );
      const fan = workflow(
        {
          name: "ts.fan_out",
          inputs: { xs: t.list(t.int) },
          outputs: t.int,
        },
        ({ xs }) =>
          pyWf({
            x: total({ xs: map(addOne, { concurrency: 2 })({ x: xs }) }),
          }),
      );
      const fanExec = await remote.execute(fan, { xs: [1, 2, 3] }, {
        version: "ts1",
        wait: { timeout: 240_000 },
      });
      assertEquals(fanExec.phase, "SUCCEEDED", fanExec.error?.message);
      // (2 + 3 + 4) + 1 + 1
      assertEquals(fanExec.outputs.o0, 11);

      // The default launch plan carries the workflow's default.
      const lp = await remote.fetchLaunchPlan("ts.over_python", {
        version: "ts1",
      });
      assert(lp.inputs.some((i) => i.name === "name" && !i.required));

      // Registering the same definition again is fine ...
      const again = await remote.register(wf, { version: "ts1" });
      assertEquals(again.ids.map((id) => id.name), [
        "ts.over_python",
        "ts.over_python",
      ]);
      // ... a different one under the same name and version is refused.
      const other = workflow(
        { name: "ts.over_python", inputs: { x: t.int }, outputs: t.int },
        ({ x }) => addOne({ x }),
      );
      const e = await assertRejects(
        () => remote.register(other, { version: "ts1" }),
        FlyteEntityAlreadyExistsError,
      );
      assert(
        e.message.includes("is already registered with a different spec"),
        e.message,
      );
    } finally {
      await remote.close();
    }
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
