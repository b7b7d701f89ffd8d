/**
 * The one test on the demo cluster's fixed ports: a sandbox started with no
 * options listens where flytekit's `FlyteRemote.for_sandbox()` /
 * `Config.for_sandbox()` look (admin on 30080, S3 on 30002 with MinIO's
 * `minio` / `miniostorage`), so a flytekit user needs no configuration at
 * all. Fails, naming the port, when 30080 or 30002 is already taken.
 * Needs the project venv (`deno task setup-python`).
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { requireVenvTool, runOk, venvBin } from "../helpers/flytekit.ts";

const SCRIPT = `import pathlib, tempfile
from flytekit.remote import FlyteRemote

remote = FlyteRemote.for_sandbox(default_project="flytesnacks", default_domain="development")
print("PROJECTS", sorted(p.id for p in remote.client.list_projects_paginated()[0]))
src = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
src.write_text("no configuration needed")
_, url = remote.upload_file(src)
print("URL", url)
fs = remote.file_access.get_filesystem("s3")
print("CAT", fs.cat(url).decode())
fs.rm(url)
print("EXISTS", remote.file_access.exists(url))
`;

function requireFree(port: number) {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
  } catch (e) {
    throw new Error(
      `port ${port} is busy (${
        (e as Error).message
      }): this test needs Flyte's demo ports 30080 and 30002 free`,
    );
  }
}

Deno.test("default ports (30080/30002): flytekit's FlyteRemote.for_sandbox() works with no configuration", async () => {
  await requireVenvTool("python");
  requireFree(30080);
  requireFree(30002);
  const dir = await Deno.makeTempDir({ prefix: "s3-default-ports-" });
  const sb = await startSandbox({ dataDir: dir, launcher: null });
  try {
    assertEquals([sb.port, sb.s3.port], [30080, 30002]);
    assertEquals(sb.s3.endpoint, "http://localhost:30002");
    assertEquals([sb.s3.accessKeyId, sb.s3.secretAccessKey], [
      "minio",
      "miniostorage",
    ]);
    const out = await runOk(`${venvBin}/python`, ["-c", SCRIPT], dir);
    assertStringIncludes(out, "PROJECTS ['flytesnacks']");
    assertStringIncludes(
      out,
      "URL s3://my-s3-bucket/uploads/flytesnacks/development/",
    );
    assertStringIncludes(out, "CAT no configuration needed");
    assertStringIncludes(out, "EXISTS False");
  } finally {
    await sb.close();
  }
});
