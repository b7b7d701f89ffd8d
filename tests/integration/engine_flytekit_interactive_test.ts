/**
 * flytekit's own interactive mode against the sandbox (issue 15, item 2):
 * `FlyteRemote(..., interactive_mode_enabled=True).execute` of a task and a
 * workflow defined in the running Python process pickles them, fast-registers
 * the pickle, and runs `pyflyte-fast-execute --dest-dir . -- pyflyte-execute
 * ... pkl.gz`: the unpacked code must be the task's working directory. A map
 * over such a task runs the same pickle once per item.
 */
import { startSandbox } from "../../src/sandbox/mod.ts";
import { assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { requireVenvTool, runOk, venvBin } from "../helpers/flytekit.ts";

const SCRIPT = `import sys
from flytekit import map_task, task, workflow
from flytekit.configuration import Config, ImageConfig
from flytekit.remote import FlyteRemote

remote = FlyteRemote(
    Config.for_endpoint(sys.argv[1], insecure=True),
    default_project="flytesnacks",
    default_domain="development",
    interactive_mode_enabled=True,
)


@task
def add(a: int, b: int) -> int:
    return a + b


@workflow
def twice(a: int) -> int:
    return add(a=add(a=a, b=1), b=10)


@task
def square(x: int) -> int:
    return x * x


@workflow
def squares(xs: list[int]) -> list[int]:
    return map_task(square)(x=xs)


print("version", remote.client.get_control_plane_version())
image = ImageConfig.auto_default_image()
e = remote.execute(add, inputs={"a": 1, "b": 2}, wait=True, image_config=image)
print("task", e.closure.phase, e.outputs["o0"])
w = remote.execute(twice, inputs={"a": 5}, wait=True, image_config=image)
print("workflow", w.closure.phase, w.outputs["o0"])
m = remote.execute(squares, inputs={"xs": [1, 2, 3]}, wait=True, image_config=image)
print("map", m.closure.phase, m.outputs["o0"])
`;

Deno.test("flytekit interactive mode: a task, a workflow and a map over a task defined in the Python process run on the sandbox; flytekit reads GetVersion", async () => {
  await requireVenvTool("python");
  const dir = await Deno.makeTempDir({ prefix: "fk-interactive-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    await Deno.writeTextFile(`${dir}/interactive.py`, SCRIPT);
    const out = await runOk(`${venvBin}/python`, [
      "interactive.py",
      sb.endpoint.replace(/^http:\/\//, ""),
    ], dir);
    // Phase 4 is SUCCEEDED; 1+2 = 3; (5+1)+10 = 16.
    assertStringIncludes(out, "task 4 3");
    assertStringIncludes(out, "workflow 4 16");
    // A map over a task defined in the process: each item runs the pickle.
    assertStringIncludes(out, "map 4 [1, 4, 9]");
    // flytekit reads GetVersion as FlyteAdmin answers it: v<semver>.
    assertMatch(out, /^version v\d+\.\d+\.\d+\S*$/m);
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
