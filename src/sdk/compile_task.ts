/**
 * Task compilation: a TypeScript task to the flyteidl TaskTemplate a
 * FlyteAdmin accepts (flytekit's layout: interface variables described by
 * their names, runtime metadata, retries always set, resources always set).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  type Resources_ResourceEntry,
  Resources_ResourceName,
  RuntimeMetadata_RuntimeType,
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import { Secret_MountType } from "@flyteidl/core/security_pb.ts";
import type { JsonObject } from "@bufbuild/protobuf";
import { VERSION } from "../version.ts";
import {
  type InterfaceTypes,
  RUNTIME_COMMAND,
  type TaskDefinition,
} from "./contract.ts";
import { toPbDuration } from "./duration.ts";
import type { ResourcesOption, ResourceSpec, TaskOptions } from "./task.ts";

/**
 * The image TypeScript tasks run in unless `image` is given (the runtime
 * image of this module's version).
 *
 * @example
 * ```ts
 * import { DEFAULT_IMAGE } from "./compile_task.ts";
 * console.log(DEFAULT_IMAGE); // "ghcr.io/flyte-deno/runtime:0.1.0"
 * ```
 */
export const DEFAULT_IMAGE = `ghcr.io/flyte-deno/runtime:${VERSION}`;

/**
 * Where and as which version entities are compiled.
 *
 * @example
 * ```ts
 * import type { EntityScope } from "./compile_task.ts";
 * const s: EntityScope = { project: "flytesnacks", domain: "development", version: "v1" };
 * console.log(s.version);
 * ```
 */
export interface EntityScope {
  /** The project. */
  project: string;
  /** The domain. */
  domain: string;
  /** The version of every entity, unless `versionOf` says otherwise. */
  version: string;
}

/**
 * Options of {@link compileTask}.
 *
 * @example
 * ```ts
 * import type { CompileTaskOptions } from "./compile_task.ts";
 * const o: CompileTaskOptions = { project: "p", domain: "d", version: "v1", extraArgs: ["--bundle", "s3://b/x"] };
 * console.log(o.extraArgs);
 * ```
 */
export interface CompileTaskOptions extends EntityScope {
  /** Arguments appended to the runtime's (e.g. `--bundle <uri>`) [none]. */
  extraArgs?: readonly string[];
  /** The image [options.image, else {@link DEFAULT_IMAGE}]. */
  image?: string;
}

/**
 * The container args of a TypeScript task: {@link RUNTIME_COMMAND} and
 * the runtime's flags, then `extraArgs`.
 *
 * @example
 * ```ts
 * import { runtimeArgs } from "./compile_task.ts";
 * console.log(runtimeArgs("flows.add").slice(0, 3)); // ["flyte-deno-runtime", "--task", "flows.add"]
 * ```
 */
export function runtimeArgs(
  taskName: string,
  extraArgs: readonly string[] = [],
): string[] {
  return [
    RUNTIME_COMMAND,
    "--task",
    taskName,
    "--inputs",
    "{{.input}}",
    "--output-prefix",
    "{{.outputPrefix}}",
    "--raw-output-data-prefix",
    "{{.rawOutputDataPrefix}}",
    ...extraArgs,
  ];
}

/**
 * A TypedInterface for named types (each variable described by its name,
 * as flytekit does).
 *
 * @example
 * ```ts
 * import { typedInterface } from "./compile_task.ts";
 * import { t } from "../types/mod.ts";
 * console.log(Object.keys(typedInterface({ a: t.int }, {}).inputs!.variables)); // ["a"]
 * ```
 */
export function typedInterface(
  inputs: InterfaceTypes,
  outputs: InterfaceTypes,
): TypedInterface {
  const vars = (io: InterfaceTypes) => ({
    variables: Object.fromEntries(
      Object.entries(io).map((
        [k, v],
      ) => [k, { type: v.literalType, description: k }]),
    ),
  });
  return create(TaskTemplateSchema, {
    interface: { inputs: vars(inputs), outputs: vars(outputs) },
  }).interface!;
}

/** flytekit's order in node overrides (convert_resources_to_resource_model). */
const OVERRIDE_ORDER: [keyof ResourceSpec, Resources_ResourceName][] = [
  ["cpu", Resources_ResourceName.CPU],
  ["mem", Resources_ResourceName.MEMORY],
  ["gpu", Resources_ResourceName.GPU],
  ["ephemeralStorage", Resources_ResourceName.EPHEMERAL_STORAGE],
];

/** flytekit's order in task containers (core/utils.py _get_container_definition). */
const CONTAINER_ORDER: [keyof ResourceSpec, Resources_ResourceName][] = [
  ["ephemeralStorage", Resources_ResourceName.EPHEMERAL_STORAGE],
  ["cpu", Resources_ResourceName.CPU],
  ["gpu", Resources_ResourceName.GPU],
  ["mem", Resources_ResourceName.MEMORY],
];

/**
 * Resource entries in flytekit's order: a task container's (ephemeral
 * storage, cpu, gpu, memory) or, with `forOverride`, a node override's (cpu,
 * memory, gpu, ephemeral storage).
 *
 * @example
 * ```ts
 * import { resourceEntries } from "./compile_task.ts";
 * console.log(resourceEntries({ cpu: 1 }).length); // 1
 * ```
 */
export function resourceEntries(
  spec: ResourceSpec | undefined,
  forOverride = false,
): Pick<Resources_ResourceEntry, "name" | "value">[] {
  if (!spec) return [];
  const order = forOverride ? OVERRIDE_ORDER : CONTAINER_ORDER;
  return order.filter(([k]) => spec[k] !== undefined).map(([k, name]) => ({
    name,
    value: String(spec[k]),
  }));
}

/**
 * A Resources init for requests/limits (`forOverride`: a node override's order).
 *
 * @example
 * ```ts
 * import { resourcesOf } from "./compile_task.ts";
 * console.log(resourcesOf({ limits: { mem: "1Gi" } }).limits.length); // 1
 * ```
 */
export function resourcesOf(
  r: ResourcesOption | undefined,
  forOverride = false,
): {
  requests: Pick<Resources_ResourceEntry, "name" | "value">[];
  limits: Pick<Resources_ResourceEntry, "name" | "value">[];
} {
  return {
    requests: resourceEntries(r?.requests, forOverride),
    limits: resourceEntries(r?.limits, forOverride),
  };
}

const MOUNT = {
  any: Secret_MountType.ANY,
  env: Secret_MountType.ENV_VAR,
  file: Secret_MountType.FILE,
};

type PodTemplate = NonNullable<TaskOptions["podTemplate"]>;

function primaryName(p: PodTemplate): string {
  return p.primaryContainerName ?? "primary";
}

/** Kubernetes resource names, as flytekit writes them into pod specs. */
const K8S_NAMES: Record<keyof ResourceSpec, string> = {
  cpu: "cpu",
  mem: "memory",
  gpu: "gpu",
  ephemeralStorage: "ephemeral-storage",
};

function k8sResources(spec: ResourceSpec | undefined): JsonObject {
  return Object.fromEntries(
    CONTAINER_ORDER.filter(([k]) => spec?.[k] !== undefined).map((
      [k],
    ) => [K8S_NAMES[k], String(spec![k])]),
  );
}

/**
 * A k8s_pod target as flytekit builds one: the pod spec with the primary
 * container (added when missing) running the runtime's command, with the
 * task's image, resources and environment.
 */
function podTarget(
  p: PodTemplate,
  image: string,
  args: string[],
  resources: ResourcesOption | undefined,
  env: { key: string; value: string }[],
) {
  const spec = structuredClone(p.podSpec) as JsonObject;
  const containers =
    (Array.isArray(spec.containers) ? spec.containers : []) as JsonObject[];
  const name = primaryName(p);
  let primary = containers.find((c) => c.name === name);
  if (!primary) {
    primary = { name };
    containers.unshift(primary);
  }
  primary.command = [];
  primary.image = image;
  primary.args = args;
  const limits = k8sResources(resources?.limits);
  const requests = k8sResources(resources?.requests);
  if (Object.keys(limits).length + Object.keys(requests).length > 0) {
    primary.resources = { limits, requests };
  }
  const own = Array.isArray(primary.env) ? primary.env as JsonObject[] : [];
  primary.env = [...env.map((e) => ({ name: e.key, value: e.value })), ...own];
  spec.containers = containers;
  return {
    metadata: { labels: p.labels ?? {}, annotations: p.annotations ?? {} },
    podSpec: spec,
  };
}

/**
 * The identifier of a task, workflow or launch plan.
 *
 * @example
 * ```ts
 * import { entityId } from "./compile_task.ts";
 * console.log(entityId(1, "flows.add", { project: "p", domain: "d", version: "v1" }).name);
 * ```
 */
export function entityId(
  resourceType: ResourceType,
  name: string,
  s: EntityScope,
) {
  return {
    resourceType,
    project: s.project,
    domain: s.domain,
    name,
    version: s.version,
  };
}

/**
 * The TaskTemplate of a TypeScript task, for registration (the runtime's
 * command in the container; interactive mode appends `--bundle <uri>` via
 * `extraArgs`).
 *
 * @example
 * ```ts
 * import { t } from "../types/mod.ts";
 * import { task } from "./task.ts";
 * import { compileTask } from "./compile_task.ts";
 * const add = task({ name: "flows.add", inputs: { a: t.int }, outputs: t.int }, ({ a }) => a + 1);
 * const tpl = compileTask(add, { project: "p", domain: "d", version: "v1" });
 * console.log(tpl.target.case); // "container"
 * ```
 */
export function compileTask(
  def: TaskDefinition,
  options: CompileTaskOptions,
): TaskTemplate {
  return taskTemplate(def, def.name, def.inputs, def.outputs, options);
}

/** The template of `def` under `name` with the given interface (map tasks use list types). */
export function taskTemplate(
  def: TaskDefinition,
  name: string,
  inputs: InterfaceTypes,
  outputs: InterfaceTypes,
  options: CompileTaskOptions,
  extra: { taskTypeVersion?: number; args?: readonly string[] } = {},
): TaskTemplate {
  const o = def.options as TaskOptions;
  const env = Object.entries(o.environment ?? {}).map(([key, value]) => ({
    key,
    value,
  }));
  const image = options.image ?? o.image ?? DEFAULT_IMAGE;
  const args = runtimeArgs(def.name, [
    ...(extra.args ?? []),
    ...(options.extraArgs ?? []),
  ]);
  return create(TaskTemplateSchema, {
    id: entityId(ResourceType.TASK, name, options),
    type: def.taskType,
    metadata: {
      discoverable: o.cache ?? false,
      runtime: {
        type: RuntimeMetadata_RuntimeType.FLYTE_SDK,
        version: VERSION,
        flavor: "typescript",
      },
      timeout: o.timeout === undefined
        ? undefined
        : toPbDuration(o.timeout, `task ${def.name}: timeout`),
      retries: { retries: o.retries ?? 0 },
      discoveryVersion: o.cacheVersion ?? "",
      deprecatedErrorMessage: o.deprecated ?? "",
      interruptibleValue: o.interruptible === undefined
        ? { case: undefined }
        : { case: "interruptible", value: o.interruptible },
      cacheSerializable: o.cacheSerialize ?? false,
      podTemplateName: o.podTemplateName ?? "",
      cacheIgnoreInputVars: o.cacheIgnoreInputVars ?? [],
      generatesDeck: false,
      metadata: {},
    },
    interface: typedInterface(inputs, outputs),
    target: o.podTemplate
      ? {
        case: "k8sPod",
        value: podTarget(o.podTemplate, image, args, o.resources, env),
      }
      : {
        case: "container",
        value: { image, args, resources: resourcesOf(o.resources), env },
      },
    config: o.podTemplate
      ? { primary_container_name: primaryName(o.podTemplate) }
      : {},
    securityContext: o.secretRequests?.length
      ? {
        secrets: o.secretRequests.map((s) => ({
          group: s.group,
          key: s.key ?? "",
          groupVersion: s.groupVersion ?? "",
          mountRequirement: MOUNT[s.mount ?? "any"],
          envVar: s.envVar ?? "",
        })),
      }
      : undefined,
    taskTypeVersion: extra.taskTypeVersion ?? 0,
  });
}
