/**
 * The runtime reads its bundle and inputs from s3:// and writes outputs.pb
 * there, against moto's S3 server (server mode, from `.venv-moto`,
 * installed by .ci/setup.sh) started by the test on loopback, with the
 * standard AWS environment variables and the endpoint override.
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
      s3.send(new PutObjectCommand({ Bucket: "flyte", Key, Body }));
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
        "s3://flyte/run/in/inputs.pb",
        "--output-prefix",
        "s3://flyte/run/out",
        "--raw-output-data-prefix",
        "s3://flyte/run/raw",
        "--bundle",
        `s3://flyte/code/${b.fileName}`,
      ],
      cwd: dir,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const got = await s3.send(
      new GetObjectCommand({ Bucket: "flyte", Key: "run/out/outputs.pb" }),
    );
    const bytes = await got.Body!.transformToByteArray();
    assertEquals(decodeValues(bytes, { o0: t.int }), { o0: 42 });
  } finally {
    s3.destroy();
    moto.kill("SIGTERM");
    await moto.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
