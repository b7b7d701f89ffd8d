/**
 * The one error class of the type engine.
 *
 * @module
 */

/**
 * One step of a path inside a value: an array index or a field/key name.
 *
 * @example
 * ```ts
 * import type { PathSegment } from "./errors.ts";
 * const path: PathSegment[] = ["rows", 3, "price"]; // rows[3].price
 * console.log(path);
 * ```
 */
export type PathSegment = number | string;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function renderSegments(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (IDENT.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * Raised when a value cannot be turned into a Flyte literal (or a literal into
 * a value) for the type asked for. It names the variable and the path inside
 * it, such as `inputs.rows[3].price`, and is raised before anything is sent.
 *
 * @example
 * ```ts
 * import { t, toLiteralMap, TypeTransformError } from "./mod.ts";
 * try {
 *   toLiteralMap({ rows: [{ price: 1.5 }] }, {
 *     rows: t.list(t.record({ price: t.int })),
 *   });
 * } catch (e) {
 *   if (e instanceof TypeTransformError) {
 *     console.log(e.path); // "inputs.rows[0].price"
 *     console.log(e.variable); // "rows"
 *   }
 * }
 * ```
 */
export class TypeTransformError extends Error {
  /** What was wrong, without the path. */
  readonly reason: string;
  #root: string;
  #variable: string | undefined;
  #segments: PathSegment[];

  /**
   * Makes an error; the path is usually filled in as it travels up.
   *
   * @param reason what was wrong (the message without the path)
   * @param options where: the root label ("inputs", "outputs", "value"), the
   *   variable name and the path segments inside the variable
   */
  constructor(
    reason: string,
    options: {
      root?: string;
      variable?: string;
      segments?: PathSegment[];
      cause?: unknown;
    } = {},
  ) {
    super(reason, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "TypeTransformError";
    this.reason = reason;
    this.#root = options.root ?? "value";
    this.#variable = options.variable;
    this.#segments = options.segments ?? [];
    this.message = this.#render();
  }

  /** The variable (input or output name) the error is about, if known. */
  get variable(): string | undefined {
    return this.#variable;
  }

  /** The full path, e.g. `inputs.rows[3].price` (or `value[3]` without a variable). */
  get path(): string {
    const head = this.#variable === undefined
      ? this.#root
      : this.#root + renderSegments([this.#variable]);
    return head + renderSegments(this.#segments);
  }

  /** The path segments inside the variable, outermost first. */
  get segments(): readonly PathSegment[] {
    return this.#segments;
  }

  /**
   * Adds an outer path segment (used while the error travels up through
   * lists, maps and records). Returns this error.
   *
   * @example
   * ```ts
   * import { TypeTransformError } from "./errors.ts";
   * const e = new TypeTransformError("bad").within("price").within(3);
   * console.log(e.path); // "value[3].price"
   * ```
   */
  within(segment: PathSegment): this {
    this.#segments.unshift(segment);
    this.message = this.#render();
    return this;
  }

  /**
   * Sets the root label and variable name (done once, at the top).
   *
   * @example
   * ```ts
   * import { TypeTransformError } from "./errors.ts";
   * const e = new TypeTransformError("bad").at("inputs", "x");
   * console.log(e.message); // "inputs.x: bad"
   * ```
   */
  at(root: string, variable?: string): this {
    this.#root = root;
    this.#variable = variable;
    this.message = this.#render();
    return this;
  }

  #render(): string {
    return `${this.path}: ${this.reason}`;
  }
}

/**
 * Re-throws `e` with `segment` prepended if it is a TypeTransformError.
 *
 * @example
 * ```ts
 * import { rethrowWithin, TypeTransformError } from "./errors.ts";
 * try {
 *   try {
 *     throw new TypeTransformError("bad");
 *   } catch (e) {
 *     rethrowWithin(e, 2);
 *   }
 * } catch (e) {
 *   console.log((e as TypeTransformError).path); // "value[2]"
 * }
 * ```
 */
export function rethrowWithin(e: unknown, segment: PathSegment): never {
  if (e instanceof TypeTransformError) throw e.within(segment);
  // Range errors from value classes (Duration, Date) are bad values too.
  if (e instanceof RangeError) {
    throw new TypeTransformError(e.message, { cause: e }).within(segment);
  }
  throw e;
}

/**
 * A short description of a value for error messages.
 *
 * @example
 * ```ts
 * import { describe } from "./errors.ts";
 * console.log(describe([1, 2])); // "an array of 2"
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string": {
      const s = value.length > 40 ? value.slice(0, 37) + "..." : value;
      return `string ${JSON.stringify(s)}`;
    }
    case "number":
      return `number ${value}`;
    case "bigint":
      return `bigint ${value}n`;
    case "boolean":
      return `boolean ${value}`;
    case "function":
      return `a function${value.name ? ` (${value.name})` : ""}`;
    case "symbol":
      return `a symbol (${value.toString()})`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Date) return "a Date";
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return "an object";
  const name = proto?.constructor?.name;
  return name ? `an instance of ${name}` : "an object";
}
