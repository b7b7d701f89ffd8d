/**
 * The sandbox against a hostile web page (issue 14, item 1): headless
 * Chromium opens a page on another origin that posts text/plain and JSON
 * task registrations and executions to the sandbox's REST routes, and a page
 * reached through DNS rebinding (a foreign Host that resolves to loopback).
 * Nothing may be registered or run; the same requests from the client still
 * work, and with a token the sandbox wants it everywhere.
 */
import * as http from "node:http";
import { create, toJson } from "@bufbuild/protobuf";
import { TaskCreateRequestSchema } from "@flyteidl/admin/task_pb.ts";
import { ExecutionCreateRequestSchema } from "@flyteidl/admin/execution_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../mod.ts";
import { deferGoawayEvents } from "../helpers/grpc.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";

deferGoawayEvents();

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const PROJECT = "flytesnacks";
const DOMAIN = "development";

/** A container task whose command leaves a file behind when it runs. */
function touchTask(name: string, marker: string) {
  const id = {
    resourceType: ResourceType.TASK,
    project: PROJECT,
    domain: DOMAIN,
    name,
    version: "v1",
  };
  return create(TaskCreateRequestSchema, {
    id,
    spec: {
      template: {
        id,
        type: "container",
        metadata: { runtime: { type: 0, version: "1", flavor: "shell" } },
        interface: {},
        target: {
          case: "container",
          value: { image: "alpine", args: ["touch", marker] },
        },
      },
    },
  });
}

function taskExecution(name: string, execName: string) {
  return create(ExecutionCreateRequestSchema, {
    project: PROJECT,
    domain: DOMAIN,
    name: execName,
    spec: {
      launchPlan: {
        resourceType: ResourceType.TASK,
        project: PROJECT,
        domain: DOMAIN,
        name,
        version: "v1",
      },
    },
    inputs: {},
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A raw HTTP/1.1 GET with any Host header (fetch cannot set Host). */
function getWithHost(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, headers: { host } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Runs headless Chromium on `url` until `done` resolves (or 60 s). */
async function browse(
  url: string,
  done: Promise<unknown>,
  extraArgs: string[] = [],
): Promise<string> {
  const profile = await Deno.makeTempDir({ prefix: "guard-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=20000",
      ...extraArgs,
      "--dump-dom",
      url,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out = child.output();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 60_000);
  try {
    await Promise.race([done, out]);
    await done;
  } finally {
    clearTimeout(timer);
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    const { stdout } = await out;
    await Deno.remove(profile, { recursive: true });
    // deno-lint-ignore no-unsafe-finally
    return new TextDecoder().decode(stdout);
  }
}

Deno.test("sandbox guard: a hostile page in Chromium registers and runs nothing; the client still can", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `${CHROMIUM} not found: run .ci/setup.sh (it installs Debian's chromium) or set CHROMIUM`,
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "guard-test-" });
  const marker = `${dir}/pwned`;
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  // The hostile site: another origin on this machine, serving the attack page
  // and collecting its report.
  let report: (v: string) => void;
  const reported = new Promise<string>((r) => (report = r));
  const taskJson = JSON.stringify(
    toJson(TaskCreateRequestSchema, touchTask("evil.touch", marker)),
  );
  const execJson = JSON.stringify(
    toJson(ExecutionCreateRequestSchema, taskExecution("evil.touch", "evil1")),
  );
  const page = `<!doctype html><html><body>attacking<script>
const SB = ${JSON.stringify(sb.endpoint)};
const results = {};
async function attempt(name, path, init) {
  try { const r = await fetch(SB + path, init); results[name] = r.type + " " + r.status; }
  catch (e) { results[name] = "refused " + e.message; }
}
(async () => {
  const text = (body) => ({ method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body });
  const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body });
  await attempt("task-text", "/api/v1/tasks", text(${
    JSON.stringify(taskJson)
  }));
  await attempt("task-json", "/api/v1/tasks", json(${
    JSON.stringify(taskJson)
  }));
  await attempt("exec-text", "/api/v1/executions", text(${
    JSON.stringify(execJson)
  }));
  await attempt("exec-json", "/api/v1/executions", json(${
    JSON.stringify(execJson)
  }));
  await attempt("read", "/api/v1/projects", {});
  await fetch("/report", { method: "POST", body: JSON.stringify(results) });
  document.body.textContent = "DONE";
})();
</script></body></html>`;
  const hostile = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      if (url.pathname === "/report") {
        report(await req.text());
        return new Response("ok");
      }
      return new Response(page, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    },
  );
  try {
    const hostilePort = (hostile.addr as Deno.NetAddr).port;
    await browse(`http://127.0.0.1:${hostilePort}/`, reported);
    const results = JSON.parse(await reported) as Record<string, string>;
    // The page ran every attempt (opaque or refused answers only).
    assertEquals(Object.keys(results).sort(), [
      "exec-json",
      "exec-text",
      "read",
      "task-json",
      "task-text",
    ]);
    const admin = sb.services.admin;
    const tasks = await admin.listTasks({
      id: { project: PROJECT, domain: DOMAIN, name: "evil.touch" },
      limit: 10,
    });
    assertEquals(tasks.tasks.length, 0, "a hostile page registered a task");
    const execs = await admin.listExecutions({
      id: { project: PROJECT, domain: DOMAIN },
      limit: 10,
    });
    assertEquals(
      execs.executions.length,
      0,
      "a hostile page started an execution",
    );

    // DNS rebinding: a page whose name resolves to the sandbox's address.
    const port = new URL(sb.endpoint).port;
    const rebound = await browse(
      `http://rebind.test:${port}/api/v1/projects`,
      Promise.resolve(),
      [`--host-resolver-rules=MAP rebind.test 127.0.0.1`],
    );
    assert(
      !rebound.includes("flytesnacks"),
      "a rebound page read the projects",
    );
    const foreign = await getWithHost(
      Number(port),
      "/api/v1/projects",
      `rebind.test:${port}`,
    );
    assertEquals(foreign.status, 403);
    assertStringIncludes(foreign.body, "rebind.test");
    const local = await getWithHost(
      Number(port),
      "/api/v1/projects",
      `localhost:${port}`,
    );
    assertEquals(local.status, 200);
    assertStringIncludes(local.body, "flytesnacks");

    // A foreign Origin is refused on every route, gRPC included.
    const crossOrigin = await fetch(`${sb.endpoint}/api/v1/projects`, {
      headers: { origin: "https://evil.example" },
    });
    assertEquals(crossOrigin.status, 403);
    await crossOrigin.body?.cancel();
    // text/plain is refused even without an Origin (415), JSON is not.
    const plain = await fetch(`${sb.endpoint}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: taskJson,
    });
    assertEquals(plain.status, 415);
    await plain.body?.cancel();
    assert(!(await exists(marker)));

    // The client (no Origin, its own Host) still registers and runs the task:
    // so the command would have run had the page got through.
    const viaRest = await fetch(`${sb.endpoint}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: taskJson,
    });
    assertEquals(viaRest.status, 200);
    await viaRest.body?.cancel();
    const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      const task = await remote.fetchTask("evil.touch", { version: "v1" });
      const exec = await remote.execute(task, {}, {
        wait: { timeout: 60_000 },
      });
      assertEquals(exec.phase, "SUCCEEDED");
      assert(await exists(marker), "the client's execution ran the command");
    } finally {
      await remote.close();
    }
  } finally {
    await hostile.shutdown();
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sandbox guard: with a token every route but health and signed blobs needs it; forSandbox passes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "guard-token-" });
  const sb = await startSandbox({
    port: 0,
    dataDir: dir,
    launcher: null,
    token: "s3cret-token",
  });
  try {
    assertEquals(sb.token, "s3cret-token");
    const none = await fetch(`${sb.endpoint}/api/v1/projects`);
    assertEquals(none.status, 401);
    assertStringIncludes(await none.text(), "token");
    const wrong = await fetch(`${sb.endpoint}/api/v1/projects`, {
      headers: { authorization: "Bearer nope" },
    });
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    const right = await fetch(`${sb.endpoint}/api/v1/projects`, {
      headers: { authorization: "Bearer s3cret-token" },
    });
    assertEquals(right.status, 200);
    await right.body?.cancel();
    const query = await fetch(
      `${sb.endpoint}/api/v1/projects?token=s3cret-token`,
    );
    assertEquals(query.status, 200);
    assertStringIncludes(query.headers.get("set-cookie") ?? "", "HttpOnly");
    await query.body?.cancel();
    const health = await fetch(`${sb.endpoint}/healthcheck`);
    assertEquals(health.status, 200);
    await health.body?.cancel();

    const anonymous = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
    try {
      await assertRejects(() => anonymous.getDomains());
    } finally {
      await anonymous.close();
    }
    const remote = await FlyteRemote.forSandbox({
      endpoint: sb.endpoint,
      token: "s3cret-token",
    });
    try {
      const domains = await remote.getDomains();
      assertEquals(domains.map((d) => d.id), [
        "development",
        "staging",
        "production",
      ]);
    } finally {
      await remote.close();
    }
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sandbox guard: beyond loopback a token is made; the task-log server refuses foreign Hosts and Origins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "guard-wide-" });
  const sb = await startSandbox({ port: 0, dataDir: dir, host: "0.0.0.0" });
  try {
    assert(sb.token && sb.token.length >= 32, "a token is generated");
    const port = new URL(sb.endpoint).port;
    const anon = await getWithHost(
      Number(port),
      "/api/v1/projects",
      `127.0.0.1:${port}`,
    );
    assertEquals(anon.status, 401);
    const logPort = await logPortOf(dir);
    const foreign = await getWithHost(
      logPort,
      "/logs/x/stdout.log",
      `rebind.test:${logPort}`,
    );
    assertEquals(foreign.status, 403);
    const cross = await fetch(`http://127.0.0.1:${logPort}/logs/x/stdout.log`, {
      headers: { origin: "https://evil.example" },
    });
    assertEquals(cross.status, 403);
    await cross.body?.cancel();
    const own = await fetch(`http://127.0.0.1:${logPort}/logs/x/stdout.log`);
    assertEquals(own.status, 404); // through the guard to the log server itself
    await own.body?.cancel();
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** The engine's log port, as it records it in its state. */
async function logPortOf(dataDir: string): Promise<number> {
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${dataDir}/engine/engine.db`);
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'log_port'")
      .get() as { value: string } | undefined;
    if (!row) throw new Error("engine recorded no log port");
    return Number(row.value);
  } finally {
    db.close();
  }
}
