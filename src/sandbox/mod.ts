/**
 * The embedded Flyte sandbox: a FlyteAdmin-compatible server (native gRPC,
 * Connect, gRPC-web and grpc-gateway REST on one port) with real SQLite
 * storage and a signed-URL blob store, so Flyte clients run against one
 * local process. Executions are run by an {@link ExecutionLauncher} (the
 * engine) that reports back through the in-process {@link SandboxServices}.
 *
 * Layout: `store/` (SQLite schema, list queries), `blobs/` (files + signed
 * URLs), `s3/` (the S3 face over the blobs, as MinIO beside FlyteAdmin),
 * `admin/` (AdminService, SignalService, DataProxyService logic),
 * `server/` (protocol front ends, and the HTML console pages behind the
 * links FlyteRemote prints, drawn by src/display), `compiler/` (workflow
 * compiler), `engine/` (runs executions). Imports point one way:
 * server -> admin -> store, blobs, compiler; server -> display; s3 -> blobs,
 * server/guard.ts; the engine
 * only talks to admin through the launcher seam and the services.
 *
 * @example
 * ```ts
 * import { startSandbox } from "./mod.ts";
 * const sandbox = await startSandbox({ port: 0, dataDir: Deno.makeTempDirSync() });
 * console.log(sandbox.endpoint);
 * await sandbox.close();
 * ```
 *
 * An engine plugs in as a launcher factory; it gets in-process AdminService
 * and SignalService clients (a Connect router transport over the same
 * implementations, no network) to report events and read signals:
 *
 * @example
 * ```ts
 * import { type ExecutionLauncher, startSandbox } from "./mod.ts";
 * const sandbox = await startSandbox({
 *   port: 0,
 *   dataDir: Deno.makeTempDirSync(),
 *   launcher: (services): ExecutionLauncher => ({
 *     async launch(request) {
 *       await services.admin.createWorkflowEvent({
 *         event: { executionId: request.id, phase: 2, occurredAt: { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 } },
 *       });
 *     },
 *     terminate: () => Promise.resolve(),
 *     close: () => Promise.resolve(),
 *   }),
 * });
 * await sandbox.close();
 * ```
 *
 * @module
 */
export {
  DATA_DIR_ENV,
  DEFAULT_PORT,
  DEFAULT_PROJECT,
  DEFAULT_S3_PORT,
  defaultDataDir,
  DEMO_S3_CREDENTIALS,
  DOMAINS,
  type SandboxHandle,
  type SandboxOptions,
  type SandboxS3,
  type SandboxServices,
  startSandbox,
} from "./sandbox.ts";
export type { ExecutionLauncher, LaunchRequest } from "./launcher.ts";
export type { SandboxCompiler } from "./admin/context.ts";
export {
  type BucketMounts,
  type CommandMapper,
  Engine,
  type EngineHost,
  engineLauncher,
  type EngineOptions,
  type EngineStorage,
  Scheduler,
  type SchedulerOptions,
  type ScheduleState,
} from "./engine/mod.ts";
