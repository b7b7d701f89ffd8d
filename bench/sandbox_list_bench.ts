/**
 * Listing 10,000 executions over gRPC with a filter, sorting and paging.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../tests/helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { Sort_Direction } from "@flyteidl/admin/common_pb.ts";
import { startSandbox } from "../src/sandbox/mod.ts";
import {
  chainLaunchPlan,
  chainWorkflow,
  DOMAIN,
  ident,
  PROJECT,
  squareTask,
} from "../tests/integration/sandbox_fixtures.ts";

const dataDir = await Deno.makeTempDir({ prefix: "sandbox-bench-" });
const sb = await startSandbox({ port: 0, dataDir });
const admin = sb.services.admin;
await admin.createTask(squareTask());
await admin.createWorkflow(chainWorkflow());
await admin.createLaunchPlan(chainLaunchPlan());
const since = new Date(Date.now() - 1000).toISOString();
const t0 = performance.now();
for (let i = 0; i < 10_000; i++) {
  await admin.createExecution({
    project: PROJECT,
    domain: DOMAIN,
    name: `x${String(i).padStart(5, "0")}`,
    spec: { launchPlan: ident(ResourceType.LAUNCH_PLAN, "tests.chain") },
  });
}
console.error(
  `created 10,000 executions in ${
    ((performance.now() - t0) / 1000).toFixed(1)
  } s (in-process)`,
);
const c = createClient(
  AdminService,
  createGrpcTransport({ baseUrl: sb.endpoint }),
);
const id = { project: PROJECT, domain: DOMAIN };
const filters =
  `eq(launch_plan.name,tests.chain)+gte(created_at,${since})+eq(phase,UNDEFINED)`;

Deno.bench(
  "sandbox: list 10,000 executions (filter, sort, pages of 500) over gRPC",
  async () => {
    let token = "";
    let count = 0;
    do {
      const page = await c.listExecutions({
        id,
        limit: 500,
        token,
        filters,
        sortBy: { key: "created_at", direction: Sort_Direction.DESCENDING },
      });
      count += page.executions.length;
      token = page.token;
    } while (token);
    if (count !== 10_000) throw new Error(`listed ${count}`);
  },
);

Deno.bench(
  "sandbox: first page of 100 of 10,000 executions with a filter over gRPC",
  async () => {
    const page = await c.listExecutions({ id, limit: 100, filters });
    if (page.executions.length !== 100) throw new Error("short page");
  },
);

Deno.bench(
  "sandbox: filter matching 10 of 10,000 executions (value_in on name)",
  async () => {
    const names = Array.from({ length: 10 }, (_, i) => `x0${i}000`).join(";");
    const page = await c.listExecutions({
      id,
      limit: 100,
      filters: `value_in(name,${names})`,
    });
    if (page.executions.length !== 10) {
      throw new Error(`got ${page.executions.length}`);
    }
  },
);

globalThis.addEventListener("unload", () => {
  sb.close().then(() => Deno.removeSync(dataDir, { recursive: true }));
});
