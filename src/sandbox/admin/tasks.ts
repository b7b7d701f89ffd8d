/**
 * Tasks: CreateTask (compiled, stored by version, re-registration checked),
 * GetTask, ListTasks and ListTaskIds.
 *
 * @module
 */
import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  IdentifierSchema,
  ResourceType,
} from "@flyteidl/core/identifier_pb.ts";
import {
  TaskSchema,
  type TaskSpec,
  TaskSpecSchema,
} from "@flyteidl/admin/task_pb.ts";
import type { CompiledTask } from "@flyteidl/core/compiler_pb.ts";
import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import type { Row } from "../store/db.ts";
import { type AdminContext, checkIdentifier, idKey, now } from "./context.ts";
import { missing } from "./errors.ts";
import { touchNamedEntity } from "./named_entities.ts";
import { saveDescription } from "./descriptions.ts";
import {
  assertNewVersion,
  compileErrorToStatus,
  diffFields,
  digest,
  getTask,
  insertVersionedRow,
  listIds,
  listVersioned,
  VERSIONED_COLUMNS,
} from "./registry.ts";

/**
 * What differs between a stored task and a new spec of the same version
 * (undefined: the same).
 */
function taskDiff(row: Row, spec: TaskSpec): string | undefined {
  const old = fromBinary(TaskSchema, row.data as Uint8Array);
  const oldSpec = create(TaskSpecSchema, {
    template: old.closure?.compiledTask?.template,
    description: spec.description,
  });
  const newSpec = create(TaskSpecSchema, {
    template: spec.template,
    description: spec.description,
  });
  if (equals(TaskSpecSchema, oldSpec, newSpec)) return undefined;
  return `spec.template: ${
    diffFields(
      TaskTemplateSchema,
      oldSpec.template ?? create(TaskTemplateSchema),
      newSpec.template ?? create(TaskTemplateSchema),
    )
  }`;
}

/**
 * Builds the task RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { taskService } from "./tasks.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = taskService(ctx);
 * ```
 */
export function taskService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    createTask(req) {
      checkIdentifier(ctx, req.id, ResourceType.TASK, "id");
      const id = create(IdentifierSchema, {
        ...req.id,
        resourceType: ResourceType.TASK,
      });
      const spec = req.spec;
      if (!spec) throw missing("spec");
      const template = spec.template;
      if (!template) throw missing("spec.template");
      if (!template.type) throw missing("spec.template.type");
      let compiled: CompiledTask;
      try {
        compiled = ctx.compiler.compileTask(template);
      } catch (e) {
        throw compileErrorToStatus(ctx, e, `task ${idKey(id)}`);
      }
      const specBytes = toBinary(TaskSpecSchema, spec);
      ctx.db.tx(() => {
        assertNewVersion(
          ctx,
          "tasks",
          "task",
          id,
          specBytes,
          (row) => taskDiff(row, spec),
        );
        const t = now();
        const task = create(TaskSchema, {
          id,
          closure: { compiledTask: compiled, createdAt: t.ts },
          shortDescription: spec.description?.shortDescription ?? "",
        });
        insertVersionedRow(
          ctx,
          "tasks",
          id,
          t.iso,
          digest(specBytes),
          toBinary(TaskSchema, task),
        );
        touchNamedEntity(ctx, ResourceType.TASK, id);
        saveDescription(ctx, id, spec.description, t.iso);
      });
      return {};
    },
    getTask(req) {
      checkIdentifier(ctx, req.id, ResourceType.TASK, "id");
      return getTask(ctx, req.id);
    },
    listTasks(req) {
      const r = listVersioned(
        ctx,
        "tasks",
        TaskSchema,
        "task",
        req,
        VERSIONED_COLUMNS,
      );
      return { tasks: r.items, token: r.token };
    },
    listTaskIds(req) {
      return listIds(ctx, "tasks", req);
    },
  };
}
