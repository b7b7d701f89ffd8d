import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import * as path from "node:path";
import {
  findConfigFile,
  FlyteInvalidInputError,
  loadConfig,
} from "../../src/client/mod.ts";

async function tmpTree(files: Record<string, string>) {
  const root = await Deno.makeTempDir();
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    await Deno.mkdir(path.dirname(p), { recursive: true });
    await Deno.writeTextFile(p, text);
  }
  return root;
}

const YAML = `admin:
  endpoint: dns:///flyte.example.com:443
  insecure: false
  authType: Pkce
  clientId: my-client
  scopes: [all, offline]
console:
  endpoint: https://console.example.com
`;

const INI = `[platform]
url = localhost:30081
insecure = True
console_endpoint = http://localhost:30081

[credentials]
; comment
client_id = ini-client
auth_mode = external_process
command = ["gcloud", "auth", "print-identity-token"]

[aws]
endpoint = http://localhost:30002
access_key_id = minio
secret_access_key = miniostorage
`;

Deno.test("loadConfig: search order flytekit.config > ~/.flyte/config > config.yaml", async () => {
  const root = await tmpTree({
    "cwd/flytekit.config": INI,
    "home/.flyte/config": "[platform]\nurl = home-ini:1\n",
    "home/.flyte/config.yaml": YAML,
  });
  const cwd = path.join(root, "cwd");
  const home = path.join(root, "home");
  assertEquals(
    findConfigFile({ env: {}, cwd, home }),
    path.join(cwd, "flytekit.config"),
  );
  await Deno.remove(path.join(cwd, "flytekit.config"));
  assertEquals(
    findConfigFile({ env: {}, cwd, home }),
    path.join(home, ".flyte", "config"),
  );
  await Deno.remove(path.join(home, ".flyte", "config"));
  assertEquals(
    findConfigFile({ env: {}, cwd, home }),
    path.join(home, ".flyte", "config.yaml"),
  );
  // FLYTECTL_CONFIG beats all of them.
  assertEquals(
    findConfigFile({ env: { FLYTECTL_CONFIG: "/x/y.yaml" }, cwd, home }),
    "/x/y.yaml",
  );
});

Deno.test("loadConfig: flytectl YAML", async () => {
  const root = await tmpTree({ "c.yaml": YAML });
  const cfg = await loadConfig({
    env: { FLYTECTL_CONFIG: path.join(root, "c.yaml") },
    cwd: root,
    home: root,
  });
  assertEquals(cfg.endpoint, "flyte.example.com:443");
  assertEquals(cfg.insecure, false);
  assertEquals(cfg.consoleEndpoint, "https://console.example.com");
  assertEquals(cfg.auth, {
    type: "pkce",
    clientId: "my-client",
    scopes: ["all", "offline"],
  });
});

Deno.test("loadConfig: flytekit ini with external command and storage", async () => {
  const root = await tmpTree({ "flytekit.config": INI });
  const cfg = await loadConfig({ env: {}, cwd: root, home: root });
  assertEquals(cfg.endpoint, "localhost:30081");
  assertEquals(cfg.insecure, true);
  assertEquals(cfg.auth, {
    type: "externalCommand",
    clientId: "ini-client",
    command: ["gcloud", "auth", "print-identity-token"],
  });
  assertEquals(cfg.storage, {
    endpoint: "http://localhost:30002",
    accessKeyId: "minio",
    secretAccessKey: "miniostorage",
  });
});

Deno.test("loadConfig: env vars beat the file; a secret forces client credentials", async () => {
  const root = await tmpTree({ "c.yaml": YAML, "secret.txt": "s3cr3t\n" });
  const cfg = await loadConfig({
    env: {
      FLYTECTL_CONFIG: path.join(root, "c.yaml"),
      FLYTE_PLATFORM_URL: "other:8089",
      FLYTE_PLATFORM_INSECURE: "true",
      FLYTE_PLATFORM_CONSOLE_ENDPOINT: "http://console:1",
      FLYTE_CREDENTIALS_CLIENT_SECRET_FROM_FILE: path.join(root, "secret.txt"),
      FLYTE_CREDENTIALS_SCOPES: "a,b",
      FLYTE_CREDENTIALS_PROXY_COMMAND: '["print-token", "--iap"]',
    },
    cwd: root,
    home: root,
  });
  assertEquals(cfg.endpoint, "other:8089");
  assertEquals(cfg.insecure, true);
  assertEquals(cfg.consoleEndpoint, "http://console:1");
  assertEquals(cfg.proxyCommand, ["print-token", "--iap"]);
  assertEquals(cfg.auth, {
    type: "clientCredentials",
    clientId: "my-client",
    clientSecret: "s3cr3t",
    scopes: ["a", "b"],
  });
});

Deno.test("loadConfig: defaults without any file", async () => {
  const cfg = await loadConfig({
    env: {},
    cwd: "/nonexistent",
    home: "/nonexistent",
  });
  assertEquals(cfg.endpoint, "localhost:30080");
  assertEquals(cfg.insecure, false);
  assertEquals(cfg.auth, { type: "pkce" });
  assertEquals(cfg.configFile, undefined);
});

Deno.test("loadConfig: bad input names the file, line or variable", async () => {
  const root = await tmpTree({
    "bad.config": "[platform]\nthis line is wrong\n",
    "bad.yaml": "admin: [unclosed\n",
  });
  const e1 = await assertRejects(
    () => loadConfig({ configFile: path.join(root, "bad.config"), env: {} }),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e1.message, "bad.config:2");
  const e2 = await assertRejects(
    () => loadConfig({ configFile: path.join(root, "bad.yaml"), env: {} }),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e2.message, "bad.yaml: not valid YAML");
  const e3 = await assertRejects(
    () =>
      loadConfig({
        env: { FLYTE_PLATFORM_INSECURE: "maybe" },
        cwd: root,
        home: root,
      }),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e3.message, "FLYTE_PLATFORM_INSECURE");
  const e4 = await assertRejects(
    () => loadConfig({ configFile: path.join(root, "missing.yaml"), env: {} }),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e4.message, "missing.yaml");
  const e5 = await assertRejects(
    () =>
      loadConfig({
        env: { FLYTE_CREDENTIALS_AUTH_MODE: "ClientSecret" },
        cwd: root,
        home: root,
      }),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e5.message, "needs a client secret");
});
