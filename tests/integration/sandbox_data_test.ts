import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "../helpers/grpc.ts";
import { createHash, randomBytes } from "node:crypto";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { DataProxyService } from "@flyteidl/service/dataproxy_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { NodeExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { base32 } from "../../src/sandbox/admin/dataproxy.ts";
import {
  DOMAIN,
  freshSandbox,
  intLiteral,
  launchChain,
  PROJECT,
  registerChain,
} from "./sandbox_fixtures.ts";

Deno.test("data proxy: signed upload (presigned on the S3 face) and download are byte-identical; tampered, expired and md5-mismatched uploads are refused", async () => {
  const sb = await freshSandbox();
  try {
    const dp = createClient(
      DataProxyService,
      createGrpcTransport({ baseUrl: sb.endpoint }),
    );
    const payload = new Uint8Array(randomBytes(100_000));
    const md5 = createHash("md5").update(payload).digest();
    const loc = await dp.createUploadLocation({
      project: PROJECT,
      domain: DOMAIN,
      filename: "data.bin",
      contentMd5: md5,
    });
    // Key layout: uploads/<project>/<domain>/<base32(md5)>/<filename>
    assert(
      loc.nativeUrl.endsWith(
        `/uploads/${PROJECT}/${DOMAIN}/${base32(md5)}/data.bin`,
      ),
      loc.nativeUrl,
    );
    assertEquals(loc.headers["Content-MD5"], md5.toString("base64"));
    // A SigV4-presigned PUT on the S3 face, as FlyteAdmin presigns on MinIO.
    const presigned = new URL(loc.signedUrl);
    assertEquals(presigned.port, String(sb.s3.port));
    assertEquals(
      presigned.pathname,
      `/my-s3-bucket/uploads/${PROJECT}/${DOMAIN}/${
        encodeURIComponent(base32(md5))
      }/data.bin`,
    );
    assertEquals(
      presigned.searchParams.get("X-Amz-Algorithm"),
      "AWS4-HMAC-SHA256",
    );

    // md5 mismatch: a different body on the same signed URL.
    const wrong = await fetch(loc.signedUrl, {
      method: "PUT",
      body: new Uint8Array([1, 2, 3]),
    });
    assertEquals(wrong.status, 400);
    await wrong.body?.cancel();
    // Tampered: another key under the same signature.
    const tampered = await fetch(
      loc.signedUrl.replace("data.bin", "evil.bin"),
      {
        method: "PUT",
        body: payload,
      },
    );
    assertEquals(tampered.status, 403);
    await tampered.body?.cancel();
    // A Content-MD5 header that does not match the body.
    const badHeader = await fetch(loc.signedUrl, {
      method: "PUT",
      body: payload,
      headers: { "Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA==" },
    });
    assertEquals(badHeader.status, 400);
    await badHeader.body?.cancel();
    const download = await dp.createDownloadLocation({
      nativeUrl: loc.nativeUrl,
    });
    const before = await fetch(download.signedUrl);
    assertEquals(before.status, 404, "nothing stored by refused uploads");
    await before.body?.cancel();

    const ok = await fetch(loc.signedUrl, {
      method: "PUT",
      body: payload,
      headers: loc.headers,
    });
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
    const back = await fetch(download.signedUrl);
    assertEquals(back.status, 200);
    assertEquals(new Uint8Array(await back.arrayBuffer()), payload);

    // A PUT URL cannot be used to GET, and a GET URL cannot PUT.
    const misuse = await fetch(download.signedUrl, {
      method: "PUT",
      body: payload,
    });
    assertEquals(misuse.status, 403);
    await misuse.body?.cancel();

    // Expired.
    const short = await dp.createUploadLocation({
      project: PROJECT,
      domain: DOMAIN,
      filenameRoot: "root",
      filename: "late.txt",
      expiresIn: durationFromMs(1000),
    });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short.signedUrl, {
      method: "PUT",
      body: new Uint8Array([1]),
    });
    assertEquals(expired.status, 403);
    assert((await expired.text()).includes("expired"));

    // FlyteAdmin's request rules.
    for (
      const [req, text] of [
        [{ domain: DOMAIN, contentMd5: md5 }, "project"],
        [{ project: PROJECT, domain: DOMAIN }, "content_md5 or filename_root"],
        [{
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "r",
          expiresIn: durationFromMs(2 * 3600_000),
        }, "expires_in"],
        [{
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "..",
          filename: "x",
        }, "filename_root"],
        [{
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "r",
          filename: "sub/../../escape",
        }, "filename"],
        [{
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "r",
          filename: "/etc/passwd",
        }, "relative path"],
        [{
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "r",
          filename: "a//b",
        }, "filename"],
      ] as const
    ) {
      const err = await assertRejects(
        () => dp.createUploadLocation(req),
        ConnectError,
      );
      assertEquals(err.code, Code.InvalidArgument);
      assert(err.rawMessage.includes(text), err.rawMessage);
    }
    // filename + filename_root of an existing object: ALREADY_EXISTS unless the md5 matches.
    const fixed = await dp.createUploadLocation({
      project: PROJECT,
      domain: DOMAIN,
      filenameRoot: "fixed",
      filename: "f.bin",
    });
    const put = await fetch(fixed.signedUrl, { method: "PUT", body: payload });
    assertEquals(put.status, 200);
    await put.body?.cancel();
    const exists = await assertRejects(
      () =>
        dp.createUploadLocation({
          project: PROJECT,
          domain: DOMAIN,
          filenameRoot: "fixed",
          filename: "f.bin",
        }),
      ConnectError,
    );
    assertEquals(exists.code, Code.AlreadyExists);
    await dp.createUploadLocation({
      project: PROJECT,
      domain: DOMAIN,
      filenameRoot: "fixed",
      filename: "f.bin",
      contentMd5: md5,
    });
    const outside = await assertRejects(
      () => dp.createDownloadLocation({ nativeUrl: "file:///etc/passwd" }),
      ConnectError,
    );
    assertEquals(outside.code, Code.InvalidArgument);
  } finally {
    await sb.close();
  }
});

Deno.test("data proxy: GetData resolves flyte://v1 URIs of node inputs and outputs", async () => {
  const sb = await freshSandbox();
  try {
    const t = createGrpcTransport({ baseUrl: sb.endpoint });
    const c = createClient(AdminService, t);
    const dp = createClient(DataProxyService, t);
    await registerChain(c);
    await launchChain(c, "data");
    // Write node inputs/outputs where the engine would, then report them.
    const write = async (name: string, n: number) => {
      const loc = await dp.createUploadLocation({
        project: PROJECT,
        domain: DOMAIN,
        filenameRoot: "data-exec",
        filename: name,
      });
      const body = toBinary(
        LiteralMapSchema,
        create(LiteralMapSchema, { literals: { v: intLiteral(n) } }),
      );
      const r = await fetch(loc.signedUrl, { method: "PUT", body });
      await r.body?.cancel();
      return loc.nativeUrl;
    };
    const inUri = await write("in.pb", 2);
    const outUri = await write("out.pb", 4);
    const execId = { project: PROJECT, domain: DOMAIN, name: "data" };
    await sb.services.admin.createNodeEvent({
      event: {
        id: { executionId: execId, nodeId: "n0" },
        phase: NodeExecution_Phase.RUNNING,
        occurredAt: timestampFromDate(new Date()),
        inputValue: { case: "inputUri", value: inUri },
      },
    });
    await sb.services.admin.createNodeEvent({
      event: {
        id: { executionId: execId, nodeId: "n0" },
        phase: NodeExecution_Phase.SUCCEEDED,
        occurredAt: timestampFromDate(new Date()),
        outputResult: { case: "outputUri", value: outUri },
      },
    });
    const all = await dp.getData({
      flyteUrl: "flyte://v1/flytesnacks/development/data/n0/i",
    });
    assert(all.data.case === "literalMap");
    assertEquals(Object.keys(all.data.value.literals), ["v"]);
    const one = await dp.getData({
      flyteUrl: "flyte://v1/flytesnacks/development/data/n0/o/v",
    });
    assert(one.data.case === "literal");
    const v = one.data.value.value;
    assert(v.case === "scalar" && v.value.value.case === "primitive");
    assertEquals(v.value.value.value.value.value, 4n);
    const nodeData = await c.getNodeExecutionData({
      id: { executionId: execId, nodeId: "n0" },
    });
    assertEquals(
      nodeData.flyteUrls?.outputs,
      "flyte://v1/flytesnacks/development/data/n0/o",
    );
    const dl = await fetch(nodeData.outputs!.url);
    assertEquals(
      fromBinary(LiteralMapSchema, new Uint8Array(await dl.arrayBuffer()))
        .literals.v.value.case,
      "scalar",
    );
    for (
      const [url, code] of [
        ["flyte://v1/flytesnacks/development/data/n9/o", Code.NotFound],
        ["flyte://v1/flytesnacks/development/data/n0/o/nope", Code.NotFound],
        ["s3://bucket/key", Code.InvalidArgument],
      ] as const
    ) {
      const err = await assertRejects(
        () => dp.getData({ flyteUrl: url }),
        ConnectError,
      );
      assertEquals(err.code, code, url);
    }
    // Inline event data is offloaded to the store, as FlyteAdmin does by default.
    const inline = create(LiteralMapSchema, {
      literals: { v: intLiteral(16) },
    });
    await sb.services.admin.createNodeEvent({
      event: {
        id: { executionId: execId, nodeId: "n1" },
        phase: NodeExecution_Phase.SUCCEEDED,
        occurredAt: timestampFromDate(new Date()),
        inputValue: { case: "inputData", value: inline },
        outputResult: { case: "outputData", value: inline },
      },
    });
    const n1 = await c.getNodeExecution({
      id: { executionId: execId, nodeId: "n1" },
    });
    assert(n1.inputUri.startsWith("s3://my-s3-bucket/metadata/"), n1.inputUri);
    assert(n1.closure?.outputResult.case === "outputUri");
    const off = await dp.getData({
      flyteUrl: "flyte://v1/flytesnacks/development/data/n1/o/v",
    });
    assert(off.data.case === "literal");
    await sb.services.admin.createWorkflowEvent({
      event: {
        executionId: execId,
        phase: 4, // SUCCEEDED
        occurredAt: timestampFromDate(new Date()),
        outputResult: { case: "outputData", value: inline },
      },
    });
    const execData = await c.getExecutionData({ id: execId });
    assertEquals(Object.keys(execData.fullOutputs?.literals ?? {}), ["v"]);
    assert(execData.outputs?.url.startsWith("http://"));
    // REST: GET /api/v1/data?flyte_url=
    const rest = await fetch(
      `${sb.endpoint}/api/v1/data?flyte_url=${
        encodeURIComponent("flyte://v1/flytesnacks/development/data/n0/o/v")
      }`,
    );
    const body = await rest.json();
    assertEquals(body.literal.scalar.primitive.integer, "4");
  } finally {
    await sb.close();
  }
});

Deno.test("signals: GetOrCreateSignal, ListSignals and SetSignal with type checks", async () => {
  const sb = await freshSandbox();
  try {
    const t = createGrpcTransport({ baseUrl: sb.endpoint });
    const c = createClient(AdminService, t);
    const sig = createClient(SignalService, t);
    await registerChain(c);
    await launchChain(c, "gated");
    const execId = { project: PROJECT, domain: DOMAIN, name: "gated" };
    const intType = create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.INTEGER },
    });
    const s1 = await sb.services.signals.getOrCreateSignal({
      id: { executionId: execId, signalId: "approve-me" },
      type: intType,
    });
    assertEquals(s1.value, undefined);
    const again = await sb.services.signals.getOrCreateSignal({
      id: { executionId: execId, signalId: "approve-me" },
      type: intType,
    });
    assertEquals(again.id?.signalId, "approve-me");
    const list = await sig.listSignals({
      workflowExecutionId: execId,
      limit: 10,
    });
    assertEquals(list.signals.length, 1);
    const wrongType = await assertRejects(
      () =>
        sig.setSignal({
          id: { executionId: execId, signalId: "approve-me" },
          value: {
            value: {
              case: "scalar",
              value: {
                value: {
                  case: "primitive",
                  value: { value: { case: "stringValue", value: "no" } },
                },
              },
            },
          },
        }),
      ConnectError,
    );
    assertEquals(wrongType.code, Code.InvalidArgument);
    const unknown = await assertRejects(
      () =>
        sig.setSignal({
          id: { executionId: execId, signalId: "nope" },
          value: intLiteral(1),
        }),
      ConnectError,
    );
    assertEquals(unknown.code, Code.NotFound);
    await sig.setSignal({
      id: { executionId: execId, signalId: "approve-me" },
      value: intLiteral(7),
    });
    const set = await sb.services.signals.getOrCreateSignal({
      id: { executionId: execId, signalId: "approve-me" },
      type: intType,
    });
    assertEquals(set.value?.value.case, "scalar");
    // REST: POST /api/v1/signals and GET /api/v1/signals/{p}/{d}/{n}
    const rest = await fetch(
      `${sb.endpoint}/api/v1/signals/${PROJECT}/${DOMAIN}/gated?limit=5`,
    );
    const body = await rest.json();
    assertEquals(body.signals[0].id.signal_id, "approve-me");
  } finally {
    await sb.close();
  }
});

Deno.test("data proxy: deck links and flyte://.../d resolve to signed URLs of the node's deck", async () => {
  const sb = await freshSandbox();
  try {
    const t = createGrpcTransport({ baseUrl: sb.endpoint });
    const c = createClient(AdminService, t);
    const dp = createClient(DataProxyService, t);
    await registerChain(c);
    await launchChain(c, "decked");
    const loc = await dp.createUploadLocation({
      project: PROJECT,
      domain: DOMAIN,
      filenameRoot: "decks",
      filename: "deck.html",
    });
    const html = new TextEncoder().encode("<html>deck</html>");
    const put = await fetch(loc.signedUrl, { method: "PUT", body: html });
    await put.body?.cancel();
    const execId = { project: PROJECT, domain: DOMAIN, name: "decked" };
    await sb.services.admin.createNodeEvent({
      event: {
        id: { executionId: execId, nodeId: "n0" },
        phase: NodeExecution_Phase.SUCCEEDED,
        occurredAt: timestampFromDate(new Date()),
        deckUri: loc.nativeUrl,
      },
    });
    const link = await dp.createDownloadLink({
      artifactType: 1,
      source: {
        case: "nodeExecutionId",
        value: { executionId: execId, nodeId: "n0" },
      },
    });
    const got = await fetch(link.preSignedUrls!.signedUrl[0]);
    assertEquals(new Uint8Array(await got.arrayBuffer()), html);
    const viaData = await dp.getData({
      flyteUrl: "flyte://v1/flytesnacks/development/decked/n0/d",
    });
    assert(viaData.data.case === "preSignedUrls");
    const again = await fetch(viaData.data.value.signedUrl[0]);
    assertEquals(await again.text(), "<html>deck</html>");
    const noDeck = await assertRejects(
      () =>
        dp.createDownloadLink({
          artifactType: 1,
          source: {
            case: "nodeExecutionId",
            value: { executionId: execId, nodeId: "n7" },
          },
        }),
      ConnectError,
    );
    assertEquals(noDeck.code, Code.NotFound);
  } finally {
    await sb.close();
  }
});
