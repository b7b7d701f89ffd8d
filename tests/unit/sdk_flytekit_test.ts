/**
 * The flytesnacks basics compiled by src/sdk (tests/sdk_flytekit/basics.ts)
 * against the same workflows compiled by flytekit 1.16 from the project venv
 * (tests/sdk_flytekit/basics.py through flytekit's get_serializable, what
 * `pyflyte package` uses). Workflow templates and launch plan specs must be
 * equal; task templates equal after normalising what must differ (task type,
 * the image and args of the container or of a pod's primary container,
 * runtime metadata) and map tasks' name hashes.
 * Every compiled workflow also passes the sandbox's compiler.
 */
import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import { LaunchPlanSpecSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { requireVenvTool, runOk, venvBin } from "../helpers/flytekit.ts";
import { repoRoot } from "../helpers/paths.ts";
import { compileChecked, SCOPE } from "../helpers/sdk.ts";
import {
  compileLaunchPlan,
  flytekitMapArgs,
  MAP_FLAG,
  RUNTIME_COMMAND,
} from "../../src/sdk/mod.ts";
import * as basics from "../sdk_flytekit/basics.ts";

const WORKFLOWS = [
  "hello_wf",
  "chain_wf",
  "parent_wf",
  "cond_wf",
  "cond_fail_wf",
  "map_wf",
  "gates_wf",
  "failing_wf",
  "report_wf",
  "tuned_wf",
  "pod_wf",
  "overrides_wf",
  "optional_wf",
  "dict_wf",
  "nested_wf",
  "case_deps_wf",
] as const;

interface Flytekit {
  tasks: Record<string, JsonValue>;
  workflows: Record<string, JsonValue>;
  launchPlans: Record<string, JsonValue>;
}

let cached: Flytekit | undefined;
async function flytekit(): Promise<Flytekit> {
  if (cached) return cached;
  await requireVenvTool("python");
  const dir = `${repoRoot}/tests/sdk_flytekit`;
  const out = await runOk(`${venvBin}/python`, [
    `${dir}/serialize.py`,
    dir,
    "basics",
    ...WORKFLOWS,
    "nightly",
    "tuned_lp",
  ], dir);
  cached = JSON.parse(out.slice(out.indexOf("{"))) as Flytekit;
  return cached;
}

/**
 * Map tasks' names carry a hash of flytekit's own making; and flytekit lists
 * a node's data dependencies as `list(set(nodes))` (flytekit/core/promise.py),
 * in an order that depends on object hashes, so upstream lists are compared
 * as sets (ours are in binding order, then explicit ordering).
 */
function unhash(json: unknown): unknown {
  return JSON.parse(
    JSON.stringify(
      json,
      (k, v) => k === "upstreamNodeIds" && Array.isArray(v) ? [...v].sort() : v,
    ).replace(
      /(map_[A-Za-z0-9_]+?)_[0-9a-f]{32}-arraynode/g,
      "$1-arraynode",
    ),
  );
}

function normaliseTask(json: JsonValue): unknown {
  const tpl = fromJson(TaskTemplateSchema, json);
  tpl.type = "<type>";
  if (tpl.metadata) tpl.metadata.runtime = undefined;
  if (tpl.target.case === "container") {
    tpl.target.value.image = "<image>";
    tpl.target.value.args = [];
  }
  if (tpl.target.case === "k8sPod") {
    const primary = tpl.config.primary_container_name;
    const containers = tpl.target.value.podSpec?.containers as
      | { name: string; image?: string; args?: string[] }[]
      | undefined;
    for (const c of containers ?? []) {
      if (c.name === primary) {
        c.image = "<image>";
        c.args = [];
      }
    }
  }
  return unhash(toJson(TaskTemplateSchema, tpl));
}

for (const name of WORKFLOWS) {
  Deno.test(`sdk vs flytekit: ${name} compiles to flytekit's templates and passes the sandbox compiler`, async () => {
    const fk = await flytekit();
    const wf = basics[name];
    const { defs } = compileChecked(wf);
    const full = `basics.${name}`;
    assertEquals(
      unhash(toJson(WorkflowTemplateSchema, defs.workflow)),
      unhash(
        toJson(
          WorkflowTemplateSchema,
          fromJson(WorkflowTemplateSchema, fk.workflows[full]),
        ),
      ),
      `workflow ${full}`,
    );
    for (const sub of defs.subWorkflows) {
      const subName = sub.id!.name;
      assertEquals(
        toJson(WorkflowTemplateSchema, sub),
        toJson(
          WorkflowTemplateSchema,
          fromJson(WorkflowTemplateSchema, fk.workflows[subName]),
        ),
        `sub-workflow ${subName}`,
      );
    }
    for (const task of defs.tasks) {
      const key = Object.keys(fk.tasks).find((k) =>
        (unhash(k) as string) === unhash(task.id!.name)
      );
      assertEquals(
        normaliseTask(toJson(TaskTemplateSchema, task)),
        normaliseTask(fk.tasks[key ?? task.id!.name]),
        `task ${task.id!.name}`,
      );
    }
    const lp = compileLaunchPlan(wf, SCOPE);
    assertEquals(
      toJson(LaunchPlanSpecSchema, lp.spec),
      toJson(
        LaunchPlanSpecSchema,
        fromJson(LaunchPlanSpecSchema, fk.launchPlans[full]),
      ),
      `default launch plan ${full}`,
    );
    for (const used of defs.launchPlans) {
      const c = compileLaunchPlan(used, SCOPE);
      assertEquals(
        toJson(LaunchPlanSpecSchema, c.spec),
        toJson(
          LaunchPlanSpecSchema,
          fromJson(LaunchPlanSpecSchema, fk.launchPlans[c.id.name]),
        ),
        `launch plan ${c.id.name}`,
      );
    }
  });
}

Deno.test("sdk vs flytekit: a launch plan with a fixed rate, notifications, labels, raw output, parallelism and identity equals flytekit's", async () => {
  const fk = await flytekit();
  const lp = compileLaunchPlan(basics.tuned_lp, SCOPE);
  assertEquals(
    toJson(LaunchPlanSpecSchema, lp.spec),
    toJson(
      LaunchPlanSpecSchema,
      fromJson(LaunchPlanSpecSchema, fk.launchPlans["basics.tuned_lp"]),
    ),
  );
});

Deno.test("sdk vs flytekit: the cron launch plan (kickoff input, defaults) equals flytekit's", async () => {
  const fk = await flytekit();
  const lp = compileLaunchPlan(basics.nightly, SCOPE);
  assertEquals(lp.id.name, "basics.nightly");
  assertEquals(
    toJson(LaunchPlanSpecSchema, lp.spec),
    toJson(
      LaunchPlanSpecSchema,
      fromJson(LaunchPlanSpecSchema, fk.launchPlans["basics.nightly"]),
    ),
  );
});

Deno.test("sdk vs flytekit: a flytekit task's args become its map task's as flytekit writes them", async () => {
  const fk = await flytekit();
  const container = (name: string) =>
    (fk.tasks[name] as { container: { args: string[] } }).container.args;
  const mapName = Object.keys(fk.tasks).find((k) => k.includes("map_double"))!;
  assertEquals(flytekitMapArgs(container("basics.double")), container(mapName));
  assertEquals(flytekitMapArgs(["deno", "run", "x.ts"]), undefined);
});

Deno.test("sdk: a mapped TypeScript task runs the runtime with the array-item flag", () => {
  const { defs } = compileChecked(basics.map_wf);
  const mapped = defs.tasks.find((x) => x.id!.name.includes("map_double"))!;
  assert(mapped.target.case === "container");
  assertEquals(mapped.target.value.args.slice(0, 3), [
    RUNTIME_COMMAND,
    "--task",
    "basics.double",
  ]);
  assertEquals(mapped.target.value.args.at(-1), MAP_FLAG);
});
