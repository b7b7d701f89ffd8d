import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import {
  NodeExecutionIdentifierSchema,
  ResourceType,
  TaskExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import {
  chooseExecutionName,
  entityId,
  executionId,
  executionNameProblem,
  formatEntityId,
  kindOf,
  resourceTypeOf,
} from "../../src/remote/ids.ts";
import { consoleBaseUrl, consoleUrl } from "../../src/remote/console.ts";

Deno.test("execution names: explicit, prefixed, generated, invalid", () => {
  assertEquals(chooseExecutionName({ name: "my-run-1" }), "my-run-1");
  const p = chooseExecutionName({ prefix: "nightly" });
  assertMatch(p, /^nightly-[0-9a-f]{19}$/);
  const g = chooseExecutionName();
  assertMatch(g, /^f[0-9a-f]{19}$/);
  assert(chooseExecutionName() !== g, "generated names differ");
  assertThrows(
    () => chooseExecutionName({ name: "a", prefix: "b" }),
    TypeError,
    "exclusive",
  );
  assertThrows(
    () => chooseExecutionName({ name: "Bad_Name" }),
    TypeError,
    'executionName "Bad_Name" must match',
  );
  assertThrows(
    () => chooseExecutionName({ prefix: "x".repeat(50) }),
    TypeError,
    "at most 63",
  );
  assertEquals(executionNameProblem("1abc"), "must match ^[a-z][a-z\\-0-9]*$");
  assertEquals(executionNameProblem("a".repeat(63)), undefined);
  assertEquals(executionNameProblem(""), "must not be empty");
});

Deno.test("entity ids and kinds round-trip", () => {
  for (const k of ["task", "workflow", "launch_plan"] as const) {
    assertEquals(kindOf(resourceTypeOf(k)), k);
  }
  assertThrows(() => kindOf(ResourceType.DATASET), TypeError, "DATASET");
  const id = entityId("launch_plan", "p", "d", "n", "v1");
  assertEquals(id.resourceType, ResourceType.LAUNCH_PLAN);
  assertEquals(formatEntityId(id), "launch_plan p/d/n@v1");
});

Deno.test("console base URL: console endpoint, insecure, dns prefix", () => {
  assertEquals(
    consoleBaseUrl("dns:///localhost:30080", { insecure: true }),
    "http://localhost:30080",
  );
  assertEquals(
    consoleBaseUrl("flyte.example.com"),
    "https://flyte.example.com",
  );
  assertEquals(
    consoleBaseUrl("x:81", { consoleEndpoint: "https://ui.example.com/" }),
    "https://ui.example.com",
  );
});

Deno.test("console URLs for every entity and execution kind", () => {
  const base = "http://localhost:30080";
  const ex = executionId("flytesnacks", "development", "abc");
  assertEquals(
    consoleUrl(base, ex),
    "http://localhost:30080/console/projects/flytesnacks/domains/development/executions/abc",
  );
  assertEquals(
    consoleUrl(base, { id: ex }),
    consoleUrl(base, ex),
    "objects carrying an id link like the id",
  );
  const node = create(NodeExecutionIdentifierSchema, {
    nodeId: "n0-0-n1",
    executionId: ex,
  });
  assertEquals(
    consoleUrl(base, node),
    `${consoleUrl(base, ex)}?nodeId=n0-0-n1`,
  );
  const task = create(TaskExecutionIdentifierSchema, {
    nodeExecutionId: node,
    retryAttempt: 2,
    taskId: entityId("task", "flytesnacks", "development", "t", "v"),
  });
  assertEquals(
    consoleUrl(base, task),
    `${consoleUrl(base, ex)}?nodeId=n0-0-n1&retryAttempt=2`,
  );
  assertEquals(
    consoleUrl(base, entityId("task", "p", "d", "my.task", "v 1")),
    "http://localhost:30080/console/projects/p/domains/d/task/my.task/version/v%201",
  );
  assertEquals(
    consoleUrl(base, entityId("workflow", "p", "d", "wf", "v1")),
    "http://localhost:30080/console/projects/p/domains/d/workflow/wf/version/v1",
  );
  assertEquals(
    consoleUrl(base, entityId("launch_plan", "p", "d", "lp", "v1")),
    "http://localhost:30080/console/projects/p/domains/d/launch_plan/lp/version/v1",
  );
  assertEquals(
    consoleUrl(base, entityId("launch_plan", "p", "d", "lp")),
    "http://localhost:30080/console/projects/p/domains/d/launch_plans/lp",
  );
  const e = assertThrows(
    () => consoleUrl(base, executionId("p", "", "x")),
    TypeError,
  );
  assertStringIncludes(e.message, "project, domain and name");
  assertThrows(() => consoleUrl(base, {} as never), TypeError, "expected");
});
