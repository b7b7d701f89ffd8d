/**
 * Projects and domains: RegisterProject, UpdateProject, GetProject,
 * ListProjects and GetDomains (the domains are the server's configuration).
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  type Project,
  Project_ProjectState,
  ProjectSchema,
} from "@flyteidl/admin/project_pb.ts";
import type { Columns } from "../store/query.ts";
import { type AdminContext, enumColumn, now, pagedList } from "./context.ts";
import { alreadyExists, invalidArgument, missing, notFound } from "./errors.ts";

const PROJECT_COLUMNS: Columns = {
  identifier: { col: "id", kind: "text" },
  id: { col: "id", kind: "text" },
  name: { col: "name", kind: "text" },
  state: enumColumn("state", Project_ProjectState),
  created_at: { col: "created_at", kind: "time" },
};

/**
 * Builds the project and domain RPCs of AdminService.
 *
 * @example
 * ```ts
 * import { projectService } from "./projects.ts";
 * declare const ctx: import("./context.ts").AdminContext;
 * const impl = projectService(ctx);
 * ```
 */
export function projectService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  const db = ctx.db;

  function project(id: string): Project {
    const row = db.get("SELECT data FROM projects WHERE id = ?", id);
    if (!row) throw notFound("project", id);
    return fromBinary(ProjectSchema, row.data as Uint8Array);
  }

  function withDomains(p: Project): Project {
    p.domains = ctx.domains.map((d) => ({
      $typeName: "flyteidl.admin.Domain",
      id: d,
      name: d,
    }));
    return p;
  }

  return {
    registerProject(req) {
      const p = req.project;
      if (!p) throw missing("project");
      if (!p.id) throw missing("project.id");
      if (!p.name) throw missing("project.name");
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.id) || p.id.length > 63) {
        throw invalidArgument(
          `invalid project.id [${p.id}]: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`,
        );
      }
      if (p.domains.length) {
        throw invalidArgument(
          "project.domains must be empty: domains are configured by the server",
        );
      }
      db.tx(() => {
        if (db.get("SELECT 1 FROM projects WHERE id = ?", p.id)) {
          throw alreadyExists(`project [${p.id}] already exists`);
        }
        const stored = create(ProjectSchema, { ...p, domains: [] });
        db.run(
          "INSERT INTO projects VALUES (?,?,?,?,?)",
          p.id,
          p.name,
          p.state,
          now().iso,
          toBinary(ProjectSchema, stored),
        );
      });
      return {};
    },
    updateProject(req) {
      if (!req.id) throw missing("id");
      db.tx(() => {
        const old = project(req.id);
        const next = create(ProjectSchema, {
          ...old,
          name: req.name || old.name,
          description: req.description,
          labels: req.labels,
          state: req.state,
          domains: [],
        });
        db.run(
          "UPDATE projects SET name=?, state=?, data=? WHERE id=?",
          next.name,
          next.state,
          toBinary(ProjectSchema, next),
          req.id,
        );
      });
      return {};
    },
    getProject(req) {
      if (!req.id) throw missing("id");
      return withDomains(project(req.id));
    },
    listProjects(req) {
      const page = pagedList(
        db,
        ProjectSchema,
        "projects",
        [],
        [],
        {
          ...req,
          limit: req.limit || 100,
          sortBy: req.sortBy ?? { key: "identifier", direction: 1 },
        },
        PROJECT_COLUMNS,
        "project",
      );
      return { projects: page.items.map(withDomains), token: page.token };
    },
    getDomains() {
      return {
        domains: ctx.domains.map((d) => ({ id: d, name: d })),
      };
    },
  };
}
