/**
 * Works around a Deno 2.9 crash (denoland/deno#36788): a node:http2 client
 * session that receives a GOAWAY emits its `goaway` event synchronously,
 * while nghttp2 is still inside the GOAWAY frame's processing. Connect's
 * session manager answers that event by destroying the session at once
 * (`conn.destroy()`), which Deno carries out immediately, freeing streams
 * nghttp2 is about to walk: the process then dies on the assertion
 * `stream->closed_next == NULL` in `find_stream_on_goaway_func` (exit 134)
 * or with a segmentation fault (exit 139). Node defers the native teardown
 * and is not affected.
 *
 * The fix: `goaway` events of client sessions are delivered on the next
 * macrotask, after nghttp2 has finished with the frame. Every listener still
 * gets the event with the same arguments, only later; a call started in that
 * gap is refused by the closing session and retried by `retry.ts`.
 *
 * @module
 */
import * as http2 from "node:http2";

const PATCHED = Symbol.for("flyte-deno.client.deferredGoaway");

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Makes every node:http2 client session in this process deliver `goaway`
 * events on the next macrotask instead of inside nghttp2's frame
 * processing. Idempotent; does nothing outside Deno (Node is not affected by
 * the crash). Called by `createGrpcTransportFor`.
 *
 * @example
 * ```ts
 * import { deferGoawayEvents } from "./goaway.ts";
 * deferGoawayEvents();
 * deferGoawayEvents(); // a second call changes nothing
 * ```
 */
export function deferGoawayEvents(): void {
  // Deno's node:http2 exports the class (Node's typings only declare it).
  const cls =
    (http2 as unknown as { ClientHttp2Session?: { prototype: object } })
      .ClientHttp2Session;
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
