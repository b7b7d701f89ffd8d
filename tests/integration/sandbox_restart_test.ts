import { assert, assertEquals } from "../helpers/assert.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { LaunchPlanState } from "@flyteidl/admin/launch_plan_pb.ts";
import { repoRoot } from "../helpers/paths.ts";
import {
  adminClient,
  DOMAIN,
  ident,
  launchChain,
  PROJECT,
  registerChain,
} from "./sandbox_fixtures.ts";

/** Runs `deno task sandbox`-equivalent as a child process; resolves once it prints its endpoint. */
async function spawnSandbox(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${repoRoot}/src/sandbox/main.ts`,
      "--port",
      "0",
      "--data-dir",
      dataDir,
    ],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/\S+:\d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) {
      const err = await new Response(child.stderr).text();
      throw new Error(`sandbox exited before ready: ${text}\n${err}`);
    }
    text += value;
  }
  reader.releaseLock();
  const endpoint = /http:\/\/\S+:\d+/.exec(text)![0];
  return { child, endpoint, line: text.trim() };
}

Deno.test("sandbox: SIGKILL after registrations, restart on the same data dir, everything is still there", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sandbox-restart-" });
  const first = await spawnSandbox(dataDir);
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

  const second = await spawnSandbox(dataDir);
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
