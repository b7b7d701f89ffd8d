/**
 * The bad-input table (issue 14): each row is a mistake a user or a client
 * can make — through the client API, in a config file, on raw REST, Connect
 * and gRPC, and on signed URLs — with the typed error (or status) it must
 * get and the culprit the message must name. One sandbox serves every row.
 */
import { createHash } from "node:crypto";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import {
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  FlyteError,
  FlyteInvalidInputError,
  loadConfig,
  TypeTransformError,
} from "../../mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { assert, assertStringIncludes } from "../helpers/assert.ts";
import {
  adminClient,
  DOMAIN,
  freshSandbox,
  ident,
  PROJECT,
  registerChain,
  squareTask,
} from "./sandbox_fixtures.ts";

type Expect =
  // deno-lint-ignore no-explicit-any
  | { error: abstract new (...a: any[]) => Error; names: string }
  | { grpc: Code; names: string }
  | { status: number; names?: string };

interface Row {
  area: "client" | "config" | "rest" | "connect" | "grpc" | "signed-url";
  what: string;
  run: () => Promise<unknown>;
  expect: Expect;
}

const sb = await freshSandbox({ maxRequestBytes: 1024 * 1024 });
const admin = adminClient(sb);
await registerChain(admin);
const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
const lp = await remote.fetchLaunchPlan("tests.chain", { version: "v1" });
await remote.execute(lp, { x: 1 }, { executionName: "taken" });
const dir = await Deno.makeTempDir({ prefix: "bad-input-" });
const dp = createClient(
  DataProxyService,
  createGrpcTransport({ baseUrl: sb.endpoint }),
);

async function configFile(name: string, text: string) {
  const file = `${dir}/${name}`;
  await Deno.writeTextFile(file, text);
  return () => loadConfig({ configFile: file, env: {}, cwd: dir, home: dir });
}

function http(path: string, init: RequestInit = {}) {
  return async () => {
    const r = await fetch(`${sb.endpoint}${path}`, init);
    return { status: r.status, text: await r.text() };
  };
}

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

function taskNamed(name: string, version = "v1") {
  const req = squareTask(version);
  req.id!.name = name;
  req.spec!.template!.id!.name = name;
  return req;
}

async function signedPut() {
  const payload = new TextEncoder().encode("hello");
  const md5 = createHash("md5").update(payload).digest();
  const loc = await dp.createUploadLocation({
    project: PROJECT,
    domain: DOMAIN,
    filename: "x.txt",
    contentMd5: md5,
  });
  return { loc, payload };
}

const rows: Row[] = [
  // ---- client API ----
  {
    area: "client",
    what: "forEndpoint(number)",
    run: () => FlyteRemote.forEndpoint(12345 as unknown as string),
    expect: { error: FlyteInvalidInputError, names: "number 12345" },
  },
  {
    area: "client",
    what: "forEndpoint('')",
    run: () => FlyteRemote.forEndpoint(""),
    expect: { error: FlyteInvalidInputError, names: "endpoint" },
  },
  {
    area: "client",
    what: "input of the wrong type",
    run: () => remote.execute(lp, { x: "abc" }),
    expect: { error: FlyteError, names: "x" },
  },
  {
    area: "client",
    what: "missing input",
    run: async () =>
      remote.execute(
        await remote.fetchTask("tests.square", { version: "v1" }),
        {},
      ),
    expect: { error: FlyteInvalidInputError, names: "x" },
  },
  {
    area: "client",
    what: "unknown input",
    run: () => remote.execute(lp, { x: 1, y: 2 }),
    expect: { error: FlyteInvalidInputError, names: "y" },
  },
  {
    area: "client",
    what: "execution name with capitals",
    run: () => remote.execute(lp, { x: 1 }, { executionName: "Bad_Name" }),
    expect: { error: Error, names: "Bad_Name" },
  },
  {
    area: "client",
    what: "execution name of 64 characters",
    run: () => remote.execute(lp, { x: 1 }, { executionName: "a".repeat(64) }),
    expect: { error: Error, names: "64" },
  },
  {
    area: "client",
    what: "existing execution name, other inputs",
    run: () => remote.execute(lp, { x: 2 }, { executionName: "taken" }),
    expect: { error: FlyteEntityAlreadyExistsError, names: "input x" },
  },
  {
    area: "client",
    what: "task that does not exist",
    run: () => remote.fetchTask("no.such.task"),
    expect: { error: FlyteEntityNotExistError, names: "no.such.task" },
  },
  {
    area: "client",
    what: "execution that does not exist",
    run: () => remote.fetchExecution("nothere"),
    expect: { error: FlyteEntityNotExistError, names: "nothere" },
  },
  {
    area: "client",
    what: "register version with '/'",
    run: () => remote.entities.registerTask(squareTask("a/b/../c").spec!),
    expect: { error: FlyteInvalidInputError, names: "id.version [a/b/../c]" },
  },
  {
    area: "client",
    what: "register name with NUL",
    run: () => remote.entities.registerTask(taskNamed("a\u0000b").spec!),
    expect: { error: FlyteInvalidInputError, names: "id.name" },
  },
  {
    area: "client",
    what: "register without a version",
    run: () => remote.entities.registerTask(squareTask("").spec!),
    expect: { error: FlyteInvalidInputError, names: "version" },
  },
  {
    area: "client",
    what: "upload of a missing file",
    run: () => remote.upload(`${dir}/missing.csv`),
    expect: { error: FlyteError, names: "missing.csv" },
  },
  {
    area: "client",
    what: "download of a non-URI",
    run: () => remote.download(123 as unknown as string, `${dir}/o`),
    expect: { error: FlyteInvalidInputError, names: "URI" },
  },
  {
    area: "client",
    what: "a type value that is not a Flyte value",
    run: async () =>
      (await import("../../mod.ts")).toLiteral(Symbol("s") as unknown),
    expect: { error: TypeTransformError, names: "symbol" },
  },
  // ---- config files ----
  {
    area: "config",
    what: "empty YAML file",
    run: await configFile("empty.yaml", ""),
    expect: { error: FlyteInvalidInputError, names: "empty.yaml" },
  },
  {
    area: "config",
    what: "admin.endpoint as a YAML number",
    run: await configFile("num.yaml", "admin:\n  endpoint: 12345\n"),
    expect: { error: FlyteInvalidInputError, names: "admin.endpoint" },
  },
  {
    area: "config",
    what: "admin.endpoint as a mapping",
    run: await configFile("map.yaml", "admin:\n  endpoint:\n    host: x\n"),
    expect: { error: FlyteInvalidInputError, names: "admin.endpoint" },
  },
  {
    area: "config",
    what: "invalid YAML",
    run: await configFile("bad.yaml", "admin: [unclosed\n"),
    expect: { error: FlyteInvalidInputError, names: "bad.yaml" },
  },
  {
    area: "config",
    what: "a list at the top",
    run: await configFile("list.yaml", "- a\n- b\n"),
    expect: { error: FlyteInvalidInputError, names: "mapping" },
  },
  {
    area: "config",
    what: "insecure: maybe",
    run: await configFile(
      "ins.yaml",
      "admin:\n  endpoint: dns:///x:443\n  insecure: maybe\n",
    ),
    expect: { error: FlyteInvalidInputError, names: "maybe" },
  },
  {
    area: "config",
    what: "INI line that is no key = value",
    run: await configFile(
      "bad.config",
      "[platform]\nurl = x:1\nthis is not ini\n",
    ),
    expect: { error: FlyteInvalidInputError, names: "bad.config:3" },
  },
  {
    area: "config",
    what: "secret without client id",
    run: await configFile(
      "secret.yaml",
      "admin:\n  endpoint: dns:///x:443\n  clientSecretLocation: /dev/null\n  authType: ClientSecret\n",
    ),
    expect: { error: FlyteInvalidInputError, names: "secret.yaml" },
  },
  {
    area: "config",
    what: "named config file missing",
    run: () => loadConfig({ configFile: `${dir}/nope.yaml`, env: {} }),
    expect: { error: FlyteInvalidInputError, names: "nope.yaml" },
  },
  {
    area: "config",
    what: "unreadable secret file",
    run: await configFile(
      "sloc.yaml",
      `admin:\n  endpoint: dns:///x:443\n  clientId: c\n  clientSecretLocation: ${dir}/no-secret\n`,
    ),
    expect: { error: FlyteInvalidInputError, names: "no-secret" },
  },
  // ---- raw REST ----
  {
    area: "rest",
    what: "text/plain body",
    run: http("/api/v1/tasks", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    }),
    expect: { status: 415, names: "text/plain" },
  },
  {
    area: "rest",
    what: "form body",
    run: http("/api/v1/executions", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=b",
    }),
    expect: { status: 415 },
  },
  {
    area: "rest",
    what: "invalid JSON",
    run: http("/api/v1/tasks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    }),
    expect: { status: 400, names: "JSON" },
  },
  {
    area: "rest",
    what: "unknown JSON field",
    run: http("/api/v1/tasks", json({ bogus_field: 1 })),
    expect: { status: 400, names: "bogus_field" },
  },
  {
    area: "rest",
    what: "random protobuf",
    run: http("/api/v1/tasks", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0xff, 0xff, 0xff, 0x07]),
    }),
    expect: { status: 400 },
  },
  {
    area: "rest",
    what: "truncated protobuf",
    run: http("/api/v1/tasks", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0x0a, 0x64, 1]),
    }),
    expect: { status: 400 },
  },
  {
    area: "rest",
    what: "bad %-escape in the path",
    run: http("/api/v1/tasks/flytesnacks/development/a%zz/v1"),
    expect: { status: 400, names: "a%zz" },
  },
  {
    area: "rest",
    what: "bad query value",
    run: http("/api/v1/projects?limit=lots"),
    expect: { status: 400, names: "lots" },
  },
  {
    area: "rest",
    what: "body over the limit",
    run: http("/api/v1/tasks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array(2 * 1024 * 1024),
    }),
    expect: { status: 413, names: "1048576" },
  },
  {
    area: "rest",
    what: "task that does not exist",
    run: http("/api/v1/tasks/flytesnacks/development/ghost/v1"),
    expect: { status: 404, names: "ghost" },
  },
  {
    area: "rest",
    what: "unknown route",
    run: http("/api/v1/nothing-here"),
    expect: { status: 404, names: "/api/v1/nothing-here" },
  },
  {
    area: "rest",
    what: "foreign Origin",
    run: http("/api/v1/projects", {
      headers: { origin: "https://evil.example" },
    }),
    expect: { status: 403, names: "evil.example" },
  },
  {
    area: "rest",
    what: "name with a path separator",
    run: http(
      "/api/v1/tasks",
      json({
        id: {
          resource_type: "TASK",
          project: PROJECT,
          domain: DOMAIN,
          name: "../../etc/passwd",
          version: "v1",
        },
        spec: {},
      }),
    ),
    expect: { status: 400, names: "../../etc/passwd" },
  },
  {
    area: "rest",
    what: "unknown domain",
    run: http("/api/v1/tasks/flytesnacks/nodomain/t/v1"),
    expect: { status: 400, names: "nodomain" },
  },
  // ---- raw Connect ----
  {
    area: "connect",
    what: "undecodable protobuf",
    run: http("/flyteidl.service.AdminService/GetTask", {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0x0a, 0x64, 0xff]),
    }),
    expect: { status: 400, names: "invalid_argument" },
  },
  {
    area: "connect",
    what: "body over the limit",
    run: http("/flyteidl.service.AdminService/GetTask", {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array(2 * 1024 * 1024),
    }),
    expect: { status: 429, names: "resource_exhausted" },
  },
  {
    area: "connect",
    what: "text/plain content type",
    run: http("/flyteidl.service.AdminService/GetVersion", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    }),
    expect: { status: 415 },
  },
  {
    area: "connect",
    what: "JSON with a wrong field type",
    run: http("/flyteidl.service.AdminService/GetTask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: { name: 5 } }),
    }),
    expect: { status: 400, names: "name" },
  },
  {
    area: "connect",
    what: "unknown method",
    run: http("/flyteidl.service.AdminService/NoSuchMethod", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
    expect: { status: 404 },
  },
  // ---- gRPC ----
  {
    area: "grpc",
    what: "createTask without id",
    run: () => admin.createTask({}),
    expect: { grpc: Code.InvalidArgument, names: "id" },
  },
  {
    area: "grpc",
    what: "name with right-to-left override",
    run: () => admin.createTask(taskNamed("evil\u202etxt")),
    expect: { grpc: Code.InvalidArgument, names: "\\u202e" },
  },
  {
    area: "grpc",
    what: "name with a zero-width space",
    run: () => admin.createTask(taskNamed("ta\u200bsk")),
    expect: { grpc: Code.InvalidArgument, names: "\\u200b" },
  },
  {
    area: "grpc",
    what: "name of 100,000 characters",
    run: () => admin.createTask(taskNamed("n".repeat(100_000))),
    expect: { grpc: Code.InvalidArgument, names: "100000" },
  },
  {
    area: "grpc",
    what: "version with '/'",
    run: () => admin.createTask(squareTask("a/b")),
    expect: { grpc: Code.InvalidArgument, names: "id.version" },
  },
  {
    area: "grpc",
    what: "execution name with capitals",
    run: () =>
      admin.createExecution({
        project: PROJECT,
        domain: DOMAIN,
        name: "UPPER",
        spec: { launchPlan: ident(ResourceType.LAUNCH_PLAN, "tests.chain") },
      }),
    expect: { grpc: Code.InvalidArgument, names: "UPPER" },
  },
  {
    area: "grpc",
    what: "unknown project",
    run: () =>
      admin.createTask({
        ...squareTask(),
        id: { ...squareTask().id!, project: "ghostproj" },
      }),
    expect: { grpc: Code.InvalidArgument, names: "ghostproj" },
  },
  {
    area: "grpc",
    what: "unknown domain",
    run: () =>
      admin.createTask({
        ...squareTask(),
        id: { ...squareTask().id!, domain: "moon" },
      }),
    expect: { grpc: Code.InvalidArgument, names: "moon" },
  },
  {
    area: "grpc",
    what: "task not found",
    run: () => admin.getTask({ id: ident(ResourceType.TASK, "ghost.task") }),
    expect: { grpc: Code.NotFound, names: "ghost.task" },
  },
  {
    area: "grpc",
    what: "launch of a launch plan that does not exist",
    run: () =>
      admin.createExecution({
        project: PROJECT,
        domain: DOMAIN,
        name: "e404",
        spec: { launchPlan: ident(ResourceType.LAUNCH_PLAN, "ghost.lp") },
      }),
    expect: { grpc: Code.NotFound, names: "ghost.lp" },
  },
  // ---- signed URLs ----
  {
    area: "signed-url",
    what: "md5 that does not match the body",
    run: async () => {
      const { loc } = await signedPut();
      const r = await fetch(loc.signedUrl, {
        method: "PUT",
        body: new Uint8Array([1, 2]),
      });
      return { status: r.status, text: await r.text() };
    },
    expect: { status: 400, names: "md5" },
  },
  {
    area: "signed-url",
    what: "another key under the same signature",
    run: async () => {
      const { loc, payload } = await signedPut();
      const r = await fetch(loc.signedUrl.replace("x.txt", "y.txt"), {
        method: "PUT",
        body: payload,
      });
      return { status: r.status, text: await r.text() };
    },
    expect: { status: 403, names: "signature" },
  },
  {
    area: "signed-url",
    what: "a GET on an upload URL",
    run: async () => {
      const { loc } = await signedPut();
      const r = await fetch(loc.signedUrl);
      return { status: r.status, text: await r.text() };
    },
    expect: { status: 403 },
  },
  {
    area: "signed-url",
    what: "an expired URL",
    run: async () => {
      const payload = new Uint8Array([9]);
      const loc = await dp.createUploadLocation({
        project: PROJECT,
        domain: DOMAIN,
        filename: "e.bin",
        contentMd5: createHash("md5").update(payload).digest(),
        expiresIn: { seconds: 1n },
      });
      await new Promise((r) => setTimeout(r, 1500));
      const r = await fetch(loc.signedUrl, { method: "PUT", body: payload });
      return { status: r.status, text: await r.text() };
    },
    expect: { status: 403, names: "expired" },
  },
  {
    area: "signed-url",
    what: "upload location with a path in the filename",
    run: () =>
      dp.createUploadLocation({
        project: PROJECT,
        domain: DOMAIN,
        filename: "../../etc/passwd",
        contentMd5: new Uint8Array(16),
      }),
    expect: { grpc: Code.InvalidArgument, names: "filename" },
  },
  {
    area: "signed-url",
    what: "upload location without an md5",
    run: () =>
      dp.createUploadLocation({
        project: PROJECT,
        domain: DOMAIN,
        filename: "a.txt",
      }),
    expect: { grpc: Code.InvalidArgument, names: "md5" },
  },
];

Deno.test(`bad input: ${rows.length} cases, each a typed error naming the culprit`, async () => {
  assert(rows.length >= 50, `only ${rows.length} rows`);
  const failures: string[] = [];
  try {
    for (const row of rows) {
      const label = `[${row.area}] ${row.what}`;
      try {
        let outcome: unknown;
        let thrown: unknown;
        try {
          outcome = await row.run();
        } catch (e) {
          thrown = e;
        }
        const x = row.expect;
        if ("error" in x) {
          if (!(thrown instanceof x.error)) {
            throw new Error(
              `expected ${x.error.name}, got ${
                thrown ?? `a result: ${JSON.stringify(outcome)?.slice(0, 200)}`
              }`,
            );
          }
          assertStringIncludes((thrown as Error).message, x.names);
        } else if ("grpc" in x) {
          const e = thrown instanceof ConnectError ? thrown : undefined;
          if (!e || e.code !== x.grpc) {
            throw new Error(
              `expected gRPC ${Code[x.grpc]}, got ${thrown ?? "success"}`,
            );
          }
          assertStringIncludes(e.rawMessage, x.names);
        } else {
          if (thrown) throw thrown;
          const r = outcome as { status: number; text: string };
          if (r.status !== x.status) {
            throw new Error(
              `expected HTTP ${x.status}, got ${r.status}: ${
                r.text.slice(0, 200)
              }`,
            );
          }
          if (x.names) assertStringIncludes(r.text, x.names);
        }
      } catch (e) {
        failures.push(`${label}: ${(e as Error).message}`);
      }
    }
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
  assert(
    failures.length === 0,
    `${failures.length} of ${rows.length} rows failed:\n${failures.join("\n")}`,
  );
});
