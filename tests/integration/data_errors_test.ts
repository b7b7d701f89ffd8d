/**
 * Bad input to the data helpers, against the sandbox: each is a typed error
 * naming the path, URI or value, and leaves no partial file behind.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  DataTransfer,
  FlyteData,
  FlyteIntegrityError,
  FlyteTransferError,
  uploadLocalInputs,
} from "../../src/data/mod.ts";
import { putStream } from "../../src/data/http.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteInvalidInputError,
} from "../../src/client/mod.ts";
import type { LiteralType } from "@flyteidl/core/types_pb.ts";
import { FILE, withDataRemote } from "./data_fixtures.ts";

const scope = { project: "flytesnacks", domain: "development" };

async function leftovers(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name.includes(".part")) out.push(e.name);
  }
  return out;
}

Deno.test("data errors: missing, directory-for-file and unreadable local paths are named", async () => {
  await withDataRemote(async (remote, dir) => {
    const missing = `${dir}/nope.csv`;
    await assertRejects(
      () => remote.upload(missing),
      FlyteInvalidInputError,
      `[${missing}] does not exist`,
    );
    await Deno.mkdir(`${dir}/adir`);
    await Deno.writeTextFile(`${dir}/adir/x`, "x");
    const t = DataTransfer.for(remote.services);
    await assertRejects(
      () =>
        uploadLocalInputs(t, { f: `${dir}/adir` }, [
          { name: "f", type: FILE as unknown as LiteralType },
        ], scope),
      FlyteInvalidInputError,
      `input f: [${dir}/adir] is a directory but the input is a file`,
    );
    // A directory read as a file.
    const d = await remote.upload(`${dir}/adir`);
    await assertRejects(
      () => remote.data(d.uri).text(),
      FlyteInvalidInputError,
      `[${d.uri}] is a directory, not a file`,
    );
    // Unreadable even for root: /proc/self/mem fails to read at offset 0;
    // a symlink loop fails to stat.
    await assertRejects(
      () => remote.upload("/proc/self/mem"),
      FlyteInvalidInputError,
      "[/proc/self/mem] cannot be read",
    );
    await Deno.symlink(`${dir}/loop`, `${dir}/loop`);
    await assertRejects(
      () => remote.upload(`${dir}/loop`),
      FlyteInvalidInputError,
      `[${dir}/loop] cannot be read`,
    );
  });
});

Deno.test("data errors: a file that changes during its upload is refused, naming it", async () => {
  await withDataRemote(async (remote, dir) => {
    const path = `${dir}/big.bin`;
    await Deno.writeFile(path, new Uint8Array(3 << 20).fill(1));
    const t = new DataTransfer(remote.services, fetch, {
      put: (url, headers, length, body, signal) =>
        putStream(
          url,
          headers,
          length,
          (async function* () {
            let first = true;
            for await (const c of body) {
              yield c;
              if (first) {
                first = false;
                await Deno.writeFile(path, new Uint8Array(3 << 20).fill(2));
              }
            }
          })(),
          signal,
        ),
    });
    const e = await assertRejects(
      () => t.upload(path, scope),
      FlyteIntegrityError,
      `[${path}] changed while it was being uploaded`,
    );
    assertEquals(e.target, path);
  });
});

Deno.test("data errors: the server refusing the md5 is an integrity error naming the value", async () => {
  await withDataRemote(async (remote) => {
    const t = new DataTransfer(remote.services, fetch, {
      put: (url, headers, length, _body, signal) =>
        putStream(
          url,
          headers,
          length,
          (async function* () {
            yield new Uint8Array(length).fill(7); // same length, other bytes
          })(),
          signal,
        ),
    });
    const e = await assertRejects(
      () => t.uploadValue("honest bytes", { ...scope, name: "h.txt" }),
      FlyteIntegrityError,
      'upload of [value "h.txt"]',
    );
    assertStringIncludes(e.message, "refused the md5");
  });
});

Deno.test("data errors: expired signed URL, bad download bytes, existing target; nothing partial left", async () => {
  await withDataRemote(async (remote, dir) => {
    const f = await remote.upload("some content", { name: "c.txt" });
    const loc = await remote.services.dataProxy.createDownloadLocation({
      nativeUrl: f.uri,
      expiresIn: { seconds: 1n, nanos: 0 } as never,
    });
    await new Promise((r) => setTimeout(r, 2100));
    const target = `${dir}/out.txt`;
    const e = await assertRejects(
      () => remote.download(loc.signedUrl, target),
      FlyteTransferError,
      "signed URL has expired",
    );
    assert(e.expired && e.status === 403, e.message);
    assertStringIncludes(e.message, "/sandbox/blobs/uploads/");
    assert(!e.message.includes("signature="), "signature redacted");
    assertEquals(await leftovers(dir), []);
    await assertRejects(() => Deno.stat(target), Deno.errors.NotFound);

    // Bytes that differ from what the server announced (length / md5).
    const corrupt = (cut: boolean): typeof fetch => async (url, init) => {
      const res = await fetch(url, init);
      const body = new Uint8Array(await res.arrayBuffer());
      if (cut) return new Response(body.slice(1), { headers: res.headers });
      body[0] ^= 0xff;
      return new Response(body, { headers: res.headers });
    };
    for (const cut of [true, false]) {
      const t = new DataTransfer(remote.services, corrupt(cut), {
        readLocal: false,
      });
      await assertRejects(
        () => t.download(f.uri, target),
        FlyteIntegrityError,
        `[${f.uri}]`,
      );
      await assertRejects(
        () => new FlyteData(t, f).text(),
        FlyteIntegrityError,
        cut ? "the server announced" : "md5",
      );
      assertEquals(await leftovers(dir), []);
      await assertRejects(() => Deno.stat(target), Deno.errors.NotFound);
    }

    // An existing target is refused (and kept) unless overwrite.
    await Deno.writeTextFile(target, "mine");
    await assertRejects(
      () => remote.download(f, target),
      FlyteEntityAlreadyExistsError,
      `[${target}] already exists`,
    );
    assertEquals(await Deno.readTextFile(target), "mine");
    await remote.download(f, target, { overwrite: true });
    assertEquals(await Deno.readTextFile(target), "some content");
    assertEquals(await leftovers(dir), []);
  });
});

Deno.test("data errors: bad flyte:// URIs, unserialisable values and missing names are named", async () => {
  await withDataRemote(async (remote, dir) => {
    for (
      const bad of [
        "flyte://v1/only/three",
        "flyte://v2/p/d/e/n/o",
        "flyte://v1/p/d/e/n/x/y",
      ]
    ) {
      await assertRejects(
        () => remote.data(bad).text(),
        FlyteInvalidInputError,
        `[${bad}] is not a flyte:// URI of the form`,
      );
      await assertRejects(
        () => remote.download(bad, `${dir}/x`),
        FlyteInvalidInputError,
        bad,
      );
    }
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: [unknown, string][] = [
      [{ n: 1n }, "value.n is a bigint"],
      [circular, "value.self is a circular reference"],
      [{ f: () => 1 }, "value.f is a function"],
      [[1, NaN], "value[1] is NaN"],
      [{ m: new Map() }, "value.m is a Map"],
      [{ s: Symbol("x") }, "value.s is a symbol"],
    ];
    for (const [v, why] of cases) {
      await assertRejects(
        () => remote.upload(v as never, { name: "v.json" }),
        FlyteInvalidInputError,
        `value "v.json" cannot be serialised as JSON: ${why}`,
      );
    }
    await assertRejects(
      () => remote.upload(new Uint8Array(3)),
      FlyteInvalidInputError,
      "a file name is required",
    );
    await assertRejects(
      () => remote.upload("text", { name: "../escape.txt" }),
      FlyteInvalidInputError,
      "invalid file name [../escape.txt]",
    );
    await assertRejects(
      () =>
        remote.upload(ReadableStream.from([1, 2]) as never, { name: "s.bin" }),
      FlyteInvalidInputError,
      'value "s.bin": its stream yielded a number, not bytes',
    );
  });
});

Deno.test("data errors: an upload aborted half-way leaves nothing in the store", async () => {
  await withDataRemote(async (remote, dir) => {
    const path = `${dir}/half.bin`;
    await Deno.writeFile(path, new Uint8Array(12 << 20).fill(9));
    const ac = new AbortController();
    const t = new DataTransfer(remote.services, fetch, {
      put: (url, headers, length, body, signal) =>
        putStream(
          url,
          headers,
          length,
          (async function* () {
            for await (const c of body) {
              yield c;
              ac.abort(new Error("stopped by the test"));
              await new Promise((r) => setTimeout(r, 50));
            }
          })(),
          signal,
        ),
    });
    const e = await assertRejects(
      () => t.upload(path, { ...scope, signal: ac.signal }),
      FlyteTransferError,
      `upload of [${path}]`,
    );
    assert(e instanceof FlyteTransferError);
    await new Promise((r) => setTimeout(r, 200));
    const stored: string[] = [];
    const walk = async (d: string) => {
      for await (const x of Deno.readDir(d)) {
        if (x.isDirectory) await walk(`${d}/${x.name}`);
        else stored.push(x.name);
      }
    };
    await walk(`${dir}/data/blobs`);
    assertEquals(
      stored.filter((n) => n.includes("half") || n.endsWith(".tmp")),
      [],
    );
    // The same upload, not interrupted, goes through.
    const up = await remote.upload(path);
    assertEquals(up.bytes, 12 << 20);
  });
});

Deno.test("data errors: a download aborted half-way leaves no file", async () => {
  await withDataRemote(async (remote, dir) => {
    const f = await remote.upload(new Uint8Array(8 << 20).fill(4), {
      name: "eight.bin",
    });
    for (const readLocal of [true, false]) {
      const t = new DataTransfer(remote.services, fetch, { readLocal });
      const ac = new AbortController();
      const target = `${dir}/eight-${readLocal}.bin`;
      await assertRejects(
        () =>
          t.download(f.uri, target, {
            signal: ac.signal,
            onProgress: (p) => {
              if (p.bytes > 0) ac.abort(new Error("stopped by the test"));
            },
          }),
        FlyteTransferError,
        "stopped by the test",
      );
      await assertRejects(() => Deno.stat(target), Deno.errors.NotFound);
      assertEquals(await leftovers(dir), []);
    }
  });
});

Deno.test("data errors: one bad file fails a directory download, leaving no partial directory", async () => {
  await withDataRemote(async (remote, dir) => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < 20; i++) entries[`sub${i % 3}/f${i}.txt`] = `f${i}`;
    const d = await remote.data.uploadDirectory(entries);
    const corrupting: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (!String(url).includes("/f7.txt")) return res;
      const body = new Uint8Array(await res.arrayBuffer());
      body[0] ^= 0xff;
      return new Response(body, { headers: res.headers });
    };
    const t = new DataTransfer(remote.services, corrupting, {
      readLocal: false,
      concurrency: 4,
    });
    await assertRejects(
      () => t.download(d.uri, `${dir}/tree`),
      FlyteIntegrityError,
      "f7.txt",
    );
    await assertRejects(() => Deno.stat(`${dir}/tree`), Deno.errors.NotFound);
    assertEquals(await leftovers(dir), []);
  });
});
