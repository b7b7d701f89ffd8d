/**
 * Typed errors of the engine.
 *
 * @module
 */
import type { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";

/**
 * A node or task failure in Flyte's terms: code, message, kind and whether a
 * retry may help.
 *
 * @example
 * ```ts
 * import { NodeFailure } from "./errors.ts";
 * import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
 * const f = new NodeFailure("OutputsNotFound", "no outputs.pb", ExecutionError_ErrorKind.USER, true);
 * f.recoverable; // true
 * ```
 */
export class NodeFailure extends Error {
  /** Flyte error code, e.g. `OutputsNotFound`. */
  readonly code: string;
  /** USER, SYSTEM or UNKNOWN. */
  readonly kind: ExecutionError_ErrorKind;
  /** Whether the failure may be retried. */
  readonly recoverable: boolean;
  /** Creates a failure. */
  constructor(
    code: string,
    message: string,
    kind: ExecutionError_ErrorKind,
    recoverable: boolean,
  ) {
    super(message);
    this.name = "NodeFailure";
    this.code = code;
    this.kind = kind;
    this.recoverable = recoverable;
  }
}

/**
 * Raised inside an execution loop when the execution was terminated.
 *
 * @example
 * ```ts
 * import { Aborted } from "./errors.ts";
 * new Aborted("user asked").message; // "user asked"
 * ```
 */
export class Aborted extends Error {
  /** Creates the marker error. */
  constructor(cause: string) {
    super(cause);
    this.name = "Aborted";
  }
}

/**
 * A storage URI the engine cannot read or write (unsupported scheme, missing
 * file, malformed protobuf); names the URI.
 *
 * @example
 * ```ts
 * import { StorageError } from "./errors.ts";
 * new StorageError("s3://x/y", "unsupported scheme").uri; // "s3://x/y"
 * ```
 */
export class StorageError extends Error {
  /** The offending URI. */
  readonly uri: string;
  /** Creates the error. */
  constructor(uri: string, message: string, options?: ErrorOptions) {
    super(`${uri}: ${message}`, options);
    this.name = "StorageError";
    this.uri = uri;
  }
}

/**
 * Abort reason used when the engine shuts down: loops stop without reporting
 * anything, so a later engine resumes them.
 *
 * @example
 * ```ts
 * import { ShutdownSignal } from "./errors.ts";
 * new ShutdownSignal().message; // "sandbox shutting down"
 * ```
 */
export class ShutdownSignal extends Aborted {
  /** Creates the marker. */
  constructor() {
    super("sandbox shutting down");
    this.name = "ShutdownSignal";
  }
}
