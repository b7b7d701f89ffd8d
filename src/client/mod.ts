/**
 * The connection layer: one endpoint, one transport (native gRPC by default,
 * REST over fetch as an option), auth the way Flyte clients do it, deadlines,
 * retries with reconnects, error mapping and configuration loading.
 *
 * Owns: `src/client/`. May import: `@flyteidl/*` bindings, Connect,
 * `@bufbuild/protobuf`, `yaml`, `node:*` and Web APIs — nothing else from
 * `src/`. Used by `src/remote/`.
 *
 * @example
 * ```ts ignore
 * import { createConnection, toFlyteError } from "./mod.ts";
 * const conn = createConnection({ endpoint: "dns:///localhost:30080", insecure: true });
 * try {
 *   const v = await conn.admin.getVersion({});
 *   console.log(v.controlPlaneVersion?.Version);
 * } catch (err) {
 *   throw toFlyteError(err, "get version");
 * } finally {
 *   conn.close();
 * }
 * ```
 *
 * @module
 */
export {
  type Connection,
  type ConnectionOptions,
  createConnection,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
} from "./connection.ts";
export {
  Code,
  codeName,
  FlyteAssertion,
  FlyteAuthenticationError,
  FlyteCancelledError,
  FlyteEntityAlreadyExistsError,
  FlyteEntityNotExistError,
  FlyteError,
  type FlyteErrorOptions,
  FlyteInvalidInputError,
  FlytePermissionError,
  FlyteSystemError,
  FlyteSystemUnavailableError,
  FlyteTimeoutError,
  RegistrationSkippedError,
  toFlyteError,
} from "./errors.ts";
export { type ParsedEndpoint, parseEndpoint } from "./endpoint.ts";
export type {
  AuthMetadata,
  AuthOptions,
  ClientCredentialsAuth,
  CommonAuthOptions,
  DeviceCodeAuth,
  DevicePrompt,
  ExternalCommandAuth,
  NoAuth,
  PkceAuth,
  StaticTokenAuth,
  Token,
} from "./auth/types.ts";
export { Authenticator, DEFAULT_AUTH_HEADER } from "./auth/authenticator.ts";
export {
  findConfigFile,
  loadConfig,
  type LoadConfigOptions,
  parseIni,
  type PlatformConfig,
  type StorageConfig,
} from "./config.ts";
export type { ClosableTransport } from "./transport/types.ts";
