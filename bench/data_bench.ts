/**
 * Data transfers through the sandbox (run: `deno run -A bench/data_bench.ts`):
 * a 1 GiB upload (md5 pass included) and download with src/data, beside
 * curl to the same kind of signed URL in the same run, with throughput and
 * peak RSS growth of the transferring process; and a 1,000-file directory
 * round trip. The sandbox runs as a process of its own; each transfer runs
 * in a fresh child process so its peak RSS (VmHWM) is its own.
 */
import { createHash } from "node:crypto";
import { spawnSandboxProcess } from "../tests/helpers/sandbox_process.ts";

const SIZE = Number(Deno.env.get("DATA_BENCH_BYTES") ?? 1024 ** 3);
const scope = { project: "flytesnacks", domain: "development" };
const self = new URL(import.meta.url).pathname;

function hwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(
    Deno.readTextFileSync("/proc/self/status"),
  );
  return m ? Number(m[1]) * 1024 : 0;
}

async function child(args: string[]) {
  const [what, endpoint, a, b] = args;
  const { FlyteRemote } = await import("../src/remote/mod.ts");
  const { DataTransfer } = await import("../src/data/mod.ts");
  const remote = await FlyteRemote.forSandbox({ endpoint });
  const t = new DataTransfer(remote.services, fetch, {
    readLocal: false,
    concurrency: 8,
  });
  // Warm up (load code, open the connection) before the baseline.
  await t.uploadValue("warm", { ...scope, name: "warm.txt" });
  const base = Deno.memoryUsage().rss;
  const t0 = performance.now();
  let result: unknown;
  if (what === "upload") result = (await t.upload(a, scope)).uri;
  else if (what === "md5") {
    const { fileSource } = await import("../src/data/source.ts");
    await fileSource(a, "x");
  } else if (what === "download") await t.download(a, b, { overwrite: true });
  else if (what === "dir") {
    const up = await t.upload(a, scope);
    const mid = performance.now();
    await t.download(up.uri, b, { overwrite: true });
    result = { up: mid - t0, down: performance.now() - mid };
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, growth: hwm() - base, result }));
  await remote.close();
}

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", self, "--child", ...args],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`child ${args[0]} failed`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines.at(-1)!) as {
    ms: number;
    growth: number;
    result: unknown;
  };
}

/** Runs curl under /usr/bin/time; returns seconds and peak RSS (bytes). */
async function curl(args: string[]) {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", "curl", "-sS", "--fail", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`curl failed: ${err}`);
  return { ms, rss: Number(err.split("\n").at(-1)) * 1024 };
}

async function writeBig(path: string, size: number) {
  using f = await Deno.open(path, { write: true, create: true });
  const mib = crypto.getRandomValues(new Uint8Array(1 << 16));
  const block = new Uint8Array(1 << 20);
  for (let i = 0; i < block.length; i += mib.length) block.set(mib, i);
  for (let done = 0, n = 0; done < size; n++) {
    new DataView(block.buffer).setUint32(0, n);
    const part = block.subarray(0, Math.min(block.length, size - done));
    let off = 0;
    while (off < part.length) off += await f.write(part.subarray(off));
    done += part.length;
  }
}

async function main() {
  const dir = await Deno.makeTempDir({ prefix: "data-bench-" });
  const sb = await spawnSandboxProcess(`${dir}/data`);
  const sandboxKb = (field: string) =>
    Number(
      new RegExp(`${field}:\\s+(\\d+) kB`).exec(
        Deno.readTextFileSync(`/proc/${sb.child.pid}/status`),
      )?.[1] ?? 0,
    ) * 1024;
  const sandboxStart = sandboxKb("VmRSS");
  const mbps = (bytes: number, ms: number) =>
    (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  try {
    const big = `${dir}/big.bin`;
    await writeBig(big, SIZE);
    const h = createHash("md5");
    for await (const c of (await Deno.open(big)).readable) h.update(c);
    const md5 = new Uint8Array(h.digest());

    const { FlyteRemote } = await import("../src/remote/mod.ts");
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    // curl: the signed URL of the same key src/data uploads to, PUT then GET.
    const loc = await remote.services.dataProxy.createUploadLocation({
      ...scope,
      contentMd5: md5,
      filename: "big.bin", // the key src/data uploads to: the same URL
    });
    const md5b64 = btoa(String.fromCharCode(...md5));
    const curlUp = await curl([
      "-T",
      big,
      "-H",
      `Content-MD5: ${md5b64}`,
      loc.signedUrl,
    ]);
    const ours = await run(["upload", sb.endpoint, big]);
    const md5Pass = await run(["md5", sb.endpoint, big]);
    const uri = ours.result as string;
    const get = await remote.services.dataProxy.createDownloadLocation({
      nativeUrl: uri,
    });
    const curlDown = await curl(["-o", `${dir}/curl-copy.bin`, get.signedUrl]);
    await Deno.remove(`${dir}/curl-copy.bin`);
    const oursDown = await run([
      "download",
      sb.endpoint,
      uri,
      `${dir}/copy.bin`,
    ]);
    await Deno.remove(`${dir}/copy.bin`);
    await Deno.remove(big);

    // 1,000 files in 10 × 7 subfolders.
    for (let i = 0; i < 1000; i++) {
      const d = `${dir}/many/d${i % 10}/s${i % 7}`;
      await Deno.mkdir(d, { recursive: true });
      await Deno.writeTextFile(`${d}/f${i}.txt`, `file ${i} `.repeat(100));
    }
    const many = await run([
      "dir",
      sb.endpoint,
      `${dir}/many`,
      `${dir}/many-back`,
    ]);
    await remote.close();

    const gib = SIZE >= 1024 ** 3
      ? `${SIZE / 1024 ** 3} GiB`
      : `${mb(SIZE)} MiB`;
    const rows = [
      [`upload ${gib}, src/data (md5 pass + PUT)`, ours.ms, ours.growth],
      [`upload ${gib}, curl -T (no md5 pass)`, curlUp.ms, curlUp.rss],
      [`(md5 pass alone, src/data)`, md5Pass.ms, md5Pass.growth],
      [
        `download ${gib}, src/data (md5 + length checked)`,
        oursDown.ms,
        oursDown.growth,
      ],
      [`download ${gib}, curl -o`, curlDown.ms, curlDown.rss],
    ] as const;
    console.log(
      `\n${
        new Date().toISOString()
      } · ${Deno.build.target} · Deno ${Deno.version.deno} · ${navigator.hardwareConcurrency} cores · load ${
        Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
      }`,
    );
    console.log("| transfer | time | throughput | peak RSS |");
    console.log("| --- | --- | --- | --- |");
    for (const [name, ms, rss] of rows) {
      const label = name.includes("curl") ? "curl max RSS" : "growth";
      console.log(
        `| ${name} | ${(ms / 1000).toFixed(1)} s | ${mbps(SIZE, ms)} MiB/s | ${
          mb(rss)
        } MB (${label}) |`,
      );
    }
    const r = many.result as { up: number; down: number };
    console.log(
      `| 1,000-file directory up (8 at a time) | ${
        (r.up / 1000).toFixed(1)
      } s | ${(1000 / (r.up / 1000)).toFixed(0)} files/s | |`,
    );
    console.log(
      `| 1,000-file directory down (8 at a time) | ${
        (r.down / 1000).toFixed(1)
      } s | ${(1000 / (r.down / 1000)).toFixed(0)} files/s | ${
        mb(many.growth)
      } MB (growth) |`,
    );
    console.log(
      `\nupload: ${
        (100 * curlUp.ms / ours.ms).toFixed(0)
      } % of curl's throughput; download: ${
        (100 * curlDown.ms / oursDown.ms).toFixed(0)
      } %`,
    );
    console.log(
      `sandbox process: peak RSS ${mb(sandboxKb("VmHWM"))} MB (started at ${
        mb(sandboxStart)
      } MB)`,
    );
  } finally {
    sb.child.kill("SIGTERM");
    await sb.child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (Deno.args[0] === "--child") await child(Deno.args.slice(1));
else await main();
