/**
 * bench/flytekit's setup, through this module against the sandbox process:
 * the trivial container task of bench/trivial_tasks.ts, a fan-out workflow and a map over that task, run once each by the real
 * engine (the sync rows read them); the big file, uploaded once, and the
 * signed URLs curl and the download rows use.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type FlyteRemote, t, workflow } from "../../mod.ts";
import { registerMapWorkflow, registerTrivialTasks } from "../trivial_tasks.ts";
import type { Prepared, Sizes } from "./specs.ts";

const SCOPE = { project: "flytesnacks", domain: "development" };
const VERSION = "bench-v1";

/** Writes `size` bytes of non-repeating data to `path` (1 MiB blocks, each numbered). */
async function writeBig(path: string, size: number) {
  using f = await Deno.open(path, { write: true, create: true });
  const seed = crypto.getRandomValues(new Uint8Array(1 << 16));
  const block = new Uint8Array(1 << 20);
  for (let i = 0; i < block.length; i += seed.length) block.set(seed, i);
  for (let done = 0, n = 0; done < size; n++) {
    new DataView(block.buffer).setUint32(0, n);
    const part = block.subarray(0, Math.min(block.length, size - done));
    let off = 0;
    while (off < part.length) off += await f.write(part.subarray(off));
    done += part.length;
  }
}

/** Registers and runs what the rows need; returns their names and URLs. */
export async function prepare(
  remote: FlyteRemote,
  sizes: Sizes,
  dir: string,
): Promise<Prepared> {
  const scope = { ...SCOPE, version: VERSION };
  const taskName = "bench.trivial";
  const trivial = await registerTrivialTasks(remote, dir, taskName, scope);

  const fan = workflow(
    { name: `bench.fanout${sizes.fanOut}`, inputs: {}, outputs: t.int },
    () => {
      let last;
      for (let i = 0; i < sizes.fanOut; i++) last = trivial({ x: i });
      return last as never;
    },
  );
  const mapped = await registerMapWorkflow(
    remote,
    "bench.map",
    taskName,
    scope,
  );
  const wait = { timeout: 600_000 };
  const [fanEx, mapEx] = [
    await remote.execute(fan, {}, { version: VERSION, wait }),
    await remote.execute(mapped, {
      xs: Array.from({ length: sizes.mapItems }, (_, i) => i),
    }, { wait }),
  ];
  for (const ex of [fanEx, mapEx]) {
    if (ex.phase !== "SUCCEEDED") {
      throw new Error(
        `setup execution ${ex.id.name}: ${ex.phase}: ${
          ex.raw.closure?.outputResult.case === "error"
            ? ex.raw.closure.outputResult.value.message
            : "no error message"
        }`,
      );
    }
  }

  const bigFile = `${dir}/big.bin`;
  await writeBig(bigFile, sizes.fileBytes);
  const up = await remote.upload(bigFile);
  const h = createHash("md5");
  for await (const c of (await Deno.open(bigFile)).readable) h.update(c);
  const md5 = new Uint8Array(h.digest());
  const { dataProxy } = remote.services;
  const put = await dataProxy.createUploadLocation({
    ...SCOPE,
    contentMd5: md5,
    filename: "big.bin",
  });
  const get = await dataProxy.createDownloadLocation({ nativeUrl: up.uri });
  const scratch = `${dir}/scratch`;
  await Deno.mkdir(scratch);
  return {
    task: { name: taskName, version: VERSION },
    fanOutExecution: fanEx.id.name,
    mapExecution: mapEx.id.name,
    bigFile,
    scratch,
    uploadUrl: put.signedUrl,
    uploadMd5: btoa(String.fromCharCode(...md5)),
    downloadUrl: get.signedUrl,
  };
}
