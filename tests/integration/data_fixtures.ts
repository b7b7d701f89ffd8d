/**
 * A sandbox with one Deno task for the data tests: a plain container
 * program that, as in a demo-cluster pod, reaches its `s3://` inputs and
 * outputs through the S3 endpoint and credentials in its environment (the
 * AWS SDK for JavaScript). It reads file input `f`
 * and directory input `d`, and writes a file (`upper`), a directory
 * (`copy`, with a subfolder), a CSV dataset (`table`, a folder with one
 * part) and a JSON-lines file (`rows`).
 */
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { BlobType_BlobDimensionality } from "@flyteidl/core/types_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { repoRoot } from "../helpers/paths.ts";
import { ident } from "./sandbox_fixtures.ts";

/**
 * The start of a plain container program (JavaScript) that reaches the
 * sandbox's storage as a demo-cluster pod does: through the S3 face named by
 * the AWS environment the engine gives every task, with the AWS SDK for
 * JavaScript. Defines `read(uri)`, `write(uri, bytes)` and `list(prefixUri)`.
 */
export const S3_TASK_PRELUDE = `
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
// As in a demo-cluster pod: the sandbox's S3 face through the AWS environment.
const s3 = new S3Client({ endpoint: Deno.env.get("AWS_ENDPOINT_URL"), forcePathStyle: true });
const at = (u) => { const m = /^s3:\\/\\/([^/]+)\\/(.*)$/.exec(u); if (!m) throw new Error("not s3: " + u); return { Bucket: m[1], Key: m[2] }; };
const read = async (u) => await (await s3.send(new GetObjectCommand(at(u)))).Body.transformToByteArray();
const write = (u, Body) => s3.send(new PutObjectCommand({ ...at(u), Body }));
const list = async (u) => {
  const { Bucket, Key } = at(u.replace(/\\/?$/, "/"));
  const out = [];
  let ContinuationToken;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: Key, ContinuationToken }));
    for (const c of r.Contents ?? []) out.push(c.Key.slice(Key.length));
    ContinuationToken = r.NextContinuationToken;
  } while (ContinuationToken);
  return out.sort();
};
`;

const PROGRAM = S3_TASK_PRELUDE + `
const [input, outPrefix] = Deno.args;
const inputs = fromBinary(LiteralMapSchema, await read(input));
const uriOf = (n) => inputs.literals[n].value.value.value.value.uri;
const text = new TextDecoder().decode(await read(uriOf("f")));
const dir = uriOf("d").replace(/\\/$/, "");
const names = await list(dir);
const out = outPrefix.replace(/\\/$/, "");
for (const n of names) await write(out + "/copy/" + n, await read(dir + "/" + n));
const enc = (t) => new TextEncoder().encode(t);
await write(out + "/upper.txt", enc(text.toUpperCase()));
await write(out + "/table/part-0.csv", enc("name,n\\n" + names.map((n, i) => n + "," + i).join("\\n") + "\\n"));
await write(out + "/rows.jsonl", enc(names.map((n) => JSON.stringify({ name: n })).join("\\n") + "\\n"));
const blob = (uri, dim) => ({ value: { case: "scalar", value: { value: { case: "blob", value: { uri, metadata: { type: { format: "", dimensionality: dim } } } } } } });
const sd = (uri) => ({ value: { case: "scalar", value: { value: { case: "structuredDataset", value: { uri, metadata: { structuredDatasetType: { format: "csv" } } } } } } });
const m = create(LiteralMapSchema, { literals: {
  upper: blob(out + "/upper.txt", 0),
  copy: blob(out + "/copy", 1),
  table: sd(out + "/table"),
  rows: blob(out + "/rows.jsonl", 0),
} });
await write(out + "/outputs.pb", toBinary(LiteralMapSchema, m));
`;

/** A file input/output type. */
export const FILE = {
  type: {
    case: "blob" as const,
    value: { format: "", dimensionality: BlobType_BlobDimensionality.SINGLE },
  },
};
/** A directory input/output type. */
export const DIR = {
  type: {
    case: "blob" as const,
    value: {
      format: "",
      dimensionality: BlobType_BlobDimensionality.MULTIPART,
    },
  },
};
const TABLE = {
  type: { case: "structuredDatasetType" as const, value: { format: "csv" } },
};

/** Runs `fn` with a fresh sandbox, a remote on it, the task `files` registered, and a temp dir. */
export async function withDataRemote(
  fn: (remote: FlyteRemote, dir: string) => Promise<void>,
  options: { task?: boolean } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "data-test-" });
  await Deno.writeTextFile(`${dir}/task.js`, PROGRAM);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    if (options.task) await registerFilesTask(remote, dir);
    await fn(remote, dir);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function registerFilesTask(remote: FlyteRemote, dir: string) {
  await remote.entities.registerTask({
    template: {
      id: ident(ResourceType.TASK, "files"),
      type: "python-task",
      metadata: {},
      interface: {
        inputs: { variables: { f: { type: FILE }, d: { type: DIR } } },
        outputs: {
          variables: {
            upper: { type: FILE },
            copy: { type: DIR },
            table: { type: TABLE },
            rows: { type: FILE },
          },
        },
      },
      target: {
        case: "container",
        value: {
          image: "local",
          command: [
            "deno",
            "run",
            "-A",
            "--no-check",
            "--config",
            `${repoRoot}/deno.json`,
            `${dir}/task.js`,
          ],
          args: ["{{.input}}", "{{.outputPrefix}}"],
        },
      },
    },
  });
}

/** A transfer on the same connection that counts the PUTs it sends. */
export function countingPut() {
  const sent: string[] = [];
  return {
    sent,
    wrap: (
      inner: import("../../src/data/http.ts").PutFn,
    ): import("../../src/data/http.ts").PutFn =>
    (url, headers, length, body, signal) => {
      sent.push(new URL(url).pathname);
      return inner(url, headers, length, body, signal);
    },
  };
}
