/**
 * Matchable attributes (task resources, execution queues, cluster labels,
 * workflow execution config, ...) at project, project-domain and workflow
 * level: Update/Get/Delete for each level and ListMatchableAttributes, as
 * FlyteAdmin stores them (one entry per level and resource type).
 *
 * @module
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  MatchableResource,
  type MatchingAttributes,
  MatchingAttributesSchema,
} from "@flyteidl/admin/matchable_resource_pb.ts";
import { type AdminContext, checkProjectDomain } from "./context.ts";
import { invalidArgument, missing, notFound } from "./errors.ts";

type Impl = Partial<ServiceImpl<typeof AdminService>>;

const RESOURCE_OF: Record<string, MatchableResource> = {
  taskResourceAttributes: MatchableResource.TASK_RESOURCE,
  clusterResourceAttributes: MatchableResource.CLUSTER_RESOURCE,
  executionQueueAttributes: MatchableResource.EXECUTION_QUEUE,
  executionClusterLabel: MatchableResource.EXECUTION_CLUSTER_LABEL,
  qualityOfService: MatchableResource.QUALITY_OF_SERVICE_SPECIFICATION,
  pluginOverrides: MatchableResource.PLUGIN_OVERRIDE,
  workflowExecutionConfig: MatchableResource.WORKFLOW_EXECUTION_CONFIG,
  clusterAssignment: MatchableResource.CLUSTER_ASSIGNMENT,
};

/** The resource type a MatchingAttributes value sets; INVALID_ARGUMENT when empty. */
function resourceOf(m: MatchingAttributes | undefined, field: string) {
  if (!m) throw missing(field);
  const t = m.target.case ? RESOURCE_OF[m.target.case] : undefined;
  if (t === undefined) {
    throw invalidArgument(`${field} must set one kind of attributes`);
  }
  return t;
}

/** Where an entry lives. */
interface Level {
  project: string;
  domain: string;
  workflow: string;
}

function levelName(l: Level): string {
  return [l.project, l.domain, l.workflow].filter(Boolean).join("/");
}

/**
 * Builds the matchable-attribute RPCs.
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { attributeService } from "./attributes.ts";
 * declare const ctx: AdminContext;
 * const impl = attributeService(ctx);
 * ```
 */
export function attributeService(ctx: AdminContext): Impl {
  const db = ctx.db;
  function check(l: Level) {
    if (!l.project) throw missing("project");
    if (l.domain || l.workflow) {
      checkProjectDomain(ctx, l.project, l.domain, "");
    } else if (!db.get("SELECT 1 FROM projects WHERE id = ?", l.project)) {
      throw invalidArgument(`project [${l.project}] does not exist`);
    }
  }
  function put(l: Level, m: MatchingAttributes | undefined) {
    check(l);
    const type = resourceOf(m, "attributes.matching_attributes");
    db.tx(() =>
      db.run(
        "INSERT OR REPLACE INTO attributes VALUES (?,?,?,'',?,?)",
        l.project,
        l.domain,
        l.workflow,
        type,
        toBinary(MatchingAttributesSchema, m!),
      )
    );
  }
  function get(l: Level, type: MatchableResource): MatchingAttributes {
    check(l);
    const row = db.get(
      "SELECT data FROM attributes WHERE project=? AND domain=? AND workflow=? AND launch_plan='' AND resource_type=?",
      l.project,
      l.domain,
      l.workflow,
      type,
    );
    if (!row) {
      throw notFound(
        `${MatchableResource[type]} attributes of`,
        levelName(l),
      );
    }
    return fromBinary(MatchingAttributesSchema, row.data as Uint8Array);
  }
  function del(l: Level, type: MatchableResource) {
    check(l);
    const n = db.tx(() =>
      db.run(
        "DELETE FROM attributes WHERE project=? AND domain=? AND workflow=? AND launch_plan='' AND resource_type=?",
        l.project,
        l.domain,
        l.workflow,
        type,
      )
    );
    if (n === 0) {
      throw notFound(`${MatchableResource[type]} attributes of`, levelName(l));
    }
  }
  return {
    updateProjectAttributes(req) {
      const a = req.attributes;
      if (!a) throw missing("attributes");
      put(
        { project: a.project, domain: "", workflow: "" },
        a.matchingAttributes,
      );
      return {};
    },
    getProjectAttributes(req) {
      const l = { project: req.project, domain: "", workflow: "" };
      return {
        attributes: {
          project: req.project,
          org: req.org,
          matchingAttributes: get(l, req.resourceType),
        },
      };
    },
    deleteProjectAttributes(req) {
      del({ project: req.project, domain: "", workflow: "" }, req.resourceType);
      return {};
    },
    updateProjectDomainAttributes(req) {
      const a = req.attributes;
      if (!a) throw missing("attributes");
      if (!a.domain) throw missing("attributes.domain");
      put(
        { project: a.project, domain: a.domain, workflow: "" },
        a.matchingAttributes,
      );
      return {};
    },
    getProjectDomainAttributes(req) {
      if (!req.domain) throw missing("domain");
      const l = { project: req.project, domain: req.domain, workflow: "" };
      return {
        attributes: {
          project: req.project,
          domain: req.domain,
          org: req.org,
          matchingAttributes: get(l, req.resourceType),
        },
      };
    },
    deleteProjectDomainAttributes(req) {
      if (!req.domain) throw missing("domain");
      del(
        { project: req.project, domain: req.domain, workflow: "" },
        req.resourceType,
      );
      return {};
    },
    updateWorkflowAttributes(req) {
      const a = req.attributes;
      if (!a) throw missing("attributes");
      if (!a.domain) throw missing("attributes.domain");
      if (!a.workflow) throw missing("attributes.workflow");
      put(
        { project: a.project, domain: a.domain, workflow: a.workflow },
        a.matchingAttributes,
      );
      return {};
    },
    getWorkflowAttributes(req) {
      if (!req.domain) throw missing("domain");
      if (!req.workflow) throw missing("workflow");
      const l = {
        project: req.project,
        domain: req.domain,
        workflow: req.workflow,
      };
      return {
        attributes: {
          project: req.project,
          domain: req.domain,
          workflow: req.workflow,
          org: req.org,
          matchingAttributes: get(l, req.resourceType),
        },
      };
    },
    deleteWorkflowAttributes(req) {
      if (!req.domain) throw missing("domain");
      if (!req.workflow) throw missing("workflow");
      del(
        { project: req.project, domain: req.domain, workflow: req.workflow },
        req.resourceType,
      );
      return {};
    },
    listMatchableAttributes(req) {
      const rows = db.all(
        "SELECT * FROM attributes WHERE resource_type = ? ORDER BY project, domain, workflow",
        req.resourceType,
      );
      return {
        configurations: rows.map((r) => ({
          project: r.project as string,
          domain: r.domain as string,
          workflow: r.workflow as string,
          launchPlan: r.launch_plan as string,
          org: req.org,
          attributes: create(
            MatchingAttributesSchema,
            fromBinary(MatchingAttributesSchema, r.data as Uint8Array),
          ),
        })),
      };
    },
  };
}
