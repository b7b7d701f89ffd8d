/**
 * flyte-deno: drive Flyte from Deno notebooks and scripts.
 *
 * @example
 * ```ts
 * import { VERSION } from "./mod.ts";
 * console.log(VERSION);
 * ```
 *
 * @module
 */
export { VERSION } from "./src/version.ts";
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
  loadConfig,
  type LoadConfigOptions,
  type PlatformConfig,
  RegistrationSkippedError,
  type StorageConfig,
  toFlyteError,
} from "./src/client/mod.ts";
export type {
  AuthOptions,
  ClientCredentialsAuth,
  CommonAuthOptions,
  DeviceCodeAuth,
  DevicePrompt,
  ExternalCommandAuth,
  NoAuth,
  PkceAuth,
  StaticTokenAuth,
} from "./src/client/mod.ts";
