/**
 * The sandbox's S3 face driven by the AWS SDK for JavaScript, as any S3
 * client would: put/get (ranges too), head, list (prefix, delimiter,
 * continuation), copy, multipart, delete one and many; a wrong secret, an
 * unsigned request and a foreign Host are refused; objects are the same
 * files the sandbox hands out as `s3://` native URLs.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { presign } from "../../src/sandbox/s3/sigv4.ts";
import type { SandboxHandle } from "../../src/sandbox/mod.ts";

function client(sb: SandboxHandle, secret = sb.s3.secretAccessKey): S3Client {
  return new S3Client({
    endpoint: sb.s3.endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: sb.s3.accessKeyId, secretAccessKey: secret },
  });
}

async function withSandbox(fn: (sb: SandboxHandle) => Promise<void>) {
  const sb = await startSandbox({
    port: 0,
    dataDir: await Deno.makeTempDir({ prefix: "s3-sdk-" }),
    launcher: null,
  });
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("s3 face: AWS SDK put, get, range, head, copy, list, delete", async () => {
  await withSandbox(async (sb) => {
    const s3 = client(sb);
    const Bucket = sb.s3.bucket;
    assertEquals(Bucket, "my-s3-bucket");
    const buckets = await s3.send(new ListBucketsCommand({}));
    assertEquals(buckets.Buckets?.map((b) => b.Name), ["my-s3-bucket"]);
    await s3.send(new HeadBucketCommand({ Bucket }));

    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: "dir/a b+c.txt",
        Body: text("hello s3"),
      }),
    );
    assertEquals(
      put.ETag,
      `"${createHash("md5").update("hello s3").digest("hex")}"`,
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket, Key: "dir/a b+c.txt" }),
    );
    assertEquals(await got.Body!.transformToString(), "hello s3");
    assertEquals(got.ETag, put.ETag);
    const part = await s3.send(
      new GetObjectCommand({ Bucket, Key: "dir/a b+c.txt", Range: "bytes=6-" }),
    );
    assertEquals(await part.Body!.transformToString(), "s3");
    assertEquals(part.ContentRange, "bytes 6-7/8");
    const head = await s3.send(
      new HeadObjectCommand({ Bucket, Key: "dir/a b+c.txt" }),
    );
    assertEquals(head.ContentLength, 8);
    // The same file the sandbox's own blob store reads.
    assertEquals(sb.services.storage.mounts[Bucket], sb.services.blobRoot);
    assertEquals(
      Deno.readTextFileSync(`${sb.services.blobRoot}/dir/a b+c.txt`),
      "hello s3",
    );

    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: "dir/sub/copy.txt",
        CopySource: `${Bucket}/${encodeURIComponent("dir/a b+c.txt")}`,
      }),
    );
    for (let i = 0; i < 5; i++) {
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: `many/k${i}`,
          Body: text(String(i)),
        }),
      );
    }
    const top = await s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: "dir/", Delimiter: "/" }),
    );
    assertEquals(top.Contents?.map((c) => c.Key), ["dir/a b+c.txt"]);
    assertEquals(top.CommonPrefixes?.map((p) => p.Prefix), ["dir/sub/"]);
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket,
          Prefix: "many/",
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    assertEquals(keys, ["many/k0", "many/k1", "many/k2", "many/k3", "many/k4"]);
    assertEquals(pages, 3);

    await s3.send(new DeleteObjectCommand({ Bucket, Key: "dir/sub/copy.txt" }));
    const del = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );
    assertEquals(del.Deleted?.length, 5);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket }));
    assertEquals(rest.Contents?.map((c) => c.Key), ["dir/a b+c.txt"]);
    const missing = await assertRejects(
      () => s3.send(new GetObjectCommand({ Bucket, Key: "many/k0" })),
      S3ServiceException,
    );
    assertEquals(missing.name, "NoSuchKey");
  });
});

Deno.test("s3 face: a streamed body goes aws-chunked with a CRC32 trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER) and round trips", async () => {
  await withSandbox(async (sb) => {
    const s3 = client(sb);
    const Bucket = sb.s3.bucket;
    const data = new Uint8Array(3 * 1024 * 1024 + 7);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const sent: Record<string, string>[] = [];
    s3.middlewareStack.add(
      (next) => (args) => {
        sent.push({
          ...((args as unknown as {
            request: { headers: Record<string, string> };
          })
            .request.headers),
        });
        return next(args);
      },
      { step: "finalizeRequest", priority: "low" } as never,
    );
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: "streamed.bin",
        Body: Readable.from([
          data.subarray(0, 1_000_000),
          data.subarray(1_000_000),
        ]),
        ContentLength: data.length,
      }),
    );
    assertEquals(
      sent[0]["x-amz-content-sha256"],
      "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    );
    assertEquals(sent[0]["x-amz-trailer"], "x-amz-checksum-crc32");
    const got = await s3.send(
      new GetObjectCommand({ Bucket, Key: "streamed.bin" }),
    );
    assertEquals(await got.Body!.transformToByteArray(), data);
  });
});

Deno.test("s3 face: listings in S3's key order; start-after; a bad max-keys is an InvalidArgument naming it", async () => {
  await withSandbox(async (sb) => {
    const s3 = client(sb);
    const Bucket = sb.s3.bucket;
    for (const Key of ["order/a/b", "order/a.txt", "order/a-c", "order/z"]) {
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: text(Key) }));
    }
    const all = await s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: "order/" }),
    );
    // UTF-8 byte order of whole keys: '-' < '.' < '/'.
    assertEquals(all.Contents?.map((c) => c.Key), [
      "order/a-c",
      "order/a.txt",
      "order/a/b",
      "order/z",
    ]);
    const rolled = await s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: "order/a", Delimiter: "/" }),
    );
    assertEquals(rolled.Contents?.map((c) => c.Key), [
      "order/a-c",
      "order/a.txt",
    ]);
    assertEquals(rolled.CommonPrefixes?.map((p) => p.Prefix), ["order/a/"]);
    const after = await s3.send(
      new ListObjectsV2Command({
        Bucket,
        Prefix: "order/",
        StartAfter: "order/a.txt",
      }),
    );
    assertEquals(after.Contents?.map((c) => c.Key), ["order/a/b", "order/z"]);
    const url = presign(
      "GET",
      new URL(`${sb.s3.endpoint}/${Bucket}?list-type=2&max-keys=lots`),
      sb.s3,
      60,
    );
    const res = await fetch(url);
    assertEquals(res.status, 400);
    const body = await res.text();
    assert(body.includes("<Code>InvalidArgument</Code>"), body);
    assert(body.includes("<ArgumentName>max-keys</ArgumentName>"), body);
    assert(body.includes("<ArgumentValue>lots</ArgumentValue>"), body);
  });
});

Deno.test("s3 face: AWS SDK multipart upload (create, parts, complete, abort)", async () => {
  await withSandbox(async (sb) => {
    const s3 = client(sb);
    const Bucket = sb.s3.bucket;
    const Key = "big/multi.bin";
    const partSize = 5 * 1024 * 1024;
    const parts = [0, 1, 2].map((i) =>
      new Uint8Array(i === 2 ? 1234 : partSize).fill(65 + i)
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key }),
    );
    const done = [];
    for (const [i, Body] of parts.entries()) {
      const r = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body,
        }),
      );
      done.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    const fin = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: done },
      }),
    );
    assert(fin.ETag?.endsWith('-3"'), `multipart ETag ${fin.ETag}`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const bytes = await got.Body!.transformToByteArray();
    assertEquals(bytes.length, 2 * partSize + 1234);
    assertEquals([bytes[0], bytes[partSize], bytes[bytes.length - 1]], [
      65,
      66,
      67,
    ]);

    const second = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: "big/aborted" }),
    );
    await s3.send(
      new UploadPartCommand({
        Bucket,
        Key: "big/aborted",
        UploadId: second.UploadId,
        PartNumber: 1,
        Body: text("x"),
      }),
    );
    await s3.send(
      new AbortMultipartUploadCommand({
        Bucket,
        Key: "big/aborted",
        UploadId: second.UploadId,
      }),
    );
    const gone = await assertRejects(
      () =>
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: "big/aborted",
            UploadId: second.UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
          }),
        ),
      S3ServiceException,
    );
    assertEquals(gone.name, "NoSuchUpload");
    const bad = await assertRejects(
      () =>
        s3.send(
          new UploadPartCommand({
            Bucket,
            Key,
            UploadId: "0".repeat(32),
            PartNumber: 0,
            Body: text("x"),
          }),
        ),
      S3ServiceException,
    );
    assertEquals(bad.name, "InvalidArgument");
    assert(bad.message.includes("Part number"), bad.message);
  });
});

Deno.test("s3 face: a wrong secret, no signature and a foreign Host are refused", async () => {
  await withSandbox(async (sb) => {
    const Bucket = sb.s3.bucket;
    await client(sb).send(
      new PutObjectCommand({ Bucket, Key: "k", Body: text("v") }),
    );
    const wrong = await assertRejects(
      () =>
        client(sb, "not-the-secret").send(
          new GetObjectCommand({ Bucket, Key: "k" }),
        ),
      S3ServiceException,
    );
    assertEquals(wrong.name, "SignatureDoesNotMatch");
    assertEquals(wrong.$metadata.httpStatusCode, 403);
    const wrongPut = await assertRejects(
      () =>
        client(sb, "not-the-secret").send(
          new PutObjectCommand({ Bucket, Key: "k2", Body: text("v") }),
        ),
      S3ServiceException,
    );
    assertEquals(wrongPut.name, "SignatureDoesNotMatch");
    const anon = await fetch(`${sb.s3.endpoint}/${Bucket}/k`);
    assertEquals(anon.status, 403);
    const body = await anon.text();
    assert(body.includes("<Code>AccessDenied</Code>"), body);
    // DNS rebinding: a hostile name for 127.0.0.1 gets the guard's 403.
    const port = sb.s3.port;
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(
      text(
        `GET /${Bucket}/k HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const reply = new TextDecoder().decode(
      (await new Response(conn.readable).arrayBuffer()) as ArrayBuffer,
    );
    assert(reply.startsWith("HTTP/1.1 403"), reply.slice(0, 200));
    assert(reply.includes("evil.example"), reply);
    const missingBucket = await assertRejects(
      () =>
        client(sb).send(new GetObjectCommand({ Bucket: "other", Key: "k" })),
      S3ServiceException,
    );
    assertEquals(missingBucket.name, "NoSuchBucket");
  });
});
