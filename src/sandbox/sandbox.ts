/**
 * `startSandbox`: opens the data directory (SQLite + blobs), seeds the
 * default project and domains, and serves every protocol on one port.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { create } from "@bufbuild/protobuf";
import {
  type Client,
  createClient,
  createRouterTransport,
  type Transport,
} from "@connectrpc/connect";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { AuthMetadataService } from "@flyteidl/service/auth_pb.ts";
import { IdentityService } from "@flyteidl/service/identity_pb.ts";
import { ProjectSchema } from "@flyteidl/admin/project_pb.ts";
import { toBinary } from "@bufbuild/protobuf";
import { SandboxDb } from "./store/db.ts";
import { BlobStore, DEFAULT_BUCKET } from "./blobs/store.ts";
import { type S3Face, startS3Face } from "./s3/server.ts";
import {
  DEFAULT_S3_PORT,
  DEMO_S3_CREDENTIALS,
  s3Endpoint,
  type SandboxS3,
  taskS3Env,
  uploadSigner,
} from "./s3/wiring.ts";

export { DEFAULT_S3_PORT, DEMO_S3_CREDENTIALS, type SandboxS3 };
import type { EngineStorage } from "./engine/mod.ts";
import type { ExecutionLauncher } from "./launcher.ts";
import { engineLauncher } from "./engine/mod.ts";
import type { AdminContext, SandboxCompiler } from "./admin/context.ts";
import { adminService } from "./admin/service.ts";
import { signalService } from "./admin/signals.ts";
import { dataProxyService } from "./admin/dataproxy.ts";
import {
  type ServiceBinding,
  startFrontEnd,
  surfaceInternalErrors,
} from "./server/server.ts";
import { defaultCompiler } from "./default_compiler.ts";
import { guardPolicy, isLoopbackHost, refuseFetch } from "./server/guard.ts";

/** 32 random bytes, hex: a sandbox token. */
function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Port of Flyte's demo cluster, the sandbox default. */
export const DEFAULT_PORT = 30080;

/** Environment variable overriding the default data directory. */
export const DATA_DIR_ENV = "FLYTE_SANDBOX_DATA_DIR";

/** Domains every sandbox serves. */
export const DOMAINS: readonly string[] = [
  "development",
  "staging",
  "production",
];

/** The default project, present from the start. */
export const DEFAULT_PROJECT = "flytesnacks";

/**
 * In-process access to the sandbox's services (what the engine uses to
 * report events and read signals, as propeller talks to FlyteAdmin).
 *
 * @example
 * ```ts
 * import type { SandboxServices } from "./sandbox.ts";
 * async function version(s: SandboxServices) {
 *   return (await s.admin.getVersion({})).controlPlaneVersion?.Version;
 * }
 * ```
 */
export interface SandboxServices {
  /** A Connect transport over the service implementations, no network. */
  transport: Transport;
  /** AdminService client on {@link transport}. */
  admin: Client<typeof AdminService>;
  /** SignalService client on {@link transport}. */
  signals: Client<typeof SignalService>;
  /** Absolute data directory. */
  dataDir: string;
  /** Absolute root of the blob store (its bucket's objects are the files below it). */
  blobRoot: string;
  /** The bucket, mounted onto {@link blobRoot}, and what task processes need to reach it through S3. */
  storage: EngineStorage;
}

/**
 * Options of {@link startSandbox}.
 *
 * @example
 * ```ts
 * import type { SandboxOptions } from "./sandbox.ts";
 * const o: SandboxOptions = { port: 0, dataDir: "/tmp/sb" };
 * ```
 */
export interface SandboxOptions {
  /** TCP port; default 30080; 0 picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Data directory; default `$FLYTE_SANDBOX_DATA_DIR` or `~/.flyte-deno/sandbox`. */
  dataDir?: string;
  /**
   * Runs executions: an {@link ExecutionLauncher}, or a factory given the
   * in-process services. Default: the engine (src/sandbox/engine, state in
   * `<dataDir>/engine`); `null`: none (executions stay in their created phase).
   */
  launcher?:
    | ExecutionLauncher
    | ((services: SandboxServices) => ExecutionLauncher)
    | null;
  /** Workflow compiler; default the one in src/sandbox/compiler. */
  compiler?: SandboxCompiler;
  /**
   * A token every request must carry (`Authorization: Bearer <token>`; in a
   * browser `?token=`). Default: none on loopback; a random one (see
   * {@link SandboxHandle.token}) when `host` is reachable from other machines.
   * `""` turns it off even then.
   */
  token?: string;
  /**
   * Host names requests may address besides loopback and `host` (a foreign
   * `Host` header is refused, which stops DNS rebinding).
   */
  allowedHosts?: string[];
  /**
   * Largest request accepted, in bytes (RESOURCE_EXHAUSTED / 413 beyond it,
   * before the body is read whole). Default 4 MiB, grpc-go's (and so
   * FlyteAdmin's) default max receive size. Blob uploads to signed URLs are
   * not limited by it.
   */
  maxRequestBytes?: number;
  /**
   * Port of the S3 face. Default {@link DEFAULT_S3_PORT} (30002, where
   * flytekit's `Config.for_sandbox()` looks) when `port` is the default
   * 30080, else 0 (any free port).
   */
  s3Port?: number;
  /** The bucket of native URLs (`s3://<bucket>/...`). Default `my-s3-bucket`. */
  bucket?: string;
  /**
   * Credentials S3 requests must be signed with. Default the demo cluster's
   * (`minio` / `miniostorage`) on loopback; beyond loopback the secret is
   * the token (or a random one), never the well-known default.
   */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A running sandbox.
 *
 * @example
 * ```ts
 * import type { SandboxHandle } from "./sandbox.ts";
 * async function stop(h: SandboxHandle) { console.log(h.endpoint); await h.close(); }
 * ```
 */
export interface SandboxHandle {
  /** `http://127.0.0.1:<port>`: gRPC, Connect, gRPC-web and REST. */
  endpoint: string;
  /** Bound port. */
  port: number;
  /** Absolute data directory. */
  dataDir: string;
  /** The token requests need, when the sandbox has one. */
  token?: string;
  /** In-process clients. */
  services: SandboxServices;
  /** The S3 face over the blob store. */
  s3: SandboxS3;
  /** Stops the launcher, the server and closes the database. */
  close(): Promise<void>;
}

/**
 * The default data directory.
 *
 * @example
 * ```ts
 * import { defaultDataDir } from "./sandbox.ts";
 * console.log(defaultDataDir());
 * ```
 */
export function defaultDataDir(): string {
  const env = Deno.env.get(DATA_DIR_ENV);
  if (env) return path.resolve(env);
  return path.join(os.homedir(), ".flyte-deno", "sandbox");
}

function seed(ctx: AdminContext) {
  ctx.db.tx(() => {
    if (!ctx.db.get("SELECT 1 FROM projects WHERE id = ?", DEFAULT_PROJECT)) {
      ctx.db.run(
        "INSERT INTO projects VALUES (?,?,?,?,?)",
        DEFAULT_PROJECT,
        DEFAULT_PROJECT,
        0,
        new Date().toISOString(),
        toBinary(
          ProjectSchema,
          create(ProjectSchema, {
            id: DEFAULT_PROJECT,
            name: DEFAULT_PROJECT,
            description: "The default project",
          }),
        ),
      );
    }
  });
}

/**
 * Starts a sandbox: storage in `dataDir`, every protocol on one port.
 *
 * @example
 * ```ts
 * import { startSandbox } from "./sandbox.ts";
 * const sb = await startSandbox({ port: 0, dataDir: Deno.makeTempDirSync() });
 * console.log(sb.endpoint);
 * await sb.close();
 * ```
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<SandboxHandle> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  fs.mkdirSync(dataDir, { recursive: true });
  const db = SandboxDb.open(path.join(dataDir, "sandbox.db"));
  let blobs: BlobStore;
  try {
    blobs = BlobStore.open(dataDir, options.bucket ?? DEFAULT_BUCKET);
  } catch (e) {
    db.close();
    throw e;
  }
  const ctx: AdminContext = {
    db,
    blobs,
    compiler: options.compiler ?? defaultCompiler,
    dataDir,
    domains: [...DOMAINS],
  };
  seed(ctx);
  const admin = adminService(ctx);
  const signals = signalService(ctx);
  const dataProxy = dataProxyService(ctx);
  const bindings: ServiceBinding[] = [
    { service: AdminService, impl: admin as Record<string, unknown> },
    { service: SignalService, impl: signals as Record<string, unknown> },
    { service: DataProxyService, impl: dataProxy as Record<string, unknown> },
    { service: AuthMetadataService, impl: {} },
    { service: IdentityService, impl: {} },
  ];
  const transport = createRouterTransport((router) => {
    for (const b of bindings) router.service(b.service, b.impl as never);
  }, { router: { interceptors: [surfaceInternalErrors] } });
  const listenHost = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(listenHost);
  const token = options.token ?? (loopback ? undefined : randomToken());
  const guard = guardPolicy({
    host: listenHost,
    allowedHosts: options.allowedHosts,
    token,
  });
  const port = options.port ?? DEFAULT_PORT;
  const credentials = options.s3Credentials ??
    (loopback ? DEMO_S3_CREDENTIALS : {
      accessKeyId: DEMO_S3_CREDENTIALS.accessKeyId,
      secretAccessKey: token || randomToken(),
    });
  const [frontResult, s3Result] = await Promise.allSettled([
    startFrontEnd({
      host: listenHost,
      port,
      services: bindings,
      blobs,
      guard,
      maxRequestBytes: options.maxRequestBytes,
    }),
    startS3Face({
      blobs,
      dataDir,
      host: listenHost,
      port: options.s3Port ?? (port === DEFAULT_PORT ? DEFAULT_S3_PORT : 0),
      credentials,
      guard,
    }),
  ]);
  if (frontResult.status === "rejected" || s3Result.status === "rejected") {
    if (frontResult.status === "fulfilled") await frontResult.value.close();
    if (s3Result.status === "fulfilled") await s3Result.value.close();
    db.close();
    if (frontResult.status === "rejected") throw frontResult.reason;
    const e = (s3Result as PromiseRejectedResult).reason as Error;
    throw new Error(
      `the sandbox's S3 face cannot listen on ${listenHost}:${
        options.s3Port ?? (port === DEFAULT_PORT ? DEFAULT_S3_PORT : 0)
      } (${e.message}); choose another port with s3Port / --s3-port`,
      { cause: e },
    );
  }
  const front = frontResult.value;
  const s3face: S3Face = s3Result.value;
  const s3: SandboxS3 = {
    endpoint: s3Endpoint(listenHost, s3face.port),
    port: s3face.port,
    bucket: blobs.bucket,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: "us-east-1",
  };
  const services: SandboxServices = {
    transport,
    admin: createClient(AdminService, transport),
    signals: createClient(SignalService, transport),
    dataDir,
    blobRoot: blobs.root,
    storage: {
      mounts: { [blobs.bucket]: blobs.root },
      env: taskS3Env(s3),
    },
  };
  const host = options.host ?? "127.0.0.1";
  const endpoint = `http://${
    host.includes(":") ? `[${host}]` : host
  }:${front.port}`;
  blobs.baseUrl = endpoint;
  blobs.uploadSigner = uploadSigner(s3);
  // The log server listens on loopback only: Host and Origin checks, no token.
  const logPolicy = guardPolicy({ host: "127.0.0.1" });
  const launcher = options.launcher === undefined
    ? engineLauncher({ logGuard: (req) => refuseFetch(logPolicy, req) })
    : options.launcher;
  if (launcher) {
    ctx.launcher = typeof launcher === "function"
      ? launcher(services)
      : launcher;
  }
  let closed = false;
  return {
    endpoint,
    port: front.port,
    dataDir,
    token: token || undefined,
    services,
    s3,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await ctx.launcher?.close();
      } finally {
        await Promise.all([front.close(), s3face.close()]);
        db.close();
      }
    },
  };
}
