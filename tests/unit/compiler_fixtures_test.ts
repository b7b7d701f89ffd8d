/**
 * Our compiler against Flyte's: every task and workflow in
 * ../shared/fixtures/flyte-compiler (the inputs and outputs of Flyte's own
 * compiler test, flytepropeller/pkg/compiler/test/compiler_test.go, v1.16.8)
 * must compile to the same protobufs.
 *
 * Comparison is protobuf equality (`equals`) of the whole CompiledTask /
 * CompiledWorkflowClosure. Flyte's test compares the jsonpb renderings, which
 * leave out unknown fields; `equals` ignores unknown fields too, so nothing
 * else is normalised.
 */
import { readdirSync, readFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  create,
  type DescMessage,
  equals,
  fromBinary,
  fromJsonString,
  type MessageShape,
  toJsonString,
} from "@bufbuild/protobuf";
import {
  type CompiledTask,
  CompiledTaskSchema,
  CompiledWorkflowClosureSchema,
} from "@flyteidl/core/compiler_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import { KeyValuePairSchema } from "@flyteidl/core/literals_pb.ts";
import { WorkflowClosureSchema } from "@flyteidl/core/workflow_closure_pb.ts";
import { WorkflowTemplateSchema } from "@flyteidl/core/workflow_pb.ts";
import { DynamicJobSpecSchema } from "@flyteidl/core/dynamic_job_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { TaskSpecSchema } from "@flyteidl/admin/task_pb.ts";
import { assert } from "../helpers/assert.ts";
import { fixturesDir } from "../helpers/paths.ts";
import {
  compileTask,
  compileWorkflow,
  workflowRequirements,
} from "../../src/sandbox/compiler/mod.ts";
import { idKey } from "../../src/sandbox/compiler/text.ts";

const root = join(fixturesDir, "flyte-compiler");

/**
 * Flyte's test adds these container config entries to every container task
 * before compiling (setDefaultFields), so the expected outputs carry them.
 * (The fixture README mentions two; the test and the outputs have three.)
 */
function setDefaultFields(t: TaskTemplate): void {
  if (t.target.case !== "container") return;
  for (const i of [1, 2, 3]) {
    t.target.value.config.push(
      create(KeyValuePairSchema, {
        key: `testKey${i}`,
        value: `testValue${i}`,
      }),
    );
  }
}

function assertSameProto<Desc extends DescMessage>(
  schema: Desc,
  actual: MessageShape<Desc>,
  expected: MessageShape<Desc>,
  what: string,
): void {
  if (equals(schema, actual, expected)) return;
  const a = toJsonString(schema, actual, { prettySpaces: 1 }).split("\n");
  const e = toJsonString(schema, expected, { prettySpaces: 1 }).split("\n");
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  throw new Error(
    `${what}: compiled output differs from Flyte's at line ${i + 1}\n` +
      `--- ours\n${a.slice(Math.max(0, i - 8), i + 8).join("\n")}\n` +
      `--- Flyte's\n${e.slice(Math.max(0, i - 8), i + 8).join("\n")}`,
  );
}

function readJson<Desc extends DescMessage>(schema: Desc, path: string) {
  return fromJsonString(schema, readFileSync(path, "utf8"));
}

const snacks = join(root, "snacks-core");
const pbFiles = readdirSync(snacks).filter((f) => f.endsWith(".pb")).sort();
const compiledTasks = new Map<string, CompiledTask>();
let taskCount = 0, workflowCount = 0;

Deno.test("compiler fixtures: snacks-core tasks compile as Flyte's", () => {
  for (const f of pbFiles) {
    const expectedPath = join(
      snacks,
      "compiled",
      f.replace(/\.pb$/, "_task.json"),
    );
    if (!existsSync(expectedPath)) continue;
    const spec = fromBinary(TaskSpecSchema, readFileSync(join(snacks, f)));
    const template = spec.template!;
    setDefaultFields(template);
    const compiled = compileTask(template);
    compiledTasks.set(idKey(template.id), compiled);
    assertSameProto(
      CompiledTaskSchema,
      compiled,
      readJson(CompiledTaskSchema, expectedPath),
      f,
    );
    taskCount++;
  }
  const expected = readdirSync(join(snacks, "compiled"))
    .filter((f) => f.endsWith("_task.json")).length;
  assert(taskCount === expected, `compared ${taskCount} of ${expected} tasks`);
});

Deno.test("compiler fixtures: snacks-core workflows compile as Flyte's", () => {
  assert(compiledTasks.size > 0, "the task fixtures compile first");
  for (const f of pbFiles) {
    const expectedPath = join(
      snacks,
      "compiled",
      f.replace(/\.pb$/, "_wf.json"),
    );
    if (!existsSync(expectedPath)) continue;
    const closure = fromBinary(
      WorkflowClosureSchema,
      readFileSync(join(snacks, f)),
    );
    const wf = closure.workflow!;
    const reqs = workflowRequirements(wf, []);
    const tasks = reqs.taskIds.map((id) => {
      const t = compiledTasks.get(idKey(id));
      assert(t !== undefined, `${f}: task ${id.name} has no fixture`);
      return t;
    });
    const compiled = compileWorkflow(wf, [], tasks, []);
    assertSameProto(
      CompiledWorkflowClosureSchema,
      compiled,
      readJson(CompiledWorkflowClosureSchema, expectedPath),
      f,
    );
    workflowCount++;
  }
  const expected = readdirSync(join(snacks, "compiled"))
    .filter((f) => f.endsWith("_wf.json")).length;
  assert(
    workflowCount === expected,
    `compared ${workflowCount} of ${expected} workflows`,
  );
});

const branchDir = join(root, "branch");
for (
  const f of readdirSync(branchDir).filter((f) => f.endsWith(".json")).sort()
) {
  Deno.test(`compiler fixtures: branch/${f} compiles as Flyte's`, () => {
    const closure = readJson(WorkflowClosureSchema, join(branchDir, f));
    const tasks = closure.tasks.map((t) => {
      setDefaultFields(t);
      return compileTask(t);
    });
    const compiled = compileWorkflow(closure.workflow!, [], tasks, []);
    assertSameProto(
      CompiledWorkflowClosureSchema,
      compiled,
      readJson(CompiledWorkflowClosureSchema, join(branchDir, "compiled", f)),
      `branch/${f}`,
    );
  });
}

Deno.test("compiler fixtures: dynamic/success_1.json compiles (as in Flyte's TestDynamic)", () => {
  // Flyte's TestDynamic wraps the DynamicJobSpec's nodes and outputs in a
  // workflow with one output o0: list<int> and only checks it compiles.
  const spec = readJson(
    DynamicJobSpecSchema,
    join(root, "dynamic", "success_1.json"),
  );
  const tasks = spec.tasks.map((t) => {
    setDefaultFields(t);
    return compileTask(t);
  });
  const wf = create(WorkflowTemplateSchema, {
    id: { domain: "domain", name: "name", version: "version" },
    interface: {
      inputs: { variables: {} },
      outputs: {
        variables: {
          o0: {
            type: {
              type: {
                case: "collectionType",
                value: { type: { case: "simple", value: SimpleType.INTEGER } },
              },
            },
          },
        },
      },
    },
    nodes: spec.nodes,
    outputs: spec.outputs,
  });
  const compiled = compileWorkflow(wf, spec.subworkflows, tasks, []);
  const ids = compiled.primary!.template!.nodes.map((n) => n.id);
  assert(ids[0] === "start-node" && ids[1] === "end-node");
  assert(ids.length === spec.nodes.length + 2);
  assert(compiled.primary!.connections!.upstream["end-node"].ids.length > 0);
});

Deno.test("compiler fixtures: app-workflows-work-one-python-task-w-f.pb compiles", () => {
  const closure = fromBinary(
    WorkflowClosureSchema,
    readFileSync(join(root, "app-workflows-work-one-python-task-w-f.pb")),
  );
  const compiled = compileWorkflow(
    closure.workflow!,
    [],
    closure.tasks.map((t) => compileTask(t)),
    [],
  );
  const c = compiled.primary!.connections!;
  assert(c.downstream["start-node"].ids.join() === "odd-nums-task");
  assert(c.upstream["end-node"].ids.join() === "odd-nums-task");
});
