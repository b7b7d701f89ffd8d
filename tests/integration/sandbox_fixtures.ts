/**
 * Registrations shared by the sandbox integration tests: a Python-style
 * container task `square` (x: int -> o0: int), a three-node workflow
 * chaining it, and a launch plan with a default input.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  type Identifier,
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import { TaskCreateRequestSchema } from "@flyteidl/admin/task_pb.ts";
import { WorkflowCreateRequestSchema } from "@flyteidl/admin/workflow_pb.ts";
import { LaunchPlanCreateRequestSchema } from "@flyteidl/admin/launch_plan_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import type { Literal } from "@flyteidl/core/literals_pb.ts";
import type { VariableMap } from "@flyteidl/core/interface_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";

/** The default project/domain of the tests. */
export const PROJECT = "flytesnacks";
/** Domain used by the tests. */
export const DOMAIN = "development";

/** An identifier in the test project. */
export function ident(
  type: ResourceType,
  name: string,
  version = "v1",
): Identifier {
  return create(IdentifierSchema, {
    resourceType: type,
    project: PROJECT,
    domain: DOMAIN,
    name,
    version,
  });
}

const INT = { type: { case: "simple" as const, value: SimpleType.INTEGER } };

function vars(names: string[]): VariableMap {
  return {
    $typeName: "flyteidl.core.VariableMap",
    variables: Object.fromEntries(
      names.map((n) => [n, {
        $typeName: "flyteidl.core.Variable" as const,
        type: create(LiteralTypeSchema, INT),
        description: "",
      }]),
    ),
  } as VariableMap;
}

/** An integer literal. */
export function intLiteral(n: number): Literal {
  return {
    $typeName: "flyteidl.core.Literal",
    value: {
      case: "scalar",
      value: {
        $typeName: "flyteidl.core.Scalar",
        value: {
          case: "primitive",
          value: {
            $typeName: "flyteidl.core.Primitive",
            value: { case: "integer", value: BigInt(n) },
          },
        },
      },
    },
    hash: "",
    metadata: {},
  } as Literal;
}

/** TaskCreateRequest of the `square` task. */
export function squareTask(version = "v1", image = "python:3.12") {
  const id = ident(ResourceType.TASK, "tests.square", version);
  return create(TaskCreateRequestSchema, {
    id,
    spec: {
      template: {
        id,
        type: "python-task",
        metadata: {
          runtime: { type: 1, version: "1.16.0", flavor: "python" },
          retries: { retries: 0 },
        },
        interface: { inputs: vars(["x"]), outputs: vars(["o0"]) },
        target: {
          case: "container",
          value: {
            image,
            args: [
              "pyflyte-execute",
              "--inputs",
              "{{.input}}",
              "--output-prefix",
              "{{.outputPrefix}}",
            ],
          },
        },
      },
    },
  });
}

/** WorkflowCreateRequest of `tests.chain`: n0 -> n1 -> n2, each squaring. */
export function chainWorkflow(version = "v1") {
  const id = ident(ResourceType.WORKFLOW, "tests.chain", version);
  const taskId = ident(ResourceType.TASK, "tests.square", "v1");
  const node = (nodeId: string, from: { nodeId: string; var: string }) => ({
    id: nodeId,
    metadata: { name: nodeId, retries: {} },
    inputs: [{
      var: "x",
      binding: { value: { case: "promise" as const, value: from } },
    }],
    upstreamNodeIds: from.nodeId === "start-node" ? [] : [from.nodeId],
    target: {
      case: "taskNode" as const,
      value: { reference: { case: "referenceId" as const, value: taskId } },
    },
  });
  return create(WorkflowCreateRequestSchema, {
    id,
    spec: {
      template: {
        id,
        metadata: {},
        metadataDefaults: {},
        interface: { inputs: vars(["x"]), outputs: vars(["o0"]) },
        nodes: [
          node("n0", { nodeId: "start-node", var: "x" }),
          node("n1", { nodeId: "n0", var: "o0" }),
          node("n2", { nodeId: "n1", var: "o0" }),
        ],
        outputs: [{
          var: "o0",
          binding: {
            value: { case: "promise", value: { nodeId: "n2", var: "o0" } },
          },
        }],
      },
    },
  });
}

/** LaunchPlanCreateRequest of `tests.chain` with default x = 3. */
export function chainLaunchPlan(version = "v1") {
  return create(LaunchPlanCreateRequestSchema, {
    id: ident(ResourceType.LAUNCH_PLAN, "tests.chain", version),
    spec: {
      workflowId: ident(ResourceType.WORKFLOW, "tests.chain", version),
      defaultInputs: {
        parameters: {
          x: {
            var: { type: create(LiteralTypeSchema, INT) },
            behavior: { case: "default", value: intLiteral(3) },
          },
        },
      },
      entityMetadata: {},
    },
  });
}

/** Starts a sandbox on a fresh temporary data dir (port 0). */
export async function freshSandbox(
  options: Parameters<typeof startSandbox>[0] = {},
) {
  const dataDir = options?.dataDir ?? await Deno.makeTempDir({
    prefix: "sandbox-test-",
  });
  const sandbox = await startSandbox({
    port: 0,
    ...options,
    // These suites test admin alone: no engine unless a test passes a launcher.
    launcher: options.launcher ?? null,
    dataDir,
  });
  return sandbox;
}

/** An AdminService client over gRPC to a running sandbox. */
export function adminClient(
  sb: { endpoint: string },
): Client<typeof AdminService> {
  return createClient(
    AdminService,
    createGrpcTransport({ baseUrl: sb.endpoint }),
  );
}

/** Registers `squareTask()`, `chainWorkflow()` and `chainLaunchPlan()` (v1), in that order. */
export async function registerChain(
  c: Client<typeof AdminService>,
): Promise<void> {
  await c.createTask(squareTask());
  await c.createWorkflow(chainWorkflow());
  await c.createLaunchPlan(chainLaunchPlan());
}

/** Starts execution `name` of the `tests.chain` launch plan (registered by `registerChain`). */
export async function launchChain(
  c: Client<typeof AdminService>,
  name: string,
): Promise<void> {
  await c.createExecution({
    project: PROJECT,
    domain: DOMAIN,
    name,
    spec: { launchPlan: ident(ResourceType.LAUNCH_PLAN, "tests.chain") },
  });
}
