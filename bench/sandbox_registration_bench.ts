/**
 * Registrations per second over native gRPC: tasks, and workflow + launch
 * plan pairs (each compiled by the sandbox's compiler).
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../tests/helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { startSandbox } from "../src/sandbox/mod.ts";
import {
  chainLaunchPlan,
  chainWorkflow,
  squareTask,
} from "../tests/integration/sandbox_fixtures.ts";

const dataDir = await Deno.makeTempDir({ prefix: "sandbox-bench-" });
const sb = await startSandbox({ port: 0, dataDir });
const c = createClient(
  AdminService,
  createGrpcTransport({ baseUrl: sb.endpoint }),
);
await c.createTask(squareTask());
let n = 0;

Deno.bench("sandbox: CreateTask over gRPC (one registration)", async () => {
  await c.createTask(squareTask(`t${n++}`));
});

Deno.bench(
  "sandbox: CreateWorkflow (3 nodes, compiled) + CreateLaunchPlan over gRPC",
  async () => {
    const v = `w${n++}`;
    await c.createWorkflow(chainWorkflow(v));
    await c.createLaunchPlan(chainLaunchPlan(v));
  },
);

globalThis.addEventListener("unload", () => {
  sb.close().then(() => Deno.removeSync(dataDir, { recursive: true }));
});
