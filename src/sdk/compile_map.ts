/**
 * Map task templates for array nodes, laid out as flytekit's
 * ArrayNodeMapTask: named `<module>.map_<task>_<hash>-arraynode`, list-typed
 * interface, task type version 1.
 *
 * @module
 */
import { clone, create } from "@bufbuild/protobuf";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import { t } from "../types/mod.ts";
import type { TaskDefinition } from "./contract.ts";
import {
  type CompileTaskOptions,
  entityId,
  type EntityScope,
  taskTemplate,
  typedInterface,
} from "./compile_task.ts";
import { DefinitionError } from "./errors.ts";
import type { NodeSpec } from "./graph.ts";
import { arrayTaskName, flytekitMapArgs, MAP_FLAG } from "./map.ts";
import type { Reference } from "./reference.ts";

/**
 * The map task of a TypeScript task: the runtime's command with
 * {@link MAP_FLAG}, lists for the inputs the array node binds.
 *
 * @example
 * ```ts
 * import { mapTaskTemplate } from "./compile_map.ts";
 * console.log(typeof mapTaskTemplate); // "function"
 * ```
 */
export function mapTaskTemplate(
  task: TaskDefinition,
  node: NodeSpec,
  options: CompileTaskOptions,
): TaskTemplate {
  const inputs = Object.fromEntries(
    node.inputs.map((b) => [b.var, t.list(task.inputs[b.var])]),
  );
  return taskTemplate(
    task,
    arrayTaskName(task),
    inputs,
    node.outputs,
    options,
    { taskTypeVersion: 1, args: [MAP_FLAG] },
  );
}

/**
 * The map task of a registered flytekit task, made from its fetched
 * template: same container, flytekit's map command and resolver
 * (`pyflyte-map-execute`), so each sub-task picks its item by the array
 * index. Registered at `scope.version` in the workflow's project.
 *
 * @example
 * ```ts
 * import { mapReferenceTemplate } from "./compile_map.ts";
 * console.log(typeof mapReferenceTemplate); // "function"
 * ```
 */
export function mapReferenceTemplate(
  ref: Reference,
  node: NodeSpec,
  scope: EntityScope,
): TaskTemplate {
  const where = `map ${ref.name}`;
  if (!ref.template) {
    throw new DefinitionError(
      where,
      "mapping a registered task needs its template: pass a task fetched with FlyteRemote to reference()",
    );
  }
  const tpl = clone(TaskTemplateSchema, ref.template);
  const args = tpl.target.case === "container"
    ? flytekitMapArgs(tpl.target.value.args)
    : undefined;
  if (tpl.target.case !== "container" || !args) {
    throw new DefinitionError(
      where,
      "only TypeScript tasks and flytekit container tasks can be mapped",
    );
  }
  tpl.target.value.args = args;
  tpl.id = create(
    IdentifierSchema,
    entityId(ResourceType.TASK, arrayTaskName(ref), {
      project: scope.project,
      domain: scope.domain,
      version: scope.version,
    }),
  );
  const inputs = Object.fromEntries(
    node.inputs.map((b) => [b.var, t.list(ref.inputs[b.var])]),
  );
  tpl.interface = typedInterface(inputs, node.outputs);
  tpl.taskTypeVersion = 1;
  return tpl;
}
