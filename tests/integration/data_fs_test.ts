/**
 * FlyteFS against the sandbox: open (read and write), read, write, ls,
 * exists, stat, put and get (recursive, keeping structure), over flyte://
 * URIs, storage URIs and signed URLs.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { DataTransfer, FlyteFS } from "../../src/data/mod.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
} from "../../src/client/mod.ts";
import { FlyteDirectory, FlyteFile } from "../../src/types/mod.ts";
import { withDataRemote } from "./data_fixtures.ts";

const scope = { project: "flytesnacks", domain: "development" };
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

for (const readLocal of [true, false]) {
  Deno.test(`data fs: write/open/read/ls/exists/stat/put/get (${readLocal ? "local reads" : "signed URLs"})`, async () => {
    await withDataRemote(async (remote, dir) => {
      const fs = new FlyteFS(
        new DataTransfer(remote.services, fetch, { readLocal }),
        scope,
      );
      // write and read.
      const f = await fs.write("notes/hello.txt", "hello fs");
      assert(f instanceof FlyteFile);
      assertEquals(dec(await fs.read(f.uri)), "hello fs");
      // open for writing: a stream in, a FlyteFile out.
      const w = fs.open("streamed.txt", "w");
      const writer = w.writable.getWriter();
      for (const part of ["one ", "two ", "three"]) {
        await writer.write(new TextEncoder().encode(part));
      }
      await writer.close();
      const sf = await w.file;
      assertEquals(
        await new Response(await fs.open(sf.uri)).text(),
        "one two three",
      );

      // put a local tree, ls and stat it, get it back with the same layout.
      await Deno.mkdir(`${dir}/tree/a/b`, { recursive: true });
      await Deno.writeTextFile(`${dir}/tree/top.txt`, "top");
      await Deno.writeTextFile(`${dir}/tree/a/mid.txt`, "mid!");
      await Deno.writeTextFile(`${dir}/tree/a/b/deep.txt`, "deep");
      const up = await fs.put(`${dir}/tree`);
      assert(up.value instanceof FlyteDirectory);
      assertEquals([up.files, up.bytes], [3, 11]);
      const ls = await fs.ls(up.uri);
      assertEquals(ls.map((e) => [e.name, e.type, e.size]), [
        ["a", "directory", -1],
        ["top.txt", "file", 3],
      ]);
      assertEquals(
        (await fs.ls(ls[0].uri)).map((e) => [e.name, e.type]),
        [["b", "directory"], ["mid.txt", "file"]],
      );
      assertEquals((await fs.stat(up.uri)).type, "directory");
      assertEquals((await fs.stat(up.uri)).size, 11);
      const st = await fs.stat(`${up.uri}/a/mid.txt`);
      assertEquals([st.type, st.size, st.name], ["file", 4, "mid.txt"]);
      assert(await fs.exists(up.uri));
      assert(await fs.exists(`${up.uri}/a/b/deep.txt`));
      assert(!await fs.exists(`${up.uri}/a/none.txt`));
      await fs.get(up.uri, `${dir}/back`);
      assertEquals(await Deno.readTextFile(`${dir}/back/a/b/deep.txt`), "deep");
      assertEquals(await Deno.readTextFile(`${dir}/back/top.txt`), "top");
      await assertRejects(
        () => fs.get(up.uri, `${dir}/back`),
        FlyteEntityAlreadyExistsError,
        `[${dir}/back] already exists`,
      );
      await fs.get(`${up.uri}/a`, `${dir}/back`, { overwrite: true });
      assertEquals(
        [...Deno.readDirSync(`${dir}/back`)].map((e) => e.name).sort(),
        ["b", "mid.txt"],
      );
      // A missing directory cannot be listed, and says so.
      await assertRejects(
        () => fs.ls(`${up.uri}/nope`),
        FlyteEntityNotExistError,
        `${up.uri.replace(/^file:\/\//, "")}/nope`,
      );
      await assertRejects(
        () => fs.stat(`${up.uri}/nope`),
        FlyteEntityNotExistError,
        "nope",
      );
      // A missing file: NotExist when read, false for exists.
      await assertRejects(
        () => fs.read(`${up.uri}/missing.txt`),
        FlyteEntityNotExistError,
        "missing.txt",
      );
    });
  });
}

Deno.test("data fs: flyte:// outputs listed by name and read through GetData", async () => {
  await withDataRemote(async (remote) => {
    const task = await remote.fetchTask("files");
    const exec = await remote.execute(task, {
      f: new Blob(["fs input"]),
      d: { "k.txt": "kay" },
    }, { wait: { pollInterval: 50 } });
    assertEquals(exec.phase, "SUCCEEDED", exec.error?.message);
    const synced = await remote.syncExecution(exec, { nodes: true });
    const node = [...synced.nodeExecutions.values()].find((n) =>
      n.kind === "task"
    )!;
    const base =
      `flyte://v1/flytesnacks/development/${exec.name}/${node.nodeId}/o`;
    const fs = new FlyteFS(
      new DataTransfer(remote.services, fetch, { readLocal: false }),
      scope,
    );
    assertEquals(
      (await fs.ls(base)).map((e) => [e.name, e.type]),
      [["copy", "directory"], ["rows", "file"], ["table", "dataset"], [
        "upper",
        "file",
      ]],
    );
    assertEquals(dec(await fs.read(`${base}/upper`)), "FS INPUT");
    assertEquals(
      (await fs.ls(`${base}/copy`)).map((e) => e.name),
      ["k.txt"],
    );
    assert(await fs.exists(`${base}/copy`));
    assert(!await fs.exists(`${base}/nope`));
    // The inputs are there too.
    assertEquals(
      (await fs.ls(base.replace(/\/o$/, "/i"))).map((e) => e.name),
      ["d", "f"],
    );
  }, { task: true });
});
