import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import {
  BlobKeyError,
  BlobStore,
  SignedUrlError,
} from "../../src/sandbox/blobs/store.ts";
import { parseFilters } from "../../src/sandbox/store/query.ts";

Deno.test("blob store: keys can never leave the store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "blobs-" });
  try {
    const blobs = BlobStore.open(dir);
    for (
      const key of [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "a//b",
        "a/./b",
        "a\\b",
        "",
        "a\0b",
      ]
    ) {
      assertThrows(() => blobs.pathOf(key), BlobKeyError);
    }
    assertThrows(() => blobs.keyOf("file:///etc/passwd"), BlobKeyError);
    assertThrows(
      () => blobs.keyOf(`file://${dir}/blobs/../blob-secret`),
      BlobKeyError,
    );
    assertThrows(() => blobs.keyOf("s3://bucket/key"), BlobKeyError);
    assertThrows(
      () => blobs.keyOf("s3://my-s3-bucket/a/../../x"),
      BlobKeyError,
    );
    blobs.write("a/b.txt", new TextEncoder().encode("hi"));
    assertEquals(blobs.nativeUrl("a/b.txt"), "s3://my-s3-bucket/a/b.txt");
    assertEquals(blobs.keyOf(blobs.nativeUrl("a/b.txt")), "a/b.txt");
    // file:// URLs of older data directories stay readable.
    assertEquals(blobs.keyOf(blobs.fileUrl("a/b.txt")), "a/b.txt");
    // The plain-path form tasks see (engine/local_refs.ts), with the same rules.
    assertEquals(blobs.keyOf(blobs.pathOf("a/b.txt")), "a/b.txt");
    assertThrows(() => blobs.keyOf("/etc/passwd"), BlobKeyError);
    assertThrows(
      () => blobs.keyOf(`${dir}/blobs/../blob-secret`),
      BlobKeyError,
    );
    assertThrows(() => blobs.keyOf("relative/path"), BlobKeyError);
    assertEquals(new TextDecoder().decode(blobs.read("a/b.txt")), "hi");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("blob store: signatures bind method, key, expiry and md5, and survive a reopen", async () => {
  const dir = await Deno.makeTempDir({ prefix: "blobs-" });
  try {
    const blobs = BlobStore.open(dir);
    blobs.baseUrl = "http://127.0.0.1:1";
    const url = new URL(
      blobs.signedUrl("PUT", "k/v.bin", new Date(Date.now() + 60_000), "bWQ1"),
    );
    assertEquals(blobs.verify("PUT", url.pathname, url.searchParams), {
      key: "k/v.bin",
      md5: "bWQ1",
    });
    const reopened = BlobStore.open(dir);
    assertEquals(
      reopened.verify("PUT", url.pathname, url.searchParams).key,
      "k/v.bin",
    );
    const tamper = (name: string, value: string) => {
      const q = new URLSearchParams(url.searchParams);
      q.set(name, value);
      return q;
    };
    const refused = (method: string, path: string, q: URLSearchParams) => {
      const e = assertThrows(
        () => blobs.verify(method, path, q),
        SignedUrlError,
      );
      assert(e.status >= 400 && e.status < 500);
      return e;
    };
    refused("GET", url.pathname, url.searchParams);
    refused("PUT", url.pathname.replace("v.bin", "w.bin"), url.searchParams);
    refused("PUT", url.pathname, tamper("md5", ""));
    refused(
      "PUT",
      url.pathname,
      tamper("expires", String(Number(url.searchParams.get("expires")) + 1)),
    );
    refused("PUT", url.pathname, tamper("signature", "x"));
    refused("PUT", "/sandbox/blobs/%2e%2e/blob-secret", url.searchParams);
    const old = new URL(
      blobs.signedUrl("GET", "k/v.bin", new Date(Date.now() - 5000)),
    );
    const e = refused("GET", old.pathname, old.searchParams);
    assert(e.message.includes("expired"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("list filters: FlyteAdmin syntax parses to SQL; bad expressions name the problem", () => {
  const cols = {
    name: { col: "name", kind: "text" as const },
    phase: {
      col: "phase",
      kind: "enum" as const,
      values: { RUNNING: 2, SUCCEEDED: 4 },
    },
    created_at: { col: "created_at", kind: "time" as const },
  };
  const w = parseFilters(
    "eq(execution.name,a)+value_in(phase,RUNNING;4)+gte(created_at,2026-01-01T00:00:00Z)",
    cols,
    "execution",
  );
  assertEquals(
    w.sql,
    "(name = ?) AND (phase IN (?,?)) AND (created_at >= ?)",
  );
  assertEquals(w.params, ["a", 2, 4, "2026-01-01T00:00:00.000Z"]);
  for (
    const [bad, text] of [
      ["eq(name)", "fn(key,value)"],
      ["like(name,a)", "like"],
      ["eq(color,red)", "color"],
      ["eq(phase,BOGUS)", "BOGUS"],
      ["gt(created_at,yesterday)", "timestamp"],
    ]
  ) {
    const e = assertThrows(() => parseFilters(bad, cols, "execution"));
    assert(
      (e as Error).message.includes(text),
      `${(e as Error).message} lacks ${text}`,
    );
  }
});
