/**
 * `createConnection`: one endpoint, one transport (gRPC or REST), typed
 * clients for the Flyte services, auth, deadlines and retries.
 *
 * @module
 */
import * as tls from "node:tls";
import {
  type Client,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import type { SignalService } from "@flyteidl/service/signal_pb.ts";
import type { AuthMetadataService } from "@flyteidl/service/auth_pb.ts";
import type { IdentityService } from "@flyteidl/service/identity_pb.ts";
import { Authenticator, authInterceptor } from "./auth/authenticator.ts";
import { discoverAuthMetadata } from "./auth/discovery.ts";
import { proxyAuthInterceptor } from "./auth/proxy.ts";
import type { AuthOptions } from "./auth/types.ts";
import { parseEndpoint } from "./endpoint.ts";
import { FlyteInvalidInputError } from "./errors.ts";
import { lazyClient, lazyTransport } from "./lazy.ts";
import { RetryingTransport } from "./transport/retry.ts";
import type { ClosableTransport, TransportParams } from "./transport/types.ts";

/**
 * Default per-call deadline: 60 s (flytekit's, added after hangs on dead connections).
 *
 * @example
 * ```ts
 * import { DEFAULT_DEADLINE_MS } from "./connection.ts";
 * console.log(DEFAULT_DEADLINE_MS); // 60000
 * ```
 */
export const DEFAULT_DEADLINE_MS = 60_000;
/**
 * Default largest response accepted: 256 MiB (gRPC's own default is 4 MiB).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RECEIVE_MESSAGE_BYTES } from "./connection.ts";
 * console.log(DEFAULT_MAX_RECEIVE_MESSAGE_BYTES); // 268435456
 * ```
 */
export const DEFAULT_MAX_RECEIVE_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Options of {@link createConnection}.
 *
 * @example
 * ```ts
 * import type { ConnectionOptions } from "./connection.ts";
 * const options: ConnectionOptions = {
 *   endpoint: "dns:///flyte.example.com:443",
 *   transport: "grpc",
 *   auth: { type: "pkce" },
 *   deadlineMs: 30_000,
 * };
 * console.log(options.endpoint);
 * ```
 */
export interface ConnectionOptions {
  /**
   * The FlyteAdmin endpoint: `host:port`, `dns:///host:port` (flytectl's
   * form) or `http(s)://host:port`. Required.
   */
  endpoint: string;
  /**
   * Use cleartext instead of TLS for a bare `host:port` (default false).
   * An explicit `http://`/`https://` scheme wins over this flag.
   */
  insecure?: boolean;
  /**
   * `"grpc"` (default): native gRPC over HTTP/2. `"rest"`: FlyteAdmin's
   * grpc-gateway routes under `/api/v1` over fetch with binary protobuf,
   * for networks that block HTTP/2 (streaming RPCs are not available).
   */
  transport?: "grpc" | "rest";
  /**
   * PEM file of CA certificates to trust in addition to the bundled roots
   * and the operating system's store, which are always trusted (default:
   * none).
   */
  caCertFile?: string;
  /**
   * Accept any server certificate (default false). gRPC only: Deno's fetch
   * cannot skip verification, so with `transport: "rest"` this is refused
   * (run Deno with `--unsafely-ignore-certificate-errors` instead).
   */
  insecureSkipVerify?: boolean;
  /**
   * How to authenticate when the server asks (default `{ type: "pkce" }`,
   * like Flyte's own clients; nothing happens unless the server answers
   * UNAUTHENTICATED).
   */
  auth?: AuthOptions;
  /**
   * Command printing a token for an identity-aware proxy in front of the
   * endpoint, sent as `proxy-authorization: Bearer <token>` (default none).
   */
  proxyCommand?: string[];
  /**
   * Deadline of each call attempt in ms (default 60000; 0 means none). A
   * call's own `timeoutMs` wins.
   */
  deadlineMs?: number;
  /**
   * Retries of a unary call that failed with UNAVAILABLE or because its
   * connection vanished; the connection is recreated first (default 3).
   */
  maxRetries?: number;
  /** Extra headers sent with every call (default none). */
  headers?: HeadersInit;
  /** Largest response message accepted, in bytes (default 256 MiB). */
  maxReceiveMessageBytes?: number;
  /**
   * HTTP/2 keep-alive ping interval in ms while calls are open (default
   * 300000, the least interval grpc-go servers accept by default; gRPC only).
   */
  keepAliveMs?: number;
}

/**
 * A connection to one Flyte endpoint with a typed client per service.
 * Connections are made lazily, on the first call.
 *
 * @example
 * ```ts ignore
 * import { createConnection } from "./connection.ts";
 * using conn = createConnection({ endpoint: "localhost:30080", insecure: true });
 * const projects = await conn.admin.listProjects({});
 * console.log(projects.projects.map((p) => p.id));
 * ```
 */
export interface Connection {
  /** `host:port` of the endpoint. */
  readonly endpoint: string;
  /** `http(s)://host:port` the transport talks to. */
  readonly baseUrl: string;
  /** Whether the connection is cleartext. */
  readonly insecure: boolean;
  /** The transport kind in use. */
  readonly transportKind: "grpc" | "rest";
  /** flyteidl.service.AdminService. */
  readonly admin: Client<typeof AdminService>;
  /** flyteidl.service.DataProxyService. */
  readonly dataProxy: Client<typeof DataProxyService>;
  /** flyteidl.service.SignalService. */
  readonly signal: Client<typeof SignalService>;
  /** flyteidl.service.AuthMetadataService (anonymous). */
  readonly authMetadata: Client<typeof AuthMetadataService>;
  /** flyteidl.service.IdentityService. */
  readonly identity: Client<typeof IdentityService>;
  /** The transport under the clients (escape hatch for other services). */
  readonly transport: ClosableTransport;
  /** The authenticator (token state, discovery). */
  readonly authenticator: Authenticator;
  /** Closes open connections. Calls made afterwards reconnect. */
  close(): void;
  /** Same as {@link Connection.close}, for `using conn = createConnection(...)`. */
  [Symbol.dispose](): void;
}

function readCa(file: string): string {
  try {
    return Deno.readTextFileSync(file);
  } catch (cause) {
    throw new FlyteInvalidInputError(
      `caCertFile ${JSON.stringify(file)}: cannot read: ${
        (cause as Error).message
      }`,
      { cause },
    );
  }
}

/** The operating system's CA store plus `extra`, for fetch. */
function systemCas(extra?: string): string[] {
  let system: string[] = [];
  try {
    system = tls.getCACertificates("system");
  } catch {
    // no readable system store: the bundled roots still apply
  }
  return extra ? [...system, extra] : system;
}

/**
 * Everything trusted over node:tls: its `ca` option replaces the default
 * store, so list the bundled roots, the system store and the CA file.
 */
function trustedCas(extra?: string): string[] {
  const all = new Set<string>(tls.rootCertificates);
  for (const c of systemCas()) all.add(c);
  const out = [...all];
  if (extra) out.push(extra);
  return out;
}

function checkPositive(name: string, v: number | undefined) {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
    throw new FlyteInvalidInputError(
      `${name}: expected a number >= 0, got ${String(v)}`,
    );
  }
}

/**
 * Creates a connection. Nothing is dialled until the first call.
 *
 * @throws {FlyteInvalidInputError} for a malformed endpoint, an unreadable
 * CA file or a bad option value.
 *
 * @example
 * ```ts ignore
 * import { createConnection } from "./connection.ts";
 * const conn = createConnection({ endpoint: "localhost:30080", insecure: true });
 * const v = await conn.admin.getVersion({});
 * console.log(v.controlPlaneVersion?.Version);
 * conn.close();
 * ```
 */
export function createConnection(options: ConnectionOptions): Connection {
  const ep = parseEndpoint(options.endpoint, options.insecure);
  const kind = options.transport ?? "grpc";
  if (kind !== "grpc" && kind !== "rest") {
    throw new FlyteInvalidInputError(
      `transport: expected "grpc" or "rest", got ${JSON.stringify(kind)}`,
    );
  }
  checkPositive("deadlineMs", options.deadlineMs);
  checkPositive("maxRetries", options.maxRetries);
  checkPositive("maxReceiveMessageBytes", options.maxReceiveMessageBytes);
  checkPositive("keepAliveMs", options.keepAliveMs);
  if (options.insecureSkipVerify && kind === "rest") {
    throw new FlyteInvalidInputError(
      'insecureSkipVerify: not supported with transport "rest" (Deno\'s fetch always verifies; run deno with --unsafely-ignore-certificate-errors instead)',
    );
  }
  const caPem = options.caCertFile ? readCa(options.caCertFile) : undefined;
  const params: TransportParams = {
    baseUrl: ep.baseUrl,
    caCert: ep.secure ? trustedCas(caPem).join("\n") : undefined,
    deadlineMs: options.deadlineMs === 0
      ? undefined
      : options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    maxReceiveMessageBytes: options.maxReceiveMessageBytes ??
      DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
    keepAliveMs: options.keepAliveMs,
    insecureSkipVerify: options.insecureSkipVerify,
  };
  // fetch trusts the bundled roots; add the system store and the CA file.
  const httpClient = ep.secure
    ? Deno.createHttpClient({ caCerts: systemCas(caPem) })
    : undefined;
  const fetchFn: typeof fetch = httpClient
    ? (input, init) => fetch(input, { ...init, client: httpClient })
    : fetch;
  const extra = new Headers(options.headers);
  const headerInterceptor: Interceptor = (next) => (req) => {
    extra.forEach((v, k) => {
      if (!req.header.has(k)) req.header.set(k, v);
    });
    return next(req);
  };
  const outer: Interceptor[] = options.proxyCommand?.length
    ? [headerInterceptor, proxyAuthInterceptor(options.proxyCommand)]
    : [headerInterceptor];
  // The transport's module (node:http2 and connect-node for gRPC, the
  // route table for REST) is loaded by the first call, and only that kind.
  const make = (interceptors: Interceptor[]): ClosableTransport =>
    lazyTransport(async () =>
      kind === "grpc"
        ? (await import("./transport/grpc.ts")).createGrpcTransportFor({
          ...params,
          interceptors,
        })
        : (await import("./transport/rest.ts")).createRestTransport({
          ...params,
          baseUrl: ep.baseUrl,
          interceptors,
          fetch: fetchFn,
        })
    );
  const retry = { maxRetries: options.maxRetries ?? 3 };
  const anonymous = new RetryingTransport(
    () => make(outer),
    retry,
  );
  const authenticator = new Authenticator({
    options: options.auth ?? { type: "pkce" },
    endpointKey: ep.authority,
    discover: () => discoverAuthMetadata(anonymous),
    fetch: fetchFn,
  });
  const transport = new RetryingTransport(
    () => make([...outer, authInterceptor(authenticator)]),
    retry,
  );
  const close = () => {
    transport.close();
    anonymous.close();
    httpClient?.close();
  };
  return {
    endpoint: ep.authority,
    baseUrl: ep.baseUrl,
    insecure: !ep.secure,
    transportKind: kind,
    admin: createClient(AdminService, transport),
    dataProxy: createClient(DataProxyService, transport),
    // Bindings loaded by their first call (AdminService and DataProxyService
    // are imported by what uses them at once anyway).
    signal: lazyClient<typeof SignalService>(
      async () =>
        (await import("@flyteidl/service/signal_pb.ts")).SignalService,
      transport,
    ),
    authMetadata: lazyClient<typeof AuthMetadataService>(
      async () =>
        (await import("@flyteidl/service/auth_pb.ts")).AuthMetadataService,
      anonymous,
    ),
    identity: lazyClient<typeof IdentityService>(
      async () =>
        (await import("@flyteidl/service/identity_pb.ts")).IdentityService,
      transport,
    ),
    transport,
    authenticator,
    close,
    [Symbol.dispose]: close,
  };
}
