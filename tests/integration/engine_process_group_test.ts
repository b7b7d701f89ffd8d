/**
 * A task is its process group, as a container is its own process namespace:
 * terminating it kills what its command started (`sh -c` children), and a
 * task whose main process ended does not wait for background processes it
 * left holding its log pipes.
 */
import { assertEquals } from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";

function shellTask(name: string, script: string) {
  const id = {
    project: "flytesnacks",
    domain: "development",
    name,
    version: "v1",
  };
  return {
    template: {
      id,
      type: "raw-container",
      metadata: {},
      interface: {},
      target: {
        case: "container" as const,
        value: { image: "busybox", command: ["sh", "-c", script] },
      },
    },
  };
}

function alive(marker: string): boolean {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (cmd.includes(marker)) return true;
    } catch { /* gone */ }
  }
  return false;
}

/**
 * Whether a process with `marker` in its command line is still there after
 * up to 3 s: SIGKILL is sent before the engine reports the task's end, but
 * on a loaded machine the killed process may not have been scheduled to die
 * yet when the client reads that end.
 */
async function lingers(marker: string): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (!alive(marker)) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return alive(marker);
}

Deno.test("engine: terminate kills the task's children; a task's leftover background process does not hold it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "engine-pgroup-" });
  const sb = await startSandbox({ port: 0, dataDir: dir });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    // `sleep 61`/`sleep 62` name the processes this test looks for.
    await remote.registerTask(shellTask("pg.sleepy", "sleep 61; echo late"));
    await remote.registerTask(
      shellTask("pg.background", "sleep 62 & echo started"),
    );
    const sleepy = await remote.execute(
      await remote.fetchTask("pg.sleepy"),
      {},
    );
    for (let i = 0; i < 200 && !alive("sleep\u000061"); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await remote.terminate(sleepy, "stop");
    const ended = await remote.wait(sleepy, {
      timeout: 20_000,
      display: false,
    });
    assertEquals(ended.phase, "ABORTED");
    assertEquals(await lingers("sleep\u000061"), false);

    const bg = await remote.execute(
      await remote.fetchTask("pg.background"),
      {},
      {
        wait: { timeout: 20_000, display: false },
      },
    );
    assertEquals(bg.phase, "SUCCEEDED");
    assertEquals(await lingers("sleep\u000062"), false);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
