// Routing of unary RPCs to grpc-gateway routes, read from the generated
// descriptors' google.api.http options.
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { create, fromBinary } from "@bufbuild/protobuf";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import {
  ObjectGetRequestSchema,
  ResourceListRequestSchema,
  Sort_Direction,
} from "@flyteidl/admin/common_pb.ts";
import { ExecutionTerminateRequestSchema } from "@flyteidl/admin/execution_pb.ts";
import { TaskExecutionGetRequestSchema } from "@flyteidl/admin/task_execution_pb.ts";
import { GetDataRequestSchema } from "@flyteidl/service/dataproxy_pb.ts";
import { SignalListRequestSchema } from "@flyteidl/admin/signal_pb.ts";
import { ProjectListRequestSchema } from "@flyteidl/admin/project_pb.ts";
import {
  httpBindings,
  httpCallFor,
} from "../../src/client/transport/http_rule.ts";

const id = { project: "flytesnacks", domain: "development" };

Deno.test("http rule: GET with every id field in the path", () => {
  const call = httpCallFor(
    AdminService.method.getTask,
    create(ObjectGetRequestSchema, {
      id: { ...id, name: "my.task", version: "v 1/2", resourceType: 1 },
    }),
  )!;
  assertEquals(call.verb, "GET");
  // Unbound fields of a bound message go to the query (enum by name).
  assertEquals(
    call.pathAndQuery,
    "/api/v1/tasks/flytesnacks/development/my.task/v%201%2F2?id.resource_type=TASK",
  );
  assertEquals(call.body, undefined);
});

Deno.test("http rule: list picks the binding whose variables are set", () => {
  const withName = httpCallFor(
    AdminService.method.listTasks,
    create(ResourceListRequestSchema, {
      id: { ...id, name: "t" },
      limit: 100,
      token: "20",
      filters: "eq(version,v1)+value_in(phase,SUCCEEDED;FAILED)",
      sortBy: { key: "created_at", direction: Sort_Direction.ASCENDING },
    }),
  )!;
  const [path, query] = withName.pathAndQuery.split("?");
  assertEquals(path, "/api/v1/tasks/flytesnacks/development/t");
  const q = new URLSearchParams(query);
  assertEquals(q.get("limit"), "100");
  assertEquals(q.get("token"), "20");
  assertEquals(
    q.get("filters"),
    "eq(version,v1)+value_in(phase,SUCCEEDED;FAILED)",
  );
  assertEquals(q.get("sort_by.key"), "created_at");
  assertEquals(q.get("sort_by.direction"), "ASCENDING");
  const noName = httpCallFor(
    AdminService.method.listTasks,
    create(ResourceListRequestSchema, { id, limit: 1 }),
  )!;
  assertEquals(
    noName.pathAndQuery,
    "/api/v1/tasks/flytesnacks/development?limit=1",
  );
  assertEquals(httpBindings(AdminService.method.listTasks).length, 2);
});

Deno.test("http rule: body '*' carries the whole message, even on DELETE", () => {
  const msg = create(ExecutionTerminateRequestSchema, {
    id: { ...id, name: "abc" },
    cause: "no longer needed",
  });
  const call = httpCallFor(AdminService.method.terminateExecution, msg)!;
  assertEquals(call.verb, "DELETE");
  assertEquals(
    call.pathAndQuery,
    "/api/v1/executions/flytesnacks/development/abc",
  );
  const back = fromBinary(ExecutionTerminateRequestSchema, call.body!);
  assertEquals(back.cause, "no longer needed");
  assertEquals(back.id?.name, "abc");
});

Deno.test("http rule: deep paths keep zero scalars (retry_attempt 0)", () => {
  const call = httpCallFor(
    AdminService.method.getTaskExecution,
    create(TaskExecutionGetRequestSchema, {
      id: {
        nodeExecutionId: { nodeId: "n0", executionId: { ...id, name: "x" } },
        taskId: { ...id, name: "t", version: "v", resourceType: 1 },
        retryAttempt: 0,
      },
    }),
  )!;
  assertEquals(
    call.pathAndQuery,
    "/api/v1/task_executions/flytesnacks/development/x/n0/flytesnacks/development/t/v/0?id.task_id.resource_type=TASK",
  );
});

Deno.test("http rule: query-only GETs, other services, and gRPC-only methods", () => {
  assertEquals(
    httpCallFor(
      DataProxyService.method.getData,
      create(GetDataRequestSchema, { flyteUrl: "flyte://v1/p/d/x/n0/o/y" }),
    )!.pathAndQuery,
    "/api/v1/data?flyte_url=flyte%3A%2F%2Fv1%2Fp%2Fd%2Fx%2Fn0%2Fo%2Fy",
  );
  assertEquals(
    httpCallFor(
      SignalService.method.listSignals,
      create(SignalListRequestSchema, {
        workflowExecutionId: { ...id, name: "x" },
        limit: 5,
      }),
    )!.pathAndQuery,
    "/api/v1/signals/flytesnacks/development/x?limit=5",
  );
  assertEquals(
    httpCallFor(
      AdminService.method.listProjects,
      create(ProjectListRequestSchema),
    )!
      .pathAndQuery,
    "/api/v1/projects",
  );
  assertEquals(httpBindings(SignalService.method.getOrCreateSignal), []);
  const err = assertThrows(() =>
    httpCallFor(
      AdminService.method.getTask,
      create(ObjectGetRequestSchema, {}),
    )
  );
  assert(err.message.includes("id.project"), err.message);
});
