/**
 * What the side-by-side benches (bench/flytekit/, bench/sync_full.ts) run on
 * the sandbox: a trivial container task (x: int -> o0: int, an `sh` that puts
 * a prepared outputs.pb at its output prefix), its list-typed map form, and a
 * map workflow as flyteidl (an array node over the map form, each item's
 * inputs in a file of its own, as flytekit's map tasks): src/sdk maps
 * TypeScript and flytekit tasks only, and this is a plain container task.
 *
 * @module
 */
import {
  encodeValues,
  type FlyteRemote,
  reference,
  type RemoteLaunchPlan,
  t,
} from "../mod.ts";

const INT = { type: { case: "simple" as const, value: 1 } }; // INTEGER
const LIST = { type: { case: "collectionType" as const, value: INT } };

/** Where the benches register: project, domain and version. */
export interface BenchScope {
  /** Project. */
  project: string;
  /** Domain. */
  domain: string;
  /** Version of every entity. */
  version: string;
}

/**
 * Registers `taskName` and `${taskName}_map` (outputs.pb prepared in `dir`)
 * and returns the task as a reference for workflows.
 *
 * @example
 * ```ts
 * import { registerTrivialTasks } from "./trivial_tasks.ts";
 * import type { FlyteRemote } from "../mod.ts";
 * declare const remote: FlyteRemote;
 * const trivial = await registerTrivialTasks(remote, "/tmp/b", "bench.trivial", { project: "flytesnacks", domain: "development", version: "v1" });
 * ```
 */
export async function registerTrivialTasks(
  remote: FlyteRemote,
  dir: string,
  taskName: string,
  scope: BenchScope,
) {
  const outputs = `${dir}/outputs.pb`;
  await Deno.writeFile(outputs, encodeValues({ o0: 1 }, { o0: t.int }));
  for (const [name, type] of [[taskName, INT], [`${taskName}_map`, LIST]]) {
    await remote.entities.registerTask({
      template: {
        id: { resourceType: 1, ...scope, name: name as string },
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
  return reference(await remote.fetchTask(taskName, scope));
}

/**
 * Registers the map workflow `mapName` (xs: list -> o0: list, over
 * `${taskName}_map`, parallelism 16) with its default launch plan, which it
 * returns.
 *
 * @example
 * ```ts
 * import { registerMapWorkflow } from "./trivial_tasks.ts";
 * import type { FlyteRemote } from "../mod.ts";
 * declare const remote: FlyteRemote;
 * const lp = await registerMapWorkflow(remote, "bench.map", "bench.trivial", { project: "flytesnacks", domain: "development", version: "v1" });
 * ```
 */
export async function registerMapWorkflow(
  remote: FlyteRemote,
  mapName: string,
  taskName: string,
  scope: BenchScope,
): Promise<RemoteLaunchPlan> {
  const LISTVAR = { type: LIST };
  const promise = {
    value: { case: "promise", value: { nodeId: "start-node", var: "xs" } },
  };
  await remote.entities.registerWorkflow({
    template: {
      id: { resourceType: 2, ...scope, name: mapName },
      metadata: {},
      metadataDefaults: {},
      interface: {
        inputs: { variables: { xs: LISTVAR } },
        outputs: { variables: { o0: LISTVAR } },
      },
      nodes: [{
        id: "n0",
        metadata: { name: "map", retries: {} },
        inputs: [{ var: "x", binding: promise }],
        target: {
          case: "arrayNode",
          value: {
            node: {
              id: "n0",
              metadata: { name: "item", retries: {} },
              inputs: [{ var: "x", binding: promise }],
              target: {
                case: "taskNode",
                value: {
                  reference: {
                    case: "referenceId",
                    value: {
                      resourceType: 1,
                      ...scope,
                      name: `${taskName}_map`,
                    },
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
  return await remote.fetchLaunchPlan(mapName, scope);
}
