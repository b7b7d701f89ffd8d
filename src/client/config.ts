/**
 * Configuration people already have: flytekit's ini files and flytectl's
 * YAML, with flytekit's search order and environment variables.
 *
 * File search (first hit wins): the `configFile` option; `$FLYTECTL_CONFIG`;
 * `./flytekit.config`; `~/.flyte/config`; `~/.flyte/config.yaml`. A file is
 * read as YAML (flytectl format) when its name ends in `.yaml`/`.yml`,
 * otherwise as ini (flytekit format). Environment variables beat the file:
 * FLYTE_PLATFORM_URL, FLYTE_PLATFORM_INSECURE, FLYTE_PLATFORM_INSECURE_SKIP_VERIFY,
 * FLYTE_PLATFORM_CA_CERT_FILE_PATH, FLYTE_PLATFORM_CONSOLE_ENDPOINT,
 * FLYTE_CREDENTIALS_AUTH_MODE, FLYTE_CREDENTIALS_CLIENT_ID,
 * FLYTE_CREDENTIALS_CLIENT_SECRET, FLYTE_CREDENTIALS_CLIENT_SECRET_FROM_FILE,
 * FLYTE_CREDENTIALS_CLIENT_SECRET_FROM_ENV_VAR, FLYTE_CREDENTIALS_SCOPES,
 * FLYTE_CREDENTIALS_AUDIENCE, FLYTE_CREDENTIALS_COMMAND,
 * FLYTE_CREDENTIALS_PROXY_COMMAND,
 * FLYTE_CREDENTIALS_AUTHORIZATION_METADATA_KEY, FLYTE_AWS_ENDPOINT,
 * FLYTE_AWS_ACCESS_KEY_ID, FLYTE_AWS_SECRET_ACCESS_KEY.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AuthOptions } from "./auth/types.ts";
import { FlyteInvalidInputError } from "./errors.ts";

/**
 * S3-compatible storage settings found in the config.
 *
 * @example
 * ```ts
 * import type { StorageConfig } from "./config.ts";
 * const s: StorageConfig = { endpoint: "http://localhost:30002" };
 * console.log(s.endpoint);
 * ```
 */
export interface StorageConfig {
  /** Endpoint URL, e.g. `http://localhost:30002`. */
  endpoint?: string;
  /** Access key id. */
  accessKeyId?: string;
  /** Secret access key. */
  secretAccessKey?: string;
}

/**
 * The platform configuration. Its fields match {@link ConnectionOptions}, so
 * it can be passed to `createConnection` as it is.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * const cfg = await loadConfig({ env: {}, cwd: "/nonexistent", home: "/nonexistent" });
 * console.log(cfg.endpoint, cfg.auth.type); // "localhost:30080" "pkce"
 * ```
 */
export interface PlatformConfig {
  /** Admin endpoint (`dns:///` stripped). Default `localhost:30080`. */
  endpoint: string;
  /** Cleartext instead of TLS. Default false (flytekit's default). */
  insecure: boolean;
  /** Accept any server certificate (gRPC transport only). */
  insecureSkipVerify: boolean;
  /** CA file to trust in addition to the default store. */
  caCertFile?: string;
  /** Console base URL, when configured. */
  consoleEndpoint?: string;
  /** Auth settings (default: PKCE, used only if the server asks). */
  auth: AuthOptions;
  /** Command printing an identity-aware-proxy token, when configured. */
  proxyCommand?: string[];
  /** Storage settings, when configured. */
  storage: StorageConfig;
  /** The file the values came from, if any. */
  configFile?: string;
}

/**
 * Options of {@link loadConfig}.
 *
 * @example
 * ```ts
 * import { loadConfig, type LoadConfigOptions } from "./config.ts";
 * const o: LoadConfigOptions = { env: { FLYTE_PLATFORM_URL: "localhost:30080" }, cwd: "/nonexistent", home: "/nonexistent" };
 * console.log((await loadConfig(o)).endpoint);
 * ```
 */
export interface LoadConfigOptions {
  /** Explicit config file (beats the search). */
  configFile?: string;
  /** Environment to read (default `Deno.env.toObject()`). */
  env?: Record<string, string | undefined>;
  /** Working directory for `./flytekit.config` (default `Deno.cwd()`). */
  cwd?: string;
  /** Home directory for `~/.flyte` (default `os.homedir()`). */
  home?: string;
}

type Flat = Map<string, string | string[]>;

/**
 * Parses flytekit's ini format (Python configparser style: `[section]`,
 * `key = value` or `key: value`, `#`/`;` comment lines, indented continuation
 * lines). Keys come back as `section.key`, lower-cased.
 *
 * @example
 * ```ts
 * import { parseIni } from "./config.ts";
 * const m = parseIni("[platform]\nurl = localhost:30080\ninsecure = True\n");
 * console.log(m.get("platform.url")); // "localhost:30080"
 * ```
 */
export function parseIni(text: string, file = "<ini>"): Map<string, string> {
  const out = new Map<string, string>();
  let section = "";
  let lastKey = "";
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    if (/^\s/.test(line) && lastKey) {
      out.set(lastKey, `${out.get(lastKey)}\n${line.trim()}`);
      return;
    }
    const sec = /^\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      section = sec[1].trim().toLowerCase();
      lastKey = "";
      return;
    }
    const kv = /^([^=:]+)[=:](.*)$/.exec(line);
    if (!kv || !section) {
      throw new FlyteInvalidInputError(
        `${file}:${i + 1}: expected [section] or key = value, got ${
          JSON.stringify(line)
        }`,
      );
    }
    lastKey = `${section}.${kv[1].trim().toLowerCase()}`;
    out.set(lastKey, kv[2].trim());
  });
  return out;
}

/** flytectl YAML keys -> flytekit's `section.key`. */
const YAML_KEYS: Record<string, string> = {
  "admin.endpoint": "platform.url",
  "admin.insecure": "platform.insecure",
  "admin.insecureSkipVerify": "platform.insecure_skip_verify",
  "admin.caCertFilePath": "platform.ca_cert_file_path",
  "console.endpoint": "platform.console_endpoint",
  "admin.authType": "credentials.auth_mode",
  "admin.clientId": "credentials.client_id",
  "admin.clientSecretLocation":
    "credentials.client_credentials_secret_location",
  "admin.clientSecretEnvVar": "credentials.client_credentials_secret_env_var",
  "admin.scopes": "credentials.scopes",
  "admin.audience": "credentials.audience",
  "admin.command": "credentials.command",
  "admin.tokenUrl": "credentials.token_url",
  "admin.proxyCommand": "credentials.proxy_command",
  "admin.authorizationHeader": "credentials.authorization_metadata_key",
  "storage.connection.endpoint": "storage.endpoint",
  "storage.connection.access-key": "storage.access_key_id",
  "storage.connection.secret-key": "storage.secret_access_key",
};

async function readYaml(text: string, file: string): Promise<Flat> {
  // Loaded on demand: most processes never read a YAML config.
  const { parse: parseYaml } = await import("yaml");
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    throw new FlyteInvalidInputError(
      `${file}: not valid YAML: ${(cause as Error).message}`,
      { cause },
    );
  }
  const out: Flat = new Map();
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new FlyteInvalidInputError(`${file}: expected a mapping at the top`);
  }
  for (const [yamlKey, key] of Object.entries(YAML_KEYS)) {
    let cur: unknown = doc;
    for (const part of yamlKey.split(".")) {
      cur = cur && typeof cur === "object"
        ? (cur as Record<string, unknown>)[part]
        : undefined;
    }
    if (cur === undefined || cur === null) continue;
    if (key === "platform.url" && typeof cur !== "string") {
      throw new FlyteInvalidInputError(
        `${file}: ${yamlKey}: expected an endpoint such as "dns:///flyte.example.com:443" (a string), got ${typeof cur} ${
          JSON.stringify(cur)
        }`,
      );
    }
    if (Array.isArray(cur)) out.set(key, cur.map(String));
    else if (typeof cur === "object") {
      throw new FlyteInvalidInputError(
        `${file}: ${yamlKey}: expected a value, got a mapping`,
      );
    } else out.set(key, String(cur));
  }
  return out;
}

/** flytekit env var for `section.key`. */
const ENV_KEYS: Record<string, string> = {
  "platform.url": "FLYTE_PLATFORM_URL",
  "platform.insecure": "FLYTE_PLATFORM_INSECURE",
  "platform.insecure_skip_verify": "FLYTE_PLATFORM_INSECURE_SKIP_VERIFY",
  "platform.ca_cert_file_path": "FLYTE_PLATFORM_CA_CERT_FILE_PATH",
  "platform.console_endpoint": "FLYTE_PLATFORM_CONSOLE_ENDPOINT",
  "credentials.auth_mode": "FLYTE_CREDENTIALS_AUTH_MODE",
  "credentials.client_id": "FLYTE_CREDENTIALS_CLIENT_ID",
  "credentials.client_credentials_secret": "FLYTE_CREDENTIALS_CLIENT_SECRET",
  "credentials.client_credentials_secret_location":
    "FLYTE_CREDENTIALS_CLIENT_SECRET_FROM_FILE",
  "credentials.client_credentials_secret_env_var":
    "FLYTE_CREDENTIALS_CLIENT_SECRET_FROM_ENV_VAR",
  "credentials.scopes": "FLYTE_CREDENTIALS_SCOPES",
  "credentials.audience": "FLYTE_CREDENTIALS_AUDIENCE",
  "credentials.command": "FLYTE_CREDENTIALS_COMMAND",
  "credentials.proxy_command": "FLYTE_CREDENTIALS_PROXY_COMMAND",
  "credentials.authorization_metadata_key":
    "FLYTE_CREDENTIALS_AUTHORIZATION_METADATA_KEY",
  "storage.endpoint": "FLYTE_AWS_ENDPOINT",
  "storage.access_key_id": "FLYTE_AWS_ACCESS_KEY_ID",
  "storage.secret_access_key": "FLYTE_AWS_SECRET_ACCESS_KEY",
};

/** ini keys that differ from the canonical `section.key`. */
const INI_ALIASES: Record<string, string> = {
  "aws.endpoint": "storage.endpoint",
  "aws.access_key_id": "storage.access_key_id",
  "aws.secret_access_key": "storage.secret_access_key",
};

function parseBool(v: string, where: string): boolean {
  const s = v.trim().toLowerCase();
  if (["true", "1", "yes", "on", "t"].includes(s)) return true;
  if (["false", "0", "no", "off", "f", ""].includes(s)) return false;
  throw new FlyteInvalidInputError(
    `${where}: expected true or false, got ${JSON.stringify(v)}`,
  );
}

function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  const s = v.trim();
  if (s.startsWith("[")) {
    try {
      const arr = JSON.parse(s);
      if (Array.isArray(arr)) return arr.map(String);
    } catch { /* fall through to comma splitting */ }
  }
  return s.split(/[,\s]+/).filter(Boolean);
}

function exists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the config file flytekit would use, or undefined.
 *
 * @example
 * ```ts
 * import { findConfigFile } from "./config.ts";
 * console.log(findConfigFile({ env: {}, cwd: "/nonexistent", home: "/nonexistent" }));
 * // undefined
 * ```
 */
export function findConfigFile(
  options: LoadConfigOptions = {},
): string | undefined {
  const env = options.env ?? Deno.env.toObject();
  if (options.configFile) return options.configFile;
  if (env.FLYTECTL_CONFIG) return env.FLYTECTL_CONFIG;
  const cwd = options.cwd ?? Deno.cwd();
  const home = options.home ?? os.homedir();
  for (
    const p of [
      path.join(cwd, "flytekit.config"),
      path.join(home, ".flyte", "config"),
      path.join(home, ".flyte", "config.yaml"),
    ]
  ) {
    if (exists(p)) return p;
  }
  return undefined;
}

/**
 * Loads the platform configuration (see the module doc for the search order
 * and environment variables). An explicitly named file (option or
 * FLYTECTL_CONFIG) must exist.
 *
 * Auth: a client secret (inline, from a file or from an env var) forces
 * client credentials, as in flytekit; otherwise `auth_mode`/`authType`
 * decides (`ClientSecret`/`client_credentials`, `Pkce`/`standard`,
 * `DeviceFlow`/`device_flow`, `ExternalCommand`/`external_process`);
 * a `command` alone means external command; the default is PKCE.
 *
 * @throws {FlyteInvalidInputError} naming the file, line or key at fault.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * const cfg = await loadConfig({
 *   env: { FLYTE_PLATFORM_URL: "dns:///flyte.example.com:443" },
 *   cwd: "/nonexistent",
 *   home: "/nonexistent",
 * });
 * console.log(cfg.endpoint, cfg.insecure); // "flyte.example.com:443" false
 * ```
 */
export async function loadConfig(
  options: LoadConfigOptions = {},
): Promise<PlatformConfig> {
  const env = options.env ?? Deno.env.toObject();
  const file = findConfigFile({ ...options, env });
  let values: Flat = new Map();
  if (file) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch (cause) {
      throw new FlyteInvalidInputError(
        `config file ${JSON.stringify(file)}: cannot read: ${
          (cause as Error).message
        }`,
        { cause },
      );
    }
    if (/\.ya?ml$/i.test(file)) values = await readYaml(text, file);
    else {
      for (const [k, v] of parseIni(text, file)) {
        values.set(INI_ALIASES[k] ?? k, v);
      }
    }
  }
  const where = (key: string) =>
    env[ENV_KEYS[key]] !== undefined
      ? ENV_KEYS[key]
      : `${file ?? "config"}: ${key}`;
  const get = (key: string): string | string[] | undefined => {
    const e = ENV_KEYS[key] ? env[ENV_KEYS[key]] : undefined;
    return e !== undefined && e !== "" ? e : values.get(key);
  };
  const str = (key: string): string | undefined => {
    const v = get(key);
    return Array.isArray(v) ? v.join(" ") : v || undefined;
  };

  if (file && str("platform.url") === undefined) {
    // An empty or endpoint-less file would otherwise mean localhost:30080
    // over TLS, and fail later with an SSL error that never names the file.
    throw new FlyteInvalidInputError(
      `config file ${
        JSON.stringify(file)
      } sets no endpoint: add admin.endpoint (YAML) or [platform] url (INI), or set FLYTE_PLATFORM_URL`,
    );
  }
  const endpoint = (str("platform.url") ?? "localhost:30080").replace(
    /^dns:\/\/\//,
    "",
  );
  const insecure = str("platform.insecure") !== undefined
    ? parseBool(str("platform.insecure")!, where("platform.insecure"))
    : false;
  const insecureSkipVerify = str("platform.insecure_skip_verify") !== undefined
    ? parseBool(
      str("platform.insecure_skip_verify")!,
      where("platform.insecure_skip_verify"),
    )
    : false;

  // Client secret: inline, from a file, or from an env var.
  let secret = str("credentials.client_credentials_secret");
  const secretFile = str("credentials.client_credentials_secret_location");
  if (!secret && secretFile) {
    try {
      secret = (await fs.promises.readFile(secretFile, "utf8")).trim();
    } catch (cause) {
      throw new FlyteInvalidInputError(
        `${
          where("credentials.client_credentials_secret_location")
        }: cannot read ${JSON.stringify(secretFile)}: ${
          (cause as Error).message
        }`,
        { cause },
      );
    }
  }
  const secretVar = str("credentials.client_credentials_secret_env_var");
  if (!secret && secretVar) secret = env[secretVar];

  const common = {
    clientId: str("credentials.client_id"),
    scopes: list(get("credentials.scopes")),
    audience: str("credentials.audience"),
    tokenUrl: str("credentials.token_url"),
    headerName: str("credentials.authorization_metadata_key"),
  };
  for (const k of Object.keys(common) as (keyof typeof common)[]) {
    if (common[k] === undefined) delete common[k];
  }
  const command = list(get("credentials.command"));
  const mode = (str("credentials.auth_mode") ?? "").toLowerCase().replace(
    /[-_\s]/g,
    "",
  );
  let auth: AuthOptions;
  if (secret) {
    if (!common.clientId) {
      throw new FlyteInvalidInputError(
        `${
          file ?? "config"
        }: a client secret is configured but no client id (credentials.client_id / admin.clientId / FLYTE_CREDENTIALS_CLIENT_ID)`,
      );
    }
    auth = {
      ...common,
      type: "clientCredentials",
      clientId: common.clientId,
      clientSecret: secret,
    };
  } else if (
    mode === "externalcommand" || mode === "externalprocess" ||
    (!mode && command?.length)
  ) {
    if (!command?.length) {
      throw new FlyteInvalidInputError(
        `${
          where("credentials.auth_mode")
        }: ${mode} needs a command (credentials.command / admin.command)`,
      );
    }
    auth = { ...common, type: "externalCommand", command };
  } else if (mode === "clientsecret" || mode === "clientcredentials") {
    throw new FlyteInvalidInputError(
      `${
        where("credentials.auth_mode")
      }: ClientSecret auth needs a client secret (credentials.client_credentials_secret, admin.clientSecretLocation, admin.clientSecretEnvVar or FLYTE_CREDENTIALS_CLIENT_SECRET)`,
    );
  } else if (mode === "deviceflow" || mode === "devicecode") {
    auth = { ...common, type: "deviceCode" };
  } else if (
    mode === "" || mode === "pkce" || mode === "standard"
  ) {
    auth = { ...common, type: "pkce" };
  } else {
    throw new FlyteInvalidInputError(
      `${where("credentials.auth_mode")}: unknown auth mode ${
        JSON.stringify(str("credentials.auth_mode"))
      }; expected ClientSecret, Pkce, DeviceFlow or ExternalCommand`,
    );
  }

  const storage: StorageConfig = {};
  if (str("storage.endpoint")) storage.endpoint = str("storage.endpoint");
  if (str("storage.access_key_id")) {
    storage.accessKeyId = str("storage.access_key_id");
  }
  if (str("storage.secret_access_key")) {
    storage.secretAccessKey = str("storage.secret_access_key");
  }
  return {
    endpoint,
    insecure,
    insecureSkipVerify,
    caCertFile: str("platform.ca_cert_file_path"),
    consoleEndpoint: str("platform.console_endpoint"),
    auth,
    proxyCommand: list(get("credentials.proxy_command")),
    storage,
    configFile: file,
  };
}
