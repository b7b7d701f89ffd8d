/**
 * Typed errors of src/bundle: each names its culprit (the variable, the
 * entry, the size) and says what to do.
 *
 * @module
 */

/**
 * Base class of bundle errors.
 *
 * @example
 * ```ts
 * import { BundleError } from "./errors.ts";
 * console.log(new BundleError("x") instanceof Error); // true
 * ```
 */
export class BundleError extends Error {
  /** Wraps a message (and an optional cause). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A value a task refers to cannot be shipped in a bundle (a socket, a class
 * instance with hidden state, a value from a library that was not imported
 * by specifier). Raised before anything is uploaded.
 *
 * @example
 * ```ts
 * import { UnshippableReferenceError } from "./errors.ts";
 * const e = new UnshippableReferenceError("conn", "cell.fetch", "cell 3", 4, "a Deno.Conn");
 * console.log(e.variable); // "conn"
 * ```
 */
export class UnshippableReferenceError extends BundleError {
  /** The variable's name. */
  readonly variable: string;
  /** The task that refers to it. */
  readonly task: string;
  /** Where the reference is (a file URL or a notebook cell). */
  readonly where: string;
  /** 1-based line of the reference. */
  readonly line: number;

  /** Builds the message from the variable, task, place and a description of the value. */
  constructor(
    variable: string,
    task: string,
    where: string,
    line: number,
    what: string,
  ) {
    super(
      `task "${task}" refers to "${variable}" (${where}, line ${line}), which cannot be shipped with the task: ` +
        `it is ${what}. Import it inside the task (e.g. \`const { x } = await import("npm:pkg@1.2.3")\`) ` +
        `or create it there, or pass it as an input.`,
    );
    this.variable = variable;
    this.task = task;
    this.where = where;
    this.line = line;
  }
}

/**
 * A bundle over the size cap (150 MiB), refused before any upload.
 *
 * @example
 * ```ts
 * import { BundleTooLargeError } from "./errors.ts";
 * const e = new BundleTooLargeError(200 * 2 ** 20, 150 * 2 ** 20, [{ path: "data.bin", size: 199 * 2 ** 20 }]);
 * console.log(e.size > e.limit); // true
 * ```
 */
export class BundleTooLargeError extends BundleError {
  /** The bundle's size in bytes. */
  readonly size: number;
  /** The cap in bytes. */
  readonly limit: number;
  /** The biggest entries (at most five), biggest first. */
  readonly biggest: readonly { path: string; size: number }[];

  /** Builds the message from the sizes. */
  constructor(
    size: number,
    limit: number,
    biggest: readonly { path: string; size: number }[],
  ) {
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    super(
      `the bundle is ${mib(size)} (${size} bytes), over the ${
        mib(limit)
      } limit; its biggest entries: ${
        biggest.map((b) => `${b.path} (${mib(b.size)})`).join(", ")
      }. Leave large data out of the task's files and pass it as a FlyteFile input instead.`,
    );
    this.size = size;
    this.limit = limit;
    this.biggest = biggest;
  }
}

/**
 * A bundle whose content does not match what it claims (a digest mismatch,
 * an entry escaping its folder, a symlink, a missing manifest).
 *
 * @example
 * ```ts
 * import { BundleIntegrityError } from "./errors.ts";
 * const e = new BundleIntegrityError("main.js", "digest mismatch");
 * console.log(e.entry); // "main.js"
 * ```
 */
export class BundleIntegrityError extends BundleError {
  /** The offending entry (or the bundle's URI). */
  readonly entry: string;
  /** Builds the message from the entry and the reason. */
  constructor(entry: string, reason: string) {
    super(`bundle entry [${entry}] refused: ${reason}`);
    this.entry = entry;
  }
}

/**
 * Building the program of a task failed (`deno bundle` exited non-zero, or
 * its output could not be read).
 *
 * @example
 * ```ts
 * import { CaptureError } from "./errors.ts";
 * console.log(new CaptureError("x").name); // "CaptureError"
 * ```
 */
export class CaptureError extends BundleError {}
