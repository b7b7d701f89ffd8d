/**
 * Notebook helpers: container tasks that run a shell command, and workflows
 * of task nodes, as the flyteidl specs `remote.entities.registerTask` and
 * `remote.entities.registerWorkflow` take. A shell task reads each input from a file
 * `/var/inputs/<name>` and writes each output to `/var/outputs/<name>`
 * (Flyte's raw-container data contract; the sandbox maps both folders).
 *
 * @module
 */
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  BlobType_BlobDimensionality,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import { DataLoadingConfig_LiteralMapFormat } from "@flyteidl/core/tasks_pb.ts";

/** The type names a shell task's inputs and outputs may have. */
export type ShellType = "int" | "float" | "str" | "bool" | "file" | "dir";

const simple = (value: SimpleType) => ({ type: { case: "simple" as const, value } });
const blob = (dimensionality: BlobType_BlobDimensionality) => ({
  type: { case: "blob" as const, value: { format: "", dimensionality } },
});

/**
 * The flyteidl LiteralType of a {@link ShellType}.
 *
 * @example
 * ```ts
 * import { literalType } from "./shell.ts";
 * literalType("int");
 * ```
 */
export function literalType(t: ShellType) {
  switch (t) {
    case "int":
      return simple(SimpleType.INTEGER);
    case "float":
      return simple(SimpleType.FLOAT);
    case "str":
      return simple(SimpleType.STRING);
    case "bool":
      return simple(SimpleType.BOOLEAN);
    case "file":
      return blob(BlobType_BlobDimensionality.SINGLE);
    case "dir":
      return blob(BlobType_BlobDimensionality.MULTIPART);
  }
}

const variables = (m: Record<string, ShellType>) => ({
  variables: Object.fromEntries(
    Object.entries(m).map(([k, t]) => [k, { type: literalType(t) }]),
  ),
});

/** Where entities go. */
export const scope = { project: "flytesnacks", domain: "development" };

/**
 * A shell-command container task spec for `remote.entities.registerTask`.
 *
 * @example
 * ```ts
 * import { shellTask } from "./shell.ts";
 * const spec = shellTask({
 *   name: "double", version: "v1",
 *   script: 'echo $(( $(cat /var/inputs/n) * 2 )) > /var/outputs/o0',
 *   inputs: { n: "int" }, outputs: { o0: "int" },
 * });
 * ```
 */
export function shellTask(t: {
  name: string;
  version: string;
  script: string;
  inputs?: Record<string, ShellType>;
  outputs?: Record<string, ShellType>;
  retries?: number;
}) {
  return {
    template: {
      id: { resourceType: ResourceType.TASK, ...scope, name: t.name, version: t.version },
      type: "raw-container",
      metadata: { retries: { retries: t.retries ?? 0 } },
      interface: { inputs: variables(t.inputs ?? {}), outputs: variables(t.outputs ?? {}) },
      target: {
        case: "container" as const,
        value: {
          image: "debian:stable-slim",
          command: ["sh", "-c", t.script],
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

/** A node input: `"start-node.n"` (a workflow input) or `"n0.o0"` (an upstream output). */
type Ref = string;

const promise = (ref: Ref) => {
  const [nodeId, v] = ref.split(".");
  return { value: { case: "promise" as const, value: { nodeId, var: v } } };
};

/**
 * A workflow node: a task (same version as the workflow), or an approval
 * gate that passes its one input through as `o0` once the signal
 * `approve` is approved.
 *
 * @example
 * ```ts
 * import type { WorkflowNode } from "./shell.ts";
 * const gate: WorkflowNode = { approve: "ship-it", inputs: { o0: "n0.o0" } };
 * ```
 */
export type WorkflowNode =
  | { task: string; inputs: Record<string, Ref>; after?: string[] }
  | { approve: string; inputs: Record<string, Ref>; after?: string[] };

/**
 * A workflow spec for `remote.entities.registerWorkflow` from task nodes: each node
 * names its task (same version) and where its inputs come from.
 *
 * @example
 * ```ts
 * import { workflow } from "./shell.ts";
 * const spec = workflow({
 *   name: "pipeline", version: "v1",
 *   inputs: { n: "int" }, outputs: { out: ["int", "n1.o0"] },
 *   nodes: { n0: { task: "double", inputs: { n: "start-node.n" } }, n1: { task: "double", inputs: { n: "n0.o0" } } },
 * });
 * ```
 */
export function workflow(w: {
  name: string;
  version: string;
  inputs: Record<string, ShellType>;
  outputs: Record<string, [ShellType, Ref]>;
  nodes: Record<string, WorkflowNode>;
}) {
  return {
    template: {
      id: { resourceType: ResourceType.WORKFLOW, ...scope, name: w.name, version: w.version },
      metadata: {},
      metadataDefaults: {},
      interface: {
        inputs: variables(w.inputs),
        outputs: variables(Object.fromEntries(Object.entries(w.outputs).map(([k, [t]]) => [k, t]))),
      },
      nodes: Object.entries(w.nodes).map(([id, n]) => ({
        id,
        metadata: { name: "task" in n ? n.task : `approve ${n.approve}` },
        upstreamNodeIds: n.after ?? [],
        inputs: Object.entries(n.inputs).map(([k, ref]) => ({ var: k, binding: promise(ref) })),
        target: "approve" in n
          ? {
            case: "gateNode" as const,
            value: { condition: { case: "approve" as const, value: { signalId: n.approve } } },
          }
          : {
          case: "taskNode" as const,
          value: {
            reference: {
              case: "referenceId" as const,
              value: { resourceType: ResourceType.TASK, ...scope, name: n.task, version: w.version },
            },
          },
        },
      })),
      outputs: Object.entries(w.outputs).map(([k, [, ref]]) => ({ var: k, binding: promise(ref) })),
    },
  };
}
