/**
 * What every FlyteRemote sub-module shares: the service clients of one
 * connection, the default project/domain, the console base URL, the fan-out
 * bound and error mapping.
 *
 * @module
 */
import type { Client } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import type { SignalService } from "@flyteidl/service/signal_pb.ts";
import type { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { FlyteInvalidInputError, toFlyteError } from "../client/errors.ts";
import { Limiter } from "./pool.ts";

/**
 * The service clients FlyteRemote uses. A `Connection` from src/client
 * satisfies it; so does any object with these three Connect clients.
 *
 * @example
 * ```ts
 * import type { RemoteServices } from "./context.ts";
 * ```
 */
export interface RemoteServices {
  /** flyteidl.service.AdminService. */
  admin: Client<typeof AdminService>;
  /** flyteidl.service.SignalService. */
  signal: Client<typeof SignalService>;
  /** flyteidl.service.DataProxyService. */
  dataProxy: Client<typeof DataProxyService>;
}

/**
 * Settings shared by the sub-modules (see FlyteRemoteOptions for the defaults).
 *
 * @example
 * ```ts
 * import type { ContextSettings } from "./context.ts";
 * const s: ContextSettings = { consoleBase: "http://localhost:30080" };
 * ```
 */
export interface ContextSettings {
  /** Project used when a call names none. */
  defaultProject?: string;
  /** Domain used when a call names none. */
  defaultDomain?: string;
  /** Console base URL (no trailing slash). */
  consoleBase: string;
  /** Most admin calls in flight at once during fan-outs. Default 16. */
  concurrency?: number;
  /** Prefix for raw output data of new executions, when set. */
  rawOutputDataPrefix?: string;
}

/**
 * The shared context object handed to each sub-module.
 *
 * @example
 * ```ts
 * import { RemoteContext } from "./context.ts";
 * ```
 */
export class RemoteContext {
  /** The service clients. */
  readonly services: RemoteServices;
  /** The settings. */
  readonly settings: ContextSettings;
  /** Bounds the admin calls in flight during fan-outs (shared, so nesting stays bounded). */
  readonly limiter: Limiter;

  /** Creates a context over `services`. */
  constructor(services: RemoteServices, settings: ContextSettings) {
    this.services = services;
    this.settings = settings;
    this.limiter = new Limiter(settings.concurrency ?? 16);
  }

  /**
   * Resolves project and domain from the arguments, else the defaults;
   * throws FlyteInvalidInputError naming what is missing.
   */
  scope(
    project?: string,
    domain?: string,
  ): { project: string; domain: string } {
    const p = project || this.settings.defaultProject;
    const d = domain || this.settings.defaultDomain;
    if (!p || !d) {
      throw new FlyteInvalidInputError(
        `${
          !p ? "project" : "domain"
        } is required: pass it or set defaultProject/defaultDomain on FlyteRemote`,
      );
    }
    return { project: p, domain: d };
  }

  /**
   * Runs one RPC under the shared bound, turning any failure into a typed
   * FlyteError with `what` as context. `fn` must make a single call (never
   * call `call` again), so nested fan-outs cannot deadlock.
   */
  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.limiter.run(async () => {
      try {
        return await fn();
      } catch (e) {
        throw toFlyteError(e, what);
      }
    });
  }
}
