/**
 * Conditionals as propeller runs them (issue 15, item 3), written as a
 * flytekit user would: the taken case of a conditional reads an upstream
 * node the condition does not, so it must wait for it; and a case that is
 * flytekit's `Echo` (no container: its outputs are its inputs, run by
 * propeller's built-in echo plugin).
 */
import { assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
} from "../helpers/flytekit.ts";

const BRANCHY = `import time

from flytekit import conditional, task, workflow
from flytekit.core.task import Echo

# Named o0 like the other case's output: the branch node passes on the
# taken case's outputs under their own names.
echo = Echo(name="branchy.echo", inputs={"o0": int})


@task
def slow_inc(x: int) -> int:
    time.sleep(1)
    return x + 1


@task
def double(x: int) -> int:
    return x * 2


@workflow
def waits(x: int = 3) -> int:
    a = slow_inc(x=x)
    return conditional("c").if_(x > 0).then(double(x=a)).else_().then(double(x=x))


@workflow
def echoes(x: int = -4) -> int:
    return conditional("e").if_(x > 0).then(double(x=x)).else_().then(echo(o0=x))
`;

const REMOTE = `
import sys
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(Config.for_endpoint(sys.argv[1], insecure=True),
                     default_project="flytesnacks", default_domain="development")
wait = dict(timeout=timedelta(seconds=120), poll_interval=timedelta(seconds=0.5))
for name, x in (("waits", 3), ("echoes", -4)):
    ex = remote.execute(remote.fetch_workflow(name=f"branchy.{name}", version="v1"), inputs={"x": x})
    ex = remote.wait(ex, **wait)
    print(name.upper(), ex.closure.phase, ex.outputs["o0"] if ex.closure.phase == 4 else ex.error.message)
`;

Deno.test("flytekit conditionals: the taken case waits for its own upstream; an Echo case passes its inputs through", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-branch-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/branchy.py`, BRANCHY);
  await Deno.writeTextFile(`${dir}/remote.py`, REMOTE);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const { hostPort, output } = await pyflyteRegister(sb.endpoint, dir, code, [
      "branchy.py",
    ]);
    assertStringIncludes(output, "Successfully registered");
    const out = await runOk(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    assertStringIncludes(out, "WAITS 4 8"); // (3 + 1) * 2
    assertStringIncludes(out, "ECHOES 4 -4");
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
