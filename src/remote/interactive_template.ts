/**
 * The TaskTemplate of a TypeScript task run by the flyte-deno runtime, for
 * the interactive path: container args `[flyte-deno-runtime, --task, name,
 * --inputs, {{.input}}, --output-prefix, {{.outputPrefix}},
 * --raw-output-data-prefix, {{.rawOutputDataPrefix}}, ...extraArgs]`.
 *
 * @module
 */
import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  RuntimeMetadata_RuntimeType,
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import { RUNTIME_COMMAND, type TaskDefinition } from "../sdk/contract.ts";
import type { InterfaceTypes } from "../sdk/contract.ts";
import { RUNTIME_VERSION } from "../bundle/manifest.ts";

/**
 * The image TypeScript tasks run in unless the task or the call names one
 * (built by `deno task image`).
 *
 * @example
 * ```ts
 * import { DEFAULT_TASK_IMAGE } from "./interactive_template.ts";
 * console.log(DEFAULT_TASK_IMAGE); // "ghcr.io/flyte-deno/runtime:0.1.0"
 * ```
 */
export const DEFAULT_TASK_IMAGE = "ghcr.io/flyte-deno/runtime:0.1.0";

function variables(types: InterfaceTypes) {
  return Object.fromEntries(
    Object.entries(types).map(([k, v]) => [k, {
      type: v.literalType,
      description: k,
    }]),
  );
}

/**
 * Builds the template of a TypeScript task (`version` may be "" to hash it).
 *
 * @example
 * ```ts
 * import { typescriptTaskTemplate } from "./interactive_template.ts";
 * import type { TaskDefinition } from "../sdk/contract.ts";
 * declare const def: TaskDefinition;
 * const tpl = typescriptTaskTemplate(def, { project: "p", domain: "d", version: "", image: "img" });
 * ```
 */
export function typescriptTaskTemplate(
  def: TaskDefinition,
  o: {
    project: string;
    domain: string;
    version: string;
    image: string;
    extraArgs?: readonly string[];
  },
): TaskTemplate {
  const retries = Number(def.options.retries ?? 0);
  const init: MessageInitShape<typeof TaskTemplateSchema> = {
    id: {
      resourceType: ResourceType.TASK,
      project: o.project,
      domain: o.domain,
      name: def.name,
      version: o.version,
    },
    type: def.taskType || "typescript",
    metadata: {
      runtime: {
        type: RuntimeMetadata_RuntimeType.OTHER,
        version: RUNTIME_VERSION,
        flavor: "flyte-deno",
      },
      retries: { retries },
    },
    interface: {
      inputs: { variables: variables(def.inputs) },
      outputs: { variables: variables(def.outputs) },
    },
    target: {
      case: "container",
      value: {
        image: o.image,
        args: [
          RUNTIME_COMMAND,
          "--task",
          def.name,
          "--inputs",
          "{{.input}}",
          "--output-prefix",
          "{{.outputPrefix}}",
          "--raw-output-data-prefix",
          "{{.rawOutputDataPrefix}}",
          ...(o.extraArgs ?? []),
        ],
      },
    },
  };
  return create(TaskTemplateSchema, init);
}

/**
 * The bytes a task template is hashed by: the template with an empty version.
 *
 * @example
 * ```ts
 * import { templateBytesWithoutVersion } from "./interactive_template.ts";
 * import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
 * declare const tpl: TaskTemplate;
 * const bytes = templateBytesWithoutVersion(tpl);
 * ```
 */
export function templateBytesWithoutVersion(tpl: TaskTemplate): Uint8Array {
  const copy = create(TaskTemplateSchema, tpl);
  if (copy.id) copy.id = { ...copy.id, version: "" };
  return toBinary(TaskTemplateSchema, copy);
}
