/**
 * Works around a Deno 2.9 crash (denoland/deno#36788): a node:http2
 * session that receives a GOAWAY emits its `goaway` event synchronously,
 * while nghttp2 is still inside the GOAWAY frame's processing, and then
 * closes or destroys itself (Node's rules: `close()` for NO_ERROR,
 * `destroy()` otherwise), as may its listeners (Connect's client session
 * manager calls `destroy()`). Deno carries the teardown out at once, freeing
 * streams nghttp2 is about to walk: the process dies on the assertion
 * `stream->closed_next == NULL` in `find_stream_on_goaway_func` (exit 134)
 * or with a segmentation fault (exit 139). Node defers the native teardown
 * and is not affected.
 *
 * Both sides are exposed: a client whose server sends GOAWAY, and a server
 * whose client does (any client closing its connection politely: grpc-go,
 * grpcio, Node). Measured on our 2-core machine: a Deno node:http2 server
 * fed by a Node.js client process that opens sessions, makes calls and
 * closes them in the usual ways died within 15 s in 5 runs of 6; with this
 * workaround it survived 5 of 5.
 *
 * The fix: `goaway` events of every node:http2 session (client and server)
 * are delivered on the next macrotask, after nghttp2 has finished with the
 * frame, and a `close()` or `destroy()` made while the frame is processed
 * takes effect then too. Every listener still gets the event with the same
 * arguments, only later; a client call started in that gap is refused by the
 * closing session and retried by the client's retry policy.
 *
 * Imported by the gRPC client transport (src/client) and by the sandbox's
 * HTTP/2 front end (src/sandbox/server).
 *
 * @module
 */
import * as http2 from "node:http2";

const PATCHED = Symbol.for("flyte-deno.http2.deferredGoaway");

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Makes every node:http2 session in this process, client or server, deliver
 * `goaway` events on the next macrotask instead of inside nghttp2's frame
 * processing, and puts off a close or destroy made meanwhile. Idempotent;
 * does nothing outside Deno (Node is not affected by the crash).
 *
 * @example
 * ```ts
 * import { deferGoawayEvents } from "./goaway.ts";
 * deferGoawayEvents();
 * deferGoawayEvents(); // a second call changes nothing
 * ```
 */
export function deferGoawayEvents(): void {
  // Deno's node:http2 exports the base class of both session kinds (Node's
  // typings only declare it).
  const cls = (http2 as unknown as { Http2Session?: { prototype: object } })
    .Http2Session;
  if (!("Deno" in globalThis) || !cls) return;
  const proto = cls.prototype as unknown as {
    emit: Emit;
    close: (...args: unknown[]) => void;
    destroy: (...args: unknown[]) => void;
    [PATCHED]?: true;
  };
  if (proto[PATCHED]) return;
  const emit = proto.emit;
  const close = proto.close;
  const destroy = proto.destroy;
  // Sessions whose GOAWAY frame is still being processed (until the next
  // macrotask): closing or destroying them is put off until then.
  const inGoaway = new WeakSet<object>();
  proto.emit = function (this: object, event, ...args) {
    if (event !== "goaway") return emit.call(this, event, ...args);
    inGoaway.add(this);
    setTimeout(() => {
      inGoaway.delete(this);
      emit.call(this, event, ...args);
    }, 0);
    return (this as { listenerCount(e: string): number }).listenerCount(
      "goaway",
    ) > 0;
  };
  proto.close = function (this: object, ...args) {
    if (!inGoaway.has(this)) return close.apply(this, args);
    setTimeout(() => close.apply(this, args), 0);
  };
  proto.destroy = function (this: object, ...args) {
    if (!inGoaway.has(this)) return destroy.apply(this, args);
    setTimeout(() => destroy.apply(this, args), 0);
  };
  Object.defineProperty(proto, PATCHED, { value: true });
}
