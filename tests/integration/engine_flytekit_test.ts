/**
 * flytekit's own entry point under the engine: a task serialized by
 * `pyflyte package` (flytekit 1.16 from the project's .venv, installed by
 * `deno task setup-python`) runs through `pyflyte-execute` on this machine.
 */
import { assertEquals } from "../helpers/assert.ts";
import { create, fromBinary } from "@bufbuild/protobuf";
import { TaskSpecSchema } from "@flyteidl/admin/task_pb.ts";
import { CompiledWorkflowClosureSchema } from "@flyteidl/core/compiler_pb.ts";
import { WorkflowExecution_Phase as WfPhase } from "@flyteidl/core/execution_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { lmap, Recorder, str } from "./engine_harness.ts";
import {
  requireVenvTool,
  venvBin,
  writeHelloCode,
} from "../helpers/flytekit.ts";

Deno.test("engine: a flytekit task runs through pyflyte-execute", async () => {
  await requireVenvTool("pyflyte-execute");
  const dir = await Deno.makeTempDir({ prefix: "engine-flytekit-" });
  const code = await writeHelloCode(dir);
  const pkg = await new Deno.Command(`${venvBin}/pyflyte`, {
    args: [
      "--pkgs",
      "hello",
      "package",
      "--image",
      "local:latest",
      "-f",
      "-o",
      `${dir}/pkg.tgz`,
    ],
    cwd: code,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(pkg.code, 0, new TextDecoder().decode(pkg.stderr));
  await Deno.mkdir(`${dir}/pkg`);
  const untar = await new Deno.Command("tar", {
    args: ["xzf", `${dir}/pkg.tgz`, "-C", `${dir}/pkg`],
  })
    .output();
  assertEquals(untar.code, 0);
  const spec = fromBinary(
    TaskSpecSchema,
    await Deno.readFile(`${dir}/pkg/0_hello.say_hello_1.pb`),
  );
  const tpl = spec.template!;
  tpl.id = { ...tpl.id!, project: "p", domain: "d", version: "v1" };
  const stringType = {
    type: { case: "simple" as const, value: SimpleType.STRING },
  };
  const closure = create(CompiledWorkflowClosureSchema, {
    primary: {
      template: {
        id: {
          resourceType: 2,
          project: "p",
          domain: "d",
          name: "hello.hello_wf",
          version: "v1",
        },
        interface: {
          inputs: { variables: { name: { type: stringType } } },
          outputs: { variables: { o0: { type: stringType } } },
        },
        nodes: [
          { id: "start-node" },
          { id: "end-node" },
          {
            id: "n0",
            metadata: { name: "say_hello" },
            inputs: [{
              var: "name",
              binding: {
                value: {
                  case: "promise",
                  value: { nodeId: "start-node", var: "name" },
                },
              },
            }],
            target: {
              case: "taskNode",
              value: { reference: { case: "referenceId", value: tpl.id } },
            },
          },
        ],
        outputs: [{
          var: "o0",
          binding: {
            value: { case: "promise", value: { nodeId: "n0", var: "o0" } },
          },
        }],
      },
    },
    tasks: [{ template: tpl }],
  });
  const rec = new Recorder(dir);
  await rec.startEngine({ extraPath: [venvBin] });
  try {
    await rec.launch("hello", closure, lmap({ name: str("deno") }), {
      envs: { values: [{ key: "PYTHONPATH", value: code }] },
    } as never);
    const phase = await rec.finished("hello", 120_000);
    assertEquals(phase, WfPhase.SUCCEEDED, rec.errors.get("hello"));
    const out = (await rec.outputsOf("hello")).literals.o0;
    assertEquals(
      out.value.case === "scalar" &&
        out.value.value.value.case === "primitive" &&
        out.value.value.value.value.value.value,
      "Hello, deno!",
    );
  } finally {
    await rec.engine!.close();
  }
});
