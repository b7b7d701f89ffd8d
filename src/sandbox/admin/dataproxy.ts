/**
 * DataProxyService over the sandbox blob store: signed upload and download
 * URLs with FlyteAdmin's key layout and md5 rules, deck links, and GetData
 * for `flyte://v1/...` URIs.
 *
 * @module
 */
import { base32 as rfc4648Base32 } from "rfc4648";
import { create, fromBinary } from "@bufbuild/protobuf";
import { type Duration, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";
import {
  ArtifactType,
  type DataProxyService,
  PreSignedURLsSchema,
} from "@flyteidl/service/dataproxy_pb.ts";
import { NodeExecutionSchema } from "@flyteidl/admin/node_execution_pb.ts";
import { TaskExecutionSchema } from "@flyteidl/admin/task_execution_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { BlobKeyError } from "../blobs/store.ts";
import { type AdminContext, checkProjectDomain } from "./context.ts";
import { alreadyExists, invalidArgument, missing, notFound } from "./errors.ts";
import { checkExecutionId } from "./executions.ts";

/** Longest signed-URL lifetime (FlyteAdmin's default maximum, 1 h). */
export const MAX_EXPIRY_MS = 3600_000;

/**
 * RFC 4648 base32 with `=` padding (Go's base32.StdEncoding).
 *
 * @example
 * ```ts
 * import { base32 } from "./dataproxy.ts";
 * base32(new TextEncoder().encode("f")); // "MY======"
 * ```
 */
export function base32(bytes: Uint8Array): string {
  return rfc4648Base32.stringify(bytes);
}

function expiry(d: Duration | undefined, field: string): Date {
  if (!d) return new Date(Date.now() + MAX_EXPIRY_MS);
  const ms = Number(d.seconds) * 1000 + d.nanos / 1e6;
  if (ms < 0) throw invalidArgument(`${field} must not be negative`);
  if (ms > MAX_EXPIRY_MS) {
    throw invalidArgument(
      `${field} [${ms / 1000}s] exceeds the maximum allowed (3600s)`,
    );
  }
  return new Date(Date.now() + (ms === 0 ? MAX_EXPIRY_MS : ms));
}

function randomName(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (const b of randomBytes(20)) s += alphabet[b % alphabet.length];
  return s;
}

function segment(field: string, v: string): string {
  if (!v || v === "." || v === ".." || /[\/\\\0]/.test(v)) {
    throw invalidArgument(
      `invalid ${field} [${v}]: must be a single non-empty path segment`,
    );
  }
  return v;
}

/**
 * A file name that may be a relative path (`a/b.csv`), as FlyteAdmin allows
 * for a directory's files: each part must be a proper path segment.
 */
function relativeName(field: string, v: string): string {
  if (v.startsWith("/")) {
    throw invalidArgument(
      `invalid ${field} [${v}]: must be a relative path, not an absolute one`,
    );
  }
  for (const part of v.split("/")) {
    if (!part || part === "." || part === ".." || /[\\\0]/.test(part)) {
      throw invalidArgument(
        `invalid ${field} [${v}]: every part of the path must be a non-empty name other than "." and ".."`,
      );
    }
  }
  return v;
}

const FLYTE_URL =
  /^flyte:\/\/v1\/([\w-]+)\/([\w-]+)\/([\w-]+)\/([\w-]+)(?:\/(\d+))?\/([iod])(?:\/([^/]+))?$/;

/**
 * Builds the DataProxyService implementation.
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { dataProxyService } from "./dataproxy.ts";
 * declare const ctx: AdminContext;
 * const impl = dataProxyService(ctx);
 * ```
 */
export function dataProxyService(
  ctx: AdminContext,
): ServiceImpl<typeof DataProxyService> {
  const blobs = ctx.blobs;
  return {
    createUploadLocation(req) {
      if (!req.project) throw missing("project");
      if (!req.domain) throw missing("domain");
      checkProjectDomain(ctx, req.project, req.domain, "");
      if (req.contentMd5.length === 0 && !req.filenameRoot) {
        throw invalidArgument(
          "content_md5 or filename_root must be specified",
        );
      }
      if (req.contentMd5.length !== 0 && req.contentMd5.length !== 16) {
        throw invalidArgument(
          `content_md5 must be the 16 raw bytes of an md5 digest, got ${req.contentMd5.length} bytes`,
        );
      }
      const expiresAt = expiry(req.expiresIn, "expires_in");
      const filename = req.filename
        ? relativeName("filename", req.filename)
        : randomName();
      const root = req.filenameRoot
        ? segment("filename_root", req.filenameRoot)
        : base32(req.contentMd5);
      const parts = ["uploads"];
      if (req.org) parts.push(segment("org", req.org));
      parts.push(
        segment("project", req.project),
        segment("domain", req.domain),
        root,
        filename,
      );
      const key = parts.join("/");
      const md5 = req.contentMd5.length
        ? Buffer.from(req.contentMd5).toString("base64")
        : "";
      if (req.filename && req.filenameRoot && blobs.exists(key)) {
        if (!md5 || blobs.md5Of(key) !== md5) {
          throw alreadyExists(
            `file already exists at location [${
              blobs.nativeUrl(key)
            }], specify a matching hash if you wish to rewrite`,
          );
        }
      }
      const headers: Record<string, string> = {};
      if (md5) headers["Content-MD5"] = md5;
      if (md5 && req.addContentMd5Metadata) {
        headers["x-amz-meta-flytecontentmd5"] = md5;
      }
      return {
        signedUrl: blobs.signedUrl("PUT", key, expiresAt, md5),
        nativeUrl: blobs.nativeUrl(key),
        expiresAt: timestampFromDate(expiresAt),
        headers,
      };
    },
    createDownloadLocation(req) {
      if (!req.nativeUrl) throw missing("native_url");
      const expiresAt = expiry(req.expiresIn, "expires_in");
      let key: string;
      try {
        key = blobs.keyOf(req.nativeUrl);
      } catch (e) {
        throw invalidArgument(`native_url: ${(e as Error).message}`);
      }
      return {
        signedUrl: blobs.signedUrl("GET", key, expiresAt),
        expiresAt: timestampFromDate(expiresAt),
      };
    },
    createDownloadLink(req) {
      if (req.artifactType !== ArtifactType.DECK) {
        throw invalidArgument(
          `artifact_type [${
            ArtifactType[req.artifactType]
          }] is not supported: only DECK`,
        );
      }
      if (req.source.case !== "nodeExecutionId") {
        throw missing("node_execution_id");
      }
      const n = req.source.value;
      checkExecutionId(ctx, n.executionId, "node_execution_id.execution_id");
      if (!n.nodeId) throw missing("node_execution_id.node_id");
      const expiresAt = expiry(req.expiresIn, "expires_in");
      const row = ctx.db.get(
        "SELECT data FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
        n.executionId.project,
        n.executionId.domain,
        n.executionId.name,
        n.nodeId,
      );
      const key =
        `${n.executionId.project}/${n.executionId.domain}/${n.executionId.name}/${n.nodeId}`;
      if (!row) throw notFound("node execution", key);
      const node = fromBinary(NodeExecutionSchema, row.data as Uint8Array);
      const deck = node.closure?.deckUri;
      if (!deck) throw notFound("deck of node execution", key);
      const url = signedGet(ctx, deck, expiresAt);
      return {
        signedUrl: [url],
        expiresAt: timestampFromDate(expiresAt),
        preSignedUrls: {
          signedUrl: [url],
          expiresAt: timestampFromDate(expiresAt),
        },
      };
    },
    getData(req) {
      if (!req.flyteUrl) throw missing("flyte_url");
      const m = FLYTE_URL.exec(req.flyteUrl);
      if (!m) {
        throw invalidArgument(
          `flyte_url [${req.flyteUrl}] is not of the form flyte://v1/{project}/{domain}/{execution}/{node}[/{attempt}]/{i|o|d}[/{name}]`,
        );
      }
      const [, project, domain, exec, nodeId, attempt, io, name] = m;
      let inputUri = "";
      let outputUri = "";
      let deckUri = "";
      const where = `${project}/${domain}/${exec}/${nodeId}`;
      if (attempt !== undefined) {
        const row = ctx.db.get(
          "SELECT data FROM task_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=? AND retry_attempt=? ORDER BY created_at DESC",
          project,
          domain,
          exec,
          nodeId,
          Number(attempt),
        );
        if (!row) {
          throw notFound("task execution", `${where} attempt ${attempt}`);
        }
        const te = fromBinary(TaskExecutionSchema, row.data as Uint8Array);
        inputUri = te.inputUri;
        if (te.closure?.outputResult.case === "outputUri") {
          outputUri = te.closure.outputResult.value;
        }
        const node = ctx.db.get(
          "SELECT data FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
          project,
          domain,
          exec,
          nodeId,
        );
        if (node) {
          deckUri = fromBinary(NodeExecutionSchema, node.data as Uint8Array)
            .closure?.deckUri ?? "";
        }
      } else {
        const row = ctx.db.get(
          "SELECT data FROM node_executions WHERE project=? AND domain=? AND exec_name=? AND node_id=?",
          project,
          domain,
          exec,
          nodeId,
        );
        if (!row) throw notFound("node execution", where);
        const node = fromBinary(NodeExecutionSchema, row.data as Uint8Array);
        inputUri = node.inputUri;
        if (node.closure?.outputResult.case === "outputUri") {
          outputUri = node.closure.outputResult.value;
        }
        deckUri = node.closure?.deckUri ?? "";
      }
      if (io === "d") {
        if (!deckUri) throw notFound("deck of node execution", where);
        const expiresAt = new Date(Date.now() + MAX_EXPIRY_MS);
        return {
          data: {
            case: "preSignedUrls",
            value: create(PreSignedURLsSchema, {
              signedUrl: [signedGet(ctx, deckUri, expiresAt)],
              expiresAt: timestampFromDate(expiresAt),
            }),
          },
        };
      }
      const uri = io === "i" ? inputUri : outputUri;
      if (!uri) {
        throw notFound(
          io === "i" ? "inputs of" : "outputs of",
          `${where}${attempt !== undefined ? `/${attempt}` : ""}`,
        );
      }
      let map;
      try {
        map = fromBinary(LiteralMapSchema, blobs.readUrl(uri));
      } catch (e) {
        throw notFound(
          "data",
          `${uri} (${(e as Error).message})`,
        );
      }
      if (name) {
        const lit = map.literals[name];
        if (!lit) {
          throw notFound(
            `${io === "i" ? "input" : "output"} named`,
            `${name} of ${where}`,
          );
        }
        return { data: { case: "literal", value: lit } };
      }
      return { data: { case: "literalMap", value: map } };
    },
  };
}

function signedGet(ctx: AdminContext, uri: string, expiresAt: Date): string {
  try {
    return ctx.blobs.signedUrl("GET", ctx.blobs.keyOf(uri), expiresAt);
  } catch (e) {
    if (e instanceof BlobKeyError) return uri;
    throw e;
  }
}
