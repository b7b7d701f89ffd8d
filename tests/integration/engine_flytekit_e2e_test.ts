/**
 * flytekit hello-world against the sandbox: `pyflyte register` (fast
 * registration through the data proxy) and flytekit's FlyteRemote run a
 * Python workflow whose task the engine executes with flytekit's own entry
 * point (pyflyte-fast-execute → pyflyte-execute) on this machine; a task
 * with a pod template runs its primary container the same way; and a tour of
 * flytekit's features (map task, dataclass, FlyteFile between tasks, dynamic,
 * conditional) runs, its outputs read back by flytekit and by our client.
 * Needs the project venv (`deno task setup-python`).
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import type { FlyteFile } from "../../src/types/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
  writeHelloCode,
} from "../helpers/flytekit.ts";

const REMOTE = `
import sys
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(
    Config.for_endpoint(sys.argv[1], insecure=True),
    default_project="flytesnacks",
    default_domain="development",
)
runs = []
for module, wf_name, inputs in (
    ("hello", "hello_wf", {"name": "deno"}),
    ("pod", "pod_wf", {"name": "deno"}),
    ("tour", "tour_wf", {"n": 4}),
):
    wf = remote.fetch_workflow(name=f"{module}.{wf_name}", version="v1")
    runs.append((module, remote.execute(wf, inputs=inputs, execution_name=f"{module}-deno")))
for module, ex in runs:
    ex = remote.wait(ex, timeout=timedelta(seconds=240), poll_interval=timedelta(seconds=1))
    print(module, "PHASE", ex.closure.phase)
    if ex.error:
        print(module, "ERROR", ex.error.message)
    print(module, "OUTPUT", ex.outputs["o0"])
`;

/**
 * Most of what a Python workflow does, on the sandbox's engine with
 * flytekit's own entry point: a map task (ArrayNode), a dataclass through
 * msgpack, a FlyteFile written by one task and read by the next, a dynamic
 * task and a conditional.
 */
const TOUR = `import typing
from dataclasses import dataclass

from flytekit import conditional, dynamic, map_task, task, workflow
from flytekit.types.file import FlyteFile


@dataclass
class Point:
    x: int
    y: float
    label: str


@task
def square(n: int) -> int:
    return n * n


@task
def make_point(n: int) -> Point:
    return Point(x=n, y=n / 2, label=f"p{n}")


@task
def summary(xs: typing.List[int], p: Point) -> str:
    return f"{sum(xs)}:{p.x}:{p.y}:{p.label}"


@task
def write_file(s: str) -> FlyteFile:
    with open("summary.txt", "w") as f:
        f.write(s)
    return FlyteFile("summary.txt")


@task
def shout(f: FlyteFile) -> str:
    with open(f, "r") as fh:
        return fh.read().upper()


@dynamic
def squares_below(n: int) -> typing.List[int]:
    return [square(n=i) for i in range(n)]


@task
def big() -> str:
    return "big"


@task
def small() -> str:
    return "small"


@workflow
def tour_wf(n: int = 4) -> typing.Tuple[str, typing.List[int], str, FlyteFile, Point]:
    squares = map_task(square)(n=[1, 2, 3, n])
    p = make_point(n=n)
    f = write_file(s=summary(xs=squares, p=p))
    size = conditional("size").if_(n > 3).then(big()).else_().then(small())
    return shout(f=f), squares_below(n=n), size, f, p
`;

/**
 * A task with a pod template, as flytekit serializes it: a k8s_pod target
 * whose primary container (named in the task config) runs the task, with a
 * sidecar the sandbox does not start.
 */
const POD = `import os

from flytekit import PodTemplate, task, workflow
from kubernetes.client import V1Container, V1EnvVar, V1PodSpec


@task(
    pod_template=PodTemplate(
        primary_container_name="main",
        pod_spec=V1PodSpec(
            containers=[
                V1Container(name="main", env=[V1EnvVar(name="GREETING", value="Howdy")]),
                V1Container(name="sidecar", image="busybox", command=["sleep", "3600"]),
            ]
        ),
    )
)
def greet(name: str) -> str:
    return f"{os.environ['GREETING']}, {name}!"


@workflow
def pod_wf(name: str = "world") -> str:
    return greet(name=name)
`;

Deno.test("flytekit hello-world, a pod-template task and a feature tour: pyflyte register + FlyteRemote against the sandbox", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-hello-" });
  const code = await writeHelloCode(dir);
  await Deno.writeTextFile(`${code}/pod.py`, POD);
  await Deno.writeTextFile(`${code}/tour.py`, TOUR);
  await Deno.writeTextFile(`${dir}/remote.py`, REMOTE);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const { hostPort, output: reg } = await pyflyteRegister(
      sb.endpoint,
      dir,
      code,
      ["hello.py", "pod.py", "tour.py"],
    );
    // 3 + 3 + tour's 9 tasks (with the map's array node task), workflow, launch plan
    assertStringIncludes(reg, "Successfully registered 17 entities");
    const out = await runOk(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    assertStringIncludes(out, "hello PHASE 4");
    assertStringIncludes(out, "hello OUTPUT Hello, deno!");
    // The pod task ran its primary container, with the pod spec's env.
    assertStringIncludes(out, "pod PHASE 4");
    assertStringIncludes(out, "pod OUTPUT Howdy, deno!");
    assertStringIncludes(out, "tour PHASE 4");
    assertStringIncludes(out, "tour OUTPUT 30:4:2.0:P4");

    // The same outputs read with our own client: the list, the dataclass
    // (msgpack), and the file flytekit wrote, downloaded.
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      const tour = await remote.fetchExecution("tour-deno");
      const o = tour.outputs;
      assertEquals(o.o0, "30:4:2.0:P4");
      assertEquals(o.o1, [0, 1, 4, 9]);
      assertEquals(o.o2, "big");
      assertEquals(o.o4, { x: 4, y: 2, label: "p4" });
      const file = await remote.download(
        o.o3 as FlyteFile,
        `${dir}/summary.txt`,
      );
      assertEquals(await Deno.readTextFile(file), "30:4:2.0:p4");

      // Our client runs flytekit's tasks too: a dataclass input from a plain
      // object (msgpack), and a local file uploaded for a FlyteFile input.
      const summary = await remote.fetchTask("tour.summary");
      const s = await remote.execute(summary, {
        xs: [1, 2],
        p: { x: 1, y: 0.5, label: "q" },
      }, { wait: true, executionName: "summary-from-deno" });
      assertEquals(s.phase, "SUCCEEDED", s.error?.message);
      assertEquals(s.outputs.o0, "3:1:0.5:q");
      await Deno.writeTextFile(`${dir}/note.txt`, "from deno");
      const shout = await remote.fetchTask("tour.shout");
      const u = await remote.execute(shout, { f: `${dir}/note.txt` }, {
        wait: true,
        executionName: "shout-from-deno",
      });
      assertEquals(u.phase, "SUCCEEDED", u.error?.message);
      assertEquals(u.outputs.o0, "FROM DENO");
    } finally {
      await remote.close();
    }
  } finally {
    await sb.close();
  }
});
