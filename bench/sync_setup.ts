/**
 * bench/sync_full.ts's setup, through this module against a sandbox
 * process: a trivial container task (an `sh` that copies a prepared
 * outputs.pb), fan-out workflows of 100 and 1,000 nodes over it and a
 * 1,000-item map (an array node), each run once by the real engine so that
 * every node has real inputs, outputs and task attempts to sync.
 *
 * @module
 */
import {
  encodeValues,
  type FlyteRemote,
  reference,
  t,
  workflow,
} from "../mod.ts";

const SCOPE = { project: "flytesnacks", domain: "development" };
const VERSION = "sync-bench-v1";

/** What was run: one execution name per shape. */
export interface SyncShapes {
  /** name -> execution name (flytesnacks/development). */
  executions: Record<string, string>;
}

/** Registers the task and workflows and runs one execution of each shape. */
export async function prepareShapes(
  remote: FlyteRemote,
  dir: string,
  sizes: { fanOut: number[]; mapItems: number },
): Promise<SyncShapes> {
  const outputs = `${dir}/outputs.pb`;
  await Deno.writeFile(outputs, encodeValues({ o0: 1 }, { o0: t.int }));
  const INT = { type: { case: "simple" as const, value: 1 } }; // INTEGER
  const LIST = { type: { case: "collectionType" as const, value: INT } };
  const taskName = "syncbench.trivial";
  const taskId = (name: string) => ({
    resourceType: 1,
    ...SCOPE,
    name,
    version: VERSION,
  });
  for (const [name, type] of [[taskName, INT], [`${taskName}_map`, LIST]]) {
    await remote.entities.registerTask({
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
              `d="\${1#file://}"; mkdir -p "$d" && cp ${outputs} "$d/outputs.pb"`,
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
  const executions: Record<string, string> = {};
  const wait = { timeout: 900_000 };
  for (const n of sizes.fanOut) {
    const fan = workflow(
      { name: `syncbench.fanout${n}`, inputs: {}, outputs: t.int },
      () => {
        let last;
        for (let i = 0; i < n; i++) last = trivial({ x: i });
        return last as never;
      },
    );
    const ex = await remote.execute(fan, {}, { version: VERSION, wait });
    if (ex.phase !== "SUCCEEDED") {
      throw new Error(`fan-out ${n}: ${ex.id.name} ended ${ex.phase}`);
    }
    executions[`fanout${n}`] = ex.id.name;
  }
  // The map as flyteidl: an array node over the list-typed container task,
  // each item's inputs in a file of its own (as flytekit's map tasks).
  const mapName = "syncbench.map";
  const LISTVAR = { type: LIST };
  const promise = {
    value: { case: "promise", value: { nodeId: "start-node", var: "xs" } },
  };
  await remote.entities.registerWorkflow({
    template: {
      id: { ...taskId(mapName), resourceType: 2 },
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
  const ex = await remote.execute(mapped, {
    xs: Array.from({ length: sizes.mapItems }, (_, i) => i),
  }, { wait });
  if (ex.phase !== "SUCCEEDED") {
    throw new Error(`map: ${ex.id.name} ended ${ex.phase}`);
  }
  executions[`map${sizes.mapItems}`] = ex.id.name;
  return { executions };
}
