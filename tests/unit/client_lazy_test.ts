/**
 * src/client/lazy.ts: a transport made by its first call (once, even for
 * calls racing it; closed after it is made when closed before), and service
 * clients whose bindings load on their first method call.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import type { IdentityService } from "@flyteidl/service/identity_pb.ts";
import { UserInfoResponseSchema } from "@flyteidl/service/identity_pb.ts";
import { lazyClient, lazyTransport } from "../../src/client/lazy.ts";
import type { ClosableTransport } from "../../src/client/transport/types.ts";

async function identityRouter() {
  const { IdentityService } = await import(
    "@flyteidl/service/identity_pb.ts"
  );
  return createRouterTransport((router) => {
    router.service(IdentityService, {
      userInfo: () => create(UserInfoResponseSchema, { subject: "me" }),
    });
  });
}

Deno.test("lazyTransport: made once by the first calls, then used directly", async () => {
  const inner = await identityRouter();
  let loads = 0;
  const closed: unknown[] = [];
  const t = lazyTransport(() => {
    loads++;
    return Promise.resolve(
      {
        unary: inner.unary.bind(inner),
        stream: inner.stream.bind(inner),
        close: (r) => closed.push(r),
      } satisfies ClosableTransport,
    );
  });
  assertEquals(loads, 0);
  const client = lazyClient<typeof IdentityService>(
    async () =>
      (await import("@flyteidl/service/identity_pb.ts")).IdentityService,
    t,
  );
  const [a, b] = await Promise.all([client.userInfo({}), client.userInfo({})]);
  assertEquals([a.subject, b.subject, loads], ["me", "me", 1]);
  assertEquals((await client.userInfo({})).subject, "me");
  assertEquals(loads, 1);
  const reason = new Error("bye");
  t.close(reason);
  assertEquals(closed, [reason]);
});

Deno.test("lazyTransport: closed before it is made, it is closed once made", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const closed: unknown[] = [];
  const t = lazyTransport(async () => {
    await gate;
    return {
      unary: () => Promise.reject(new Error("unused")),
      stream: () => Promise.reject(new Error("unused")),
      close: (r) => closed.push(r),
    };
  });
  const call = t.unary(
    {} as never,
    undefined,
    undefined,
    undefined,
    {} as never,
  ).catch((e) => e);
  t.close();
  assertEquals(closed.length, 0);
  release();
  assertEquals((await call).message, "unused");
  assertEquals(closed.length, 1);
});

Deno.test("lazyClient: a load failure and an unknown method are errors of the call", async () => {
  const failing = lazyClient<typeof IdentityService>(
    () => Promise.reject(new ConnectError("no bindings", Code.Internal)),
    await identityRouter(),
  );
  await assertRejects(() => failing.userInfo({}), ConnectError, "no bindings");
  const client = lazyClient<typeof IdentityService>(
    async () =>
      (await import("@flyteidl/service/identity_pb.ts")).IdentityService,
    await identityRouter(),
  );
  const unknown = (client as unknown as Record<string, () => Promise<void>>)
    .noSuchMethod;
  await assertRejects(() => unknown(), TypeError, "noSuchMethod");
  // Not a thenable: awaiting the client itself does not call anything.
  assert((await Promise.resolve(client)) === client);
});
