/**
 * Typed errors for everything the client does, mirroring flytekit's
 * exceptions. Each carries the gRPC status code, the server's own message and
 * the original error as `cause`.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";

export { Code };

/** gRPC status names (`NOT_FOUND`, ...) indexed by Connect's {@link Code}. */
const CODE_NAMES: Record<number, string> = {
  0: "OK",
  [Code.Canceled]: "CANCELLED",
  [Code.Unknown]: "UNKNOWN",
  [Code.InvalidArgument]: "INVALID_ARGUMENT",
  [Code.DeadlineExceeded]: "DEADLINE_EXCEEDED",
  [Code.NotFound]: "NOT_FOUND",
  [Code.AlreadyExists]: "ALREADY_EXISTS",
  [Code.PermissionDenied]: "PERMISSION_DENIED",
  [Code.ResourceExhausted]: "RESOURCE_EXHAUSTED",
  [Code.FailedPrecondition]: "FAILED_PRECONDITION",
  [Code.Aborted]: "ABORTED",
  [Code.OutOfRange]: "OUT_OF_RANGE",
  [Code.Unimplemented]: "UNIMPLEMENTED",
  [Code.Internal]: "INTERNAL",
  [Code.Unavailable]: "UNAVAILABLE",
  [Code.DataLoss]: "DATA_LOSS",
  [Code.Unauthenticated]: "UNAUTHENTICATED",
};

/**
 * The gRPC name of a status code, e.g. `NOT_FOUND` for `Code.NotFound`.
 *
 * @example
 * ```ts
 * import { Code, codeName } from "./errors.ts";
 * console.log(codeName(Code.NotFound)); // "NOT_FOUND"
 * ```
 */
export function codeName(code: Code): string {
  return CODE_NAMES[code] ?? `CODE_${code}`;
}

/**
 * Options accepted by every {@link FlyteError} constructor.
 *
 * @example
 * ```ts
 * import { Code, FlyteError, type FlyteErrorOptions } from "./errors.ts";
 * const o: FlyteErrorOptions = { code: Code.Internal, serverMessage: "db locked" };
 * console.log(new FlyteError("admin failed", o).codeName); // "INTERNAL"
 * ```
 */
export interface FlyteErrorOptions {
  /** gRPC status code; defaults to the class's own code. */
  code?: Code;
  /** The server's message, unchanged (empty for client-side errors). */
  serverMessage?: string;
  /** Response metadata (headers and trailers) sent with the error. */
  metadata?: Headers;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base class of every error the client raises.
 *
 * @example
 * ```ts
 * import { FlyteError, FlyteEntityNotExistError } from "./errors.ts";
 * const err = new FlyteEntityNotExistError("task p/d/t@v1 not found");
 * console.log(err instanceof FlyteError, err.code); // true 5
 * ```
 */
export class FlyteError extends Error {
  /** Code used when the constructor is not given one. */
  static readonly defaultCode: Code = Code.Unknown;
  /** gRPC status code (Connect's numbering, identical to gRPC's). */
  readonly code: Code;
  /** The server's message as it came off the wire ("" if none). */
  readonly serverMessage: string;
  /** Response metadata sent with the error (empty if none). */
  readonly metadata: Headers;

  /** Creates an error; `message` is what users read. */
  constructor(message: string, options: FlyteErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ??
      (new.target as unknown as typeof FlyteError).defaultCode;
    this.serverMessage = options.serverMessage ?? "";
    this.metadata = options.metadata ?? new Headers();
  }

  /** The gRPC name of {@link FlyteError.code}, e.g. `NOT_FOUND`. */
  get codeName(): string {
    return codeName(this.code);
  }
}

/**
 * The entity (task, workflow, launch plan, execution, ...) does not exist
 * (NOT_FOUND).
 *
 * @example
 * ```ts
 * import { FlyteEntityNotExistError } from "./errors.ts";
 * const err = new FlyteEntityNotExistError("workflow p/d/wf@v1 not found");
 * console.log(err.codeName);
 * ```
 */
export class FlyteEntityNotExistError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.NotFound;
}

/**
 * The entity already exists (ALREADY_EXISTS). Registration treats this as
 * success; execution creation returns the existing execution.
 *
 * @example
 * ```ts
 * import { FlyteEntityAlreadyExistsError } from "./errors.ts";
 * const e = new FlyteEntityAlreadyExistsError("execution p/d/x exists");
 * console.log(e.codeName); // "ALREADY_EXISTS"
 * ```
 */
export class FlyteEntityAlreadyExistsError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.AlreadyExists;
}

/**
 * The request was rejected as invalid (INVALID_ARGUMENT, FAILED_PRECONDITION,
 * OUT_OF_RANGE) or failed a client-side check before any call.
 *
 * @example
 * ```ts
 * import { FlyteInvalidInputError } from "./errors.ts";
 * const err = new FlyteInvalidInputError("unknown input 'y'; expected: x: int");
 * console.log(err.codeName);
 * ```
 */
export class FlyteInvalidInputError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.InvalidArgument;
}

/**
 * The server wants credentials the client could not supply or it rejected
 * (UNAUTHENTICATED), or an OAuth2 flow failed.
 *
 * @example
 * ```ts
 * import { FlyteAuthenticationError } from "./errors.ts";
 * const err = new FlyteAuthenticationError("token endpoint said: invalid_client");
 * console.log(err.codeName);
 * ```
 */
export class FlyteAuthenticationError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.Unauthenticated;
}

/**
 * Authenticated, but not allowed to do this (PERMISSION_DENIED).
 *
 * @example
 * ```ts
 * import { FlytePermissionError } from "./errors.ts";
 * const err = new FlytePermissionError("create execution p/d/x: denied");
 * console.log(err.codeName);
 * ```
 */
export class FlytePermissionError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.PermissionDenied;
}

/**
 * The server could not be reached or is unavailable (UNAVAILABLE), after the
 * configured retries.
 *
 * @example
 * ```ts
 * import { FlyteSystemUnavailableError } from "./errors.ts";
 * const err = new FlyteSystemUnavailableError("localhost:30080 refused the connection");
 * console.log(err.codeName);
 * ```
 */
export class FlyteSystemUnavailableError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.Unavailable;
}

/**
 * A deadline passed (DEADLINE_EXCEEDED), or `wait()` timed out.
 *
 * @example
 * ```ts
 * import { FlyteTimeoutError } from "./errors.ts";
 * const err = new FlyteTimeoutError("execution p/d/x did not finish within 60 s");
 * console.log(err.codeName);
 * ```
 */
export class FlyteTimeoutError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.DeadlineExceeded;
}

/**
 * The call was cancelled through its AbortSignal (CANCELLED).
 *
 * @example
 * ```ts
 * import { FlyteCancelledError } from "./errors.ts";
 * const err = new FlyteCancelledError("wait for p/d/x was aborted");
 * console.log(err.codeName);
 * ```
 */
export class FlyteCancelledError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.Canceled;
}

/**
 * The server failed in a way the client cannot fix (INTERNAL, UNKNOWN,
 * UNIMPLEMENTED, DATA_LOSS, RESOURCE_EXHAUSTED, ABORTED).
 *
 * @example
 * ```ts
 * import { FlyteSystemError } from "./errors.ts";
 * const err = new FlyteSystemError("admin failed: database is locked");
 * console.log(err.codeName);
 * ```
 */
export class FlyteSystemError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.Internal;
}

/**
 * An entity that cannot be registered (for example a local-only construct).
 *
 * @example
 * ```ts
 * import { RegistrationSkippedError } from "./errors.ts";
 * const err = new RegistrationSkippedError("reference task t1 is registered elsewhere");
 * console.log(err.codeName);
 * ```
 */
export class RegistrationSkippedError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.FailedPrecondition;
}

/**
 * A client-side assertion failed: something that should hold did not (for
 * example reading outputs of an execution that has not succeeded).
 *
 * @example
 * ```ts
 * import { FlyteAssertion } from "./errors.ts";
 * const err = new FlyteAssertion("execution p/d/x failed: no outputs");
 * console.log(err.codeName);
 * ```
 */
export class FlyteAssertion extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.FailedPrecondition;
}

type FlyteErrorClass = new (
  message: string,
  options?: FlyteErrorOptions,
) => FlyteError;

/** Which class each gRPC code maps to. */
const CLASS_BY_CODE: Partial<Record<Code, FlyteErrorClass>> = {
  [Code.NotFound]: FlyteEntityNotExistError,
  [Code.AlreadyExists]: FlyteEntityAlreadyExistsError,
  [Code.InvalidArgument]: FlyteInvalidInputError,
  [Code.FailedPrecondition]: FlyteInvalidInputError,
  [Code.OutOfRange]: FlyteInvalidInputError,
  [Code.Unauthenticated]: FlyteAuthenticationError,
  [Code.PermissionDenied]: FlytePermissionError,
  [Code.Unavailable]: FlyteSystemUnavailableError,
  [Code.DeadlineExceeded]: FlyteTimeoutError,
  [Code.Canceled]: FlyteCancelledError,
};

/**
 * Turns any error (usually a `ConnectError` from a call) into the matching
 * {@link FlyteError} subclass. `context` names what was being done and to
 * which entity, e.g. `"fetch task flytesnacks/development/t1@v1"`; it leads
 * the message, followed by the status name and the server's message. A
 * FlyteError passes through unchanged unless `context` is given, in which
 * case a copy with the context prepended is returned (cause = original).
 *
 * @example
 * ```ts
 * import { ConnectError, Code } from "@connectrpc/connect";
 * import { toFlyteError, FlyteEntityNotExistError } from "./errors.ts";
 * const e = toFlyteError(
 *   new ConnectError("entity not found", Code.NotFound),
 *   "fetch task p/d/t1@v1",
 * );
 * console.log(e instanceof FlyteEntityNotExistError, e.message);
 * // true "fetch task p/d/t1@v1: NOT_FOUND: entity not found"
 * ```
 */
export function toFlyteError(err: unknown, context?: string): FlyteError {
  if (err instanceof FlyteError) {
    if (!context) return err;
    const cls = err.constructor as FlyteErrorClass;
    return new cls(`${context}: ${err.message}`, {
      code: err.code,
      serverMessage: err.serverMessage,
      metadata: err.metadata,
      cause: err,
    });
  }
  // An error raised inside an interceptor (e.g. a failed OAuth2 flow)
  // reaches callers wrapped in a ConnectError; unwrap it.
  if (err instanceof ConnectError && err.cause instanceof FlyteError) {
    return toFlyteError(err.cause, context);
  }
  const ce = ConnectError.from(err);
  const cls = CLASS_BY_CODE[ce.code] ?? FlyteSystemError;
  const serverMessage = ce.rawMessage;
  const detail = `${codeName(ce.code)}: ${serverMessage}`;
  return new cls(context ? `${context}: ${detail}` : detail, {
    code: ce.code,
    serverMessage,
    metadata: ce.metadata,
    cause: err,
  });
}
