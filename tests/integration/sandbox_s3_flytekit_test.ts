/**
 * flytekit's storage paths against the sandbox, as a flytekit user meets
 * them (flytekit 1.16 from the project venv, its own s3fs/botocore, the
 * sandbox's S3 face on its own port, configured the way a user configures
 * the demo cluster's MinIO):
 * - `pyflyte run --remote` of a workflow whose input is a dataclass whose
 *   default holds a local FlyteFile, FlyteDirectory and StructuredDataset:
 *   flytekit uploads them, the task (started by the engine with a
 *   demo-cluster pod's AWS environment) reads all three;
 * - `remote.upload_file`, then a registered task opens the FlyteFile;
 * - flytekit's FileAccessProvider / s3fs listing, checking and deleting
 *   objects, and putting and getting data, on `s3://my-s3-bucket/...`.
 * Needs the project venv (`deno task setup-python`).
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import type { SandboxHandle } from "../../src/sandbox/mod.ts";
import { requireVenvTool, runOk, venvBin } from "../helpers/flytekit.ts";

const WORKFLOW = `import os
from dataclasses import dataclass, field

from flytekit import task, workflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile
from flytekit.types.structured import StructuredDataset

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Bundle:
    f: FlyteFile = field(default_factory=lambda: FlyteFile(os.path.join(HERE, "data", "note.txt")))
    d: FlyteDirectory = field(default_factory=lambda: FlyteDirectory(os.path.join(HERE, "data", "folder")))
    sd: StructuredDataset = field(
        default_factory=lambda: StructuredDataset(uri=os.path.join(HERE, "data", "table"), file_format="parquet")
    )


@task
def inspect(b: Bundle) -> str:
    from flytekit import FlyteContextManager, current_context

    with open(b.f) as fh:
        note = fh.read().strip()
    folder = b.d.download()
    names = sorted(os.listdir(folder))
    local = current_context().working_directory + "/table"
    FlyteContextManager.current_context().file_access.get_data(b.sd.literal.uri, local, is_multipart=True)
    table = sorted(os.listdir(local))
    return "|".join([note, ",".join(names), ",".join(table), b.f.remote_source or b.f.path])


@task
def read_file(f: FlyteFile) -> str:
    with open(f) as fh:
        return fh.read()


@workflow
def bundle_wf(b: Bundle = Bundle()) -> str:
    return inspect(b=b)
`;

/** flytekit's FlyteRemote and FileAccessProvider, as a user script. */
const SCRIPT = `import os, sys, tempfile, pathlib
from datetime import timedelta
from flytekit.configuration import Config
from flytekit.remote import FlyteRemote
from flytekit.types.file import FlyteFile

remote = FlyteRemote(Config.auto(config_file=sys.argv[1]), default_project="flytesnacks", default_domain="development")

# pyflyte run --remote's execution
ex = remote.wait(remote.fetch_execution(name=sys.argv[2]), timeout=timedelta(seconds=240), poll_interval=timedelta(seconds=1))
if ex.error:
    print("RUN ERROR", ex.error.message)
print("RUN", ex.outputs["o0"])

# remote.upload_file, then a task opens the FlyteFile
src = pathlib.Path(tempfile.mkdtemp()) / "greeting.txt"
src.write_text("uploaded by flytekit")
_, native_url = remote.upload_file(src)
print("NATIVE", native_url)
task = remote.fetch_task(name="s3user.read_file", version=sys.argv[3])
ex2 = remote.wait(remote.execute(task, inputs={"f": FlyteFile(native_url)}), timeout=timedelta(seconds=240), poll_interval=timedelta(seconds=1))
if ex2.error:
    print("READ ERROR", ex2.error.message)
print("READ", ex2.outputs["o0"])

# flytekit's own S3 paths: FileAccessProvider and its s3fs file system
fa = remote.file_access
fs = fa.get_filesystem("s3")
base = "s3://my-s3-bucket/user-area"
local = pathlib.Path(tempfile.mkdtemp())
(local / "one.txt").write_text("1")
(local / "sub").mkdir()
(local / "sub" / "two.txt").write_text("22")
fa.put_data(str(local), base, is_multipart=True)
print("FIND", sorted(p.split("my-s3-bucket/", 1)[1] for p in fs.find(base)))
print("LS", sorted(p.split("my-s3-bucket/", 1)[1] for p in fs.ls(base)))
print("EXISTS", fa.exists(base + "/one.txt"), fa.exists(native_url))
back = tempfile.mkdtemp()
fa.get_data(base, back, is_multipart=True)
print("GOT", sorted(str(p.relative_to(back)) for p in pathlib.Path(back).rglob("*.txt")))
fs.copy(base + "/one.txt", base + "/copied.txt")
print("CAT", fs.cat(base + "/copied.txt").decode())
fs.rm(base + "/one.txt")
fs.rm(base, recursive=True)
print("AFTER", fs.find(base), fa.exists(base + "/sub/two.txt"))
fs.rm(native_url)
print("GONE", fa.exists(native_url))
`;

function configYaml(sb: SandboxHandle): string {
  const admin = sb.endpoint.replace(/^http:\/\//, "");
  return `admin:
  endpoint: dns:///${admin}
  insecure: true
storage:
  connection:
    endpoint: ${sb.s3.endpoint}
    access-key: ${sb.s3.accessKeyId}
    secret-key: ${sb.s3.secretAccessKey}
`;
}

/** The local data of the defaults (the dataset's files are only moved, never parsed: the venv has no pandas). */
async function writeData(code: string) {
  // Flat: flytekit's flyte:// upload (remote_fs.py) sends each file of a
  // folder under its base name, so nesting would not survive on any backend.
  await Deno.mkdir(`${code}/data/folder`, { recursive: true });
  await Deno.mkdir(`${code}/data/table`, { recursive: true });
  await Deno.writeTextFile(`${code}/data/note.txt`, "a note\n");
  await Deno.writeTextFile(`${code}/data/folder/a.txt`, "A");
  await Deno.writeTextFile(`${code}/data/folder/b.txt`, "B");
  await Deno.writeTextFile(`${code}/data/table/00000`, "PAR1-not-read");
  await Deno.writeTextFile(`${code}/data/table/00001`, "PAR1-not-read");
}

Deno.test("flytekit on the sandbox's S3 face: pyflyte run --remote with file/directory/dataset defaults, upload_file, FileAccessProvider", async () => {
  await requireVenvTool("pyflyte");
  const dir = await Deno.makeTempDir({ prefix: "s3-flytekit-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/sandbox` });
  try {
    const code = `${dir}/code`;
    await Deno.mkdir(code);
    await Deno.writeTextFile(`${code}/s3user.py`, WORKFLOW);
    await writeData(code);
    const cfg = `${dir}/config.yaml`;
    await Deno.writeTextFile(cfg, configYaml(sb));
    const version = "v1";
    await runOk(`${venvBin}/pyflyte`, [
      "--config",
      cfg,
      "register",
      "--project",
      "flytesnacks",
      "--domain",
      "development",
      "--image",
      "local:latest",
      "--version",
      version,
      "s3user.py",
    ], code);
    const run = await runOk(`${venvBin}/pyflyte`, [
      "--config",
      cfg,
      "run",
      "--remote",
      "--project",
      "flytesnacks",
      "--domain",
      "development",
      "--image",
      "local:latest",
      "--name",
      "bundle-run",
      "s3user.py",
      "bundle_wf",
    ], code);
    assertStringIncludes(run, "bundle-run");
    const out = await runOk(`${venvBin}/python`, [
      "-c",
      SCRIPT,
      cfg,
      "bundle-run",
      version,
    ], code);
    const line = (tag: string) =>
      out.split("\n").find((l) => l.startsWith(`${tag} `))?.slice(
        tag.length + 1,
      ) ?? `(no ${tag} line in:\n${out})`;
    const [note, names, table, source] = line("RUN").split("|");
    assertEquals([note, names, table], [
      "a note",
      "a.txt,b.txt",
      "00000,00001",
    ]);
    assertStringIncludes(source, "s3://my-s3-bucket/");
    assertStringIncludes(line("NATIVE"), "s3://my-s3-bucket/uploads/");
    assertEquals(line("READ"), "uploaded by flytekit");
    assertEquals(
      line("FIND"),
      "['user-area/one.txt', 'user-area/sub/two.txt']",
    );
    assertEquals(line("LS"), "['user-area/one.txt', 'user-area/sub']");
    assertEquals(line("EXISTS"), "True True");
    assertEquals(line("GOT"), "['one.txt', 'sub/two.txt']");
    assertEquals(line("CAT"), "1");
    assertEquals(line("AFTER"), "[] False");
    assertEquals(line("GONE"), "False");
  } finally {
    await sb.close();
  }
});
