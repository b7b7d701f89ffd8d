/**
 * The gRPC statuses the sandbox answers with, worded as FlyteAdmin words
 * them, always naming the offending field or entity.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * INVALID_ARGUMENT naming a field.
 *
 * @example
 * ```ts
 * import { invalidArgument } from "./errors.ts";
 * throw invalidArgument("missing project");
 * ```
 */
export function invalidArgument(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

/**
 * INVALID_ARGUMENT for a required field left empty ("missing <field>").
 *
 * @example
 * ```ts
 * import { missing } from "./errors.ts";
 * const e = missing("id.project");
 * ```
 */
export function missing(field: string): ConnectError {
  return new ConnectError(`missing ${field}`, Code.InvalidArgument);
}

/**
 * NOT_FOUND for an entity.
 *
 * @example
 * ```ts
 * import { notFound } from "./errors.ts";
 * const e = notFound("task", "flytesnacks/development/t/v1");
 * ```
 */
export function notFound(kind: string, key: string): ConnectError {
  return new ConnectError(
    `${kind} [${key}] does not exist`,
    Code.NotFound,
  );
}

/**
 * ALREADY_EXISTS.
 *
 * @example
 * ```ts
 * import { alreadyExists } from "./errors.ts";
 * const e = alreadyExists("task with identical structure already exists: p/d/t/v");
 * ```
 */
export function alreadyExists(message: string): ConnectError {
  return new ConnectError(message, Code.AlreadyExists);
}

/**
 * FAILED_PRECONDITION.
 *
 * @example
 * ```ts
 * import { failedPrecondition } from "./errors.ts";
 * const e = failedPrecondition("execution already terminated");
 * ```
 */
export function failedPrecondition(message: string): ConnectError {
  return new ConnectError(message, Code.FailedPrecondition);
}
