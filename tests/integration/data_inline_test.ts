/**
 * In-memory values uploaded as files and directories, and outputs read
 * back into memory, against the sandbox (real engine for the execution).
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
} from "../helpers/assert.ts";
import {
  DataTransfer,
  directoryOf,
  fileOf,
  FlyteData,
  uploadLocalInputs,
} from "../../src/data/mod.ts";
import { putStream } from "../../src/data/http.ts";
import {
  FlyteDirectory,
  FlyteFile,
  StructuredDataset,
} from "../../src/types/mod.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import { countingPut, FILE, withDataRemote } from "./data_fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const UPLOAD = /\/uploads\/flytesnacks\/development\/[A-Z2-7=]+\//;

Deno.test("data inline: every value kind uploads and reads back (local and signed-URL reads)", async () => {
  await withDataRemote(async (remote) => {
    const signed = new DataTransfer(remote.services, fetch, {
      readLocal: false,
    });
    const kinds: [string, unknown, string][] = [
      ["bytes.bin", enc("raw bytes"), "raw bytes"],
      ["buffer.bin", enc("array buffer").buffer, "array buffer"],
      ["view.bin", new DataView(enc("a view").buffer), "a view"],
      ["text.txt", "plain text ✓", "plain text ✓"],
      [
        "obj.json",
        { a: [1, "b", null], c: { d: true } },
        '{"a":[1,"b",null],"c":{"d":true}}',
      ],
      ["arr.json", [1, 2, 3], "[1,2,3]"],
      ["blob.txt", new Blob(["a ", "blob"]), "a blob"],
      ["stream.txt", ReadableStream.from([enc("str"), enc("eam")]), "stream"],
      [
        "iter.txt",
        (async function* () {
          yield enc("async ");
          yield enc("iterable");
        })(),
        "async iterable",
      ],
    ];
    for (const [name, value, text] of kinds) {
      const f = await remote.upload(value as never, { name });
      assert(f instanceof FlyteFile, name);
      assertMatch(f.uri, UPLOAD);
      assert(f.uri.endsWith(`/${name}`), f.uri);
      assertEquals(await remote.data(f).text(), text, name);
      assertEquals(
        await new FlyteData(signed, f).text(),
        text,
        `${name} signed`,
      );
    }
    // A File keeps its own name; json() parses; bytes() are exact.
    const file = await remote.upload(new File(['{"k":42}'], "conf.json"));
    assert(file.uri.endsWith("/conf.json"), file.uri);
    assertEquals(await remote.data(file).json(), { k: 42 });
    const bin = new Uint8Array(256).map((_, i) => i);
    const b = await remote.upload(bin, { name: "all.bin" });
    assertEquals(await new FlyteData(signed, b).bytes(), bin);
    // stream() is a ReadableStream of the bytes.
    let n = 0;
    for await (const c of await remote.data(b).stream()) n += c.length;
    assertEquals(n, 256);
  });
});

Deno.test("data inline: same content and name go to one place, sent once", async () => {
  await withDataRemote(async (remote) => {
    const count = countingPut();
    const t = new DataTransfer(remote.services, fetch, {
      put: count.wrap(putStream),
    });
    const o = { project: "flytesnacks", domain: "development", name: "a.txt" };
    const a = await t.uploadValue("same", o);
    const b = await t.uploadValue(enc("same"), o);
    assertEquals(a.uri, b.uri);
    assertEquals(count.sent.length, 1);
    const c = await t.uploadValue("other", o);
    assertNotEquals(c.uri, a.uri);
    assertEquals(count.sent.length, 2);
    // One value given for two file inputs is uploaded once.
    const bytes = enc("shared input");
    const expected = [
      { name: "f", type: FILE as unknown as LiteralType },
      { name: "g", type: FILE as unknown as LiteralType },
    ];
    const ins = await uploadLocalInputs(t, { f: bytes, g: bytes }, expected, {
      project: "flytesnacks",
      domain: "development",
    });
    assertEquals(count.sent.length, 3);
    assert(ins.f instanceof FlyteFile && ins.g instanceof FlyteFile);
    assertEquals(ins.f.uri, ins.g.uri);
    assertEquals(await remote.data(ins.f).text(), "shared input");
  });
});

Deno.test("data inline: a directory of named values, listed and read (local and signed listing)", async () => {
  await withDataRemote(async (remote) => {
    const d = await remote.data.uploadDirectory(directoryOf({
      "a.txt": "alpha",
      "sub/b.json": { b: 1 },
      "sub/deeper/c.bin": enc("c"),
    }));
    assert(d instanceof FlyteDirectory);
    assertMatch(d.uri, /\/uploads\/flytesnacks\/development\/[A-Z2-7=]+$/);
    const want = [["a.txt", 5], ["sub/b.json", 7], ["sub/deeper/c.bin", 1]];
    const got: [string, number][] = [];
    for await (const f of remote.data(d).files()) got.push([f.path, f.size]);
    assertEquals(got, want);
    const signed = new DataTransfer(remote.services, fetch, {
      readLocal: false,
    });
    const viaUrl: [string, number, string][] = [];
    for await (const f of new FlyteData(signed, d).files()) {
      viaUrl.push([f.path, f.size, await f.text()]);
    }
    assertEquals(viaUrl, [
      ["a.txt", 5, "alpha"],
      ["sub/b.json", 7, '{"b":1}'],
      ["sub/deeper/c.bin", 1, "c"],
    ]);
    // The same values again: the same place.
    const again = await remote.data.uploadDirectory({
      "sub/deeper/c.bin": enc("c"),
      "a.txt": "alpha",
      "sub/b.json": { b: 1 },
    });
    assertEquals(again.uri, d.uri);
  });
});

Deno.test("data inline: in-memory inputs to execute; file, directory, dataset outputs read in memory", async () => {
  await withDataRemote(async (remote) => {
    const task = await remote.fetchTask("files");
    const exec = await remote.execute<{
      upper: FlyteFile;
      copy: FlyteDirectory;
      table: StructuredDataset;
      rows: FlyteFile;
    }>(
      task,
      {
        f: fileOf("hello inline", { name: "hello.txt" }),
        d: { "x.txt": "ex", "sub/y.csv": "a,b\n1,2\n" },
      },
      { wait: { pollInterval: 50 } },
    );
    assertEquals(exec.phase, "SUCCEEDED", exec.error?.message);
    const ins = exec.inputs as { f: FlyteFile; d: FlyteDirectory };
    assert(
      ins.f.uri.endsWith("/hello.txt") && UPLOAD.test(ins.f.uri),
      ins.f.uri,
    );
    assertEquals(await remote.data(exec.outputs.upper).text(), "HELLO INLINE");
    const files: string[] = [];
    for await (const f of remote.data(exec.outputs.copy).files()) {
      files.push(`${f.path}=${await f.text()}`);
    }
    assertEquals(files, ["sub/y.csv=a,b\n1,2\n", "x.txt=ex"]);
    assert(exec.outputs.table instanceof StructuredDataset);
    assertEquals(await remote.data(exec.outputs.table).head(1), [
      { name: "sub/y.csv", n: "0" },
    ]);
    assertEquals(await remote.data(exec.outputs.table).head(), [
      { name: "sub/y.csv", n: "0" },
      { name: "x.txt", n: "1" },
    ]);
    assertEquals(await remote.data(exec.outputs.rows).head(5), [
      { name: "sub/y.csv" },
      { name: "x.txt" },
    ]);
    // The same outputs through flyte:// URIs and signed URLs.
    const synced = await remote.syncExecution(exec, { nodes: true });
    const node = [...synced.nodeExecutions.values()].find((n) =>
      n.kind === "task"
    )!;
    const base =
      `flyte://v1/flytesnacks/development/${exec.name}/${node.nodeId}/o`;
    const signed = new DataTransfer(remote.services, fetch, {
      readLocal: false,
    });
    assertEquals(
      await new FlyteData(signed, `${base}/upper`).text(),
      "HELLO INLINE",
    );
    assertEquals(
      (await new FlyteData(signed, `${base}/table`).head(1))[0],
      { name: "sub/y.csv", n: "0" },
    );
  }, { task: true });
});
