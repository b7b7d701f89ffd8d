/**
 * remote.register of a workflow with many tasks on the sandbox (real gRPC,
 * SQLite): the tasks go out concurrently, yet everything is registered and
 * fetchable; registering it again is fine; a version where one task in the
 * middle differs is refused with that task named, and the workflow that
 * would use it is not registered.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
} from "../../src/client/errors.ts";
import { t } from "../../src/types/mod.ts";
import { task, workflow } from "../../src/sdk/mod.ts";

const N = 40;

/** A chain of N tasks under `name`; task `odd` (if any) takes `z`, not `x`. */
function chain(name: string, odd = -1) {
  const steps = Array.from({ length: N }, (_, i) =>
    i === odd
      ? task(
        { name: `many.t${i}`, inputs: { z: t.int }, outputs: t.int },
        ({ z }) => z + i,
      )
      : task(
        { name: `many.t${i}`, inputs: { x: t.int }, outputs: t.int },
        ({ x }) => x + i,
      ));
  return workflow(
    { name, inputs: { x: t.int }, outputs: t.int },
    ({ x }) => {
      let y = x;
      for (const [i, s] of steps.entries()) {
        y =
          (i === odd ? s({ z: y } as never) : s({ x: y } as never)) as typeof x;
      }
      return y;
    },
  );
}

Deno.test("register: a 40-task workflow on the sandbox; again is fine; one different task among them is refused, named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "register-many-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      const reg = await remote.register(chain("many.wf"), { version: "v1" });
      assertEquals(reg.ids.map((id) => id.name), [
        ...Array.from({ length: N }, (_, i) => `many.t${i}`),
        "many.wf",
        "many.wf",
      ]);
      assertEquals(reg.launchPlan?.id.name, "many.wf");
      assertEquals(reg.launchPlan?.inputs.map((i) => i.name), ["x"]);
      const t39 = await remote.fetchTask("many.t39", { version: "v1" });
      assertEquals(Object.keys(t39.interface?.inputs?.variables ?? {}), ["x"]);
      const wf = await remote.fetchWorkflow("many.wf", { version: "v1" });
      assertEquals(wf.id.version, "v1");

      // The same again: every entity is already there, identical.
      const again = await remote.register(chain("many.wf"), { version: "v1" });
      assertEquals(again.ids.length, N + 2);

      // Task 23 differs under the same version: refused, naming it.
      const e = await assertRejects(
        () => remote.register(chain("many.other", 23), { version: "v1" }),
        FlyteEntityAlreadyExistsError,
      );
      assert(
        e.message.startsWith(
          "task flytesnacks/development/many.t23@v1 is already registered with a different spec",
        ),
        e.message,
      );
      // The workflow that would use it was not registered.
      await assertRejects(
        () => remote.fetchWorkflow("many.other", { version: "v1" }),
        FlyteEntityNotExistError,
      );
    } finally {
      await remote.close();
    }
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
