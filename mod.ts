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
} from "./src/client/mod.ts";
// The type engine: TypeScript values <-> Flyte literals.
export {
  decodeLiteral,
  decodeLiteralMap,
  decodeValues,
  Duration,
  encodeLiteral,
  encodeLiteralMap,
  encodeValues,
  FlyteDirectory,
  FlyteErrorValue,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  guessType,
  PreciseDate,
  StructuredDataset,
  t,
  toLiteral,
  toLiteralMap,
  typeFromLiteralType,
  TypeTransformError,
} from "./src/types/mod.ts";
export type {
  AnyFlyteType,
  FlyteType,
  FromLiteralMapOptions,
  Infer,
  InferInput,
  InputsOf,
  JsonObject,
  JsonValue,
  Literal,
  LiteralMap,
  LiteralType,
  OptionalFlyteType,
  OptionalKeys,
  OutputsOf,
  PathSegment,
  RecordFields,
  RecordInput,
  RecordOptions,
  RecordValue,
  RemoteVariables,
  RequiredKeys,
  Simplify,
  ToLiteralMapOptions,
  TypeKind,
  TypeLike,
  Variable,
  Variables,
} from "./src/types/mod.ts";
// FlyteRemote: the client facade for notebooks and scripts.
export * from "./src/remote/mod.ts";
// Rich notebook display of values and live progress (executions and entities display themselves).
export {
  LiveDisplay,
  type LiveTarget,
  type MimeBundle,
  renderList,
  renderValue,
  show,
} from "./src/display/mod.ts";
// Interactive mode's errors and cap (bundles of local TypeScript tasks).
export {
  BundleError,
  BundleIntegrityError,
  BundleTooLargeError,
  CaptureError,
  UnshippableReferenceError,
} from "./src/bundle/errors.ts";
export {
  type Manifest,
  MAX_BUNDLE_BYTES,
  RUNTIME_VERSION,
} from "./src/bundle/manifest.ts";
export type { Bundle } from "./src/bundle/bundle.ts";
export type {
  FastPackage,
  FastPackageOptions,
} from "./src/bundle/fast_package.ts";
// Data transfers through the data proxy (uploads, downloads).
export * from "./src/data/mod.ts";
// The connection layer (transports, auth, deadlines, retries) for raw service access.
export {
  Authenticator,
  type ClosableTransport,
  type Connection,
  type ConnectionOptions,
  createConnection,
  DEFAULT_AUTH_HEADER,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
  type ParsedEndpoint,
  parseEndpoint,
} from "./src/client/mod.ts";
// Authoring: tasks, workflows and launch plans in TypeScript, and their compilation.
export * from "./src/sdk/mod.ts";
