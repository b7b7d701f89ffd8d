/**
 * A StructuredDataset inside a dataclass, read downstream through an
 * attribute path (issue 15), written as a flytekit user would: a task
 * writes a CSV table and returns it as a StructuredDataset field of a
 * dataclass beside a plain field; the next task gets `read(sd=dc.sd,
 * label=dc.label)`, downloads the dataset through flytekit's own storage
 * paths (the sandbox's S3 face) and sums its rows. The venv has no pandas,
 * so the table is written and parsed with the csv module; flytekit itself
 * uploads and downloads the dataset folder (an input dataset's URI is
 * `sd.literal.uri`: flytekit leaves `sd.uri` unset on the reading side).
 */
import { assertEquals } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import {
  pyflyteRegister,
  requireVenvTool,
  runOk,
  venvBin,
} from "../helpers/flytekit.ts";

const TABLES = `import csv
import os
from dataclasses import dataclass

from flytekit import FlyteContextManager, current_context, task, workflow
from flytekit.types.structured import StructuredDataset


@dataclass
class Table:
    label: str
    sd: StructuredDataset


@task
def make_table(n: int) -> Table:
    folder = os.path.join(current_context().working_directory, "table")
    os.makedirs(folder)
    with open(os.path.join(folder, "00000"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "amount"])
        for i in range(1, n + 1):
            w.writerow([f"row{i}", i * 10])
    return Table(label=f"{n} rows", sd=StructuredDataset(uri=folder, file_format="csv"))


@task
def read(sd: StructuredDataset, label: str) -> str:
    local = os.path.join(current_context().working_directory, "got")
    uri = sd.literal.uri
    FlyteContextManager.current_context().file_access.get_data(uri, local, is_multipart=True)
    with open(os.path.join(local, "00000"), newline="") as f:
        rows = list(csv.DictReader(f))
    total = sum(int(r["amount"]) for r in rows)
    names = ",".join(r["name"] for r in rows)
    fmt = sd.literal.metadata.structured_dataset_type.format
    return "|".join([label, fmt, names, str(total), uri.split("/")[2]])


@workflow
def table_wf(n: int = 3) -> str:
    dc = make_table(n=n)
    return read(sd=dc.sd, label=dc.label)
`;

const REMOTE = `
import sys
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(Config.for_endpoint(sys.argv[1], insecure=True),
                     default_project="flytesnacks", default_domain="development")
wf = remote.fetch_workflow(name="tables.table_wf", version="v1")
ex = remote.wait(remote.execute(wf, inputs={"n": 4}),
                 timeout=timedelta(seconds=180), poll_interval=timedelta(seconds=0.5))
print("RESULT", ex.outputs["o0"] if ex.closure.phase == 4 else f"phase {ex.closure.phase}: {ex.error.message}")
`;

Deno.test("flytekit attribute path: a dataclass's StructuredDataset read downstream (read(sd=dc.sd))", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "flytekit-attr-sd-" });
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/tables.py`, TABLES);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const { hostPort } = await pyflyteRegister(sb.endpoint, dir, code, [
      "tables.py",
    ]);
    const out = await runOk(
      `${venvBin}/python`,
      ["-c", REMOTE, hostPort],
      dir,
    );
    const result = out.split("\n").find((l) => l.startsWith("RESULT "));
    // The plain field, the dataset's format, its rows and their sum
    // (10 + 20 + 30 + 40), and the bucket of the URI the task downloaded.
    assertEquals(
      result,
      "RESULT 4 rows|csv|row1,row2,row3,row4|100|my-s3-bucket",
      out,
    );
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
