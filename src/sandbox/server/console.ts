/**
 * The console behind the links FlyteRemote prints (`generateConsoleUrl`):
 * HTML pages under `/console` for the executions list, an execution (with
 * its nodes, outputs and graph), a node execution (`?nodeId=`), a task
 * execution (`&retryAttempt=`), and task / workflow / launch plan pages (one
 * version, or the versions of a name). Pages are read through the admin
 * service implementation itself and drawn by src/display.
 *
 * @module
 */
import type * as http from "node:http";
import type * as http2 from "node:http2";
import { Buffer } from "node:buffer";
import { create, type DescMethod } from "@bufbuild/protobuf";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { Sort_Direction } from "@flyteidl/admin/common_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { NodeExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import type { Execution } from "@flyteidl/admin/execution_pb.ts";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import type { TaskExecution } from "@flyteidl/admin/task_execution_pb.ts";
import type { Workflow } from "@flyteidl/admin/workflow_pb.ts";
import type { Task } from "@flyteidl/admin/task_pb.ts";
import type { TypedInterface } from "@flyteidl/core/interface_pb.ts";
import {
  esc,
  type ExecutionLike,
  link,
  type MimeBundle,
  type NodeExecutionLike,
  renderExecution,
  renderExecutionList,
  renderLaunchPlan,
  renderNodeExecution,
  renderTask,
  renderTaskExecution,
  renderWorkflow,
  table,
  type TaskExecutionLike,
  workflowGraphSvg,
  wrap,
} from "../../display/mod.ts";

type NodeRes = http.ServerResponse | http2.Http2ServerResponse;

/** Calls an admin method by its local name (the server's own dispatch). */
export type AdminInvoke = (
  method: DescMethod,
  request: unknown,
  headers: Headers,
) => Promise<unknown>;

const KINDS: Record<
  string,
  { type: ResourceType; get: string; list: string; key: string }
> = {
  task: {
    type: ResourceType.TASK,
    get: "getTask",
    list: "listTasks",
    key: "tasks",
  },
  workflow: {
    type: ResourceType.WORKFLOW,
    get: "getWorkflow",
    list: "listWorkflows",
    key: "workflows",
  },
  launch_plan: {
    type: ResourceType.LAUNCH_PLAN,
    get: "getLaunchPlan",
    list: "listLaunchPlans",
    key: "launchPlans",
  },
};

class NotFound extends Error {}

function page(title: string, body: string, crumbs: [string, string][]): string {
  const nav = crumbs.map(([href, text]) =>
    href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text)
  ).join(" / ");
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>${
    esc(title)
  } · Flyte sandbox console</title><style>body{margin:16px 20px;background:Canvas;color:CanvasText}nav{font:13px sans-serif;margin-bottom:10px}nav a{color:#0969da}@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}nav a{color:#4493f8}}</style></head><body><nav>${nav}</nav>${body}</body></html>`;
}

/**
 * Serves one `/console` request; answers false for other paths.
 *
 * @example
 * ```ts
 * import { handleConsole } from "./console.ts";
 * console.log(typeof handleConsole); // "function"
 * ```
 */
export async function handleConsole(
  url: URL,
  verb: string,
  res: NodeRes,
  invoke: AdminInvoke,
): Promise<boolean> {
  if (url.pathname !== "/console" && !url.pathname.startsWith("/console/")) {
    return false;
  }
  if (verb !== "GET" && verb !== "HEAD") {
    send(res, 405, "text/plain; charset=utf-8", "method not allowed");
    return true;
  }
  const call = async <T>(
    name: string,
    init: Record<string, unknown>,
  ): Promise<T> => {
    const m = AdminService
      .method[name as keyof typeof AdminService.method] as DescMethod;
    try {
      return await invoke(
        m,
        create(m.input, init as never),
        new Headers(),
      ) as T;
    } catch (e) {
      if ((e as { code?: number }).code === 5) {
        throw new NotFound((e as Error).message);
      }
      throw e;
    }
  };
  try {
    const html = await route(url, call);
    send(res, 200, "text/html; charset=utf-8", verb === "HEAD" ? "" : html);
  } catch (e) {
    const status = e instanceof NotFound ? 404 : 500;
    send(
      res,
      status,
      "text/html; charset=utf-8",
      page(
        String(status),
        wrap(
          `<h3>${status === 404 ? "Not found" : "Error"}</h3><pre>${
            esc((e as Error).message ?? e)
          }</pre>`,
        ),
        [["/console", "console"]],
      ),
    );
  }
  return true;
}

function send(res: NodeRes, status: number, type: string, body: string) {
  const b = Buffer.from(body);
  res.writeHead(status, {
    "content-type": type,
    "content-length": String(b.length),
    "cache-control": "no-store",
  });
  res.end(b);
}

type Call = <T>(name: string, init: Record<string, unknown>) => Promise<T>;

async function route(url: URL, call: Call): Promise<string> {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length <= 1 || parts[1] !== "projects" || parts.length < 4) {
    const r = await call<
      { projects: { id: string; domains: { id: string }[] }[] }
    >("listProjects", {});
    const rows = r.projects.flatMap((p) =>
      p.domains.map((
        d,
      ) => [
        esc(p.id),
        link(
          `/console/projects/${enc(p.id)}/domains/${enc(d.id)}/executions`,
          d.id,
        ),
      ])
    );
    return page(
      "projects",
      wrap(`<h3>Projects</h3>${table(["project", "domain"], rows)}`),
      [["", "console"]],
    );
  }
  const [, , project, , domain, kind, name, v, version] = parts;
  const scope = `/console/projects/${enc(project)}/domains/${enc(domain)}`;
  const crumbs: [string, string][] = [["/console", "console"], [
    `${scope}/executions`,
    `${project}/${domain}`,
  ]];
  if (kind === "executions" && !name) {
    return await executionsPage(call, project, domain, scope, crumbs);
  }
  if (kind === "executions") {
    return await executionPage(
      call,
      url,
      { project, domain, name },
      scope,
      crumbs,
    );
  }
  const k = KINDS[kind] ?? KINDS[kind?.replace(/s$/, "")];
  if (k && name && v === "version" && version) {
    const raw = await call<Parameters<typeof renderTask>[0]>(k.get, {
      id: { resourceType: k.type, project, domain, name, version },
    });
    const self = `${scope}/${kind}/${enc(name)}/version/${enc(version)}`;
    const b: MimeBundle = kind === "task"
      ? renderTask(raw, self)
      : kind === "workflow"
      ? renderWorkflow(raw as unknown as Workflow, self)
      : renderLaunchPlan(
        raw as unknown as Parameters<typeof renderLaunchPlan>[0],
        self,
      );
    crumbs.push([`${scope}/${kind}s/${enc(name)}`, name], ["", version]);
    return page(`${name}@${version}`, b["text/html"], crumbs);
  }
  if (k && name && kind.endsWith("s")) {
    const single = kind.slice(0, -1);
    const r = await call<
      Record<
        string,
        {
          id?: { version: string };
          closure?: { createdAt?: { seconds: bigint } };
        }[]
      >
    >(k.list, {
      id: { project, domain, name },
      limit: 100,
      sortBy: { key: "created_at", direction: Sort_Direction.DESCENDING },
    });
    const items = r[k.key] ?? [];
    if (items.length === 0) {
      throw new NotFound(`no ${single} named ${name} in ${project}/${domain}`);
    }
    const rows = items.map((
      x,
    ) => [
      link(
        `${scope}/${single}/${enc(name)}/version/${enc(x.id?.version ?? "")}`,
        x.id?.version ?? "",
      ),
    ]);
    crumbs.push(["", name]);
    return page(
      name,
      wrap(
        `<h3>${esc(single.replace("_", " "))} ${
          esc(name)
        }: ${items.length} version${items.length === 1 ? "" : "s"}</h3>${
          table(["version (newest first)"], rows)
        }`,
      ),
      crumbs,
    );
  }
  throw new NotFound(`no console page at ${url.pathname}`);
}

const enc = encodeURIComponent;

async function executionsPage(
  call: Call,
  project: string,
  domain: string,
  scope: string,
  crumbs: [string, string][],
) {
  const r = await call<{ executions: Execution[] }>("listExecutions", {
    id: { project, domain },
    limit: 200,
    sortBy: { key: "created_at", direction: Sort_Direction.DESCENDING },
  });
  const b = renderExecutionList(
    r.executions.map((raw) => ({ raw })),
    (e) => `${scope}/executions/${enc(e.raw.id?.name ?? "")}`,
  );
  crumbs[crumbs.length - 1] = ["", `${project}/${domain}`];
  return page(`executions ${project}/${domain}`, b["text/html"], crumbs);
}

async function nodesOf(
  call: Call,
  id: unknown,
  parent = "",
  depth = 0,
): Promise<NodeExecutionLike[]> {
  const r = await call<{ nodeExecutions: NodeExecution[] }>(
    "listNodeExecutions",
    {
      workflowExecutionId: id,
      limit: 10_000,
      uniqueParentId: parent,
    },
  );
  const out: NodeExecutionLike[] = [];
  await Promise.all(r.nodeExecutions.map(async (raw, i) => {
    const t = await call<{ taskExecutions: TaskExecution[] }>(
      "listTaskExecutions",
      { nodeExecutionId: raw.id, limit: 100 },
    );
    const taskExecutions: TaskExecutionLike[] = t.taskExecutions
      .sort((a, b) => (a.id?.retryAttempt ?? 0) - (b.id?.retryAttempt ?? 0))
      .map((raw) => ({ raw }));
    const n: NodeExecutionLike = { raw, taskExecutions };
    if (raw.metadata?.isParentNode && depth < 4) {
      n.children = await nodesOf(call, id, raw.id?.nodeId ?? "", depth + 1);
    }
    out[i] = n;
  }));
  return out.sort((a, b) =>
    Number(a.raw.closure?.createdAt?.seconds ?? 0n) -
    Number(b.raw.closure?.createdAt?.seconds ?? 0n)
  );
}

function find(
  nodes: NodeExecutionLike[],
  nodeId: string,
): NodeExecutionLike | undefined {
  for (const n of nodes) {
    if (n.raw.id?.nodeId === nodeId) return n;
    const c = find(
      n.children instanceof Map ? [...n.children.values()] : n.children ?? [],
      nodeId,
    );
    if (c) return c;
  }
  return undefined;
}

/** The interface of the task a node ran (types its inputs and outputs), when it ran one. */
async function taskInterface(
  call: Call,
  node: NodeExecutionLike,
): Promise<TypedInterface | undefined> {
  const taskId = node.taskExecutions?.at(-1)?.raw.id?.taskId;
  if (!taskId?.name) return undefined;
  const task = await call<Task>("getTask", { id: taskId }).catch(() =>
    undefined
  );
  return task?.closure?.compiledTask?.template?.interface;
}

async function executionPage(
  call: Call,
  url: URL,
  id: { project: string; domain: string; name: string },
  scope: string,
  crumbs: [string, string][],
): Promise<string> {
  const self = `${scope}/executions/${enc(id.name)}`;
  const raw = await call<Execution>("getExecution", { id });
  const [data, nodes, wf] = await Promise.all([
    call<
      {
        fullInputs?: ExecutionLike["inputLiterals"];
        fullOutputs?: ExecutionLike["outputLiterals"];
      }
    >("getExecutionData", { id }),
    nodesOf(call, id),
    raw.closure?.workflowId?.name
      ? call<Workflow>("getWorkflow", { id: raw.closure.workflowId }).catch(
        () => undefined,
      )
      : Promise.resolve(undefined),
  ]);
  const template = wf?.closure?.compiledWorkflow?.primary?.template;
  crumbs.push(["", id.name]);
  const nodeId = url.searchParams.get("nodeId");
  if (nodeId) {
    const node = find(nodes, nodeId);
    if (!node) throw new NotFound(`execution ${id.name} has no node ${nodeId}`);
    crumbs[crumbs.length - 1] = [self, id.name];
    const attempt = url.searchParams.get("retryAttempt");
    if (attempt !== null) {
      const t = node.taskExecutions?.find((x) =>
        String(x.raw.id?.retryAttempt ?? 0) === attempt
      );
      if (!t) {
        throw new NotFound(
          `node ${nodeId} of ${id.name} has no attempt ${attempt}`,
        );
      }
      const d = await call<
        {
          fullInputs?: ExecutionLike["inputLiterals"];
          fullOutputs?: ExecutionLike["outputLiterals"];
        }
      >(
        "getTaskExecutionData",
        { id: t.raw.id },
      );
      crumbs.push([`${self}?nodeId=${enc(nodeId)}`, nodeId], [
        "",
        `attempt ${attempt}`,
      ]);
      return page(
        `${nodeId} attempt ${attempt}`,
        renderTaskExecution({
          ...t,
          inputLiterals: d.fullInputs,
          outputLiterals: d.fullOutputs,
          interface: await taskInterface(call, node),
        })["text/html"],
        crumbs,
      );
    }
    const d = await call<
      {
        fullInputs?: ExecutionLike["inputLiterals"];
        fullOutputs?: ExecutionLike["outputLiterals"];
      }
    >(
      "getNodeExecutionData",
      { id: node.raw.id },
    );
    crumbs.push(["", nodeId]);
    const attempts = (node.taskExecutions ?? []).map((t) =>
      link(
        `${self}?nodeId=${enc(nodeId)}&retryAttempt=${
          t.raw.id?.retryAttempt ?? 0
        }`,
        `attempt ${t.raw.id?.retryAttempt ?? 0}`,
      )
    ).join(" · ");
    const b = renderNodeExecution({
      ...node,
      inputLiterals: d.fullInputs,
      outputLiterals: d.fullOutputs,
      interface: await taskInterface(call, node),
    }, `${self}?nodeId=${enc(nodeId)}`);
    return page(
      nodeId,
      b["text/html"] +
        (attempts ? wrap(`<h4>Task executions</h4>${attempts}`) : ""),
      crumbs,
    );
  }
  const view: ExecutionLike = {
    raw,
    inputLiterals: data.fullInputs,
    outputLiterals: data.fullOutputs,
    interface: template?.interface,
    nodeExecutions: nodes,
    consoleUrl: self,
  };
  let html = renderExecution(view)["text/html"];
  if (template?.nodes.length) {
    const phases: Record<string, string> = {};
    for (const n of nodes) {
      phases[n.raw.id?.nodeId ?? ""] =
        NodeExecution_Phase[n.raw.closure?.phase ?? 0];
    }
    html += wrap(`<h4>Graph</h4>${workflowGraphSvg(template.nodes, phases)}`);
  }
  return page(id.name, html, crumbs);
}
