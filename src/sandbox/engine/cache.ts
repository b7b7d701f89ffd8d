/**
 * Cache keys as Flyte's catalog computes them (propeller-contract.md §4):
 * dataset `flyte_task-<name>` versioned by cache_version and interface
 * hashes, tag `flyte_cached-<hash(inputs)>`. Hashes are objecthash
 * (SHA-256 over sorted keys) of the protobuf JSON form.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { clone, create, type JsonValue, toJson } from "@bufbuild/protobuf";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  type TypedInterface,
  VariableMapSchema,
} from "@flyteidl/core/interface_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";

function sha(prefix: string, data: Uint8Array | string): Buffer {
  const h = createHash("sha256");
  h.update(prefix);
  h.update(data);
  return h.digest();
}

/**
 * objecthash of a JSON value (dict keys sorted by their hashes).
 *
 * @example
 * ```ts
 * import { objectHash } from "./cache.ts";
 * objectHash({ a: 1 }).length; // 32
 * ```
 */
export function objectHash(v: JsonValue): Uint8Array {
  if (v === null) return sha("n", "");
  if (typeof v === "boolean") return sha("b", v ? "1" : "0");
  if (typeof v === "number") {
    return Number.isInteger(v) ? sha("i", String(v)) : sha("f", String(v));
  }
  if (typeof v === "string") return sha("u", v);
  if (Array.isArray(v)) {
    return sha("l", Buffer.concat(v.map((x) => objectHash(x))));
  }
  const pairs = Object.entries(v).map(([k, x]) =>
    Buffer.concat([objectHash(k), objectHash(x as JsonValue)])
  );
  pairs.sort(Buffer.compare);
  return sha("d", Buffer.concat(pairs));
}

function b64url(b: Uint8Array): string {
  return Buffer.from(b).toString("base64url");
}

function stripForHash(lit: Literal): Literal {
  if (lit.hash) return create(LiteralSchema, { hash: lit.hash });
  if (lit.value.case === "collection") {
    const c = clone(LiteralSchema, lit);
    if (c.value.case === "collection") {
      c.value.value.literals = lit.value.value.literals.map(stripForHash);
    }
    return c;
  }
  if (lit.value.case === "map") {
    const c = clone(LiteralSchema, lit);
    if (c.value.case === "map") {
      for (const [k, x] of Object.entries(lit.value.value.literals)) {
        c.value.value.literals[k] = stripForHash(x);
      }
    }
    return c;
  }
  return lit;
}

/**
 * The cache tag of a task's inputs: `flyte_cached-<hash>`.
 *
 * @example
 * ```ts
 * import { cacheTag } from "./cache.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * cacheTag(create(LiteralMapSchema), []).startsWith("flyte_cached-"); // true
 * ```
 */
export function cacheTag(inputs: LiteralMap, ignore: string[]): string {
  const literals: Record<string, Literal> = {};
  for (const [k, v] of Object.entries(inputs.literals)) {
    if (!ignore.includes(k)) literals[k] = stripForHash(v);
  }
  const json = toJson(LiteralMapSchema, create(LiteralMapSchema, { literals }));
  return `flyte_cached-${b64url(objectHash(json))}`;
}

/**
 * The dataset a task's cached outputs live in:
 * `<project>:<domain>:flyte_task-<name>:<cache_version>-<in8>-<out8>`.
 *
 * @example
 * ```ts
 * import { cacheDataset } from "./cache.ts";
 * console.log(typeof cacheDataset); // "function"
 * ```
 */
export function cacheDataset(
  taskId: Identifier,
  cacheVersion: string,
  iface: TypedInterface | undefined,
): {
  project: string;
  domain: string;
  name: string;
  version: string;
  key: string;
} {
  const h = (m: TypedInterface["inputs"]) =>
    b64url(
      objectHash(
        toJson(VariableMapSchema, m ?? create(VariableMapSchema)),
      ),
    ).slice(0, 8);
  const name = `flyte_task-${taskId.name}`;
  const version = `${cacheVersion}-${h(iface?.inputs)}-${h(iface?.outputs)}`;
  return {
    project: taskId.project,
    domain: taskId.domain,
    name,
    version,
    key: `${taskId.project}:${taskId.domain}:${name}:${version}`,
  };
}
