/**
 * remote.register's order and error mapping, against a recording stand-in
 * for the Entities sub-client (the end-to-end run against the sandbox is
 * tests/integration/sdk_remote_test.ts).
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteInvalidInputError,
} from "../../src/client/errors.ts";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import {
  RemoteContext,
  type RemoteServices,
} from "../../src/remote/context.ts";
import { Entities } from "../../src/remote/entities.ts";
import { registerDefinition } from "../../src/remote/register.ts";
import { t } from "../../src/types/mod.ts";
import { launchPlan, task, workflow } from "../../src/sdk/mod.ts";

/**
 * A real Entities over a stand-in admin that records the create calls in
 * the order they finish (and the gets), as `kind name` lines.
 */
function recorder(fail?: (what: string) => Error | undefined) {
  const calls: string[] = [];
  const specs: Record<string, unknown> = {};
  let inFlight = 0;
  let maxInFlight = 0;
  const created = async (what: string, spec: unknown) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Let the other calls in flight start before this one answers.
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    const e = fail?.(what);
    if (e) throw e;
    calls.push(what);
    specs[what] = spec;
    return {};
  };
  const admin = {
    createTask(r: { id: { name: string }; spec: unknown }) {
      return created(`task ${r.id.name}`, r.spec);
    },
    createWorkflow(
      r: { id: { name: string }; spec: { subWorkflows: unknown[] } },
    ) {
      return created(
        `workflow ${r.id.name} (${r.spec.subWorkflows.length} subs)`,
        r.spec,
      );
    },
    createLaunchPlan(r: { id: { name: string }; spec: unknown }) {
      return created(`launch plan ${r.id.name}`, r.spec);
    },
    getTask(r: { id: Identifier }) {
      calls.push(`get task ${r.id.name}`);
      return Promise.resolve(create(TaskSchema, { id: r.id }));
    },
    getLaunchPlan(r: { id: Identifier }) {
      calls.push(`get launch plan ${r.id.name}`);
      return Promise.resolve(create(LaunchPlanSchema, { id: r.id }));
    },
  };
  const ctx = new RemoteContext(
    { admin } as unknown as RemoteServices,
    { consoleBase: "http://console", concurrency: 4 },
  );
  return {
    calls,
    specs,
    entities: new Entities(ctx),
    maxInFlight: () => maxInFlight,
  };
}

const inc = task(
  {
    name: "r.inc",
    inputs: { x: t.int },
    outputs: t.int,
    docs: "Adds one.\nMore.",
  },
  ({ x }) => x + 1,
);
const inner = workflow(
  { name: "r.inner", inputs: { x: t.int }, outputs: t.int },
  ({ x }) => inc({ x }),
);
const innerLp = launchPlan(inner, {
  name: "r.inner_lp",
  defaultInputs: { x: 1 },
});
const outer = workflow(
  {
    name: "r.outer",
    inputs: { x: t.int },
    outputs: t.int,
    docs: "The outer one.",
  },
  ({ x }) => innerLp({ x: inner({ x: inc({ x }) }) }),
);
const scope = { project: "p", domain: "d" };

Deno.test("register: tasks, launched launch plans, sub-workflows, the workflow, its default launch plan", async () => {
  const r = recorder();
  const reg = await registerDefinition(r.entities, scope, outer, {
    version: "v1",
  });
  assertEquals(r.calls, [
    "task r.inc",
    "workflow r.inner (0 subs)",
    "launch plan r.inner",
    "launch plan r.inner_lp",
    "workflow r.outer (1 subs)",
    "launch plan r.outer",
    // Only what the registration returns is fetched back.
    "get launch plan r.outer",
  ]);
  assertEquals(reg.launchPlan?.id.name, "r.outer");
  assertEquals(reg.ids.map((id) => id.name), [
    "r.inc",
    "r.inner",
    "r.inner",
    "r.inner_lp",
    "r.outer",
    "r.outer",
  ]);
  const taskSpec = r.specs["task r.inc"] as {
    description?: { shortDescription: string };
  };
  assertEquals(taskSpec.description?.shortDescription, "Adds one.");
  const wfSpec = r.specs["workflow r.outer (1 subs)"] as {
    description?: { shortDescription: string };
  };
  assertEquals(wfSpec.description?.shortDescription, "The outer one.");
});

Deno.test("register: a different spec under the same id is FlyteEntityAlreadyExistsError saying so", async () => {
  const r = recorder((what) =>
    what === "task r.inc"
      ? new ConnectError(
        "task with different structure already exists: p/d/r.inc/v1 (differs in interface)",
        Code.InvalidArgument,
      )
      : undefined
  );
  const e = await assertRejects(
    () => registerDefinition(r.entities, scope, inc, { version: "v1" }),
    FlyteEntityAlreadyExistsError,
  );
  assert(
    e.message.includes("task p:d:r.inc:v1") || e.message.includes("r.inc"),
    e.message,
  );
  assert(
    e.message.includes("is already registered with a different spec"),
    e.message,
  );
  assert(e.message.includes("differs in interface"), e.message);
  await assertRejects(
    () => registerDefinition(r.entities, scope, inc, { version: "" }),
    FlyteInvalidInputError,
    "options.version is required",
  );
});

Deno.test("register: a task definition is created, then fetched back (it is returned)", async () => {
  const r = recorder();
  const reg = await registerDefinition(r.entities, scope, inc, {
    version: "v1",
  });
  assertEquals(r.calls, ["task r.inc", "get task r.inc"]);
  assertEquals(reg.task?.id.name, "r.inc");
  assertEquals(reg.ids.map((id) => id.name), ["r.inc"]);
});

/** A chain of `n` tasks; task `odd` (if any) takes `z` instead of `x`. */
function many(n: number, odd = -1) {
  const steps = Array.from({ length: n }, (_, i) =>
    i === odd
      ? task(
        { name: `r.many.t${i}`, inputs: { z: t.int }, outputs: t.int },
        ({ z }) => z + i,
      )
      : task(
        { name: `r.many.t${i}`, inputs: { x: t.int }, outputs: t.int },
        ({ x }) => x + i,
      ));
  return workflow(
    { name: "r.many", inputs: { x: t.int }, outputs: t.int },
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

Deno.test("register: a workflow's many tasks go out concurrently under the limiter, all before the workflow", async () => {
  const r = recorder();
  const reg = await registerDefinition(r.entities, scope, many(30), {
    version: "v1",
  });
  const tasks = r.calls.filter((c) => c.startsWith("task "));
  assertEquals(tasks.length, 30);
  assertEquals(r.calls.slice(30), [
    "workflow r.many (0 subs)",
    "launch plan r.many",
    "get launch plan r.many",
  ]);
  // Concurrent, and never more in flight than the context's bound (4).
  assert(r.maxInFlight() > 1, `max in flight ${r.maxInFlight()}`);
  assert(r.maxInFlight() <= 4, `max in flight ${r.maxInFlight()}`);
  // The ids keep the definition order whatever order the calls finish in.
  assertEquals(reg.ids.map((id) => id.name), [
    ...Array.from({ length: 30 }, (_, i) => `r.many.t${i}`),
    "r.many",
    "r.many",
  ]);
});

Deno.test("register: among many tasks, identical ones already there are fine and a different one is FlyteEntityAlreadyExistsError naming it", async () => {
  const exists = new ConnectError("already exists", Code.AlreadyExists);
  const same = recorder(() => exists);
  const again = await registerDefinition(same.entities, scope, many(30), {
    version: "v1",
  });
  assertEquals(again.ids.length, 32);
  assertEquals(same.calls, ["get launch plan r.many"]);

  const r = recorder((what) =>
    what === "task r.many.t17"
      ? new ConnectError(
        "task with different structure already exists: p/d/r.many.t17/v1 (differs in interface)",
        Code.InvalidArgument,
      )
      : what.startsWith("task ")
      ? exists
      : undefined
  );
  const e = await assertRejects(
    () =>
      registerDefinition(r.entities, scope, many(30, 17), { version: "v1" }),
    FlyteEntityAlreadyExistsError,
  );
  assert(e.message.startsWith("task p/d/r.many.t17@v1 "), e.message);
  assert(
    e.message.includes("is already registered with a different spec"),
    e.message,
  );
  // Nothing that uses the task was registered.
  assert(!r.calls.some((c) => !c.startsWith("task ")), r.calls.join(", "));
});
