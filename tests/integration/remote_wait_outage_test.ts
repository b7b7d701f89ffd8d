/**
 * A wait rides out an outage (issue 14, item 3): a client waiting on a
 * running execution across a SIGKILL and restart of the sandbox process gets
 * the final outputs, hears "reconnecting" meanwhile, and nothing is run twice
 * as an execution.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnSandboxProcess } from "../helpers/sandbox_process.ts";
import { FlyteRemote, type Reconnecting } from "../../src/remote/mod.ts";
import { t } from "../../src/types/mod.ts";
import { deferGoawayEvents } from "../helpers/grpc.ts";

deferGoawayEvents();

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("wait: across a SIGKILL and restart of the sandbox the client gets the outputs, no duplicate execution", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wait-outage-" });
  const port = freePort();
  let sb = await spawnSandboxProcess(dir, "inherit", port);
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    const id = {
      project: "flytesnacks",
      domain: "development",
      name: "outage.slow_times5",
      version: "v1",
    };
    const io = (names: string[]) => ({
      variables: Object.fromEntries(
        names.map((n) => [n, { type: t.int.literalType, description: n }]),
      ),
    });
    await remote.entities.registerTask({
      template: {
        id,
        type: "raw-container",
        metadata: { retries: { retries: 0 } },
        interface: { inputs: io(["x"]), outputs: io(["o0"]) },
        target: {
          case: "container",
          value: {
            image: "busybox",
            command: [
              "sh",
              "-c",
              "sleep 3; echo $(( $(cat /var/flyte/inputs/x) * 5 )) > /var/flyte/outputs/o0",
            ],
            dataConfig: {
              enabled: true,
              inputPath: "/var/flyte/inputs",
              outputPath: "/var/flyte/outputs",
            },
          },
        },
      },
    });
    const task = await remote.fetchTask(id.name, { version: "v1" });
    const exec = await remote.execute(task, { x: 7 });
    const heard: Reconnecting[] = [];
    const waiting = remote.wait(exec, {
      timeout: 90_000,
      pollInterval: 200,
      onReconnecting: (r) => void heard.push(r),
    });
    // Kill the sandbox while the task runs, keep it down past the
    // transport's own retries, then start it again on the same port.
    await new Promise((r) => setTimeout(r, 800));
    sb.child.kill("SIGKILL");
    await sb.child.status;
    await new Promise((r) => setTimeout(r, 2500));
    sb = await spawnSandboxProcess(dir, "inherit", port);
    const done = await waiting;
    assertEquals(done.phase, "SUCCEEDED");
    assertEquals(done.outputs.o0, 35);
    assert(heard.length > 0, "the wait reported reconnecting");
    let n = 0;
    for await (const _ of remote.executions.recentExecutions({ limit: 20 })) {
      n++;
    }
    assertEquals(n, 1, "one execution, not a duplicate");
  } finally {
    await remote.close();
    sb.child.kill("SIGKILL");
    await sb.child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
