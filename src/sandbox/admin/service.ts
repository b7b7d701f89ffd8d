/**
 * AdminService assembled from its parts (registration, executions, events),
 * plus GetVersion.
 *
 * @module
 */
import type { ServiceImpl } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import { VERSION } from "../../version.ts";
import type { AdminContext } from "./context.ts";
import { entityService } from "./entities.ts";
import { executionService } from "./executions.ts";
import { eventService } from "./events.ts";

/** Build time reported by GetVersion (process start). */
const STARTED = new Date().toISOString();

/**
 * Builds the AdminService implementation (methods not listed answer
 * UNIMPLEMENTED, e.g. the matchable-attribute RPCs).
 *
 * @example
 * ```ts
 * import type { AdminContext } from "./context.ts";
 * import { adminService } from "./service.ts";
 * declare const ctx: AdminContext;
 * const impl = adminService(ctx);
 * ```
 */
export function adminService(
  ctx: AdminContext,
): Partial<ServiceImpl<typeof AdminService>> {
  return {
    ...entityService(ctx),
    ...executionService(ctx),
    ...eventService(ctx),
    getVersion() {
      return {
        controlPlaneVersion: {
          Version: `flyte-deno-sandbox ${VERSION}`,
          Build: "sandbox",
          BuildTime: STARTED,
        },
      };
    },
  };
}
