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
import type { Entities } from "../../src/remote/entities.ts";
import { registerDefinition } from "../../src/remote/register.ts";
import { t } from "../../src/types/mod.ts";
import { launchPlan, task, workflow } from "../../src/sdk/mod.ts";

function recorder(fail?: (what: string) => Error | undefined) {
  const calls: string[] = [];
  const specs: Record<string, unknown> = {};
  const stub = {
    registerTask(spec: { template: { id: { name: string } } }) {
      const e = fail?.(`task ${spec.template.id.name}`);
      if (e) return Promise.reject(e);
      calls.push(`task ${spec.template.id.name}`);
      specs[`task ${spec.template.id.name}`] = spec;
      return Promise.resolve({ kind: "task" });
    },
    registerWorkflow(
      spec: { template: { id: { name: string } }; subWorkflows: unknown[] },
    ) {
      calls.push(
        `workflow ${spec.template.id.name} (${spec.subWorkflows.length} subs)`,
      );
      specs[`workflow ${spec.template.id.name}`] = spec;
      return Promise.resolve({ kind: "workflow" });
    },
    registerLaunchPlan(id: { name: string }) {
      calls.push(`launch plan ${id.name}`);
      return Promise.resolve({ kind: "launch_plan", name: id.name });
    },
  };
  return { calls, specs, entities: stub as unknown as Entities };
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
  ]);
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
  const wfSpec = r.specs["workflow r.outer"] as {
    description?: { shortDescription: string };
  };
  assertEquals(wfSpec.description?.shortDescription, "The outer one.");
});

Deno.test("register: a different spec under the same id is FlyteEntityAlreadyExistsError saying so", async () => {
  const r = recorder((what) =>
    what === "task r.inc"
      ? new FlyteInvalidInputError("register r.inc", {
        serverMessage:
          "task with different structure already exists: p/d/r.inc/v1 (differs in interface)",
      })
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
