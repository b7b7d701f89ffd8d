/**
 * The sandbox console behind generateConsoleUrl, and the rich display of
 * real executions: shell-command container tasks run by the real engine,
 * then every console URL the client produces is fetched and checked
 * (status, key content, escaping of values from the server).
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { registerPipeline } from "./display_fixtures.ts";

const EVIL = `<img src=x onerror=alert(1)>`;

Deno.test("console pages at every URL generateConsoleUrl produces, drawn by src/display", async () => {
  const dir = await Deno.makeTempDir({ prefix: "display-console-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await registerPipeline(remote);
    const lp = await remote.fetchLaunchPlan("pipeline");
    const exec = await remote.execute(lp, { n: 5, name: EVIL }, {
      wait: { pollInterval: 200 },
    });
    assertEquals(exec.phase, "SUCCEEDED");
    assertEquals(exec.outputs, { doubled: 20, greeting: `hello ${EVIL}` });
    await remote.syncExecution(exec, { nodes: true });

    const get = async (url: string) => {
      const r = await fetch(url);
      const text = await r.text();
      assertEquals(r.status, 200, `${url}: ${text.slice(0, 300)}`);
      assertStringIncludes(r.headers.get("content-type") ?? "", "text/html");
      assert(!text.includes(EVIL), `${url} shows the value unescaped`);
      return text;
    };
    const execPage = await get(remote.generateConsoleUrl(exec));
    assertStringIncludes(execPage, "SUCCEEDED");
    assertStringIncludes(execPage, "hello &lt;img src=x onerror=alert(1)&gt;");
    assertStringIncludes(execPage, "<svg"); // the graph, coloured by phase
    for (const n of ["n0", "n1", "n2"]) {
      assertStringIncludes(execPage, `?nodeId=${n}`);
    }

    const node = await remote.monitor.syncNodeExecution(
      exec.nodeExecutions.get("n1")!,
    );
    assertEquals(node.taskExecutions.length, 1);
    const nodePage = await get(remote.generateConsoleUrl(node));
    assertStringIncludes(nodePage, "Node n1");
    assertStringIncludes(nodePage, "<code>20</code>");
    assertStringIncludes(nodePage, '<span class="fd-m">int</span>'); // typed by the task's interface
    const taskPage = await get(
      remote.generateConsoleUrl(node.taskExecutions[0]),
    );
    assertStringIncludes(taskPage, "attempt 0");
    assertStringIncludes(taskPage, "double");

    const task = await remote.fetchTask("double");
    const taskEntity = await get(remote.generateConsoleUrl(task));
    assertStringIncludes(taskEntity, "Task double");
    assertStringIncludes(taskEntity, "sh -c");
    const wfPage = await get(
      remote.generateConsoleUrl(await remote.fetchWorkflow("pipeline")),
    );
    assertStringIncludes(wfPage, "Workflow pipeline");
    assertStringIncludes(wfPage, "<svg");
    const lpPage = await get(remote.generateConsoleUrl(lp));
    assertStringIncludes(lpPage, "Launch plan pipeline");
    const versions = await get(
      `${sb.endpoint}/console/projects/flytesnacks/domains/development/tasks/double`,
    );
    assertStringIncludes(versions, "/version/v1");
    const list = await get(
      `${sb.endpoint}/console/projects/flytesnacks/domains/development/executions`,
    );
    assertStringIncludes(list, exec.name);

    const root = await get(`${sb.endpoint}/console`);
    assertStringIncludes(
      root,
      "/console/projects/flytesnacks/domains/development/executions",
    );
    const post = await fetch(`${sb.endpoint}/console`, { method: "POST" });
    assertEquals(post.status, 405);
    await post.body?.cancel();

    const missing = await fetch(
      `${sb.endpoint}/console/projects/flytesnacks/domains/development/executions/nope${
        encodeURIComponent(EVIL)
      }`,
    );
    assertEquals(missing.status, 404);
    assert(!(await missing.text()).includes(EVIL));

    // The objects themselves display richly.
    const bundle =
      (exec as unknown as Record<symbol, () => Record<string, string>>)
        [Symbol.for("Jupyter.display")]();
    assertStringIncludes(bundle["text/plain"], "SUCCEEDED");
    assertStringIncludes(bundle["text/html"], "n1");
    assert(!bundle["text/html"].includes(EVIL));
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
