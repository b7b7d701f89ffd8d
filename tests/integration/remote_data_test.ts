/**
 * Data through the data proxy against the sandbox with its real engine:
 * local files and directories given to `execute` are uploaded and replaced
 * by their remote URIs; outputs are downloaded with `remote.download`
 * (s3:// native URLs through the data proxy, signed URL, flyte://, local
 * file://).
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  BlobType_BlobDimensionality,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { DataTransfer } from "../../src/data/mod.ts";
import { putStream } from "../../src/data/http.ts";
import {
  FlyteEntityNotExistError,
  FlyteInvalidInputError,
} from "../../src/client/mod.ts";
import { FlyteDirectory, FlyteFile } from "../../src/types/mod.ts";
import { repoRoot } from "../helpers/paths.ts";
import { ident } from "./sandbox_fixtures.ts";
import { S3_TASK_PRELUDE } from "./data_fixtures.ts";

/** Reads file `f` and directory `d`; writes `upper` (a file), `listing` (a string) and `copy` (a directory). */
const PROGRAM = S3_TASK_PRELUDE + `
const [input, outPrefix] = Deno.args;
const inputs = fromBinary(LiteralMapSchema, await read(input));
const uriOf = (n) => inputs.literals[n].value.value.value.value.uri;
const text = new TextDecoder().decode(await read(uriOf("f")));
const dir = uriOf("d").replace(/\\/$/, "");
const names = await list(dir);
const out = outPrefix.replace(/\\/$/, "");
await write(out + "/upper.txt", new TextEncoder().encode(text.toUpperCase()));
for (const n of names) await write(out + "/copy/" + n, await read(dir + "/" + n));
const blob = (uri, dim) => ({ value: { case: "scalar", value: { value: { case: "blob", value: { uri, metadata: { type: { format: "", dimensionality: dim } } } } } } });
const str = (s) => ({ value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "stringValue", value: s } } } } } });
const m = create(LiteralMapSchema, { literals: {
  upper: blob(out + "/upper.txt", 0),
  copy: blob(out + "/copy", 1),
  listing: str(names.join(",")),
} });
await write(out + "/outputs.pb", toBinary(LiteralMapSchema, m));
`;

const FILE = {
  type: {
    case: "blob" as const,
    value: { format: "", dimensionality: BlobType_BlobDimensionality.SINGLE },
  },
};
const DIR = {
  type: {
    case: "blob" as const,
    value: {
      format: "",
      dimensionality: BlobType_BlobDimensionality.MULTIPART,
    },
  },
};
const STR = { type: { case: "simple" as const, value: SimpleType.STRING } };

async function withRemote(
  fn: (remote: FlyteRemote, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "remote-data-" });
  await Deno.writeTextFile(`${dir}/task.js`, PROGRAM);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
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
              listing: { type: STR },
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
    await fn(remote, dir);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function localInputs(dir: string) {
  await Deno.mkdir(`${dir}/in/d`, { recursive: true });
  await Deno.writeTextFile(`${dir}/in/hello.txt`, "hello data proxy");
  await Deno.writeTextFile(`${dir}/in/d/a.txt`, "alpha");
  await Deno.writeTextFile(`${dir}/in/d/b.csv`, "x,y\n1,2\n");
}

Deno.test("data: execute uploads local file/directory inputs; download outputs", async () => {
  await withRemote(async (remote, dir) => {
    await localInputs(dir);
    const task = await remote.fetchTask("files");
    const exec = await remote.execute<
      { upper: FlyteFile; copy: FlyteDirectory; listing: string }
    >(
      task,
      { f: `${dir}/in/hello.txt`, d: new FlyteDirectory(`${dir}/in/d`) },
      { wait: { pollInterval: 50 } },
    );
    assertEquals(exec.phase, "SUCCEEDED", exec.error?.message);
    assertEquals(exec.outputs.listing, "a.txt,b.csv");
    // The inputs the execution saw are the uploaded copies, not the local paths.
    const ins = exec.inputs as { f: FlyteFile; d: FlyteDirectory };
    assert(ins.f instanceof FlyteFile);
    assertMatch(
      ins.f.uri,
      /\/uploads\/flytesnacks\/development\/[A-Z2-7=]+\/hello\.txt$/,
    );
    assert(!ins.f.uri.includes(`${dir}/in`), ins.f.uri);
    assert(ins.d instanceof FlyteDirectory);
    assertMatch(ins.d.uri, /\/uploads\/flytesnacks\/development\/[A-Z2-7=]+$/);

    // Download a file output and a directory output.
    const got = await remote.download(exec.outputs.upper, `${dir}/out/u.txt`);
    assertEquals(await Deno.readTextFile(got), "HELLO DATA PROXY");
    await remote.download(exec.outputs.copy, `${dir}/out/copy`);
    assertEquals(await Deno.readTextFile(`${dir}/out/copy/a.txt`), "alpha");
    assertEquals(
      await Deno.readTextFile(`${dir}/out/copy/b.csv`),
      "x,y\n1,2\n",
    );

    // Through a signed URL (what a client on another machine gets).
    const loc = await remote.services.dataProxy.createDownloadLocation({
      nativeUrl: ins.f.uri,
    });
    assertMatch(loc.signedUrl, /^http:\/\//);
    await remote.download(loc.signedUrl, `${dir}/out/signed.txt`);
    assertEquals(
      await Deno.readTextFile(`${dir}/out/signed.txt`),
      "hello data proxy",
    );

    // Through flyte:// (GetData): a named output of the node that ran the task.
    const synced = await remote.syncExecution(exec, { nodes: true });
    const node = [...synced.nodeExecutions.values()].find((n) =>
      n.kind === "task"
    )!;
    const base =
      `flyte://v1/flytesnacks/development/${exec.name}/${node.nodeId}/o`;
    await remote.download(`${base}/upper`, `${dir}/out/flyte.txt`);
    assertEquals(
      await Deno.readTextFile(`${dir}/out/flyte.txt`),
      "HELLO DATA PROXY",
    );
    // No deck was written: CreateDownloadLink says so, naming the node.
    await assertRejects(
      () => new DataTransfer(remote.services).deckUrl(node.id),
      FlyteEntityNotExistError,
      `${exec.name}/${node.nodeId}`,
    );
    const listing = await remote.data.getData(`${base}/listing`);
    assertEquals(listing.kind, "literal");
    await assertRejects(
      () => remote.download(`${base}/listing`, `${dir}/out/x`),
      FlyteInvalidInputError,
      `${base}/listing`,
    );
    await assertRejects(
      () => remote.download(`${base}/nope`, `${dir}/out/x`),
      FlyteEntityNotExistError,
      `${base}/nope`,
    );
  });
});

Deno.test("data: bad local inputs are named before any execution starts", async () => {
  await withRemote(async (remote, dir) => {
    await localInputs(dir);
    const task = await remote.fetchTask("files");
    const missing = `${dir}/in/missing.txt`;
    await assertRejects(
      () => remote.execute(task, { f: missing, d: `${dir}/in/d` }),
      FlyteInvalidInputError,
      missing,
    );
    await assertRejects(
      () => remote.execute(task, { f: `${dir}/in/d`, d: `${dir}/in/d` }),
      FlyteInvalidInputError,
      "is a directory but the input is a file",
    );
    // A type error elsewhere is reported before anything is uploaded.
    await assertRejects(
      () => remote.execute(task, { f: `${dir}/in/hello.txt`, d: 42 } as never),
      FlyteInvalidInputError,
      "d",
    );
    let n = 0;
    for await (const _ of remote.executions.recentExecutions()) n++;
    assertEquals(n, 0);
  });
});

Deno.test("data: upload is content-addressed with md5; signed PUT rejects other content", async () => {
  await withRemote(async (remote, dir) => {
    await localInputs(dir);
    const a = await remote.upload(`${dir}/in/hello.txt`);
    const b = await remote.upload(`file://${dir}/in/hello.txt`);
    assertEquals(a.uri, b.uri);
    assertEquals([a.files, a.bytes, a.directory], [1, 16, false]);
    const back = await remote.download(a.uri, `${dir}/back/hello.txt`);
    assertEquals(await Deno.readTextFile(back), "hello data proxy");

    // The server's signed URL carries the md5: a different body is refused,
    // and the error names the local path.
    const other = new TextEncoder().encode("something else, 16");
    const lying = new DataTransfer(remote.services, fetch, {
      put: (url, headers, _length, _body, signal) =>
        putStream(
          url,
          headers,
          other.length,
          (async function* () {
            yield other;
          })(),
          signal,
        ),
    });
    const err = await assertRejects(
      () =>
        lying.upload(`${dir}/in/hello.txt`, {
          project: "flytesnacks",
          domain: "development",
        }),
    );
    assertStringIncludes((err as Error).message, `${dir}/in/hello.txt`);
    assertStringIncludes((err as Error).message, "HTTP 4");

    await assertRejects(
      () => remote.upload(`${dir}/nothing-here`),
      FlyteInvalidInputError,
      `${dir}/nothing-here`,
    );
    await Deno.mkdir(`${dir}/empty`);
    await assertRejects(
      () => remote.upload(`${dir}/empty`),
      FlyteInvalidInputError,
      "is empty",
    );
    await assertRejects(
      () => remote.download("file:///no/such/file", `${dir}/x`),
      Error,
      "file:///no/such/file",
    );
    // An absolute path missing here is asked of the server, which can only
    // sign paths of its own store.
    await assertRejects(
      () => remote.download("/no/such/file", `${dir}/x`),
      FlyteInvalidInputError,
      "[/no/such/file] does not exist on this machine, and the server cannot serve it",
    );
    await assertRejects(
      () => remote.download("relative/missing.txt", `${dir}/x`),
      FlyteInvalidInputError,
      "[relative/missing.txt] does not exist on this machine",
    );
  });
});

Deno.test("data: a directory upload refuses a file that changes while the directory is sent", async () => {
  await withRemote(async (remote, dir) => {
    await localInputs(dir);
    // Files go out in sorted order: a.txt first, then b.csv. Change b.csv
    // once a.txt has been sent, after the directory's manifest was hashed.
    const meddling = new DataTransfer(remote.services, fetch, {
      concurrency: 1,
      put: async (url, headers, length, body, signal) => {
        const res = await putStream(url, headers, length, body, signal);
        await Deno.writeTextFile(`${dir}/in/d/b.csv`, "x,y\n9,9\n");
        return res;
      },
    });
    await assertRejects(
      () =>
        meddling.upload(`${dir}/in/d`, {
          project: "flytesnacks",
          domain: "development",
        }),
      Error,
      `[${dir}/in/d/b.csv] changed while it was being uploaded`,
    );
    // Unchanged, it goes through, and its files sit under one prefix.
    const up = await remote.upload(`${dir}/in/d`);
    assertEquals([up.files, up.bytes, up.directory], [2, 13, true]);
    const back = await remote.download(up.uri, `${dir}/back-d`);
    assertEquals(await Deno.readTextFile(`${back}/b.csv`), "x,y\n9,9\n");
    assertEquals(await Deno.readTextFile(`${back}/a.txt`), "alpha");

    // Nested directories keep their layout (file names with "/", as FlyteAdmin takes them).
    await Deno.mkdir(`${dir}/in/nested/x/y`, { recursive: true });
    await Deno.writeTextFile(`${dir}/in/nested/top.txt`, "top");
    await Deno.writeTextFile(`${dir}/in/nested/x/y/deep.txt`, "deep");
    const nested = await remote.upload(`${dir}/in/nested`);
    assertEquals([nested.files, nested.directory], [2, true]);
    const copy = await remote.download(nested.uri, `${dir}/back-nested`);
    assertEquals(await Deno.readTextFile(`${copy}/top.txt`), "top");
    assertEquals(await Deno.readTextFile(`${copy}/x/y/deep.txt`), "deep");
  });
});
