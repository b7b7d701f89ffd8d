/**
 * retryTransient: a wait rides out connection loss. A CANCELLED the caller
 * did not ask for (the server reset the stream as its process died) is
 * retried like UNAVAILABLE; the caller's own abort ends the wait at once.
 */
import { assertEquals, assertRejects } from "../helpers/assert.ts";
import { retryTransient } from "../../src/remote/retry_wait.ts";
import {
  FlyteCancelledError,
  FlyteInvalidInputError,
} from "../../src/client/errors.ts";

Deno.test("retryTransient retries a CANCELLED from the peer, not a bad request", async () => {
  let calls = 0;
  const v = await retryTransient(() => {
    if (++calls === 1) {
      return Promise.reject(new FlyteCancelledError("stream closed (CANCEL)"));
    }
    return Promise.resolve(7);
  }, { deadline: Date.now() + 5_000 });
  assertEquals([v, calls], [7, 2]);

  calls = 0;
  await assertRejects(
    () =>
      retryTransient(() => {
        calls++;
        return Promise.reject(new FlyteInvalidInputError("bad"));
      }, { deadline: Date.now() + 5_000 }),
    FlyteInvalidInputError,
  );
  assertEquals(calls, 1);
});

Deno.test("retryTransient: after the caller's own abort a CANCELLED is not retried", async () => {
  const ac = new AbortController();
  let calls = 0;
  await assertRejects(() =>
    retryTransient(() => {
      calls++;
      ac.abort();
      return Promise.reject(new FlyteCancelledError("aborted"));
    }, { deadline: Date.now() + 5_000, signal: ac.signal })
  );
  assertEquals(calls, 1);
});
