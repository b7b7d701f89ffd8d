/**
 * flytekit control flow against the sandbox: registered with `pyflyte
 * register`, driven with flytekit's FlyteRemote (signals included), each task
 * run by flytekit's own entry point. Needs the project venv
 * (`deno task setup-python`).
 */
import { assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
} from "../helpers/flytekit.ts";

/**
 * Control flow from flytekit: a sub-workflow with a cached task, a retry after
 * FlyteRecoverableException, a launch-plan node, gates (wait_for_input,
 * sleep, approve) answered with flytekit's set_signal, and a failing
 * workflow whose on_failure handler gets the error. `MARKERS` is replaced by
 * a folder of the test's.
 */
const CONTROL = `import os
import typing
from datetime import timedelta

from flytekit import LaunchPlan, approve, sleep, task, wait_for_input, workflow
from flytekit.exceptions.user import FlyteRecoverableException
from flytekit.types.error import FlyteError

MARKERS = "@MARKERS@"


@task(cache=True, cache_version="1")
def cached_double(x: int) -> int:
    return x * 2


@task(retries=2)
def flaky(x: int) -> int:
    marker = os.path.join(MARKERS, f"flaky-{x}")
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise FlyteRecoverableException("first attempt fails")
    return x + 100


@workflow
def sub(x: int) -> int:
    return cached_double(x=x)


@task
def add(a: int, b: int) -> int:
    return a + b


@workflow
def child(x: int = 1) -> int:
    return add(a=x, b=1000)


child_lp = LaunchPlan.get_or_create(child, name="control.child_lp")


@workflow
def control_wf(x: int = 3) -> typing.Tuple[int, int, int, int, int]:
    a = sub(x=x)
    b = flaky(x=x)
    c = child_lp(x=x)
    n = wait_for_input("extra", timeout=timedelta(minutes=5), expected_type=int)
    s = sleep(timedelta(seconds=1))
    d = add(a=a, b=n)
    s >> d
    ok = approve(d, "review", timeout=timedelta(minutes=5))
    return a, b, c, d, ok


@task
def boom(x: int) -> int:
    if x > 0:
        raise ValueError("boom")
    return x


@task
def clean(x: int, err: typing.Optional[FlyteError] = None) -> None:
    with open(os.path.join(MARKERS, "cleanup"), "w") as f:
        f.write(err.message if err else "no error given")


@workflow(on_failure=clean)
def failing_wf(x: int = 1) -> int:
    return boom(x=x)
`;

const CONTROL_REMOTE = `
import sys
import time
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(
    Config.for_endpoint(sys.argv[1], insecure=True),
    default_project="flytesnacks",
    default_domain="development",
)
wait = dict(timeout=timedelta(seconds=240), poll_interval=timedelta(seconds=1))
ex = remote.execute(
    remote.fetch_workflow(name="control.control_wf", version="v1"),
    inputs={"x": 3}, execution_name="control-1",
)
failing = remote.execute(
    remote.fetch_workflow(name="control.failing_wf", version="v1"),
    inputs={"x": 1}, execution_name="failing-1",
)
for name, value in (("extra", 5), ("review", True)):
    for _ in range(240):
        if any(s.id.signal_id == name for s in remote.list_signals("control-1")):
            break
        time.sleep(0.5)
    remote.set_signal(name, "control-1", value)
    print("SIGNAL", name, "set")
ex = remote.wait(ex, **wait)
print("PHASE", ex.closure.phase)
if ex.error:
    print("ERROR", ex.error.message)
print("OUTPUTS", " ".join(f"{k}={ex.outputs[k]}" for k in sorted(ex.outputs.literals)))
failing = remote.wait(failing, **wait)
print("FAILING PHASE", failing.closure.phase)
again = remote.execute(
    remote.fetch_workflow(name="control.sub", version="v1"),
    inputs={"x": 3}, execution_name="sub-again", wait=True,
)
again = remote.sync_execution(again, sync_nodes=True)
print("CACHE", again.node_executions["n0"].closure.task_node_metadata.cache_status)
`;

Deno.test("flytekit control flow: sub-workflow, cache, retry, launch plan, gates with set_signal, on_failure", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-control-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.mkdir(`${dir}/markers`);
  await Deno.writeTextFile(
    `${code}/control.py`,
    CONTROL.replace("@MARKERS@", `${dir}/markers`),
  );
  await Deno.writeTextFile(`${dir}/remote.py`, CONTROL_REMOTE);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const { hostPort, output: reg } = await pyflyteRegister(
      sb.endpoint,
      dir,
      code,
      ["control.py"],
    );
    assertStringIncludes(reg, "Successfully registered");
    const out = await runOk(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    assertStringIncludes(out, "SIGNAL extra set");
    assertStringIncludes(out, "SIGNAL review set");
    assertStringIncludes(out, "PHASE 4");
    // a = 3*2 (sub-workflow), b = 103 (second attempt), c = 1003 (launch
    // plan), d = a + 5 (signal), ok = d (approved)
    assertStringIncludes(out, "OUTPUTS o0=6 o1=103 o2=1003 o3=11 o4=11");
    assertStringIncludes(out, "FAILING PHASE 6"); // FAILED
    assertStringIncludes(out, "CACHE 2"); // CACHE_HIT
    const cleanup = await Deno.readTextFile(`${dir}/markers/cleanup`);
    assertStringIncludes(cleanup, "ValueError: boom");
  } finally {
    await sb.close();
  }
});
