/**
 * Handing a sniffed TCP connection to `node:http` without losing byte order.
 *
 * The front (server.ts) reads a connection's first bytes to tell HTTP/2 from
 * HTTP/1.1, so those bytes have left the socket before a server gets it. The
 * obvious hand-over, `socket.unshift(bytes)` then
 * `httpServer.emit("connection", socket)`, is not safe under Deno 2.9: given a
 * real `net.Socket`, node:http lets its native parser read the socket's handle
 * directly ("consume", as Node does), while the unshifted bytes (and anything
 * else already read into the JS stream) reach the parser separately through
 * `data` events. Under load the native reader wins: the parser sees body bytes
 * before the request line, fails with HPE_INVALID_METHOD or HPE_ERROR, and
 * node:http answers a bare `400 Bad Request` with no body. (Reproduced by
 * tests/integration/sandbox_server_test.ts with a client in another process
 * sending a request head and then its body in separate writes, as Python's
 * `requests` does for flytekit's code upload.)
 *
 * {@link SniffedConnection} is a plain Duplex (node:http accepts any Duplex
 * on `connection`): it has no handle to consume, so every byte (the sniffed
 * prefix first, then what the socket reads) reaches the parser through one
 * ordered stream, with backpressure.
 *
 * @module
 */
import { Duplex } from "node:stream";
import type * as net from "node:net";
import type { Buffer } from "node:buffer";

/**
 * A socket whose first bytes were already read, as a Duplex that yields
 * those bytes first and then the socket's, and writes through to the socket.
 * Timeouts, keep-alive and no-delay settings and the addresses are the
 * socket's.
 *
 * @example
 * ```ts
 * import * as http from "node:http";
 * import * as net from "node:net";
 * import { SniffedConnection } from "./handover.ts";
 * const h1 = http.createServer((_req, res) => res.end("ok"));
 * const front = net.createServer({ allowHalfOpen: true }, (sock) => {
 *   sock.once("data", (first) => {
 *     sock.pause();
 *     h1.emit("connection", new SniffedConnection(sock, first));
 *   });
 * });
 * front.close();
 * ```
 */
export class SniffedConnection extends Duplex {
  readonly #sock: net.Socket;

  /** Wraps `sock`, whose already-read bytes are `prefix`; `sock` should be paused. */
  constructor(sock: net.Socket, prefix: Buffer) {
    super({ allowHalfOpen: true });
    this.#sock = sock;
    if (prefix.length) this.push(prefix);
    sock.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) sock.pause();
    });
    sock.on("end", () => this.push(null));
    sock.on("timeout", () => this.emit("timeout"));
    sock.on("error", (e) => this.destroy(e));
    sock.on("close", () => this.destroy());
  }

  /** Readable side: more wanted, let the socket flow. */
  override _read(): void {
    this.#sock.resume();
  }

  /** Writable side: straight to the socket. */
  override _write(
    chunk: Buffer,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#sock.write(chunk, encoding, callback);
  }

  /** Several queued writes in one go. */
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.#sock.cork();
    for (let i = 0; i < chunks.length - 1; i++) {
      this.#sock.write(chunks[i].chunk, chunks[i].encoding);
    }
    const last = chunks[chunks.length - 1];
    this.#sock.write(last.chunk, last.encoding, callback);
    this.#sock.uncork();
  }

  /** Our side is done writing: half-close the socket. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#sock.end(() => callback());
  }

  /** Tears the socket down with us. */
  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    if (!this.#sock.destroyed) this.#sock.destroy(error ?? undefined);
    callback(error);
  }

  /** As `net.Socket#setTimeout`; `timeout` events are re-emitted here. */
  setTimeout(ms: number, callback?: () => void): this {
    this.#sock.setTimeout(ms);
    if (callback) {
      if (ms === 0) this.off("timeout", callback);
      else this.once("timeout", callback);
    }
    return this;
  }

  /** As `net.Socket#setNoDelay`. */
  setNoDelay(noDelay?: boolean): this {
    this.#sock.setNoDelay(noDelay);
    return this;
  }

  /** As `net.Socket#setKeepAlive`. */
  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.#sock.setKeepAlive(enable, initialDelay);
    return this;
  }

  /** The peer's address. */
  get remoteAddress(): string | undefined {
    return this.#sock.remoteAddress;
  }

  /** The peer's port. */
  get remotePort(): number | undefined {
    return this.#sock.remotePort;
  }

  /** The peer's address family. */
  get remoteFamily(): string | undefined {
    return this.#sock.remoteFamily;
  }

  /** The local address. */
  get localAddress(): string | undefined {
    return this.#sock.localAddress;
  }

  /** The local port. */
  get localPort(): number | undefined {
    return this.#sock.localPort;
  }
}
