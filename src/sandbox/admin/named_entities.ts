/**
 * Named entities: the one row per (resource type, project, domain, name)
 * that registration creates, with its state and description, and the
 * ListNamedEntities / GetNamedEntity / UpdateNamedEntity RPCs.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  type NamedEntity,
  type NamedEntityIdentifier,
  NamedEntitySchema,
  NamedEntityState,
} from "@flyteidl/admin/common_pb.ts";
import type { Row } from "../store/db.ts";
import { buildList, type Columns, nextToken } from "../store/query.ts";
import {
  type AdminContext,
  checkProjectDomain,
  enumColumn,
  idKey,
  sortedBy,
} from "./context.ts";
import { missing, notFound } from "./errors.ts";

const NAMED_COLUMNS: Columns = {
  project: { col: "project", kind: "text" },
  domain: { col: "domain", kind: "text" },
  name: { col: "name", kind: "text" },
  state: enumColumn("state", NamedEntityState),
};

/** The project, domain and name of an entity. */
type EntityName = { project: string; domain: string; name: string };

/**
 * Registers a named entity row if absent (state ACTIVE, empty description).
 *
 * @example
 * ```ts
 * import { touchNamedEntity } from "./named_entities.ts";
 * import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * touchNamedEntity(ctx, ResourceType.TASK, { project: "p", domain: "d", name: "t" });
 * ```
 */
export function touchNamedEntity(
  ctx: AdminContext,
  type: ResourceType,
  id: EntityName,
): void {
  ctx.db.run(
    "INSERT OR IGNORE INTO named_entities VALUES (?,?,?,?,0,'')",
    type,
    id.project,
    id.domain,
    id.name,
  );
}

/**
 * Marks a named entity SYSTEM_GENERATED (what FlyteAdmin generates for a
 * single-task execution), creating or replacing its row.
 *
 * @example
 * ```ts
 * import { markSystemGenerated } from "./named_entities.ts";
 * import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * markSystemGenerated(ctx, ResourceType.WORKFLOW,
 *   { project: "p", domain: "d", name: ".flytegen.t" });
 * ```
 */
export function markSystemGenerated(
  ctx: AdminContext,
  type: ResourceType,
  id: EntityName,
): void {
  ctx.db.run(
    "INSERT OR REPLACE INTO named_entities VALUES (?,?,?,?,?,'')",
    type,
    id.project,
    id.domain,
    id.name,
    NamedEntityState.SYSTEM_GENERATED,
  );
}

/** Validates a GetNamedEntity / UpdateNamedEntity request's type and id. */
function checkNamedRequest(
  ctx: AdminContext,
  req: { resourceType: ResourceType; id?: NamedEntityIdentifier },
): asserts req is {
  resourceType: ResourceType;
  id: NamedEntityIdentifier;
} {
  if (req.resourceType === ResourceType.UNSPECIFIED) {
    throw missing("resource_type");
  }
  if (!req.id) throw missing("id");
  checkProjectDomain(ctx, req.id.project, req.id.domain, "id");
  if (!req.id.name) throw missing("id.name");
}

function namedNotFound(type: ResourceType, id: EntityName) {
  return notFound(
    `${ResourceType[type].toLowerCase()} named entity`,
    idKey(id),
  );
}

/**
 * Builds the named-entity RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { namedEntityService } from "./named_entities.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = namedEntityService(ctx);
 * ```
 */
export function namedEntityService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;
  return {
    listNamedEntities(req) {
      checkProjectDomain(ctx, req.project, req.domain, "");
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      const q = buildList(
        "named_entities",
        ["resource_type = ?", "project = ?", "domain = ?"],
        [req.resourceType, req.project, req.domain],
        sortedBy(req, "name"),
        NAMED_COLUMNS,
        "named_entity",
        "name",
        "resource_type, project, domain, name, state, description",
      );
      const rows = db.all(q.sql, ...q.params);
      return {
        entities: rows.map((r) => namedEntityOf(r)),
        token: nextToken(q.offset, q.limit, rows.length),
      };
    },
    getNamedEntity(req) {
      checkNamedRequest(ctx, req);
      const row = db.get(
        "SELECT * FROM named_entities WHERE resource_type=? AND project=? AND domain=? AND name=?",
        req.resourceType,
        req.id.project,
        req.id.domain,
        req.id.name,
      );
      if (!row) throw namedNotFound(req.resourceType, req.id);
      return namedEntityOf(row);
    },
    updateNamedEntity(req) {
      checkNamedRequest(ctx, req);
      const id = req.id;
      db.tx(() => {
        const exists = db.get(
          "SELECT 1 FROM named_entities WHERE resource_type=? AND project=? AND domain=? AND name=?",
          req.resourceType,
          id.project,
          id.domain,
          id.name,
        );
        if (!exists) throw namedNotFound(req.resourceType, id);
        db.run(
          "UPDATE named_entities SET state=?, description=? WHERE resource_type=? AND project=? AND domain=? AND name=?",
          req.metadata?.state ?? 0,
          req.metadata?.description ?? "",
          req.resourceType,
          id.project,
          id.domain,
          id.name,
        );
      });
      return {};
    },
  };
}

function namedEntityOf(r: Row): NamedEntity {
  return create(NamedEntitySchema, {
    resourceType: r.resource_type as number,
    id: {
      project: r.project as string,
      domain: r.domain as string,
      name: r.name as string,
    },
    metadata: {
      description: r.description as string,
      state: r.state as number,
    },
  });
}
