/**
 * Assertions for the test suites, in the shape of Deno's @std/assert (which
 * lives on jsr.io, unreachable here), built on `node:assert`.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Fails unless `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Fails unless `actual` and `expected` are deeply and strictly equal. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Fails if `actual` and `expected` are deeply equal. */
export function assertNotEquals(
  actual: unknown,
  expected: unknown,
  message?: string,
): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Fails unless `text` matches `pattern`. */
export function assertMatch(
  text: string,
  pattern: RegExp,
  message?: string,
): void {
  nodeAssert.match(text, pattern, message);
}

/** Fails unless `text` contains `part`. */
export function assertStringIncludes(
  text: string,
  part: string,
  message?: string,
): void {
  nodeAssert.ok(
    text.includes(part),
    message ??
      `expected ${JSON.stringify(text)} to include ${JSON.stringify(part)}`,
  );
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function check<E extends Error>(
  err: unknown,
  cls?: ErrorClass<E>,
  includes?: string,
): E {
  if (cls && !(err instanceof cls)) {
    throw new nodeAssert.AssertionError({
      message: `expected ${cls.name}, got ${
        err instanceof Error
          ? `${err.constructor.name}: ${err.message}`
          : String(err)
      }`,
    });
  }
  if (includes !== undefined) {
    const msg = err instanceof Error ? err.message : String(err);
    if (!msg.includes(includes)) {
      throw new nodeAssert.AssertionError({
        message: `expected the error message to include ${
          JSON.stringify(includes)
        }, got ${JSON.stringify(msg)}`,
      });
    }
  }
  return err as E;
}

/** Fails unless `fn` throws (an instance of `cls`, whose message includes `includes`). Returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  cls?: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (err) {
    return check(err, cls, includes);
  }
  throw new nodeAssert.AssertionError({
    message: "expected the function to throw",
  });
}

/** Fails unless the promise from `fn` rejects (like {@link assertThrows}). Returns the error. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  cls?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    return check(err, cls, includes);
  }
  throw new nodeAssert.AssertionError({
    message: "expected the promise to reject",
  });
}
