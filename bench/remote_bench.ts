/**
 * FlyteRemote benchmarks.
 * - "import mod.ts + forSandbox + first call": a fresh `deno run` process
 *   against a local h2c AdminService (warm module cache).
 * - "syncExecution with nodes, 1,000 nodes": the full node-tree walk (list,
 *   node data, task attempts and their data for every node) over Connect's
 *   in-memory router transport, so it measures the client's own cost and
 *   call scheduling; a sandbox-backed variant is to follow once the sandbox
 *   is on main.
 */
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import {
  type ConnectRouter,
  createClient,
  createRouterTransport,
} from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { GetDomainsResponseSchema } from "@flyteidl/admin/project_pb.ts";
import { ExecutionSchema } from "@flyteidl/admin/execution_pb.ts";
import {
  NodeExecutionGetDataResponseSchema,
  NodeExecutionListSchema,
  NodeExecutionSchema,
} from "@flyteidl/admin/node_execution_pb.ts";
import {
  TaskExecutionGetDataResponseSchema,
  TaskExecutionListSchema,
} from "@flyteidl/admin/task_execution_pb.ts";
import { WorkflowSchema } from "@flyteidl/admin/workflow_pb.ts";
import { LaunchPlanSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { WorkflowExecutionGetDataResponseSchema } from "@flyteidl/admin/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { FlyteRemote } from "../src/remote/mod.ts";

const routes = (router: ConnectRouter) =>
  router.service(AdminService, {
    getDomains: () =>
      create(GetDomainsResponseSchema, {
        domains: [{ id: "development", name: "development" }],
      }),
  });
const server = http2.createServer(connectNodeAdapter({ routes }));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
const helper = new URL("./remote_first_call.ts", import.meta.url).pathname;

Deno.bench(
  "import ./remote + forSandbox + first call (fresh process)",
  async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", helper, `127.0.0.1:${port}`],
      stdout: "null",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("first-call helper failed");
  },
);

const N = 1000;
const exId = { project: "p", domain: "d", name: "big" };
const nodes = Array.from({ length: N }, (_, i) =>
  create(NodeExecutionSchema, {
    id: { nodeId: `n${i}`, executionId: exId },
    closure: { phase: 3 },
  }));
const wfId = {
  resourceType: ResourceType.WORKFLOW,
  project: "p",
  domain: "d",
  name: "wf",
  version: "v",
};
const transport = createRouterTransport(({ service }) => {
  service(AdminService, {
    getExecution: () =>
      create(ExecutionSchema, {
        id: exId,
        spec: {
          launchPlan: { ...wfId, resourceType: ResourceType.LAUNCH_PLAN },
        },
        closure: { phase: 4, workflowId: wfId },
      }),
    getExecutionData: () => create(WorkflowExecutionGetDataResponseSchema, {}),
    getLaunchPlan: (r) => create(LaunchPlanSchema, { id: r.id }),
    getWorkflow: (r) =>
      create(WorkflowSchema, {
        id: r.id,
        closure: {
          compiledWorkflow: {
            primary: {
              template: {
                id: wfId,
                nodes: nodes.map((n) => ({
                  id: n.id!.nodeId,
                  target: {
                    case: "taskNode" as const,
                    value: {
                      reference: { case: "referenceId" as const, value: wfId },
                    },
                  },
                })),
              },
            },
          },
        },
      }),
    listNodeExecutions: (r) => {
      const start = Number(r.token || 0);
      const end = Math.min(N, start + r.limit);
      return create(NodeExecutionListSchema, {
        nodeExecutions: r.uniqueParentId ? [] : nodes.slice(start, end),
        token: !r.uniqueParentId && end < N ? String(end) : "",
      });
    },
    getNodeExecutionData: () => create(NodeExecutionGetDataResponseSchema, {}),
    listTaskExecutions: (r) =>
      create(TaskExecutionListSchema, {
        taskExecutions: [{
          id: { nodeExecutionId: r.nodeExecutionId, retryAttempt: 0 },
          closure: { phase: 3 },
        }],
      }),
    getTaskExecutionData: () => create(TaskExecutionGetDataResponseSchema, {}),
  });
});
const remote = new FlyteRemote({
  admin: createClient(AdminService, transport),
  signal: createClient(SignalService, transport),
  dataProxy: createClient(DataProxyService, transport),
}, { endpoint: "localhost:30080", insecure: true });

Deno.bench(
  "syncExecution with nodes, 1,000 nodes (in-memory transport)",
  async () => {
    const e = await remote.syncExecution(exId as never, { nodes: true });
    if (e.nodeExecutions.size !== N) throw new Error("wrong node count");
  },
);

Deno.bench(
  "syncExecution with nodes + node data + task attempts, 1,000 nodes (in-memory transport)",
  async () => {
    const e = await remote.syncExecution(exId as never, {
      nodes: true,
      nodeData: true,
      taskExecutions: true,
    });
    if (e.nodeExecutions.size !== N) throw new Error("wrong node count");
  },
);

globalThis.addEventListener("unload", () => server.close());
