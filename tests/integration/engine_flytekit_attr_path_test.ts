/**
 * Attribute paths into flytekit's msgpack-encoded values (issue 15, item
 * 4), written as a flytekit user would: a map task over a pydantic model's
 * list attribute (`map_task(double)(x=bm.my_floats)`), and a task reading a
 * dataclass's nested attributes (a nested dataclass, a float inside it, a
 * list item inside it and a top-level int), and a dataclass's FlyteFile
 * field read by the next task.
 */
import { assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
} from "../helpers/flytekit.ts";

const ATTRS = `from dataclasses import dataclass
from typing import List

from pydantic import BaseModel
from flytekit import current_context, map_task, task, workflow
from flytekit.types.file import FlyteFile


class Measurements(BaseModel):
    label: str = "m"
    my_floats: List[float] = [1.0, 2.5, 4.0]


@dataclass
class Inner:
    scale: float
    tags: List[str]


@dataclass
class Outer:
    inner: Inner
    n: int


@dataclass
class Report:
    title: str
    file: FlyteFile


@task
def make_model(k: float) -> Measurements:
    return Measurements(my_floats=[1.0 * k, 2.5 * k, 4.0 * k])


@task
def double(x: float) -> float:
    return x * 2


@task
def total(xs: List[float]) -> float:
    return sum(xs)


@workflow
def mapped(k: float = 1.0) -> float:
    bm = make_model(k=k)
    return total(xs=map_task(double)(x=bm.my_floats))


@task
def make_outer() -> Outer:
    return Outer(inner=Inner(scale=1.5, tags=["a", "b"]), n=2)


@task
def describe(inner: Inner, scale: float, tag: str, n: int) -> str:
    return f"{type(inner).__name__}:{inner.scale}:{','.join(inner.tags)}|{scale}|{tag}|{n}"


@workflow
def nested() -> str:
    o = make_outer()
    return describe(inner=o.inner, scale=o.inner.scale, tag=o.inner.tags[1], n=o.n)


@task
def make_report() -> Report:
    p = current_context().working_directory + "/report.txt"
    with open(p, "w") as f:
        f.write("hello from a dataclass")
    return Report(title="r", file=FlyteFile(p))


@task
def read_file(f: FlyteFile) -> str:
    with open(f) as fh:
        return fh.read()


@workflow
def filed() -> str:
    r = make_report()
    return read_file(f=r.file)
`;

const REMOTE = `
import sys
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(Config.for_endpoint(sys.argv[1], insecure=True),
                     default_project="flytesnacks", default_domain="development")
wait = dict(timeout=timedelta(seconds=180), poll_interval=timedelta(seconds=0.5))
for name, inputs in (("mapped", {"k": 2.0}), ("nested", {}), ("filed", {})):
    ex = remote.execute(remote.fetch_workflow(name=f"attrs.{name}", version="v1"), inputs=inputs)
    ex = remote.wait(ex, **wait)
    print(name.upper(), ex.closure.phase, ex.outputs["o0"] if ex.closure.phase == 4 else ex.error.message)
`;

Deno.test("flytekit attribute paths: a map task over a pydantic list attribute; nested dataclass attributes; a dataclass's file", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-attrs-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/attrs.py`, ATTRS);
  await Deno.writeTextFile(`${dir}/remote.py`, REMOTE);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const { hostPort, output } = await pyflyteRegister(sb.endpoint, dir, code, [
      "attrs.py",
    ]);
    assertStringIncludes(output, "Successfully registered");
    const out = await runOk(
      `${venvBin}/python`,
      [`${dir}/remote.py`, hostPort],
      dir,
    );
    // (2 + 5 + 8) * 2: each item of bm.my_floats doubled by its own task.
    assertStringIncludes(out, "MAPPED 4 30.0");
    assertStringIncludes(out, "NESTED 4 Inner:1.5:a,b|1.5|b|2");
    // A FlyteFile field stays a msgpack Binary that flytekit reads back.
    assertStringIncludes(out, "FILED 4 hello from a dataclass");
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
