/**
 * Client mistakes are answered as client mistakes (issue 14, item 5):
 * undecodable protobuf and compressed frames without an encoding are
 * INVALID_ARGUMENT (gRPC) / 400 (REST, Connect), a request over the size
 * limit is RESOURCE_EXHAUSTED / 413 before it is read whole, and a bad
 * %-escape in a REST path is 400.
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { freshSandbox } from "./sandbox_fixtures.ts";

const GET_TASK = "/flyteidl.service.AdminService/GetTask";

async function rawGrpc(
  endpoint: string,
  flag: 0 | 1,
  payload: string,
  ...headers: string[]
): Promise<{ grpcStatus?: number; grpcMessage?: string; error?: string }> {
  const script = new URL("./grpc_raw_client.mjs", import.meta.url).pathname;
  let out;
  try {
    out = await new Deno.Command("node", {
      args: [script, endpoint, GET_TASK, String(flag), payload, ...headers],
      stdout: "piped",
      stderr: "inherit",
    }).output();
  } catch (e) {
    throw new Error(
      `this test needs Node.js ("node" on PATH; .ci/run installs Deno with it): ${e}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("gRPC: undecodable, truncated, compressed-without-encoding and oversized requests are client errors", async () => {
  const sb = await freshSandbox({ maxRequestBytes: 1024 * 1024 });
  try {
    // Field 1 (Identifier) claims 100 bytes but 3 follow: truncated.
    const truncated = await rawGrpc(sb.endpoint, 0, "0a64ffffff");
    assertEquals(truncated.grpcStatus, 3, JSON.stringify(truncated));
    assertStringIncludes(truncated.grpcMessage!, "invalid request");
    // Garbage: an invalid wire type.
    const garbage = await rawGrpc(sb.endpoint, 0, "ffffffffffffffff07");
    assertEquals(garbage.grpcStatus, 3, JSON.stringify(garbage));
    // Compressed flag without grpc-encoding.
    const compressed = await rawGrpc(sb.endpoint, 1, "0a00");
    assertEquals(compressed.grpcStatus, 3, JSON.stringify(compressed));
    assertStringIncludes(compressed.grpcMessage!, "compressed");
    // An encoding the server does not know.
    const unknown = await rawGrpc(
      sb.endpoint,
      1,
      "0a00",
      "grpc-encoding=snappy",
    );
    assertEquals(unknown.grpcStatus, 12, JSON.stringify(unknown));
    // Over the limit.
    const big = await rawGrpc(sb.endpoint, 0, `@${2 * 1024 * 1024}`);
    assertEquals(big.grpcStatus, 8, JSON.stringify(big));
    // A well-formed request still works (NOT_FOUND for a task that is not there).
    const fine = await rawGrpc(sb.endpoint, 0, "");
    assertEquals(
      fine.grpcStatus === 3 || fine.grpcStatus === 5,
      true,
      JSON.stringify(fine),
    );
  } finally {
    await sb.close();
  }
});

Deno.test("Connect and REST: bad bodies are 400, oversized ones 413, bad %-escapes 400", async () => {
  const sb = await freshSandbox({ maxRequestBytes: 1024 * 1024 });
  try {
    const connect = await fetch(`${sb.endpoint}${GET_TASK}`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0x0a, 0x64, 0xff]),
    });
    assertEquals(connect.status, 400);
    assertEquals((await connect.json()).code, "invalid_argument");

    for (
      const body of [
        new Uint8Array([0xff, 0xff, 0xff, 0x07]),
        new Uint8Array([0x0a, 0x64, 1, 2]),
      ]
    ) {
      const r = await fetch(`${sb.endpoint}/api/v1/tasks`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body,
      });
      assertEquals(r.status, 400);
      await r.body?.cancel();
    }
    const badJson = await fetch(`${sb.endpoint}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    assertEquals(badJson.status, 400);
    await badJson.body?.cancel();

    const big = await fetch(`${sb.endpoint}/api/v1/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array(8 * 1024 * 1024),
    });
    assertEquals(big.status, 413);
    assertStringIncludes((await big.json()).message, "limit of 1048576 bytes");
    const bigConnect = await fetch(`${sb.endpoint}${GET_TASK}`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array(2 * 1024 * 1024),
    });
    assertEquals((await bigConnect.json()).code, "resource_exhausted");

    const escape = await fetch(
      `${sb.endpoint}/api/v1/tasks/flytesnacks/development/bad%zzname/v1`,
    );
    assertEquals(escape.status, 400);
    assertStringIncludes((await escape.json()).message, "%-escape");
    const query = await fetch(`${sb.endpoint}/api/v1/projects?limit=many`);
    assertEquals(query.status, 400);
    await query.body?.cancel();
  } finally {
    await sb.close();
  }
});
