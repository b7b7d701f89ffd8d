/**
 * flytekit hello-world against the sandbox: `pyflyte register` (fast
 * registration through the data proxy) and flytekit's FlyteRemote run a
 * Python workflow whose task the engine executes with flytekit's own entry
 * point (pyflyte-fast-execute → pyflyte-execute) on this machine.
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
wf = remote.fetch_workflow(name="hello.hello_wf", version="v1")
ex = remote.execute(wf, inputs={"name": "deno"}, execution_name="hello-deno")
ex = remote.wait(ex, timeout=timedelta(seconds=180), poll_interval=timedelta(seconds=1))
print("PHASE", ex.closure.phase)
print("OUTPUT", ex.outputs["o0"])
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

Deno.test("flytekit hello-world: pyflyte register + FlyteRemote against the sandbox", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-hello-" });
  const code = await writeHelloCode(dir);
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
    ], code);
    assertStringIncludes(reg, "Successfully registered 3 entities");
    const out = await run(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    assertStringIncludes(out, "PHASE 4");
    assertStringIncludes(out, "OUTPUT Hello, deno!");
  } finally {
    await sb.close();
  }
});
