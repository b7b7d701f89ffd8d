import { assert, assertEquals } from "../helpers/assert.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { LaunchPlanState } from "@flyteidl/admin/launch_plan_pb.ts";
import { spawnSandboxProcess } from "../helpers/sandbox_process.ts";
import {
  adminClient,
  DOMAIN,
  ident,
  launchChain,
  PROJECT,
  registerChain,
} from "./sandbox_fixtures.ts";

Deno.test("sandbox: SIGKILL after registrations, restart on the same data dir, everything is still there", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sandbox-restart-" });
  const first = await spawnSandboxProcess(dataDir, "piped");
  try {
    assert(
      first.line.startsWith("Flyte sandbox ready at http://127.0.0.1:"),
      first.line,
    );
    const c = adminClient(first);
    await c.registerProject({ project: { id: "kept", name: "Kept project" } });
    await registerChain(c);
    await c.updateLaunchPlan({
      id: ident(ResourceType.LAUNCH_PLAN, "tests.chain"),
      state: LaunchPlanState.ACTIVE,
    });
    await launchChain(c, "survivor");
  } finally {
    first.child.kill("SIGKILL");
    await first.child.status;
    await first.child.stdout.cancel().catch(() => {});
    await first.child.stderr.cancel();
  }

  const second = await spawnSandboxProcess(dataDir, "piped");
  try {
    const c = adminClient(second);
    const projects = await c.listProjects({ limit: 10 });
    assertEquals(
      projects.projects.map((p) => p.id).sort(),
      ["flytesnacks", "kept"],
    );
    const task = await c.getTask({
      id: ident(ResourceType.TASK, "tests.square"),
    });
    assertEquals(task.id?.name, "tests.square");
    const wf = await c.getWorkflow({
      id: ident(ResourceType.WORKFLOW, "tests.chain"),
    });
    assertEquals(
      wf.closure?.compiledWorkflow?.primary?.template?.nodes.length !==
        undefined,
      true,
    );
    const active = await c.getActiveLaunchPlan({
      id: { project: PROJECT, domain: DOMAIN, name: "tests.chain" },
    });
    assertEquals(active.closure?.state, LaunchPlanState.ACTIVE);
    const e = await c.getExecution({
      id: { project: PROJECT, domain: DOMAIN, name: "survivor" },
    });
    assertEquals(e.spec?.launchPlan?.name, "tests.chain");
    const data = await c.getExecutionData({ id: e.id });
    assertEquals(Object.keys(data.fullInputs?.literals ?? {}), ["x"]);
  } finally {
    second.child.kill("SIGTERM");
    const status = await second.child.status;
    await second.child.stdout.cancel().catch(() => {});
    await second.child.stderr.cancel();
    assertEquals(status.code, 0, "stops cleanly on SIGTERM");
    await Deno.remove(dataDir, { recursive: true });
  }
});
