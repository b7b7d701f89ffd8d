/**
 * The grpc-gateway REST front end: routes read from each method's
 * `google.api.http` option, requests decoded from path variables, query
 * parameters and the body (binary protobuf with `application/octet-stream`,
 * protobuf JSON otherwise), answers encoded the same way (JSON with
 * snake_case field names and defaults emitted), errors as the gateway's
 * google.rpc.Status in the same encoding (binary or JSON) with the HTTP code
 * the gateway maps each gRPC code to.
 *
 * @module
 */
import {
  create,
  type DescField,
  type DescMessage,
  type DescMethod,
  type DescService,
  fromBinary,
  getOption,
  hasOption,
  type JsonObject,
  type JsonValue,
  mergeFromBinary,
  mergeFromJson,
  type Message,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { http } from "../../../proto/gen/google/api/annotations_pb.ts";
import type { HttpRule } from "../../../proto/gen/google/api/http_pb.ts";

/** One REST route. */
export interface RestRoute {
  /** HTTP method (GET, POST, PUT, PATCH, DELETE). */
  verb: string;
  /** Path template segments (literal text or a variable). */
  segments: ({ literal: string } | { field: string; rest: boolean })[];
  /** Body mapping: "" none, "*" whole message, or a field name. */
  body: string;
  /** The RPC. */
  method: DescMethod;
}

/** Calls an RPC implementation with a decoded request. */
export type Invoke = (
  method: DescMethod,
  request: Message,
  headers: Headers,
) => Promise<Message>;

function parseTemplate(path: string): RestRoute["segments"] {
  return path.replace(/^\//, "").split("/").map((s) => {
    const m = /^\{([^}=]+)(?:=([^}]*))?\}$/.exec(s);
    if (!m) return { literal: s };
    return { field: m[1], rest: m[2] === "**" };
  });
}

function rulesOf(
  rule: HttpRule,
): { verb: string; path: string; body: string }[] {
  const out: { verb: string; path: string; body: string }[] = [];
  const p = rule.pattern;
  if (p.case && p.case !== "custom") {
    out.push({ verb: p.case.toUpperCase(), path: p.value, body: rule.body });
  }
  for (const b of rule.additionalBindings) out.push(...rulesOf(b));
  return out;
}

/**
 * Builds the route table of some services from their descriptors.
 *
 * @example
 * ```ts
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { restRoutes } from "./rest.ts";
 * const routes = restRoutes([AdminService]);
 * console.log(routes.length > 50);
 * ```
 */
export function restRoutes(services: DescService[]): RestRoute[] {
  const out: RestRoute[] = [];
  for (const s of services) {
    for (const m of s.methods) {
      if (m.methodKind !== "unary" || !hasOption(m, http)) continue;
      for (const r of rulesOf(getOption(m, http))) {
        out.push({
          verb: r.verb,
          segments: parseTemplate(r.path),
          body: r.body,
          method: m,
        });
      }
    }
  }
  // Prefer routes with more literal segments when several match.
  out.sort((a, b) =>
    b.segments.filter((s) => "literal" in s).length -
    a.segments.filter((s) => "literal" in s).length
  );
  return out;
}

function match(
  route: RestRoute,
  verb: string,
  parts: string[],
): Record<string, string> | undefined {
  if (route.verb !== verb) return undefined;
  const vars: Record<string, string> = {};
  let i = 0;
  for (const seg of route.segments) {
    if ("literal" in seg) {
      if (parts[i] !== seg.literal) return undefined;
      i++;
    } else if (seg.rest) {
      if (i >= parts.length) return undefined;
      vars[seg.field] = parts.slice(i).join("/");
      i = parts.length;
    } else {
      if (i >= parts.length || parts[i] === "") return undefined;
      vars[seg.field] = parts[i];
      i++;
    }
  }
  return i === parts.length ? vars : undefined;
}

function scalarJson(field: DescField, raw: string): JsonValue {
  if (
    field.fieldKind === "enum" ||
    field.fieldKind === "list" && field.listKind === "enum"
  ) {
    return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (
    field.fieldKind === "scalar" ||
    field.fieldKind === "list" && field.listKind === "scalar"
  ) {
    const t = field.scalar;
    // ScalarType: DOUBLE=1 FLOAT=2 ... BOOL=8 STRING=9 BYTES=12
    if (t === 8) {
      if (raw !== "true" && raw !== "false") {
        throw new ConnectError(
          `invalid value [${raw}] for field ${field.name}: expected true or false`,
          Code.InvalidArgument,
        );
      }
      return raw === "true";
    }
    return raw;
  }
  return raw;
}

/** Sets a dotted snake_case path on a JSON object, following the descriptor. */
function setPath(
  obj: JsonObject,
  schema: DescMessage,
  path: string,
  raw: string,
): void {
  const names = path.split(".");
  let msg: DescMessage | undefined = schema;
  let cur = obj;
  for (let i = 0; i < names.length; i++) {
    const f: DescField | undefined = msg?.fields.find((x) =>
      x.name === names[i] || x.jsonName === names[i]
    );
    if (!f) {
      throw new ConnectError(
        `unknown request parameter [${path}] for ${schema.typeName}`,
        Code.InvalidArgument,
      );
    }
    const last = i === names.length - 1;
    if (last) {
      if (f.fieldKind === "list") {
        const arr = (cur[f.name] as JsonValue[] | undefined) ?? [];
        arr.push(scalarJson(f, raw));
        cur[f.name] = arr;
      } else if (f.fieldKind === "message") {
        // Well-known types with a JSON string form (Duration, Timestamp, wrappers).
        cur[f.name] = raw;
      } else {
        cur[f.name] = scalarJson(f, raw);
      }
      return;
    }
    if (f.fieldKind !== "message") {
      throw new ConnectError(
        `request parameter [${path}]: ${names[i]} is not a message field`,
        Code.InvalidArgument,
      );
    }
    cur[f.name] ??= {};
    cur = cur[f.name] as JsonObject;
    msg = f.message;
  }
}

const HTTP_STATUS: Record<number, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

/** A REST answer. */
export interface RestResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Record<string, string>;
  /** Body bytes. */
  body: Uint8Array;
}

/**
 * Whether an answer goes out as binary protobuf. grpc-gateway (as FlyteAdmin
 * configures it: `application/octet-stream` → ProtoMarshaller, everything
 * else → JSON) picks the outbound marshaler from the Accept header, and
 * falls back to the one the Content-Type chose for the request body.
 *
 * @example
 * ```ts
 * import { wantsBinary } from "./rest.ts";
 * console.log(wantsBinary(new Headers({ accept: "application/octet-stream" }))); // true
 * ```
 */
export function wantsBinary(headers: Headers): boolean {
  const accept = headers.get("accept") ?? "";
  const contentType = headers.get("content-type") ?? "";
  return accept.includes("application/octet-stream") ||
    contentType.includes("application/octet-stream");
}

/** A google.rpc.Status as proto3 bytes: code = 1, message = 2, no details. */
function statusBytes(code: number, message: string): Uint8Array {
  const w = new BinaryWriter();
  if (code !== 0) w.tag(1, WireType.Varint).int32(code);
  if (message !== "") w.tag(2, WireType.LengthDelimited).string(message);
  return w.finish();
}

/**
 * A REST error as grpc-gateway's DefaultHTTPErrorHandler writes it: the
 * HTTP status mapped from the gRPC code, and the google.rpc.Status marshaled
 * by the same marshaler as a success would be (runtime/errors.go: the body
 * is `marshaler.Marshal(s.Proto())` with `marshaler.ContentType`): binary
 * protobuf with `application/octet-stream` for a binary client (FlyteAdmin
 * registers ProtoMarshaller for that type), JSON `{code, message, details}`
 * otherwise. UNAUTHENTICATED also carries its message in WWW-Authenticate,
 * as the gateway sets it.
 *
 * @example
 * ```ts
 * import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
 * import { errorResponse } from "./rest.ts";
 * const r = errorResponse(new ConnectError("no such task", Code.NotFound), false);
 * console.log(r.status, r.headers["content-type"]); // 404 application/json
 * ```
 */
export function errorResponse(e: unknown, binary: boolean): RestResponse {
  const err = ConnectError.from(e);
  const headers: Record<string, string> = {
    "content-type": binary ? "application/octet-stream" : "application/json",
  };
  if (err.code === Code.Unauthenticated) {
    headers["www-authenticate"] = err.rawMessage;
  }
  return {
    status: HTTP_STATUS[err.code] ?? 500,
    headers,
    body: binary
      ? statusBytes(err.code, err.rawMessage)
      : new TextEncoder().encode(JSON.stringify({
        code: err.code,
        message: err.rawMessage,
        details: [],
      })),
  };
}

/**
 * Whether a REST body's content type is one the gateway parses:
 * `application/json` or `application/octet-stream` (parameters allowed).
 *
 * @example
 * ```ts
 * import { bodyTypeAccepted } from "./rest.ts";
 * console.log(bodyTypeAccepted("application/json; charset=utf-8"), bodyTypeAccepted("text/plain")); // true false
 * ```
 */
export function bodyTypeAccepted(contentType: string): boolean {
  const media = contentType.split(";")[0].trim().toLowerCase();
  return media === "application/json" || media === "application/octet-stream";
}

/**
 * Answers one REST request, or returns undefined when no route matches.
 *
 * @example
 * ```ts
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { handleRest, restRoutes } from "./rest.ts";
 * const routes = restRoutes([AdminService]);
 * const r = await handleRest(routes, "GET", new URL("http://x/nope"), new Headers(), new Uint8Array(),
 *   () => Promise.reject(new Error("unused")));
 * console.log(r); // undefined
 * ```
 */
export async function handleRest(
  routes: RestRoute[],
  verb: string,
  url: URL,
  headers: Headers,
  body: Uint8Array,
  invoke: Invoke,
): Promise<RestResponse | undefined> {
  let parts: string[];
  try {
    parts = url.pathname.replace(/^\//, "").replace(/\/$/, "").split("/")
      .map((p) => decodeURIComponent(p));
  } catch {
    return errorResponse(
      new ConnectError(
        `invalid path ${url.pathname}: a %-escape does not decode (URI malformed)`,
        Code.InvalidArgument,
      ),
      wantsBinary(headers),
    );
  }
  let route: RestRoute | undefined;
  let vars: Record<string, string> | undefined;
  for (const r of routes) {
    vars = match(r, verb, parts);
    if (vars) {
      route = r;
      break;
    }
  }
  if (!route || !vars) return undefined;
  const contentType = headers.get("content-type") ?? "";
  const binary = wantsBinary(headers);
  const schema = route.method.input;
  if (route.body && body.length && !bodyTypeAccepted(contentType)) {
    // A browser may send text/plain (or a form) cross-site without a
    // preflight; only a client that chose JSON or protobuf gets parsed.
    return {
      status: 415,
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(JSON.stringify({
        code: Code.InvalidArgument,
        message: `unsupported content-type ${
          JSON.stringify(contentType || "(none)")
        }: send application/json or application/octet-stream`,
        details: [],
      })),
    };
  }
  const invalid = (what: string) => (e: unknown): never => {
    if (e instanceof ConnectError) throw e;
    throw new ConnectError(
      `invalid ${what}: ${(e as Error)?.message ?? e}`,
      Code.InvalidArgument,
    );
  };
  try {
    const req = create(schema);
    if (route.body && body.length) {
      try {
        if (route.body === "*") {
          if (contentType.includes("application/octet-stream")) {
            mergeFromBinary(schema, req, body);
          } else {
            mergeFromJson(
              schema,
              req,
              JSON.parse(new TextDecoder().decode(body)) as JsonValue,
              { ignoreUnknownFields: false },
            );
          }
        } else {
          const f = schema.fields.find((x) => x.name === route!.body);
          if (!f || f.fieldKind !== "message") {
            throw new ConnectError(
              `bad body mapping ${route.body}`,
              Code.Internal,
            );
          }
          const sub = contentType.includes("application/octet-stream")
            ? fromBinary(f.message, body)
            : mergeFromJson(
              f.message,
              create(f.message),
              JSON.parse(new TextDecoder().decode(body)) as JsonValue,
            );
          (req as Record<string, unknown>)[f.localName] = sub;
        }
      } catch (e) {
        invalid("request body")(e);
      }
    }
    try {
      const overlay: JsonObject = {};
      for (const [k, v] of Object.entries(vars)) {
        setPath(overlay, schema, k, v);
      }
      if (!route.body || route.body !== "*") {
        for (const [k, v] of url.searchParams) {
          if (route.body && k.split(".")[0] === route.body) continue;
          setPath(overlay, schema, k, v);
        }
      }
      mergeFromJson(schema, req, overlay);
    } catch (e) {
      invalid("path or query parameter")(e);
    }
    const out = await invoke(route.method, req, headers);
    const outSchema = route.method.output;
    if (binary) {
      return {
        status: 200,
        headers: { "content-type": "application/octet-stream" },
        body: toBinary(outSchema, out),
      };
    }
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(JSON.stringify(
        toJson(outSchema, out, {
          useProtoFieldName: true,
          alwaysEmitImplicit: true,
        }),
      )),
    };
  } catch (e) {
    if (e instanceof SyntaxError) {
      return errorResponse(
        new ConnectError(
          `invalid JSON body: ${e.message}`,
          Code.InvalidArgument,
        ),
        binary,
      );
    }
    if (
      e instanceof Error && !(e instanceof ConnectError) &&
      /cannot decode|invalid wire|premature EOF|JSON/i.test(e.message)
    ) {
      return errorResponse(
        new ConnectError(`invalid request: ${e.message}`, Code.InvalidArgument),
        binary,
      );
    }
    return errorResponse(e, binary);
  }
}
