/**
 * Shell-command container tasks (raw containers with a co-pilot data config:
 * inputs arrive as files, outputs are files) and a two-node workflow, for the
 * display and console tests.
 */
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { DataLoadingConfig_LiteralMapFormat } from "@flyteidl/core/tasks_pb.ts";
import type { FlyteRemote } from "../../src/remote/mod.ts";

export const PROJECT = "flytesnacks";
export const DOMAIN = "development";

const simple = (t: SimpleType) => ({
  type: { case: "simple" as const, value: t },
});
export const INT = simple(SimpleType.INTEGER);
export const STR = simple(SimpleType.STRING);

export function id(type: ResourceType, name: string, version = "v1") {
  return {
    resourceType: type,
    project: PROJECT,
    domain: DOMAIN,
    name,
    version,
  };
}

/** A container task running `sh -c script` with inputs in /var/inputs/<name> and outputs written to /var/outputs/<name>. */
export function shellTask(
  name: string,
  script: string,
  inputs: Record<string, typeof INT>,
  outputs: Record<string, typeof INT>,
  version = "v1",
) {
  const vars = (m: Record<string, typeof INT>) => ({
    variables: Object.fromEntries(
      Object.entries(m).map(([k, type]) => [k, { type }]),
    ),
  });
  return {
    template: {
      id: id(ResourceType.TASK, name, version),
      type: "raw-container",
      metadata: {},
      interface: { inputs: vars(inputs), outputs: vars(outputs) },
      target: {
        case: "container" as const,
        value: {
          image: "debian:stable-slim",
          command: ["sh", "-c", script],
          args: [],
          dataConfig: {
            enabled: true,
            inputPath: "/var/inputs",
            outputPath: "/var/outputs",
            format: DataLoadingConfig_LiteralMapFormat.JSON,
          },
        },
      },
    },
  };
}

function promise(nodeId: string, v: string) {
  return { value: { case: "promise" as const, value: { nodeId, var: v } } };
}

/** Registers `double` (n -> n*2), `greet` (name -> text) and the workflow `pipeline` (n, name -> doubled, greeting). */
export async function registerPipeline(remote: FlyteRemote, version = "v1") {
  await remote.entities.registerTask(
    shellTask(
      "double",
      'printf %s "$(( $(cat /var/inputs/n) * 2 ))" > /var/outputs/o0',
      { n: INT },
      { o0: INT },
      version,
    ),
  );
  await remote.entities.registerTask(
    shellTask(
      "greet",
      'printf "hello %s" "$(cat /var/inputs/name)" > /var/outputs/o0',
      { name: STR },
      { o0: STR },
      version,
    ),
  );
  const taskNode = (
    nodeId: string,
    task: string,
    inputs: { var: string; binding: unknown }[],
  ) => ({
    id: nodeId,
    metadata: { name: task },
    inputs,
    upstreamNodeIds: [],
    target: {
      case: "taskNode" as const,
      value: {
        reference: {
          case: "referenceId" as const,
          value: id(ResourceType.TASK, task, version),
        },
      },
    },
  });
  await remote.entities.registerWorkflow({
    template: {
      id: id(ResourceType.WORKFLOW, "pipeline", version),
      metadata: {},
      metadataDefaults: {},
      interface: {
        inputs: { variables: { n: { type: INT }, name: { type: STR } } },
        outputs: {
          variables: { doubled: { type: INT }, greeting: { type: STR } },
        },
      },
      nodes: [
        taskNode("n0", "double", [{
          var: "n",
          binding: promise("start-node", "n"),
        }]),
        taskNode("n1", "double", [{ var: "n", binding: promise("n0", "o0") }]),
        taskNode("n2", "greet", [{
          var: "name",
          binding: promise("start-node", "name"),
        }]),
      ] as never,
      outputs: [
        { var: "doubled", binding: promise("n1", "o0") },
        { var: "greeting", binding: promise("n2", "o0") },
      ] as never,
    },
  });
}
