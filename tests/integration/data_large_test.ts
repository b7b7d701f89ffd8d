/**
 * Large transfers against the sandbox: a directory of 1,000 files in
 * subfolders, and a 1 GiB file up and down (streamed: memory stays flat,
 * progress is reported, the copy is byte-identical).
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { createHash } from "node:crypto";
import { DataTransfer, type TransferProgress } from "../../src/data/mod.ts";
import { withDataRemote } from "./data_fixtures.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { spawnSandboxProcess } from "../helpers/sandbox_process.ts";

const scope = { project: "flytesnacks", domain: "development" };

async function md5File(path: string): Promise<string> {
  const h = createHash("md5");
  using f = await Deno.open(path);
  for await (const c of f.readable) h.update(c);
  return h.digest("hex");
}

/** Writes `size` bytes of varied content (each MiB differs) without holding them. */
async function writeBig(path: string, size: number) {
  using f = await Deno.open(path, { write: true, create: true });
  const block = crypto.getRandomValues(new Uint8Array(1 << 16));
  const mib = new Uint8Array(1 << 20);
  for (let i = 0; i < mib.length; i += block.length) mib.set(block, i);
  for (let done = 0, n = 0; done < size; n++) {
    new DataView(mib.buffer).setUint32(0, n);
    const part = mib.subarray(0, Math.min(mib.length, size - done));
    let off = 0;
    while (off < part.length) off += await f.write(part.subarray(off));
    done += part.length;
  }
}

function rssSampler() {
  const start = Deno.memoryUsage().rss;
  let peak = start;
  const id = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 20);
  return {
    stop: () => {
      clearInterval(id);
      return Math.max(peak, Deno.memoryUsage().rss) - start;
    },
  };
}

Deno.test("data large: a directory of 1,000 files in subfolders round trips (local and signed)", async () => {
  await withDataRemote(async (remote, dir) => {
    const src = `${dir}/many`;
    const want = new Map<string, string>();
    for (let i = 0; i < 1000; i++) {
      const rel = `d${i % 10}/s${i % 7}/f${i}.txt`;
      want.set(rel, `file ${i} `.repeat(i % 13 + 1));
    }
    for (const [rel, text] of want) {
      await Deno.mkdir(`${src}/${rel.slice(0, rel.lastIndexOf("/"))}`, {
        recursive: true,
      });
      await Deno.writeTextFile(`${src}/${rel}`, text);
    }
    const reports: TransferProgress[] = [];
    const t = new DataTransfer(remote.services, fetch, {
      readLocal: false,
      concurrency: 8,
    });
    const up = await t.upload(src, {
      ...scope,
      onProgress: (p) => reports.push(p),
    });
    assertEquals([up.files, up.directory], [1000, true]);
    const last = reports.at(-1)!;
    assertEquals([last.done, last.files, last.totalFiles], [true, 1000, 1000]);
    assertEquals(last.bytes, up.bytes);
    const listed = await t.list(up.uri);
    assertEquals(listed.length, 1000);
    for (const mode of ["signed", "local"]) {
      const out = `${dir}/back-${mode}`;
      const reader = mode === "signed" ? t : DataTransfer.for(remote.services);
      await reader.download(up.uri, out);
      let n = 0;
      for (const [rel, text] of want) {
        assertEquals(await Deno.readTextFile(`${out}/${rel}`), text, rel);
        n++;
      }
      assertEquals(n, 1000);
    }
  });
});

Deno.test({
  name:
    "data large: 1 GiB up and down, streamed (flat memory, progress, identical copy)",
  fn: async () => {
    // The sandbox runs as a process of its own, so the RSS measured here is
    // the client's alone: the streaming claim is about the client.
    const dir = await Deno.makeTempDir({ prefix: "data-1gib-" });
    const sb = await spawnSandboxProcess(`${dir}/data`);
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      const size = 1024 ** 3;
      const path = `${dir}/big.bin`;
      await writeBig(path, size);
      const md5 = await md5File(path);
      const t = new DataTransfer(remote.services, fetch, { readLocal: false });
      const reports: TransferProgress[] = [];
      let rss = rssSampler();
      const up = await t.upload(path, {
        ...scope,
        onProgress: (p) => reports.push(p),
      });
      const upGrowth = rss.stop();
      assertEquals(up.bytes, size);
      const last = reports.at(-1)!;
      assertEquals([last.done, last.bytes, last.totalBytes], [
        true,
        size,
        size,
      ]);
      assert(last.rate > 0 && reports.length > 2, `${reports.length} reports`);
      await Deno.remove(path);

      const down: TransferProgress[] = [];
      rss = rssSampler();
      await t.download(up.uri, `${dir}/copy.bin`, {
        onProgress: (p) => down.push(p),
      });
      const downGrowth = rss.stop();
      assertEquals(down.at(-1)!.bytes, size);
      assertEquals((await Deno.stat(`${dir}/copy.bin`)).size, size);
      assertEquals(await md5File(`${dir}/copy.bin`), md5);
      // The client's memory stays far below the file size.
      const mb = (n: number) => Math.round(n / 2 ** 20);
      console.log(
        `client rss growth: upload ${mb(upGrowth)} MB, download ${
          mb(downGrowth)
        } MB`,
      );
      assert(upGrowth < 64 * 2 ** 20, `upload grew RSS by ${mb(upGrowth)} MB`);
      assert(
        downGrowth < 64 * 2 ** 20,
        `download grew RSS by ${mb(downGrowth)} MB`,
      );
    } finally {
      await remote.close();
      sb.child.kill("SIGTERM");
      await sb.child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
