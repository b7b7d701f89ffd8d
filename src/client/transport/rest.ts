/**
 * REST transport: each unary RPC goes to its grpc-gateway route (from the
 * `google.api.http` option) over fetch, with binary protobuf
 * (`application/octet-stream`) both ways, as Flyte's console does.
 * Errors come back as HTTP statuses with a `google.rpc.Status` body; both
 * are mapped to Connect codes. Streaming RPCs are not available over REST.
 *
 * @module
 */
import {
  type DescMessage,
  type DescMethodStreaming,
  type DescMethodUnary,
  fromBinary,
  fromJson,
  type MessageInitShape,
} from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import {
  Code,
  ConnectError,
  type ContextValues,
  createContextValues,
  type Interceptor,
  type StreamResponse,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { runUnaryCall } from "@connectrpc/connect/protocol";
import { httpCallFor } from "./http_rule.ts";
import type { ClosableTransport, TransportParams } from "./types.ts";

/**
 * Options of {@link createRestTransport}.
 *
 * @example
 * ```ts
 * import type { RestTransportParams } from "./rest.ts";
 * const p: RestTransportParams = { baseUrl: "http://localhost:30080", interceptors: [] };
 * console.log(p.baseUrl);
 * ```
 */
export interface RestTransportParams extends TransportParams {
  /** Interceptors run around every call. */
  interceptors: Interceptor[];
  /** fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

const STATUS_TO_CODE: Record<number, Code> = {
  400: Code.InvalidArgument,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.NotFound,
  409: Code.AlreadyExists,
  412: Code.FailedPrecondition,
  416: Code.OutOfRange,
  429: Code.ResourceExhausted,
  499: Code.Canceled,
  500: Code.Internal,
  501: Code.Unimplemented,
  // A proxy in front of the gateway (envoy, nginx) says 502 when admin is down.
  502: Code.Unavailable,
  503: Code.Unavailable,
  504: Code.DeadlineExceeded,
};

/**
 * The Connect code for an HTTP status, as grpc-gateway maps them (plus 502
 * from a proxy in front of it, read as UNAVAILABLE).
 *
 * @example
 * ```ts
 * import { codeFromHttpStatus } from "./rest.ts";
 * console.log(codeFromHttpStatus(404)); // 5 (NotFound)
 * ```
 */
export function codeFromHttpStatus(status: number): Code {
  return STATUS_TO_CODE[status] ?? Code.Unknown;
}

/** Decodes a binary google.rpc.Status: code = 1, message = 2. */
function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  const r = new BinaryReader(bytes);
  const out: { code?: number; message?: string } = {};
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === 0) out.code = r.int32();
    else if (no === 2 && wt === 2) out.message = r.string();
    else r.skip(wt);
  }
  return out;
}

async function errorFromResponse(
  res: Response,
  what: string,
): Promise<ConnectError> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  let code: number | undefined;
  let message: string | undefined;
  try {
    if (type.includes("json")) {
      const j = JSON.parse(new TextDecoder().decode(bytes));
      code = typeof j.code === "number" ? j.code : undefined;
      message = typeof j.message === "string" ? j.message : undefined;
    } else if (type.includes("octet-stream") || type.includes("protobuf")) {
      ({ code, message } = decodeStatus(bytes));
    }
  } catch {
    // not a status body; fall back to the HTTP status and text
  }
  if (message === undefined) {
    message = new TextDecoder().decode(bytes).slice(0, 1000).trim() ||
      `HTTP ${res.status} ${res.statusText}`;
  }
  const c = code && code > 0 && code <= 16
    ? code as Code
    : codeFromHttpStatus(res.status);
  return new ConnectError(message, c, res.headers, undefined, {
    what,
    httpStatus: res.status,
  });
}

/**
 * Creates the REST transport.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { createRestTransport } from "./rest.ts";
 * const t = createRestTransport({ baseUrl: "http://localhost:30080", interceptors: [] });
 * const admin = createClient(AdminService, t);
 * console.log(typeof admin.getVersion); // "function"
 * ```
 */
export function createRestTransport(
  params: RestTransportParams,
): ClosableTransport {
  const base = params.baseUrl.replace(/\/+$/, "");
  const fetchFn = params.fetch ?? fetch;
  const maxBytes = params.maxReceiveMessageBytes ?? Infinity;

  async function send<I extends DescMessage, O extends DescMessage>(
    req: UnaryRequest<I, O>,
  ): Promise<UnaryResponse<I, O>> {
    const method = req.method;
    const what = `${method.parent.typeName}/${method.name}`;
    let call;
    try {
      call = httpCallFor(method, req.message);
    } catch (e) {
      throw new ConnectError((e as Error).message, Code.InvalidArgument);
    }
    if (!call) {
      throw new ConnectError(
        `${what} has no REST route (gRPC only); use transport "grpc"`,
        Code.Unimplemented,
      );
    }
    const headers = new Headers(req.header);
    headers.set("accept", "application/octet-stream");
    if (call.body) headers.set("content-type", "application/octet-stream");
    let res: Response;
    try {
      res = await fetchFn(base + call.pathAndQuery, {
        method: call.verb,
        headers,
        body: call.body as Uint8Array<ArrayBuffer> | undefined,
        signal: req.signal,
        redirect: "manual",
      });
    } catch (cause) {
      if (req.signal.aborted) throw cause;
      throw new ConnectError(
        `${what}: ${call.verb} ${base}${call.pathAndQuery} failed: ${
          (cause as Error).message
        }`,
        Code.Unavailable,
        undefined,
        undefined,
        cause,
      );
    }
    if (!res.ok) throw await errorFromResponse(res, what);
    const len = Number(res.headers.get("content-length") ?? "0");
    if (len > maxBytes) {
      await res.body?.cancel();
      throw new ConnectError(
        `${what}: response of ${len} bytes exceeds maxReceiveMessageBytes (${maxBytes})`,
        Code.ResourceExhausted,
      );
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > maxBytes) {
      throw new ConnectError(
        `${what}: response of ${bytes.length} bytes exceeds maxReceiveMessageBytes (${maxBytes})`,
        Code.ResourceExhausted,
      );
    }
    const type = res.headers.get("content-type") ?? "";
    let message;
    try {
      message = type.includes("json")
        ? fromJson(method.output, JSON.parse(new TextDecoder().decode(bytes)), {
          ignoreUnknownFields: true,
        })
        : fromBinary(method.output, bytes);
    } catch (cause) {
      throw new ConnectError(
        `${what}: cannot decode the response (${type || "no content-type"}): ${
          (cause as Error).message
        }`,
        Code.Internal,
        undefined,
        undefined,
        cause,
      );
    }
    return {
      stream: false,
      service: method.parent,
      method,
      header: res.headers,
      trailer: new Headers(),
      message,
    };
  }

  return {
    unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: HeadersInit | undefined,
      input: MessageInitShape<I>,
      contextValues?: ContextValues,
    ): Promise<UnaryResponse<I, O>> {
      const timeout = timeoutMs ?? params.deadlineMs;
      const h = new Headers(header);
      // grpc-gateway turns Grpc-Timeout into the server-side deadline.
      if (timeout && timeout > 0) {
        h.set("grpc-timeout", `${Math.ceil(timeout)}m`);
      }
      return runUnaryCall<I, O>({
        interceptors: params.interceptors,
        signal,
        timeoutMs: timeout,
        req: {
          stream: false,
          service: method.parent,
          method,
          requestMethod: "POST",
          url: `${base}/${method.parent.typeName}/${method.name}`,
          header: h,
          contextValues: contextValues ?? createContextValues(),
          message: input,
        },
        next: send,
      });
    },
    stream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodStreaming<I, O>,
    ): Promise<StreamResponse<I, O>> {
      return Promise.reject(
        new ConnectError(
          `${method.parent.typeName}/${method.name} is a streaming RPC; the REST transport carries unary RPCs only`,
          Code.Unimplemented,
        ),
      );
    },
    close() {},
  };
}
