/**
 * Description entities: the long description a task or workflow
 * registration carries, kept beside the entity and keyed by its id, and the
 * GetDescriptionEntity / ListDescriptionEntities RPCs.
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import { type Identifier, ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  type DescriptionEntity,
  DescriptionEntitySchema,
} from "@flyteidl/admin/description_entity_pb.ts";
import { type AdminContext, checkIdentifier, idKey } from "./context.ts";
import { invalidArgument, missing, notFound } from "./errors.ts";
import { listVersioned, rowId, VERSIONED_COLUMNS } from "./registry.ts";

/**
 * Stores the description entity a registration carries (FlyteAdmin keeps
 * it beside the entity, keyed by the entity's id; a second one is ignored).
 *
 * @example
 * ```ts
 * import { saveDescription } from "./descriptions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * declare const id: import("@flyteidl/core/identifier_pb.ts").Identifier;
 * saveDescription(ctx, id, undefined, new Date().toISOString()); // nothing to store
 * ```
 */
export function saveDescription(
  ctx: AdminContext,
  id: Identifier,
  description: DescriptionEntity | undefined,
  createdAt: string,
): void {
  if (!description) return;
  const d = create(DescriptionEntitySchema, { ...description, id });
  ctx.db.run(
    "INSERT OR IGNORE INTO description_entities VALUES (?,?,?,?,?,?,?)",
    id.resourceType,
    ...rowId(id),
    createdAt,
    toBinary(DescriptionEntitySchema, d),
  );
}

/**
 * Builds the description-entity RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { descriptionService } from "./descriptions.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = descriptionService(ctx);
 * ```
 */
export function descriptionService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    getDescriptionEntity(req) {
      if (!req.id) throw missing("id");
      if (
        req.id.resourceType !== ResourceType.TASK &&
        req.id.resourceType !== ResourceType.WORKFLOW
      ) {
        throw invalidArgument(
          `id.resource_type must be TASK or WORKFLOW, got ${
            ResourceType[req.id.resourceType]
          }`,
        );
      }
      checkIdentifier(ctx, req.id, req.id.resourceType, "id");
      const row = ctx.db.get(
        "SELECT data FROM description_entities WHERE resource_type=? AND project=? AND domain=? AND name=? AND version=?",
        req.id.resourceType,
        ...rowId(req.id),
      );
      if (!row) throw notFound("description entity", idKey(req.id));
      return fromBinary(DescriptionEntitySchema, row.data as Uint8Array);
    },
    listDescriptionEntities(req) {
      if (req.resourceType === ResourceType.UNSPECIFIED) {
        throw missing("resource_type");
      }
      const r = listVersioned(
        ctx,
        "description_entities",
        DescriptionEntitySchema,
        "description_entity",
        req,
        VERSIONED_COLUMNS,
        ["resource_type = ?"],
        [String(req.resourceType)],
      );
      return { descriptionEntities: r.items, token: r.token };
    },
  };
}
