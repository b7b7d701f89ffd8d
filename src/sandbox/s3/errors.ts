/**
 * S3 errors: what the face answers, as S3's `<Error>` XML.
 *
 * @module
 */

/**
 * An S3 error: HTTP status, S3 error code (`NoSuchKey`,
 * `SignatureDoesNotMatch`, `AccessDenied`, `InvalidArgument`, ...), message
 * and extra elements (`ArgumentName`, `Key`, ...).
 *
 * @example
 * ```ts
 * import { S3Error } from "./errors.ts";
 * throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", { Key: "a/b" });
 * ```
 */
export class S3Error extends Error {
  /** HTTP status. */
  readonly status: number;
  /** S3 error code. */
  readonly code: string;
  /** Extra elements of the `<Error>` document. */
  readonly extra: Record<string, string>;
  /**
   * @example
   * ```ts
   * import { S3Error } from "./errors.ts";
   * new S3Error(400, "InvalidArgument", "max-keys must be a number", { ArgumentName: "max-keys" });
   * ```
   */
  constructor(
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = "S3Error";
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/**
 * An `InvalidArgument` error naming the parameter and its value.
 *
 * @example
 * ```ts
 * import { invalidArgument } from "./errors.ts";
 * throw invalidArgument("max-keys", "x", "max-keys must be a whole number");
 * ```
 */
export function invalidArgument(
  name: string,
  value: string,
  message: string,
): S3Error {
  return new S3Error(400, "InvalidArgument", message, {
    ArgumentName: name,
    ArgumentValue: value,
  });
}
