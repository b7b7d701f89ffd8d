/**
 * Tasks, workflows and launch plans as mime bundles: id and version,
 * interface tables (with launch plan defaults and fixed inputs), the task's
 * container or type, and the workflow's node graph as inline SVG.
 *
 * @module
 */
import type { Task } from "@flyteidl/admin/task_pb.ts";
import type { Workflow } from "@flyteidl/admin/workflow_pb.ts";
import {
  type LaunchPlan,
  LaunchPlanState,
} from "@flyteidl/admin/launch_plan_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type {
  ParameterMap,
  TypedInterface,
  Variable,
} from "@flyteidl/core/interface_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import type { Binding } from "@flyteidl/core/literals_pb.ts";
import {
  dateOf,
  esc,
  formatDate,
  kv,
  link,
  type MimeBundle,
  table,
  truncate,
  wrap,
} from "./html.ts";
import {
  literalHtml,
  literalMapHtml,
  literalPlain,
  typeName,
} from "./values.ts";
import { workflowGraphSvg } from "./graph.ts";

function idLine(id: Identifier | undefined): string {
  return id ? `${id.project}/${id.domain}/${id.name}@${id.version}` : "";
}

/**
 * An interface's variables as a name / type / description table.
 *
 * @example
 * ```ts
 * import { variablesHtml } from "./entity.ts";
 * variablesHtml({});
 * ```
 */
export function variablesHtml(
  vars: Record<string, Variable> | undefined,
): string {
  const entries = Object.entries(vars ?? {});
  if (entries.length === 0) return `<span class="fd-m">none</span>`;
  return table(
    ["name", "type", "description"],
    entries.map(([k, v]) => [
      `<code>${esc(k)}</code>`,
      `<code>${esc(typeName(v.type))}</code>`,
      esc(truncate(v.description, 300).text),
    ]),
  );
}

function parametersHtml(params: ParameterMap | undefined): string {
  const entries = Object.entries(params?.parameters ?? {});
  if (entries.length === 0) return `<span class="fd-m">none</span>`;
  return table(
    ["name", "type", "default"],
    entries.map(([k, p]) => [
      `<code>${esc(k)}</code>`,
      `<code>${esc(typeName(p.var?.type))}</code>`,
      p.behavior.case === "default"
        ? literalHtml(p.behavior.value, p.var?.type)
        : p.behavior.case === "required" && p.behavior.value
        ? `<span class="fd-m">required</span>`
        : `<span class="fd-m">${esc(p.behavior.case ?? "required")}</span>`,
    ]),
  );
}

function interfacePlain(iface: TypedInterface | undefined): string {
  const sig = (vars: Record<string, Variable> | undefined) =>
    Object.entries(vars ?? {}).map(([k, v]) => `${k}: ${typeName(v.type)}`)
      .join(", ");
  return `(${sig(iface?.inputs?.variables)}) -> (${
    sig(iface?.outputs?.variables)
  })`;
}

function header(
  kind: string,
  id: Identifier | undefined,
  consoleUrl: string,
  created?: Date,
): string {
  return `<h3>${esc(kind)} ${esc(id?.name ?? "")} <span class="fd-m">${
    esc(id?.version ?? "")
  }</span></h3>` + kv([
    ["id", esc(idLine(id))],
    ["version", `<code>${esc(id?.version ?? "")}</code>`],
    ["registered", esc(formatDate(created))],
    ["console", consoleUrl ? link(consoleUrl, consoleUrl) : ""],
  ]);
}

/**
 * A task as a mime bundle.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { TaskSchema } from "@flyteidl/admin/task_pb.ts";
 * import { renderTask } from "./entity.ts";
 * renderTask(create(TaskSchema, { id: { name: "t", version: "v1" } }));
 * ```
 */
export function renderTask(task: Task, consoleUrl = ""): MimeBundle {
  const tpl = task.closure?.compiledTask?.template;
  const iface = tpl?.interface;
  let html = header(
    "Task",
    task.id,
    consoleUrl,
    dateOf(task.closure?.createdAt),
  );
  const target = tpl?.target;
  const runs = target?.case === "container"
    ? `${target.value.image} ${
      [...target.value.command, ...target.value.args].join(" ")
    }`
    : target?.case === "k8sPod"
    ? "pod"
    : target?.case === "sql"
    ? target.value.statement
    : "";
  html += kv([
    ["type", esc(tpl?.type ?? "")],
    ["runs", runs ? `<code>${esc(truncate(runs, 1000).text)}</code>` : ""],
    [
      "retries",
      tpl?.metadata?.retries?.retries
        ? String(tpl.metadata.retries.retries)
        : "",
    ],
    [
      "cache",
      tpl?.metadata?.discoverable
        ? esc(`on (version ${tpl.metadata.discoveryVersion})`)
        : "",
    ],
  ]);
  html += `<h4>Inputs</h4>${
    variablesHtml(iface?.inputs?.variables)
  }<h4>Outputs</h4>${variablesHtml(iface?.outputs?.variables)}`;
  const plain = `Task ${idLine(task.id)} ${interfacePlain(iface)}${
    consoleUrl ? `\n  ${consoleUrl}` : ""
  }`;
  return { "text/plain": plain, "text/html": wrap(html) };
}

/**
 * A workflow as a mime bundle, with its node graph.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
 * import { renderWorkflow } from "./entity.ts";
 * renderWorkflow(create(WorkflowSchema, { id: { name: "wf", version: "v1" } }));
 * ```
 */
export function renderWorkflow(
  wf: Workflow,
  consoleUrl = "",
  phases: Record<string, string> = {},
): MimeBundle {
  const primary = wf.closure?.compiledWorkflow?.primary?.template;
  const iface = primary?.interface;
  let html = header(
    "Workflow",
    wf.id,
    consoleUrl,
    dateOf(wf.closure?.createdAt),
  );
  html += `<h4>Inputs</h4>${
    variablesHtml(iface?.inputs?.variables)
  }<h4>Outputs</h4>${variablesHtml(iface?.outputs?.variables)}`;
  const nodes: Node[] = primary?.nodes ?? [];
  if (nodes.length) {
    html += `<h4>Graph</h4>${
      workflowGraphSvg(withEnds(nodes, primary?.outputs ?? []), phases)
    }`;
  }
  const plain = `Workflow ${idLine(wf.id)} ${
    interfacePlain(iface)
  }, ${nodes.length} node${nodes.length === 1 ? "" : "s"}${
    consoleUrl ? `\n  ${consoleUrl}` : ""
  }`;
  return { "text/plain": plain, "text/html": wrap(html) };
}

/** Adds start and end nodes (wired from inputs and to outputs) when the template has none. */
function withEnds(nodes: Node[], outputs: Binding[]): Node[] {
  if (nodes.some((n) => n.id === "start-node")) return nodes;
  const ends = new Set<string>();
  for (const o of outputs) {
    const v = o.binding?.value;
    if (v?.case === "promise") ends.add(v.value.nodeId);
  }
  const start = {
    id: "start-node",
    inputs: [],
    upstreamNodeIds: [],
  } as unknown as Node;
  const end = {
    id: "end-node",
    inputs: [],
    upstreamNodeIds: [...ends],
  } as unknown as Node;
  const roots = nodes.map((n) =>
    n.upstreamNodeIds.length === 0 &&
      !n.inputs.some((b) => b.binding?.value.case === "promise")
      ? { ...n, upstreamNodeIds: ["start-node"] } as Node
      : n
  );
  return [start, ...roots, ...(ends.size ? [end] : [])];
}

/**
 * A launch plan as a mime bundle: state, schedule, workflow, defaults and
 * fixed inputs, outputs.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
 * import { renderLaunchPlan } from "./entity.ts";
 * renderLaunchPlan(create(LaunchPlanSchema, { id: { name: "lp", version: "v1" } }));
 * ```
 */
export function renderLaunchPlan(lp: LaunchPlan, consoleUrl = ""): MimeBundle {
  const spec = lp.spec;
  const sched = spec?.entityMetadata?.schedule?.ScheduleExpression;
  const schedule = sched?.case === "cronExpression"
    ? sched.value
    : sched?.case === "cronSchedule"
    ? sched.value.schedule
    : sched?.case === "rate"
    ? `every ${sched.value.value} ${
      ["minute", "hour", "day"][sched.value.unit] ?? ""
    }(s)`
    : "";
  const state = LaunchPlanState[lp.closure?.state ?? 0] ?? "";
  let html = header(
    "Launch plan",
    lp.id,
    consoleUrl,
    dateOf(lp.closure?.createdAt),
  );
  html += kv([
    ["state", esc(state)],
    ["workflow", esc(idLine(spec?.workflowId))],
    ["schedule", esc(schedule)],
  ]);
  html += `<h4>Inputs</h4>${
    parametersHtml(lp.closure?.expectedInputs ?? spec?.defaultInputs)
  }`;
  if (Object.keys(spec?.fixedInputs?.literals ?? {}).length) {
    html += `<h4>Fixed inputs</h4>${literalMapHtml(spec?.fixedInputs)}`;
  }
  html += `<h4>Outputs</h4>${
    variablesHtml(lp.closure?.expectedOutputs?.variables)
  }`;
  const defaults = Object.entries(
    lp.closure?.expectedInputs?.parameters ?? spec?.defaultInputs?.parameters ??
      {},
  )
    .map(([k, p]) =>
      `${k}: ${typeName(p.var?.type)}${
        p.behavior.case === "default"
          ? ` = ${literalPlain(p.behavior.value, p.var?.type)}`
          : ""
      }`
    )
    .join(", ");
  const plain = `Launch plan ${idLine(lp.id)} ${state}${
    schedule ? ` (${schedule})` : ""
  } (${defaults})${consoleUrl ? `\n  ${consoleUrl}` : ""}`;
  return { "text/plain": plain, "text/html": wrap(html) };
}
