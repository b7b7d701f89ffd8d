/**
 * One port, every protocol FlyteAdmin serves behind its proxy: native gRPC
 * (HTTP/2 cleartext), Connect and gRPC-web (HTTP/1.1 or HTTP/2) through the
 * Connect node adapter, the grpc-gateway REST routes, `/healthcheck`,
 * `grpc.health.v1.Health/Check`, and the blob store's signed URLs. A small
 * TCP front sniffs the HTTP/2 preface and hands each connection to the
 * HTTP/2 or the HTTP/1.1 server.
 *
 * @module
 */
import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { Buffer } from "node:buffer";
import { create, type DescMethod, type DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createHandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  errorResponse,
  handleRest,
  type RestRoute,
  restRoutes,
  wantsBinary,
} from "./rest.ts";
import { handleBlobRequest } from "./blobs.ts";
import { handleConsole } from "./console.ts";
import { SniffedConnection } from "./handover.ts";
import { reportDecodeFailuresAsInvalid } from "./decode_status.ts";
import {
  checkRequest,
  type GuardPolicy,
  guardPolicy,
  TOKEN_COOKIE,
} from "./guard.ts";
import { deferGoawayEvents } from "../../http2/goaway.ts";
import type { BlobStore } from "../blobs/store.ts";

/** One service and its (possibly partial) implementation. */
export interface ServiceBinding {
  /** The service descriptor. */
  service: DescService;
  /** Method implementations by local name; missing ones answer UNIMPLEMENTED. */
  impl: Record<string, unknown>;
}

/** A running front end. */
export interface FrontEnd {
  /** Port actually bound. */
  port: number;
  /**
   * Stops accepting; closes each open connection (TCP, no HTTP/2 GOAWAY)
   * once its requests in flight are answered, at the latest after a grace
   * period.
   */
  close(): Promise<void>;
}

type NodeReq = http.IncomingMessage | http2.Http2ServerRequest;
/** One accepted TCP connection and its requests in flight. */
interface Conn {
  sock: net.Socket;
  inFlight: number;
}

/** Default grace period of {@link FrontEnd.close} for requests in flight. */
const CLOSE_GRACE_MS = 2000;
type NodeRes = http.ServerResponse | http2.Http2ServerResponse;

/** A request body over the size limit (answered 413 / RESOURCE_EXHAUSTED). */
class BodyTooLarge extends Error {}

/**
 * Default limit on one request's size: grpc-go's default max receive
 * message size, which FlyteAdmin keeps unless configured.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

function readBody(req: NodeReq, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new BodyTooLarge(`request body of ${declared} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge(`request body of more than ${limit} bytes`));
      } else chunks.push(c);
    });
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function headersOf(req: NodeReq): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith(":") || v === undefined) continue;
    h.set(k, Array.isArray(v) ? v.join(", ") : String(v));
  }
  return h;
}

/**
 * Unexpected (non-Connect) errors become INTERNAL with their message kept
 * and are logged, instead of Connect's opaque "internal error".
 *
 * @example
 * ```ts
 * import { surfaceInternalErrors } from "./server.ts";
 * const interceptors = [surfaceInternalErrors];
 * ```
 */
export const surfaceInternalErrors: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (e) {
    if (e instanceof ConnectError) throw e;
    console.error(
      `sandbox: ${req.method.parent.typeName}.${req.method.name}:`,
      e,
    );
    throw new ConnectError(
      `internal error in ${req.method.name}: ${(e as Error)?.message ?? e}`,
      Code.Internal,
    );
  }
};

/**
 * Runs the guard (guard.ts) on a request and answers a refusal in the
 * caller's protocol: gRPC status trailers for gRPC, the gateway's error
 * body otherwise. True when the request was refused (and answered).
 */
function refuse(guard: GuardPolicy, req: NodeReq, res: NodeRes): boolean {
  const headers = headersOf(req);
  const authority = req.headers[":authority"];
  if (!headers.has("host") && typeof authority === "string") {
    headers.set("host", authority);
  }
  const url = new URL(req.url ?? "/", "http://sandbox");
  const refusal = checkRequest(guard, url, headers);
  if (!refusal) {
    // A page opened with ?token= keeps it for its own later requests.
    const token = url.searchParams.get("token");
    if (guard.token && token) {
      res.setHeader(
        "set-cookie",
        `${TOKEN_COOKIE}=${
          encodeURIComponent(token)
        }; Path=/; HttpOnly; SameSite=Strict`,
      );
      // The routes below never see it (REST would read it as a field).
      url.searchParams.delete("token");
      (req as { url: string }).url = url.pathname + url.search;
    }
    return false;
  }
  const code = refusal.status === 401
    ? Code.Unauthenticated
    : Code.PermissionDenied;
  req.resume(); // discard the body
  if ((headers.get("content-type") ?? "").startsWith("application/grpc")) {
    res.writeHead(200, {
      "content-type": headers.get("content-type")!,
      "grpc-status": String(code),
      "grpc-message": encodeURIComponent(refusal.message),
    });
    res.end();
    return true;
  }
  const e = errorResponse(
    new ConnectError(refusal.message, code),
    wantsBinary(headers),
  );
  res.writeHead(e.status, e.headers);
  res.end(Buffer.from(e.body));
  return true;
}

/** Answers grpc.health.v1.Health/Check with SERVING (a 2-byte message). */
function healthCheck(res: NodeRes) {
  const frame = Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]);
  const r = res as http2.Http2ServerResponse;
  r.writeHead(200, { "content-type": "application/grpc+proto" });
  r.addTrailers({ "grpc-status": "0", "grpc-message": "" });
  r.end(frame);
}

/**
 * Starts the front end on `host:port` (0 = any free port).
 *
 * @example
 * ```ts
 * import { startFrontEnd } from "./server.ts";
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * const fe = await startFrontEnd({ host: "127.0.0.1", port: 0, services: [
 *   { service: AdminService, impl: { getVersion: () => ({}) } },
 * ] });
 * await fe.close();
 * ```
 */
export async function startFrontEnd(options: {
  host: string;
  port: number;
  services: ServiceBinding[];
  blobs?: BlobStore;
  /** How long close() lets requests in flight finish (ms); default 2000. */
  closeGraceMs?: number;
  /** Host, Origin and token checks; default: loopback and `host`, no token. */
  guard?: GuardPolicy;
  /** Largest request accepted (bytes); default {@link DEFAULT_MAX_REQUEST_BYTES}. */
  maxRequestBytes?: number;
}): Promise<FrontEnd> {
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const guard = options.guard ?? guardPolicy({ host: options.host });
  const routesTable: RestRoute[] = restRoutes(
    options.services.map((s) => s.service),
  );
  const implOf = new Map<DescMethod, unknown>();
  const serviceOf = new Map<DescMethod, DescService>();
  for (const s of options.services) {
    for (const m of s.service.methods) {
      implOf.set(m, s.impl[m.localName]);
      serviceOf.set(m, s.service);
    }
  }
  const invoke = async (
    method: DescMethod,
    request: unknown,
    headers: Headers,
  ) => {
    const fn = implOf.get(method) as
      | ((r: unknown, c: unknown) => unknown)
      | undefined;
    if (!fn) {
      throw new ConnectError(
        `${method.parent.typeName}.${method.name} is not implemented`,
        Code.Unimplemented,
      );
    }
    const ctx = createHandlerContext({
      service: serviceOf.get(method)!,
      method,
      protocolName: "rest",
      requestMethod: "POST",
      url: "",
      requestHeader: headers,
    });
    const out = await fn(request, ctx);
    return create(method.output, out as never);
  };

  const fallback = async (req: NodeReq, res: NodeRes) => {
    try {
      const url = new URL(req.url ?? "/", "http://sandbox");
      const verb = (req.method ?? "GET").toUpperCase();
      if (url.pathname === "/grpc.health.v1.Health/Check") {
        await readBody(req, maxRequestBytes);
        return healthCheck(res);
      }
      if (url.pathname === "/healthcheck") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("OK");
        return;
      }
      if (await handleConsole(url, verb, res, invoke)) return;
      if (options.blobs && handleBlobRequest.matches(url.pathname)) {
        await handleBlobRequest(options.blobs, req, res, url, verb);
        return;
      }
      const body = await readBody(req, maxRequestBytes);
      const answer = await handleRest(
        routesTable,
        verb,
        url,
        headersOf(req),
        body,
        (m, r, h) => invoke(m, r, h),
      );
      if (!answer) {
        // The gateway's routing errors go through its error handler too.
        const headers = headersOf(req);
        const e = errorResponse(
          new ConnectError(
            `no route for ${verb} ${url.pathname}`,
            Code.NotFound,
          ),
          wantsBinary(headers),
        );
        res.writeHead(e.status, e.headers);
        res.end(Buffer.from(e.body));
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(Buffer.from(answer.body));
    } catch (e) {
      if (e instanceof BodyTooLarge && !res.headersSent) {
        const r = errorResponse(
          new ConnectError(
            `${e.message} is larger than this server's limit of ${maxRequestBytes} bytes`,
            Code.ResourceExhausted,
          ),
          wantsBinary(headersOf(req)),
        );
        res.writeHead(413, r.headers);
        res.end(Buffer.from(r.body));
        return;
      }
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
      }
      res.end(String(e));
    }
  };

  const handler = connectNodeAdapter({
    interceptors: [surfaceInternalErrors],
    readMaxBytes: maxRequestBytes,
    routes: (router: ConnectRouter) => {
      for (const s of options.services) {
        router.service(s.service, s.impl as never);
      }
    },
    fallback: (req, res) => void fallback(req, res as NodeRes),
  });
  // Each accepted TCP connection and its requests in flight, so close() can
  // end every connection as soon as it is idle (see close() below).
  const conns = new Set<Conn>();
  const connOfH1 = new WeakMap<object, Conn>(); // SniffedConnection -> Conn
  const connOfH2 = new WeakMap<object, Conn>(); // ServerHttp2Session -> Conn
  let handingOver: Conn | undefined;
  let closing = false;
  const tracked = (req: NodeReq, res: NodeRes) => {
    const conn = "stream" in req
      ? connOfH2.get(req.stream.session as object)
      : connOfH1.get(req.socket);
    if (conn) {
      conn.inFlight++;
      res.once("close", () => {
        conn.inFlight--;
        if (closing && conn.inFlight === 0) conn.sock.destroy();
      });
    }
    // Answered before its body was read (too large, refused): an HTTP/2
    // stream is reset (RST_STREAM, not GOAWAY) once the answer is out, as
    // grpc-go does; an HTTP/1.1 body is drained. Either way the client stops
    // stalling on flow control and sees the answer.
    const end = res.end.bind(res) as (...a: unknown[]) => unknown;
    (res as { end: unknown }).end = (...args: unknown[]) => {
      const out = end(...args);
      setTimeout(() => {
        if (req.readableEnded) return;
        if ("stream" in req) {
          if (!req.stream.closed) {
            req.stream.close(http2.constants.NGHTTP2_NO_ERROR);
          }
        } else req.resume();
      }, 0);
      return out;
    };
    if (refuse(guard, req, res)) return;
    reportDecodeFailuresAsInvalid(res);
    handler(req as never, res as never);
  };
  // A client closing its connection sends GOAWAY; without this, Deno 2.9
  // can crash the whole sandbox while processing it (src/http2/goaway.ts).
  deferGoawayEvents();
  const h2 = http2.createServer({}, tracked);
  const h1 = http.createServer(tracked);
  // h1 never listens itself (the front hands it connections), but Deno's
  // node:http treats a server that is not listening as closing and destroys
  // each keep-alive connection after its first response (while telling the
  // client "Connection: keep-alive"). It is listening exactly when the front is.
  Object.defineProperty(h1, "listening", { get: () => front.listening });
  h2.on("session", (s) => {
    if (handingOver) connOfH2.set(s, handingOver);
  });
  // Half-open like node:http's own listener: an HTTP/1.1 client may shut
  // down its side after the request and still read the answer.
  const front = net.createServer({ allowHalfOpen: true }, (sock) => {
    const conn: Conn = { sock, inFlight: 0 };
    conns.add(conn);
    sock.setNoDelay(true);
    sock.on("close", () => conns.delete(conn));
    let seen = Buffer.alloc(0);
    const onData = (buf: Buffer) => {
      seen = Buffer.concat([seen, buf]);
      if (seen.length < 3 && "PRI".startsWith(seen.toString("latin1"))) {
        return;
      }
      sock.off("data", onData);
      sock.off("end", onEarlyEnd);
      sock.pause();
      if (seen.toString("latin1", 0, 3) === "PRI") {
        // node:http2 reads the socket through its `data` events, so the
        // unshifted preface comes first.
        sock.on("end", () => sock.end());
        sock.unshift(seen);
        handingOver = conn;
        try {
          h2.emit("connection", sock);
        } finally {
          handingOver = undefined;
        }
        sock.resume();
      } else {
        // Not the socket itself: see handover.ts for the bare-400 race.
        const wrapped = new SniffedConnection(sock, seen);
        connOfH1.set(wrapped, conn);
        h1.emit("connection", wrapped);
      }
    };
    const onEarlyEnd = () => sock.end();
    sock.on("data", onData);
    sock.on("end", onEarlyEnd);
    sock.on("error", () => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    front.once("error", (e: NodeJS.ErrnoException) => {
      reject(
        e.code === "EADDRINUSE"
          ? new Error(
            `port ${options.port} on ${options.host} is already in use (another sandbox or Flyte demo cluster?); pass another port, or 0 for a free one`,
          )
          : e,
      );
    });
    front.listen(options.port, options.host, () => {
      front.off("error", reject);
      resolve();
    });
  });
  const port = (front.address() as net.AddressInfo).port;
  return {
    port,
    close: async () => {
      closing = true;
      const stopped = new Promise<void>((r) => front.close(() => r()));
      // No GOAWAY. Deno 2.9's HTTP/2 client aborts (an nghttp2 assertion in
      // find_stream_on_goaway_func) or segfaults now and then while it
      // processes a GOAWAY (denoland/deno#36788); both session.close() and
      // session.destroy() send one, and a FlyteRemote in this very process
      // (FlyteRemote.forSandbox() in a notebook, the test suites) would take
      // the sandbox down with it. So each connection is closed at the TCP
      // level instead: at once when idle, else as soon as its last request in
      // flight has been answered, and at the latest after the grace period.
      // Clients see the connection end, as after a server restart.
      const gone = Promise.all(
        [...conns].map((c) =>
          new Promise<void>((r) => {
            if (c.sock.destroyed) return r();
            c.sock.once("close", () => r());
          })
        ),
      );
      for (const c of conns) if (c.inFlight === 0) c.sock.destroy();
      const grace = setTimeout(() => {
        for (const c of conns) c.sock.destroy();
      }, options.closeGraceMs ?? CLOSE_GRACE_MS);
      await gone;
      clearTimeout(grace);
      await stopped;
      h1.close();
      h2.close();
    },
  };
}
