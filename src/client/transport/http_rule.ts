/**
 * grpc-gateway routing from the `google.api.http` method option: which HTTP
 * verb and path a unary RPC maps to, which fields fill the path template,
 * which form the body, and which become query parameters (`id.project`
 * style for nested fields, repeated keys for lists).
 *
 * @module
 */
import {
  type DescField,
  type DescMessage,
  type DescMethod,
  getOption,
  hasOption,
  type Message,
  toBinary,
} from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { http } from "../../../proto/gen/google/api/annotations_pb.ts";
import type { HttpRule } from "../../../proto/gen/google/api/http_pb.ts";

/**
 * One HTTP binding: verb, path template and body selector.
 *
 * @example
 * ```ts
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { type HttpBinding, httpBindings } from "./http_rule.ts";
 * const b: HttpBinding[] = httpBindings(AdminService.method.createTask);
 * console.log(b[0].verb, b[0].template, b[0].body); // POST /api/v1/tasks *
 * ```
 */
export interface HttpBinding {
  /** GET, POST, PUT, PATCH or DELETE (or a custom verb). */
  verb: string;
  /** Path template, e.g. `/api/v1/tasks/{id.project}/{id.domain}`. */
  template: string;
  /** `"*"` (whole message), a field name, or `""` (no body). */
  body: string;
}

/**
 * A concrete HTTP request for one call.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { ProjectListRequestSchema } from "@flyteidl/admin/project_pb.ts";
 * import { type HttpCall, httpCallFor } from "./http_rule.ts";
 * const call: HttpCall | undefined = httpCallFor(
 *   AdminService.method.listProjects,
 *   create(ProjectListRequestSchema, { limit: 5 }),
 * );
 * console.log(call?.pathAndQuery); // /api/v1/projects?limit=5
 * ```
 */
export interface HttpCall {
  /** HTTP verb. */
  verb: string;
  /** Path with variables filled in and the query string appended. */
  pathAndQuery: string;
  /** Binary protobuf body, if the binding has one. */
  body?: Uint8Array;
}

function bindingOf(rule: HttpRule): HttpBinding | undefined {
  const p = rule.pattern;
  switch (p.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return { verb: p.case.toUpperCase(), template: p.value, body: rule.body };
    case "custom":
      return { verb: p.value.kind, template: p.value.path, body: rule.body };
    default:
      return undefined;
  }
}

/**
 * The HTTP bindings of a method (primary first), or none when the method has
 * no `google.api.http` option (gRPC only).
 *
 * @example
 * ```ts
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { httpBindings } from "./http_rule.ts";
 * const [b] = httpBindings(AdminService.method.getTask);
 * console.log(b.verb, b.template);
 * // GET /api/v1/tasks/{id.project}/{id.domain}/{id.name}/{id.version}
 * ```
 */
export function httpBindings(method: DescMethod): HttpBinding[] {
  if (!hasOption(method, http)) return [];
  const rule = getOption(method, http);
  const out: HttpBinding[] = [];
  for (const r of [rule, ...rule.additionalBindings]) {
    const b = bindingOf(r);
    if (b) out.push(b);
  }
  return out;
}

/** A `{field.path}` or `{field.path=pattern}` variable of a template. */
const VARIABLE = /\{([a-zA-Z0-9_.]+)(?:=[^}]*)?\}/g;

function fieldByName(desc: DescMessage, name: string): DescField | undefined {
  return desc.fields.find((f) => f.name === name);
}

/** Reads a scalar/enum at a dotted proto-name path; undefined when a message on the way is unset. */
function valueAt(
  msg: ReflectMessage,
  path: string,
): { field: DescField; value: unknown } | undefined {
  const parts = path.split(".");
  let cur = msg;
  for (let i = 0; i < parts.length; i++) {
    const f = fieldByName(cur.desc, parts[i]);
    if (!f) return undefined;
    // A proto3 scalar at its default (retry_attempt 0) is still a value.
    if (i === parts.length - 1) {
      if (f.fieldKind !== "scalar" && f.fieldKind !== "enum") return undefined;
      return { field: f, value: cur.get(f) };
    }
    if (f.fieldKind !== "message" || !cur.isSet(f)) return undefined;
    cur = cur.get(f) as ReflectMessage;
  }
  return undefined;
}

function formatScalar(field: DescField, value: unknown): string {
  if (field.fieldKind === "enum" || field.enum) {
    const e = field.enum!;
    return e.values.find((v) => v.number === value)?.name ?? String(value);
  }
  if (value instanceof Uint8Array) return base64Encode(value, "url");
  return String(value);
}

function isWellKnownString(desc: DescMessage): boolean {
  return desc.typeName === "google.protobuf.Timestamp" ||
    desc.typeName === "google.protobuf.Duration";
}

function formatWellKnown(m: ReflectMessage): string {
  const msg = m.message as unknown as { seconds: bigint; nanos: number };
  if (m.desc.typeName === "google.protobuf.Timestamp") {
    const ms = Number(msg.seconds) * 1000 + Math.floor(msg.nanos / 1e6);
    return new Date(ms).toISOString();
  }
  const secs = Number(msg.seconds) + msg.nanos / 1e9;
  return `${secs}s`;
}

/** Appends query parameters for every set field not in `skip`. */
function addQuery(
  params: URLSearchParams,
  m: ReflectMessage,
  prefix: string,
  skip: Set<string>,
) {
  for (const f of m.desc.fields) {
    const key = prefix + f.name;
    if (skip.has(key) || !m.isSet(f)) continue;
    switch (f.fieldKind) {
      case "scalar":
      case "enum":
        params.append(key, formatScalar(f, m.get(f)));
        break;
      case "message": {
        const sub = m.get(f) as ReflectMessage;
        if (isWellKnownString(sub.desc)) {
          params.append(key, formatWellKnown(sub));
        } else addQuery(params, sub, `${key}.`, skip);
        break;
      }
      case "list": {
        for (const v of m.get(f) as Iterable<unknown>) {
          if (f.listKind === "message") {
            // grpc-gateway cannot bind repeated messages from a query.
            continue;
          }
          params.append(key, formatScalar(f, v));
        }
        break;
      }
      case "map": {
        for (const [k, v] of m.get(f) as Iterable<[unknown, unknown]>) {
          if (f.mapKind === "message") continue;
          params.append(`${key}[${String(k)}]`, formatScalar(f, v));
        }
        break;
      }
    }
  }
}

/**
 * Builds the HTTP request for `message` sent to `method`: the first binding
 * whose path variables are all set is used (so `ListTasks` without a name
 * goes to `/api/v1/tasks/{project}/{domain}`).
 *
 * @returns undefined when the method has no HTTP binding at all.
 * @throws {Error} naming the method and missing field when no binding fits.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { AdminService } from "@flyteidl/service/admin_pb.ts";
 * import { ResourceListRequestSchema } from "@flyteidl/admin/common_pb.ts";
 * import { httpCallFor } from "./http_rule.ts";
 * const call = httpCallFor(
 *   AdminService.method.listTasks,
 *   create(ResourceListRequestSchema, {
 *     id: { project: "p", domain: "d" },
 *     limit: 10,
 *   }),
 * );
 * console.log(call?.verb, call?.pathAndQuery); // GET /api/v1/tasks/p/d?limit=10
 * ```
 */
export function httpCallFor(
  method: DescMethod,
  message: Message,
): HttpCall | undefined {
  const bindings = httpBindings(method);
  if (bindings.length === 0) return undefined;
  const r = reflect(method.input, message);
  let missing = "";
  for (const b of bindings) {
    const vars = [...b.template.matchAll(VARIABLE)].map((m) => m[1]);
    const values = vars.map((v) => valueAt(r, v));
    const unset = values.findIndex((v) =>
      v === undefined || formatScalar(v.field, v.value) === ""
    );
    if (unset >= 0) {
      missing ||= vars[unset];
      continue;
    }
    let i = 0;
    const path = b.template.replace(VARIABLE, () => {
      const v = values[i++]!;
      return encodeURIComponent(formatScalar(v.field, v.value));
    });
    const skip = new Set(vars);
    let body: Uint8Array | undefined;
    const params = new URLSearchParams();
    if (b.body === "*") {
      body = toBinary(method.input, message);
    } else {
      if (b.body) {
        const f = fieldByName(method.input, b.body);
        if (f?.fieldKind === "message" && r.isSet(f)) {
          const sub = r.get(f) as ReflectMessage;
          body = toBinary(sub.desc, sub.message);
        } else body = new Uint8Array();
        skip.add(b.body);
      }
      addQuery(params, r, "", skip);
    }
    const qs = params.toString();
    return {
      verb: b.verb,
      pathAndQuery: qs ? `${path}?${qs}` : path,
      body,
    };
  }
  throw new Error(
    `${method.parent.typeName}.${method.name}: request field ${missing} is required (it is part of the REST path)`,
  );
}
