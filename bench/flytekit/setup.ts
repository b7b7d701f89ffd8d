/**
 * bench/flytekit's setup, through this module against the sandbox process:
 * the trivial container task (an `sh` that puts a prepared outputs.pb at its
 * output prefix: curl to the S3 face),
 * a fan-out workflow and a map over that task, run once each by the real
 * engine (the sync rows read them); the big file, uploaded once, and the
 * signed URLs curl and the download rows use.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  encodeValues,
  type FlyteRemote,
  reference,
  t,
  workflow,
} from "../../mod.ts";
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
  // The trivial task: x: int -> o0: int, by copying a prepared outputs.pb.
  const outputs = `${dir}/outputs.pb`;
  await Deno.writeFile(outputs, encodeValues({ o0: 1 }, { o0: t.int }));
  const INT = { type: { case: "simple" as const, value: 1 } }; // INTEGER
  const LIST = { type: { case: "collectionType" as const, value: INT } };
  const taskName = "bench.trivial";
  const taskId = (name: string) => ({
    resourceType: 1,
    ...SCOPE,
    name,
    version: VERSION,
  });
  // The task, and its map form for the array node (list-typed interface,
  // as flytekit's map tasks; the engine gives each item its own inputs).
  for (const [name, type] of [[taskName, INT], [`${taskName}_map`, LIST]]) {
    await remote.registerTask({
      template: {
        id: taskId(name as string),
        type: "container",
        metadata: {},
        interface: {
          inputs: { variables: { x: { type } } },
          outputs: { variables: { o0: { type } } },
        },
        target: {
          case: "container",
          value: {
            image: "busybox",
            command: [
              "sh",
              "-c",
              // The output prefix is s3:// (the sandbox's S3 face, named by
              // the AWS environment a task gets, as in a demo-cluster pod):
              // curl signs the PUT with SigV4. A file:// prefix is a folder.
              `case "$1" in s3://*) curl -sSf -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:\${AWS_REGION:-us-east-1}:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -T ${outputs} "$AWS_ENDPOINT_URL/\${1#s3://}/outputs.pb" ;; *) d="\${1#file://}"; mkdir -p "$d" && cp ${outputs} "$d/outputs.pb" ;; esac`,
              "sh",
              "{{.outputPrefix}}",
            ],
            args: [],
          },
        },
      },
    } as never);
  }
  const trivial = reference(
    await remote.fetchTask(taskName, { version: VERSION }),
  );

  const fan = workflow(
    { name: `bench.fanout${sizes.fanOut}`, inputs: {}, outputs: t.int },
    () => {
      let last;
      for (let i = 0; i < sizes.fanOut; i++) last = trivial({ x: i });
      return last as never;
    },
  );
  // The map as flyteidl: src/sdk maps TypeScript and flytekit tasks only,
  // and this one is a plain container task (an array node over it, each
  // item's inputs in a file of its own).
  const mapName = "bench.map";
  const wfId = { ...taskId(mapName), resourceType: 2 };
  const LISTVAR = { type: LIST };
  await remote.registerWorkflow({
    template: {
      id: wfId,
      metadata: {},
      metadataDefaults: {},
      interface: {
        inputs: { variables: { xs: LISTVAR } },
        outputs: { variables: { o0: LISTVAR } },
      },
      nodes: [{
        id: "n0",
        metadata: { name: "map", retries: {} },
        inputs: [{
          var: "x",
          binding: {
            value: {
              case: "promise",
              value: { nodeId: "start-node", var: "xs" },
            },
          },
        }],
        target: {
          case: "arrayNode",
          value: {
            node: {
              id: "n0",
              metadata: { name: "item", retries: {} },
              inputs: [{
                var: "x",
                binding: {
                  value: {
                    case: "promise",
                    value: { nodeId: "start-node", var: "xs" },
                  },
                },
              }],
              target: {
                case: "taskNode",
                value: {
                  reference: {
                    case: "referenceId",
                    value: taskId(`${taskName}_map`),
                  },
                },
              },
            },
            parallelismOption: { case: "parallelism", value: 16 },
            dataMode: 1, // INDIVIDUAL_INPUT_FILES
          },
        },
      }],
      outputs: [{
        var: "o0",
        binding: {
          value: { case: "promise", value: { nodeId: "n0", var: "o0" } },
        },
      }],
    },
  } as never);
  const mapped = await remote.fetchLaunchPlan(mapName, { version: VERSION });
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
