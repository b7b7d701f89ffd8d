/**
 * How FlyteRemote connects: its settings, the connection it owns, and what
 * its static constructors (`forEndpoint`, `auto`, `forSandbox`) do before
 * wrapping a connection — checking the endpoint, loading the user's
 * configuration, the sandbox's defaults — and the shared context the
 * sub-clients get.
 *
 * @module
 */
import {
  type ConnectionOptions,
  createConnection,
} from "../client/connection.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { RemoteContext, type RemoteServices } from "./context.ts";
import { consoleBaseUrl } from "./console.ts";

/** Connection options accepted by `forEndpoint` (whatever src/client's createConnection takes, minus the endpoint).  *
 * @example
 * ```ts
 * import type { ConnectOptions } from "./connect.ts";
 * const o: ConnectOptions = { insecure: true, transport: "rest" };
 * ```
 */
export type ConnectOptions = Omit<ConnectionOptions, "endpoint">;

/**
 * FlyteRemote settings. Defaults in brackets.
 *
 * @example
 * ```ts
 * import type { FlyteRemoteOptions } from "./connect.ts";
 * const o: FlyteRemoteOptions = { defaultProject: "flytesnacks", defaultDomain: "development" };
 * ```
 */
export interface FlyteRemoteOptions {
  /** Project used when a call names none [none: calls must name one]. */
  defaultProject?: string;
  /** Domain used when a call names none [none]. */
  defaultDomain?: string;
  /** Console base URL [http(s)://endpoint]. */
  consoleEndpoint?: string;
  /** Where uploaded data goes [`flyte://my-s3-bucket/`, as flytekit]. */
  dataUploadLocation?: string;
  /** Raw output prefix for new executions [server default]. */
  rawOutputDataPrefix?: string;
  /** Most admin calls in flight during fan-outs such as syncing nodes [16]. */
  concurrency?: number;
}

/** A connection FlyteRemote can own: the services, plus optional close and endpoint.  *
 * @example
 * ```ts
 * import type { RemoteConnection } from "./connect.ts";
 * import { FlyteRemote } from "./remote.ts";
 * declare const conn: RemoteConnection;
 * const remote = new FlyteRemote(conn, { defaultProject: "p", defaultDomain: "d" });
 * ```
 */
export type RemoteConnection = RemoteServices & {
  endpoint?: string;
  close?: () => void | Promise<void>;
};

/** The settings FlyteRemote's constructor takes: its options, plus where the connection goes. */
type Settings = FlyteRemoteOptions & { endpoint?: string; insecure?: boolean };

/** The shared context of a remote's sub-clients (settings, bound, console base). */
export function contextOf(
  connection: RemoteConnection,
  options: Settings,
): RemoteContext {
  return new RemoteContext(connection, {
    defaultProject: options.defaultProject,
    defaultDomain: options.defaultDomain,
    concurrency: options.concurrency,
    rawOutputDataPrefix: options.rawOutputDataPrefix,
    consoleBase: consoleBaseUrl(
      options.endpoint ?? connection.endpoint ?? "localhost:30080",
      { insecure: options.insecure, consoleEndpoint: options.consoleEndpoint },
    ),
  });
}

/** `forEndpoint`: the endpoint checked, the connection made. */
export function connectEndpoint(
  endpoint: string,
  options: FlyteRemoteOptions & ConnectOptions,
): [RemoteConnection, Settings] {
  if (typeof endpoint !== "string" || !endpoint) {
    throw new FlyteInvalidInputError(
      `forEndpoint: endpoint must be a non-empty string such as "flyte.example.com:443" or "http://localhost:30080", got ${
        typeof endpoint === "string"
          ? '""'
          : `${typeof endpoint} ${String(endpoint)}`
      }`,
    );
  }
  const connection = createConnection({ ...options, endpoint });
  return [connection, { ...options, endpoint, insecure: connection.insecure }];
}

/** `auto`: the user's configuration loaded (flytekit's precedence), the connection made. */
export async function connectAuto(
  options: FlyteRemoteOptions & { configFile?: string },
): Promise<[RemoteConnection, Settings]> {
  // Loaded on demand: config parsing (YAML) is not needed by the other constructors.
  const { loadConfig } = await import("../client/config.ts");
  const config = await loadConfig({ configFile: options.configFile });
  // The whole config: proxy command, skip-verify and auth settings included.
  const connection = createConnection(config);
  return [connection, {
    consoleEndpoint: config.consoleEndpoint,
    ...options,
    endpoint: config.endpoint,
    insecure: config.insecure,
  }];
}

/**
 * Options of `FlyteRemote.forSandbox`: the remote's and the connection's,
 * plus the sandbox's endpoint [`localhost:30080`] and token
 * [`$FLYTE_SANDBOX_TOKEN`, else none].
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from "./connect.ts";
 * const o: SandboxOptions = { endpoint: "localhost:30080", token: "abc" };
 * ```
 */
export type SandboxOptions = FlyteRemoteOptions & ConnectOptions & {
  endpoint?: string;
  token?: string;
};

/** `forSandbox`: the endpoint and options with the sandbox's defaults and token. */
export function sandboxEndpoint(
  options: SandboxOptions,
): [string, FlyteRemoteOptions & ConnectOptions] {
  const {
    endpoint = "localhost:30080",
    token = Deno.env.get("FLYTE_SANDBOX_TOKEN"),
    ...rest
  } = options;
  return [
    endpoint,
    {
      defaultProject: "flytesnacks",
      defaultDomain: "development",
      ...(token ? { auth: { type: "staticToken", token } } : {}),
      ...rest,
      insecure: true,
    } as FlyteRemoteOptions & ConnectOptions,
  ];
}
