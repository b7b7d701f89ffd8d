/**
 * The sandbox's S3 face (run: `deno run -A bench/s3_bench.ts`):
 * - start-up with the face: spawn `src/sandbox/main.ts` until both the admin
 *   port (GetVersion over gRPC) and the S3 face (a signed HeadBucket) answer,
 *   and the same for an in-process `startSandbox()`;
 * - 1 GiB PUT and GET through the S3 face with curl (`--aws-sigv4`) and with
 *   flytekit's s3fs (botocore, multipart), beside curl on the data proxy's
 *   URLs (uploads presigned on the S3 face, downloads on the admin port's
 *   signed route), in the same run, with the sandbox process's peak RSS growth
 *   (so a 1 GiB object is seen not to be held in memory).
 * `S3_BENCH_BYTES` overrides the size.
 */
import { createClient } from "@connectrpc/connect";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { createGrpcTransport } from "../tests/helpers/grpc.ts";
import { startSandbox } from "../src/sandbox/mod.ts";

const SIZE = Number(Deno.env.get("S3_BENCH_BYTES") ?? 1024 ** 3);
const root = new URL("..", import.meta.url).pathname;
const CREDS = { accessKeyId: "minio", secretAccessKey: "miniostorage" };

function s3Client(endpoint: string) {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: CREDS,
  });
}

async function spawnSandbox(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${root}src/sandbox/main.ts`,
      "--port",
      "0",
      "--data-dir",
      dataDir,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  while (!/S3 at http:\/\/\S+:\d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`sandbox exited: ${text}`);
    text += value;
  }
  reader.releaseLock();
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  const endpoint = /ready at (http:\/\/\S+:\d+)/.exec(text)![1];
  const s3 = /S3 at (http:\/\/\S+:\d+)/.exec(text)![1];
  return { child, endpoint, s3 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function startup(): Promise<string[]> {
  const lines: string[] = [];
  const spawned: number[] = [];
  for (let i = 0; i < 6; i++) {
    const dataDir = await Deno.makeTempDir({ prefix: "s3-bench-" });
    const t0 = performance.now();
    const sb = await spawnSandbox(dataDir);
    const admin = createClient(
      AdminService,
      createGrpcTransport({ baseUrl: sb.endpoint }),
    );
    const s3 = s3Client(sb.s3);
    await Promise.all([
      admin.getVersion({}),
      s3.send(new HeadBucketCommand({ Bucket: "my-s3-bucket" })),
    ]);
    if (i > 0) spawned.push(performance.now() - t0); // first run warms the caches
    s3.destroy();
    sb.child.kill("SIGTERM");
    await sb.child.status;
    await Deno.remove(dataDir, { recursive: true });
  }
  lines.push(
    `| spawn \`deno run src/sandbox/main.ts\` -> GetVersion and S3 HeadBucket answered | ${
      median(spawned).toFixed(0)
    } ms | ${Math.min(...spawned).toFixed(0)} … ${
      Math.max(...spawned).toFixed(0)
    } ms |`,
  );
  const inproc: number[] = [];
  for (let i = 0; i < 8; i++) {
    const dataDir = await Deno.makeTempDir({ prefix: "s3-bench-" });
    const t0 = performance.now();
    const sb = await startSandbox({ port: 0, dataDir, launcher: null });
    const s3 = s3Client(sb.s3.endpoint);
    await s3.send(new HeadBucketCommand({ Bucket: sb.s3.bucket }));
    if (i > 1) inproc.push(performance.now() - t0);
    s3.destroy();
    await sb.close();
    await Deno.remove(dataDir, { recursive: true });
  }
  lines.push(
    `| in-process \`startSandbox()\` -> S3 HeadBucket answered | ${
      median(inproc).toFixed(0)
    } ms | ${Math.min(...inproc).toFixed(0)} … ${
      Math.max(...inproc).toFixed(0)
    } ms |`,
  );
  return lines;
}

function hwm(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(
    Deno.readTextFileSync(`/proc/${pid}/status`),
  );
  return m ? Number(m[1]) * 1024 : 0;
}
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(
    Deno.readTextFileSync(`/proc/${pid}/status`),
  );
  return m ? Number(m[1]) * 1024 : 0;
}

async function run(cmd: string, args: string[], env?: Record<string, string>) {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")}: exit ${out.code}\n${
        new TextDecoder().decode(out.stderr)
      }${new TextDecoder().decode(out.stdout)}`,
    );
  }
  return { ms, stdout: new TextDecoder().decode(out.stdout) };
}

const S3FS = `
import sys, time, s3fs
fs = s3fs.S3FileSystem(key="minio", secret="miniostorage", client_kwargs={"endpoint_url": sys.argv[1]})
t = time.time()
if sys.argv[2] == "put":
    fs.put(sys.argv[3], sys.argv[4])
else:
    fs.get(sys.argv[4], sys.argv[3])
print(time.time() - t)
`;

async function transfers(): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "s3-bench-big-" });
  const sb = await spawnSandbox(`${dir}/data`);
  const pid = sb.child.pid;
  const src = `${dir}/big.bin`;
  {
    const f = await Deno.open(src, { write: true, create: true });
    const chunk = crypto.getRandomValues(new Uint8Array(1 << 16));
    const block = new Uint8Array(1 << 24);
    for (let i = 0; i < block.length; i += chunk.length) block.set(chunk, i);
    for (let n = 0; n < SIZE; n += block.length) {
      await f.write(block.subarray(0, Math.min(block.length, SIZE - n)));
    }
    f.close();
  }
  const base = rss(pid);
  const mib = SIZE / 1024 ** 2;
  const rows: string[] = [];
  const row = (what: string, ms: number) => {
    rows.push(
      `| ${what} | ${(ms / 1000).toFixed(2)} s | ${
        (mib / (ms / 1000)).toFixed(0)
      } MiB/s | ${((hwm(pid) - base) / 1024 ** 2).toFixed(0)} MiB |`,
    );
  };
  // curl 7.88 signs the payload as UNSIGNED-PAYLOAD only when told to.
  const sigv4 = [
    "--aws-sigv4",
    "aws:amz:us-east-1:s3",
    "--user",
    "minio:miniostorage",
    "-H",
    "x-amz-content-sha256: UNSIGNED-PAYLOAD",
  ];
  const url = `${sb.s3}/my-s3-bucket/bench/curl.bin`;
  let r = await run("curl", ["-sSf", ...sigv4, "-T", src, url]);
  row("S3 face PUT, curl --aws-sigv4 (one request)", r.ms);
  r = await run("curl", ["-sSf", ...sigv4, "-o", `${dir}/curl.out`, url]);
  row("S3 face GET, curl --aws-sigv4", r.ms);
  const py = `${root}.venv/bin/python`;
  r = await run(py, [
    "-c",
    S3FS,
    sb.s3,
    "put",
    src,
    "my-s3-bucket/bench/s3fs.bin",
  ]);
  row(
    "S3 face PUT, s3fs (botocore, multipart 50 MiB parts; flytekit's path)",
    Number(r.stdout.trim()) * 1000,
  );
  r = await run(py, [
    "-c",
    S3FS,
    sb.s3,
    "get",
    `${dir}/s3fs.out`,
    "my-s3-bucket/bench/s3fs.bin",
  ]);
  row("S3 face GET, s3fs (botocore)", Number(r.stdout.trim()) * 1000);
  // The data proxy's signed-URL path, same server, same file.
  const dp = createClient(
    DataProxyService,
    createGrpcTransport({ baseUrl: sb.endpoint }),
  );
  const up = await dp.createUploadLocation({
    project: "flytesnacks",
    domain: "development",
    filename: "signed.bin",
    filenameRoot: "bench",
    expiresIn: { seconds: 3600n },
  });
  r = await run("curl", ["-sSf", "-T", src, up.signedUrl]);
  row(
    "data proxy upload URL PUT (CreateUploadLocation: presigned on the S3 face), curl",
    r.ms,
  );
  const getUrl = (await dp.createDownloadLocation({
    nativeUrl: up.nativeUrl,
    expiresIn: { seconds: 3600n },
  })).signedUrl;
  r = await run("curl", ["-sSf", "-o", `${dir}/signed.out`, getUrl]);
  row(
    "data proxy download URL GET (the admin port's signed route), curl",
    r.ms,
  );
  sb.child.kill("SIGTERM");
  await sb.child.status;
  for (const f of ["curl.out", "s3fs.out", "signed.out"]) {
    if ((await Deno.stat(`${dir}/${f}`)).size !== SIZE) {
      throw new Error(`${f} is not ${SIZE} bytes`);
    }
  }
  await Deno.remove(dir, { recursive: true });
  return rows;
}

const load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(
  `# S3 face bench, ${
    new Date().toISOString()
  }, load ${load}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`,
);
console.log("| start-up | median | min … max |\n| --- | --- | --- |");
for (const l of await startup()) console.log(l);
console.log(
  `\n| ${
    (SIZE / 1024 ** 2).toFixed(0)
  } MiB transfer | time | throughput | sandbox peak RSS growth |\n| --- | --- | --- | --- |`,
);
for (const l of await transfers()) console.log(l);
