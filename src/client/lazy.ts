/**
 * Loading on first use: a transport whose module (node:http2 and
 * connect-node for gRPC, the route table for REST) is imported by its first
 * call, and service clients whose generated bindings are imported by their
 * first call. A fresh process that imports the package then pays only for
 * what it calls.
 *
 * @module
 */
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import type { ClosableTransport } from "./transport/types.ts";

/**
 * A transport made by `load` on its first call (later calls use it
 * directly); `close` closes it once made, or as soon as it is.
 *
 * @example
 * ```ts
 * import { lazyTransport } from "./lazy.ts";
 * const t = lazyTransport(async () => {
 *   const { createGrpcTransportFor } = await import("./transport/grpc.ts");
 *   return createGrpcTransportFor({ baseUrl: "http://localhost:30080", interceptors: [] });
 * });
 * t.close();
 * ```
 */
export function lazyTransport(
  load: () => Promise<ClosableTransport>,
): ClosableTransport {
  let made: ClosableTransport | undefined;
  let making: Promise<ClosableTransport> | undefined;
  const get = () => making ??= load().then((t) => made = t);
  return {
    unary(...args) {
      return made ? made.unary(...args) : get().then((t) => t.unary(...args));
    },
    stream(...args) {
      return made ? made.stream(...args) : get().then((t) => t.stream(...args));
    },
    close(reason) {
      if (made) made.close(reason);
      else making?.then((t) => t.close(reason), () => {});
    },
  };
}

/**
 * A client of the service `load` resolves to, created on the first method
 * call. Only for services whose methods are all unary (they return
 * promises either way).
 *
 * @example
 * ```ts
 * import { createRouterTransport } from "@connectrpc/connect";
 * import type { IdentityService } from "@flyteidl/service/identity_pb.ts";
 * import { lazyClient } from "./lazy.ts";
 * const identity = lazyClient<typeof IdentityService>(
 *   async () => (await import("@flyteidl/service/identity_pb.ts")).IdentityService,
 *   createRouterTransport(() => {}),
 * );
 * console.log(typeof identity.userInfo); // "function"
 * ```
 */
export function lazyClient<S extends DescService>(
  load: () => Promise<S>,
  transport: Transport,
): Client<S> {
  let client: Promise<Client<S>> | undefined;
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as Client<S>, {
    get(_, name) {
      if (typeof name !== "string" || name === "then") return undefined;
      let m = methods.get(name);
      if (!m) {
        m = async (...args: unknown[]) => {
          const c = await (client ??= load().then((s) =>
            createClient(s, transport)
          ));
          const f = (c as Record<string, unknown>)[name];
          if (typeof f !== "function") {
            throw new TypeError(`${name} is not a method of this service`);
          }
          return await f(...args);
        };
        methods.set(name, m);
      }
      return m;
    },
  });
}
