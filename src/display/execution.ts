/**
 * Workflow, node and task executions as mime bundles: phase badge, start,
 * duration, inputs and outputs, the node tree (phases, durations, attempts,
 * log links), the error with its kind, and console links.
 *
 * The renderers take the flyteidl messages plus what a client or the
 * sandbox knows beside them (input/output literals, child nodes), in plain
 * structural shapes: FlyteRemote's objects fit them as they are.
 *
 * @module
 */
import {
  type ExecutionError,
  ExecutionError_ErrorKind,
} from "@flyteidl/core/execution_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import {
  badge,
  dateOf,
  esc,
  formatDate,
  formatDuration,
  kv,
  link,
  type MimeBundle,
  table,
  truncate,
  wrap,
} from "./html.ts";
import { literalMapHtml, literalMapPlain } from "./values.ts";
import {
  allRaw,
  childrenOf,
  elapsedMs,
  type ExecutionLike,
  executionPhase,
  logsHtml,
  type NodeExecutionLike,
  nodePhase,
  nodeTableHtml,
  phaseCounts,
  type TaskExecutionLike,
  taskPhase,
} from "./nodes.ts";

function idText(
  id: { project: string; domain: string; name: string } | undefined,
): string {
  return id ? `${id.project}/${id.domain}/${id.name}` : "";
}

function entityText(id: Identifier | undefined): string {
  return id?.name ? `${id.name}${id.version ? `@${id.version}` : ""}` : "";
}

const KIND_PATH = ["", "task", "workflow", "launch_plan"];

/** An entity's name@version, linked to its console page when the execution's console URL shows where the console is. */
function entityLink(consoleUrl: string, id: Identifier | undefined): string {
  const base = /^(.*)\/console\/projects\//.exec(consoleUrl)?.[1];
  const kind = KIND_PATH[id?.resourceType ?? 0];
  if (base === undefined || !kind || !id?.name || !id.version) {
    return esc(entityText(id));
  }
  const e = encodeURIComponent;
  return link(
    `${base}/console/projects/${e(id.project)}/domains/${
      e(id.domain)
    }/${kind}/${e(id.name)}/version/${e(id.version)}`,
    entityText(id),
  );
}

/**
 * An ExecutionError as HTML: kind, code, message (cut when huge), error URI.
 *
 * @example
 * ```ts
 * import { errorHtml } from "./execution.ts";
 * ```
 */
export function errorHtml(err: ExecutionError | undefined): string {
  if (!err) return "";
  const kind = ExecutionError_ErrorKind[err.kind] ?? "UNKNOWN";
  const { text, cut } = truncate(err.message, 8_000);
  return `<div class="fd-err"><b>${esc(kind)} error</b> <code>${
    esc(err.code)
  }</code><pre>${esc(text)}</pre>${
    cut
      ? `<div class="fd-note">… ${
        cut.toLocaleString("en-US")
      } more characters</div>`
      : ""
  }${err.errorUri ? `<div class="fd-m">${esc(err.errorUri)}</div>` : ""}</div>`;
}

function errorPlain(err: ExecutionError | undefined): string {
  if (!err) return "";
  const kind = ExecutionError_ErrorKind[err.kind] ?? "UNKNOWN";
  return `${kind} error ${err.code}: ${
    truncate(err.message.split("\n")[0], 300).text
  }`;
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts).map(([p, n]) => `${n} ${p.toLowerCase()}`).join(
    ", ",
  );
}

function countsHtml(counts: Record<string, number>): string {
  return Object.entries(counts).map(([p, n]) => `${n} ${badge(p)}`).join(" ");
}

/**
 * A workflow execution as a mime bundle.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
 * import { renderExecution } from "./execution.ts";
 * const b = renderExecution({ raw: create(ExecutionSchema, { id: { project: "p", domain: "d", name: "x" } }) });
 * console.log(b["text/plain"]);
 * ```
 */
export function renderExecution(
  e: ExecutionLike,
  now: number = Date.now(),
): MimeBundle {
  const r = e.raw;
  const phase = executionPhase(r);
  const c = r.closure;
  const started = dateOf(c?.startedAt) ?? dateOf(c?.createdAt);
  const dur = formatDuration(elapsedMs(c, now));
  const vars = e.interface;
  const nodes = [...childrenOf(e.nodeExecutions)];
  const counts = phaseCounts(allRaw(nodes));
  const err = c?.outputResult.case === "error"
    ? c.outputResult.value
    : undefined;
  const abort = c?.outputResult.case === "abortMetadata"
    ? c.outputResult.value.cause
    : c?.outputResult.case === "abortCause"
    ? c.outputResult.value
    : "";
  const outputs = e.outputLiterals ??
    (c?.outputResult.case === "outputData" ? c.outputResult.value : undefined);
  const inputs = e.inputLiterals ?? c?.computedInputs;
  const url = e.consoleUrl ?? "";
  let html = `<h3>Execution ${esc(r.id?.name ?? "")} ${badge(phase)}</h3>` +
    kv([
      ["id", esc(idText(r.id))],
      ["launched", entityLink(url, r.spec?.launchPlan)],
      ["workflow", entityLink(url, c?.workflowId)],
      ["started", esc(formatDate(started))],
      ["duration", esc(dur)],
      ["nodes", countsHtml(counts)],
      ["abort cause", esc(abort)],
      ["console", url ? link(url, url) : ""],
    ]);
  html += errorHtml(err);
  html += `<h4>Inputs</h4>${
    inputs
      ? literalMapHtml(inputs, vars?.inputs?.variables)
      : `<span class="fd-m">not fetched</span>`
  }`;
  if (outputs || phase === "SUCCEEDED") {
    html += `<h4>Outputs</h4>${
      outputs
        ? literalMapHtml(outputs, vars?.outputs?.variables)
        : c?.outputResult.case === "outputs"
        ? `<span class="fd-m">stored at ${
          esc(c.outputResult.value.data.value ?? "")
        }</span>`
        : `<span class="fd-m">not fetched</span>`
    }`;
  }
  if (nodes.length) html += `<h4>Nodes</h4>${nodeTableHtml(nodes, url, now)}`;
  const lines = [
    `Execution ${idText(r.id)} ${phase}${dur ? ` (${dur})` : ""}`,
  ];
  if (Object.keys(counts).length) lines.push(`  nodes: ${countsText(counts)}`);
  if (inputs && Object.keys(inputs.literals).length) {
    lines.push(`  inputs: ${literalMapPlain(inputs, vars?.inputs?.variables)}`);
  }
  if (outputs && Object.keys(outputs.literals).length) {
    lines.push(
      `  outputs: ${literalMapPlain(outputs, vars?.outputs?.variables)}`,
    );
  }
  if (err) lines.push(`  ${errorPlain(err)}`);
  if (abort) lines.push(`  aborted: ${abort}`);
  if (url) lines.push(`  ${url}`);
  return { "text/plain": lines.join("\n"), "text/html": wrap(html) };
}

/**
 * A node execution as a mime bundle: phase, timing, inputs and outputs,
 * its task attempts and child nodes.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { NodeExecutionSchema } from "@flyteidl/admin/node_execution_pb.ts";
 * import { renderNodeExecution } from "./execution.ts";
 * renderNodeExecution({ raw: create(NodeExecutionSchema, { id: { nodeId: "n0" } }) });
 * ```
 */
export function renderNodeExecution(
  n: NodeExecutionLike,
  consoleUrl = "",
  now: number = Date.now(),
): MimeBundle {
  const r = n.raw;
  const phase = nodePhase(r);
  const dur = formatDuration(elapsedMs(r.closure, now));
  const err = r.closure?.outputResult.case === "error"
    ? r.closure.outputResult.value
    : undefined;
  const outputs = n.outputLiterals ??
    (r.closure?.outputResult.case === "outputData"
      ? r.closure.outputResult.value
      : undefined);
  const tasks = n.taskExecutions ?? [];
  let html = `<h3>Node ${esc(r.id?.nodeId ?? "")} ${badge(phase)}</h3>` + kv([
    ["execution", esc(idText(r.id?.executionId))],
    ["kind", esc(n.kind ?? "")],
    ["started", esc(formatDate(dateOf(r.closure?.startedAt)))],
    ["duration", esc(dur)],
    ["console", consoleUrl ? link(consoleUrl, consoleUrl) : ""],
  ]);
  html += errorHtml(err);
  if (n.inputLiterals) {
    html += `<h4>Inputs</h4>${
      literalMapHtml(n.inputLiterals, n.interface?.inputs?.variables)
    }`;
  }
  if (outputs) {
    html += `<h4>Outputs</h4>${
      literalMapHtml(outputs, n.interface?.outputs?.variables)
    }`;
  }
  if (tasks.length) {
    html += `<h4>Attempts</h4>${
      table(
        ["attempt", "task", "phase", "started", "duration", "logs"],
        tasks.map((t) => [
          String(t.raw.id?.retryAttempt ?? 0),
          esc(entityText(t.raw.id?.taskId)),
          badge(taskPhase(t.raw)),
          esc(formatDate(dateOf(t.raw.closure?.startedAt))),
          esc(formatDuration(elapsedMs(t.raw.closure, now))),
          logsHtml(t.raw.closure?.logs ?? []),
        ]),
      )
    }`;
  }
  const kids = [
    ...childrenOf(n.children),
    ...tasks.flatMap((t) => t.children ?? []),
  ];
  if (n.childExecution) {
    kids.push(...childrenOf(n.childExecution.nodeExecutions));
  }
  if (kids.length) {
    html += `<h4>Child nodes</h4>${nodeTableHtml(kids, "", now)}`;
  }
  const lines = [
    `Node ${r.id?.nodeId ?? ""} of ${idText(r.id?.executionId)} ${phase}${
      dur ? ` (${dur})` : ""
    }`,
  ];
  if (tasks.length) lines.push(`  attempts: ${tasks.length}`);
  if (outputs) {
    lines.push(
      `  outputs: ${literalMapPlain(outputs, n.interface?.outputs?.variables)}`,
    );
  }
  if (err) lines.push(`  ${errorPlain(err)}`);
  return { "text/plain": lines.join("\n"), "text/html": wrap(html) };
}

/**
 * A task execution (one attempt) as a mime bundle: phase, timing, reason,
 * logs, inputs and outputs.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { TaskExecutionSchema } from "@flyteidl/admin/task_execution_pb.ts";
 * import { renderTaskExecution } from "./execution.ts";
 * renderTaskExecution({ raw: create(TaskExecutionSchema) });
 * ```
 */
export function renderTaskExecution(
  t: TaskExecutionLike,
  consoleUrl = "",
  now: number = Date.now(),
): MimeBundle {
  const r = t.raw;
  const phase = taskPhase(r);
  const c = r.closure;
  const dur = formatDuration(elapsedMs(c, now));
  const err = c?.outputResult.case === "error"
    ? c.outputResult.value
    : undefined;
  const outputs = t.outputLiterals ??
    (c?.outputResult.case === "outputData" ? c.outputResult.value : undefined);
  const id = r.id;
  const title = `${id?.nodeExecutionId?.nodeId ?? ""} attempt ${
    id?.retryAttempt ?? 0
  }`;
  let html = `<h3>Task ${esc(entityText(id?.taskId))} ${badge(phase)}</h3>` +
    kv([
      ["node", esc(title)],
      ["execution", esc(idText(id?.nodeExecutionId?.executionId))],
      ["type", esc(c?.taskType ?? "")],
      ["started", esc(formatDate(dateOf(c?.startedAt)))],
      ["duration", esc(dur)],
      ["reason", esc(truncate(c?.reason ?? "", 2000).text)],
      ["logs", logsHtml(c?.logs ?? [])],
      ["console", consoleUrl ? link(consoleUrl, consoleUrl) : ""],
    ]);
  html += errorHtml(err);
  if (t.inputLiterals) {
    html += `<h4>Inputs</h4>${
      literalMapHtml(t.inputLiterals, t.interface?.inputs?.variables)
    }`;
  }
  if (outputs) {
    html += `<h4>Outputs</h4>${
      literalMapHtml(outputs, t.interface?.outputs?.variables)
    }`;
  }
  if (t.children?.length) {
    html += `<h4>Child nodes</h4>${nodeTableHtml(t.children, "", now)}`;
  }
  const lines = [
    `Task ${entityText(id?.taskId)} (${title}) ${phase}${
      dur ? ` (${dur})` : ""
    }`,
  ];
  for (const l of c?.logs ?? []) lines.push(`  log ${l.name}: ${l.uri}`);
  if (err) lines.push(`  ${errorPlain(err)}`);
  return { "text/plain": lines.join("\n"), "text/html": wrap(html) };
}
