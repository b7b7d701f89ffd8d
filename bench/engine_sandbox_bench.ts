/**
 * Engine benchmarks through the whole sandbox (admin + engine), driven only
 * by a gRPC client: CreateExecution → GetExecution reports SUCCEEDED.
 *
 * Run: deno bench -A bench/engine_sandbox_bench.ts
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager } from "@connectrpc/connect-node";
import { createGrpcTransport } from "../tests/helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import {
  NodeSchema,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import { WorkflowExecution_Phase as WfPhase } from "@flyteidl/core/execution_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { startSandbox } from "../src/sandbox/mod.ts";
import {
  int,
  lmap,
  taskTemplate,
  writeProgram,
} from "../tests/integration/engine_harness.ts";

const dir = await Deno.makeTempDir({ prefix: "engine-sb-bench-" });
const program = await writeProgram(dir);
const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
const sessions = new Http2SessionManager(sb.endpoint);
const admin = createClient(
  AdminService,
  createGrpcTransport({ baseUrl: sb.endpoint, sessionManager: sessions }),
);
const id = (type: ResourceType, name: string) =>
  create(IdentifierSchema, {
    resourceType: type,
    project: "flytesnacks",
    domain: "development",
    name,
    version: "v1",
  });
const INT = { type: { case: "simple" as const, value: SimpleType.INTEGER } };

const pre = `${dir}/o0.pb`;
await Deno.writeFile(pre, toBinary(LiteralMapSchema, lmap({ o0: int(1) })));
const tasks = [
  taskTemplate(program, { name: "inc", op: "inc", inputs: ["x"] }),
  taskTemplate(program, {
    name: "cp",
    op: "",
    inputs: ["x"],
    command: [
      "sh",
      "-c",
      `d="\${1#file://}"; mkdir -p "$d" && cp ${pre} "$d/outputs.pb"`,
      "sh",
      "{{.outputPrefix}}",
    ],
  }),
];
for (const t of tasks) {
  t.id = id(ResourceType.TASK, t.id!.name);
  await admin.createTask({ id: t.id, spec: { template: t } });
}
async function workflow(name: string, task: string, n: number) {
  const nodes = Array.from({ length: n }, (_, i) =>
    create(NodeSchema, {
      id: `n${i}`,
      upstreamNodeIds: i ? [`n${i - 1}`] : [],
      inputs: [{
        var: "x",
        binding: i
          ? {
            value: {
              case: "promise",
              value: { nodeId: `n${i - 1}`, var: "o0" },
            },
          }
          : { value: { case: "scalar", value: int(1).value.value as never } },
      }],
      target: {
        case: "taskNode",
        value: {
          reference: {
            case: "referenceId",
            value: id(ResourceType.TASK, task),
          },
        },
      },
    }));
  const tpl = create(WorkflowTemplateSchema, {
    id: id(ResourceType.WORKFLOW, name),
    metadata: {},
    metadataDefaults: {},
    interface: { inputs: {}, outputs: { variables: { o: { type: INT } } } },
    nodes,
    outputs: [{
      var: "o",
      binding: {
        value: { case: "promise", value: { nodeId: `n${n - 1}`, var: "o0" } },
      },
    }],
  });
  await admin.createWorkflow({ id: tpl.id, spec: { template: tpl } });
  const lp = id(ResourceType.LAUNCH_PLAN, name);
  await admin.createLaunchPlan({
    id: lp,
    spec: { workflowId: tpl.id, entityMetadata: {} },
  });
  return lp;
}
const oneDeno = await workflow("one-deno", "inc", 1);
const oneSh = await workflow("one-sh", "cp", 1);
const threeSh = await workflow("three-sh", "cp", 3);

let seq = 0;
async function execute(lp: typeof oneDeno): Promise<void> {
  const name = `b${seq++}`;
  await admin.createExecution({
    project: "flytesnacks",
    domain: "development",
    name,
    spec: { launchPlan: lp },
  });
  const execId = { project: "flytesnacks", domain: "development", name };
  while (true) {
    const p = (await admin.getExecution({ id: execId })).closure!.phase;
    if (p === WfPhase.SUCCEEDED) return;
    if (p === WfPhase.FAILED || p === WfPhase.ABORTED) {
      throw new Error(`${name}: ${WfPhase[p]}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

Deno.bench({
  name: "sandbox: trivial Deno task, CreateExecution → SUCCEEDED",
  warmup: 2,
  n: 15,
  fn: async () => await execute(oneDeno),
});

Deno.bench({
  name: "sandbox: trivial sh task, CreateExecution → SUCCEEDED",
  warmup: 2,
  n: 15,
  fn: async () => await execute(oneSh),
});

Deno.bench({
  name: "sandbox: 100 three-node executions submitted at once (sh tasks)",
  warmup: 0,
  n: 1,
  fn: async () => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 100 }, () => execute(threeSh)));
    const s = (performance.now() - t0) / 1000;
    console.log(
      `100 executions in ${s.toFixed(2)} s: ${
        (100 / s).toFixed(1)
      } executions/s`,
    );
  },
});

addEventListener("unload", () => {
  sessions.abort();
});
