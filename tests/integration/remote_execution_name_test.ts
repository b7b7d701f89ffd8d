/**
 * `execute()` with an `executionName` that exists (issue 14, item 2): the
 * same request returns the existing execution; other inputs or another
 * entity under that name is FlyteEntityAlreadyExistsError saying what differs.
 */
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { FlyteEntityAlreadyExistsError } from "../../src/client/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import {
  adminClient,
  freshSandbox,
  registerChain,
} from "./sandbox_fixtures.ts";

Deno.test("execute: an existing executionName with the same request returns it, with other inputs or entity fails naming the difference", async () => {
  const sb = await freshSandbox();
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await registerChain(adminClient(sb));
    const lp = await remote.fetchLaunchPlan("tests.chain", { version: "v1" });
    const first = await remote.execute(lp, { x: 1 }, {
      executionName: "named1",
    });
    assertEquals(first.name, "named1");
    const again = await remote.execute(lp, { x: 1 }, {
      executionName: "named1",
    });
    assertEquals(again.name, "named1");
    assertEquals(again.inputs, first.inputs);

    const other = await assertRejects(
      () => remote.execute(lp, { x: 99 }, { executionName: "named1" }),
      FlyteEntityAlreadyExistsError,
    );
    assertStringIncludes(other.message, "named1");
    assertStringIncludes(other.message, "input x differs");

    const task = await remote.fetchTask("tests.square", { version: "v1" });
    const entity = await assertRejects(
      () => remote.execute(task, { x: 1 }, { executionName: "named1" }),
      FlyteEntityAlreadyExistsError,
    );
    assertStringIncludes(entity.message, "tests.chain");
    assertStringIncludes(entity.message, "tests.square");
    // Nothing else was created.
    let n = 0;
    for await (const _ of remote.executions.recentExecutions({ limit: 10 })) {
      n++;
    }
    assertEquals(n, 1);
  } finally {
    await remote.close();
    await sb.close();
  }
});
