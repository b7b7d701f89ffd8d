/**
 * Errors of data transfers, each naming the local path, URI or value.
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import { FlyteError, type FlyteErrorOptions } from "../client/errors.ts";

/**
 * A transfer to or from a signed URL failed (HTTP status, network, or an
 * expired or refused URL). `status` is the HTTP status (0 when the request
 * never got an answer); `target` the path, URI or value concerned.
 *
 * @example
 * ```ts
 * import { FlyteTransferError } from "./errors.ts";
 * const e = new FlyteTransferError("upload of [a.csv] failed: HTTP 403", { status: 403, target: "a.csv" });
 * console.log(e.status, e.expired); // 403 false
 * ```
 */
export class FlyteTransferError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.Unavailable;
  /** HTTP status of the answer (0: no answer). */
  readonly status: number;
  /** The local path, URI or value the transfer was about. */
  readonly target: string;
  /** Whether the signed URL had expired (the server said so). */
  readonly expired: boolean;

  /** Makes the error; `status` and `target` are kept as fields. */
  constructor(
    message: string,
    options: FlyteErrorOptions & {
      status?: number;
      target?: string;
      expired?: boolean;
    } = {},
  ) {
    super(message, options);
    this.status = options.status ?? 0;
    this.target = options.target ?? "";
    this.expired = options.expired ?? /expired/i.test(message);
  }
}

/**
 * Data did not arrive as it left: an md5 or length mismatch, a file that
 * changed while it was being sent, or an md5 the server refused.
 *
 * @example
 * ```ts
 * import { FlyteIntegrityError } from "./errors.ts";
 * throw new FlyteIntegrityError("[a.csv] changed while it was being uploaded", { target: "a.csv" });
 * ```
 */
export class FlyteIntegrityError extends FlyteError {
  /** Code used when the constructor is not given one. */
  static override readonly defaultCode: Code = Code.DataLoss;
  /** The local path, URI or value concerned. */
  readonly target: string;

  /** Makes the error; `target` is kept as a field. */
  constructor(
    message: string,
    options: FlyteErrorOptions & { target?: string } = {},
  ) {
    super(message, options);
    this.target = options.target ?? "";
  }
}

/**
 * Strips the query (signature) of a signed URL for messages.
 *
 * @example
 * ```ts
 * import { redact } from "./errors.ts";
 * redact("https://h/k?signature=s"); // "https://h/k"
 * ```
 */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:"
      ? `${u.origin}${u.pathname}`
      : url;
  } catch {
    return url;
  }
}
