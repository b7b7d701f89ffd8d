/**
 * A dataset's first rows against the sandbox: Parquet (written here with
 * hyparquet-writer) read through HTTP Range requests without fetching the
 * whole file, and the blob server's Range answers.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { parquetWriteBuffer } from "hyparquet-writer";
import { DataTransfer, FlyteData } from "../../src/data/mod.ts";
import { FlyteInvalidInputError } from "../../src/client/mod.ts";
import { StructuredDataset } from "../../src/types/mod.ts";
import { withDataRemote } from "./data_fixtures.ts";

function table(rows: number): Uint8Array {
  const ids = Array.from({ length: rows }, (_, i) => i);
  return new Uint8Array(parquetWriteBuffer({
    columnData: [
      { name: "id", data: new Int32Array(ids) },
      { name: "label", data: ids.map((i) => `row-${i}-${"x".repeat(i % 50)}`) },
    ],
    rowGroupSize: 10_000,
  }));
}

Deno.test("data dataset: Parquet head reads the footer and first row group only", async () => {
  await withDataRemote(async (remote) => {
    const bytes = table(300_000);
    assert(bytes.length > 2_500_000, `${bytes.length} bytes`);
    const dir = await remote.data.uploadDirectory({ "part-0.parquet": bytes });
    const sd = new StructuredDataset(dir.uri, { format: "parquet" });
    const want = [{ id: 0, label: "row-0-" }, { id: 1, label: "row-1-x" }];
    assertEquals(await remote.data(sd).head(2), want);

    let fetched = 0;
    const counting: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      const body = new Uint8Array(await res.arrayBuffer());
      if (new Headers(init?.headers).has("range")) fetched += body.length;
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const signed = new DataTransfer(remote.services, counting, {
      readLocal: false,
    });
    assertEquals(await new FlyteData(signed, sd).head(2), want);
    assert(
      fetched > 0 && fetched < bytes.length / 4,
      `fetched ${fetched} of ${bytes.length}`,
    );

    // A file named .parquet that is not Parquet: an error naming it.
    const bad = await remote.upload("not parquet at all", {
      name: "x.parquet",
    });
    await assertRejects(
      () => remote.data(bad).head(1),
      FlyteInvalidInputError,
      `[${bad.uri}] cannot be read as Parquet`,
    );
    // A format head() does not read.
    const png = await remote.upload(new Uint8Array(4), { name: "x.png" });
    await assertRejects(
      () => remote.data(png).head(1),
      FlyteInvalidInputError,
      "CSV, JSON lines or Parquet, not format [png]",
    );
  });
});

Deno.test("data dataset: the blob server answers byte ranges", async () => {
  await withDataRemote(async (remote) => {
    const f = await remote.upload("0123456789", { name: "digits.txt" });
    const { signedUrl } = await remote.services.dataProxy
      .createDownloadLocation({ nativeUrl: f.uri });
    const get = async (range: string) => {
      const res = await fetch(signedUrl, { headers: { range } });
      return [res.status, res.headers.get("content-range"), await res.text()];
    };
    assertEquals(await get("bytes=2-4"), [206, "bytes 2-4/10", "234"]);
    assertEquals(await get("bytes=7-"), [206, "bytes 7-9/10", "789"]);
    assertEquals(await get("bytes=-3"), [206, "bytes 7-9/10", "789"]);
    assertEquals(await get("bytes=20-30"), [416, "bytes */10", ""]);
    const r = await new DataTransfer(remote.services, fetch, {
      readLocal: false,
    }).openRanges(f.uri);
    assertEquals(r.byteLength, 10);
    assertEquals(new TextDecoder().decode(await r.slice(3, 6)), "345");
  });
});
