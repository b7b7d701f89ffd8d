/**
 * The runtime reads its bundle and inputs from s3:// and writes outputs.pb
 * there, against moto's S3 server (server mode, from `.venv-moto`,
 * installed by .ci/setup.sh) started by the test on loopback, with the
 * standard AWS environment variables and the endpoint override; and the same
 * against the sandbox's own S3 face with the environment its engine gives
 * every task (FLYTE_AWS_ENDPOINT, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
 */
import { assertEquals } from "../helpers/assert.ts";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { buildBundle } from "../../src/bundle/bundle.ts";
import { bundleModule } from "../../src/bundle/capture_module.ts";
import { decodeValues, encodeValues, t } from "../../src/types/mod.ts";
import { repoRoot } from "../helpers/paths.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";

const MOTO = `${repoRoot}/.venv-moto/bin/moto_server`;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitUp(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto did not start at ${url}`);
}

/**
 * Runs the runtime on `s3://<Bucket>/...` bundle, inputs and outputs with
 * `env` (the task's AWS environment); checks 6 * 7 came back.
 */
async function runtimeOnS3(
  s3: S3Client,
  Bucket: string,
  env: Record<string, string>,
  dir: string,
) {
  await Deno.writeTextFile(
    `${dir}/prog.ts`,
    `import { registerCaptured, typeFromJson } from "${repoRoot}/src/bundle/cell_support.ts";
const int = typeFromJson('{"simple":"INTEGER"}');
registerCaptured("s3.mul", ({ a, b }) => a * b, { a: int, b: int }, { o0: int });`,
  );
  const b = buildBundle({
    program: await bundleModule(`${dir}/prog.ts`, {
      config: `${repoRoot}/deno.json`,
    }),
    tasks: ["s3.mul"],
  });
  const put = (Key: string, Body: Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body }));
  await put(`code/${b.fileName}`, b.bytes);
  await put(
    "run/in/inputs.pb",
    encodeValues({ a: 6, b: 7 }, { a: t.int, b: t.int }),
  );
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${repoRoot}/deno.json`,
      `${repoRoot}/src/runtime/main.ts`,
      "--task",
      "s3.mul",
      "--inputs",
      `s3://${Bucket}/run/in/inputs.pb`,
      "--output-prefix",
      `s3://${Bucket}/run/out`,
      "--raw-output-data-prefix",
      `s3://${Bucket}/run/raw`,
      "--bundle",
      `s3://${Bucket}/code/${b.fileName}`,
    ],
    cwd: dir,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  const got = await s3.send(
    new GetObjectCommand({ Bucket, Key: "run/out/outputs.pb" }),
  );
  const bytes = await got.Body!.transformToByteArray();
  assertEquals(decodeValues(bytes, { o0: t.int }), { o0: 42 });
}

Deno.test("runtime: s3:// bundle, inputs and outputs on an S3-compatible server (moto)", async () => {
  const port = freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = new Deno.Command(MOTO, {
    args: ["-H", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const dir = await Deno.makeTempDir({ prefix: "runtime-s3-" });
  const env = {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_S3: endpoint,
  };
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  try {
    await waitUp(endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: "flyte" }));
    await runtimeOnS3(s3, "flyte", env, dir);
  } finally {
    s3.destroy();
    moto.kill("SIGTERM");
    await moto.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("runtime: s3:// bundle, inputs and outputs on the sandbox's S3 face, with a task's environment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "runtime-s3-face-" });
  const sb = await startSandbox({
    port: 0,
    dataDir: `${dir}/sandbox`,
    launcher: null,
  });
  const s3 = new S3Client({
    endpoint: sb.s3.endpoint,
    forcePathStyle: true,
    region: sb.s3.region,
    credentials: {
      accessKeyId: sb.s3.accessKeyId,
      secretAccessKey: sb.s3.secretAccessKey,
    },
  });
  try {
    // Exactly the variables the engine adds to every task process.
    await runtimeOnS3(s3, sb.s3.bucket, sb.services.storage.env, dir);
  } finally {
    s3.destroy();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
