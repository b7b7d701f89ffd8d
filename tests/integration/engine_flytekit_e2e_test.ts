/**
 * flytekit hello-world against the sandbox: `pyflyte register` (fast
 * registration through the data proxy) and flytekit's FlyteRemote run a
 * Python workflow whose task the engine executes with flytekit's own entry
 * point (pyflyte-fast-execute → pyflyte-execute) on this machine, and a
 * task with a pod template runs its primary container the same way.
 * Needs the project venv (`deno task setup-python`).
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  requireVenvTool,
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
for module, wf_name in (("hello", "hello_wf"), ("pod", "pod_wf")):
    wf = remote.fetch_workflow(name=f"{module}.{wf_name}", version="v1")
    ex = remote.execute(wf, inputs={"name": "deno"}, execution_name=f"{module}-deno")
    ex = remote.wait(ex, timeout=timedelta(seconds=180), poll_interval=timedelta(seconds=1))
    print(module, "PHASE", ex.closure.phase)
    print(module, "OUTPUT", ex.outputs["o0"])
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

async function run(cmd: string, args: string[], cwd: string) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, `${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

Deno.test("flytekit hello-world and a pod-template task: pyflyte register + FlyteRemote against the sandbox", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-hello-" });
  const code = await writeHelloCode(dir);
  await Deno.writeTextFile(`${code}/pod.py`, POD);
  await Deno.writeTextFile(`${dir}/remote.py`, REMOTE);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const hostPort = sb.endpoint.replace(/^http:\/\//, "");
    await Deno.writeTextFile(
      `${dir}/config.yaml`,
      `admin:\n  endpoint: dns:///${hostPort}\n  insecure: true\n`,
    );
    const reg = await run(`${venvBin}/pyflyte`, [
      "--config",
      `${dir}/config.yaml`,
      "register",
      "--project",
      "flytesnacks",
      "--domain",
      "development",
      "--image",
      "local:latest",
      "--version",
      "v1",
      "hello.py",
      "pod.py",
    ], code);
    assertStringIncludes(reg, "Successfully registered 6 entities");
    const out = await run(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    assertStringIncludes(out, "hello PHASE 4");
    assertStringIncludes(out, "hello OUTPUT Hello, deno!");
    // The pod task ran its primary container, with the pod spec's env.
    assertStringIncludes(out, "pod PHASE 4");
    assertStringIncludes(out, "pod OUTPUT Howdy, deno!");
  } finally {
    await sb.close();
  }
});
