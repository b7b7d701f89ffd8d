/**
 * src/bundle without a backend: deterministic zips (order, time zone),
 * path normalisation of `deno bundle` output, the 150 MiB cap with the five
 * biggest entries, versions, and unpacking that refuses tampered, escaping
 * and symlinked entries.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { Zip, ZipPassThrough } from "fflate";
import {
  buildBundle,
  MAX_BUNDLE_BYTES,
  sha256Hex,
} from "../../src/bundle/bundle.ts";
import { normaliseBundle } from "../../src/bundle/capture_module.ts";
import {
  BundleIntegrityError,
  BundleTooLargeError,
} from "../../src/bundle/errors.ts";
import { unpackBundle } from "../../src/bundle/unpack.ts";
import { taskVersion, workflowVersion } from "../../src/bundle/version.ts";
import { listZip, readZip, writeZip } from "../../src/bundle/zip.ts";
import { repoRoot } from "../helpers/paths.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** A zip with arbitrary names and Unix modes (what writeZip never makes). */
function rawZip(entries: { path: string; data: Uint8Array; mode: number }[]) {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, c) => {
    if (err) throw err;
    chunks.push(c);
  });
  for (const e of entries) {
    const f = new ZipPassThrough(e.path);
    Object.assign(f, {
      os: 3,
      attrs: e.mode << 16,
      mtime: new Date(1980, 0, 1),
    });
    zip.add(f);
    f.push(e.data, true);
  }
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), at += c.length);
  return out;
}

Deno.test("zip: sorted, fixed time and mode, same bytes in another time zone", async () => {
  const a = writeZip([{ path: "b.txt", data: enc("b") }, {
    path: "a.txt",
    data: enc("a"),
  }]);
  const b = writeZip([{ path: "a.txt", data: enc("a") }, {
    path: "b.txt",
    data: enc("b"),
  }]);
  assertEquals(sha256Hex(a), sha256Hex(b));
  assertEquals(listZip(a).map((e) => [e.path, e.mode]), [["a.txt", 0o100644], [
    "b.txt",
    0o100644,
  ]]);
  assertEquals(new TextDecoder().decode(readZip(a)["b.txt"]), "b");
  const code = `import { writeZip } from "${repoRoot}/src/bundle/zip.ts";
import { sha256Hex } from "${repoRoot}/src/bundle/bundle.ts";
const e = (s) => new TextEncoder().encode(s);
console.log(sha256Hex(writeZip([{ path: "a.txt", data: e("a") }, { path: "b.txt", data: e("b") }])));`;
  for (const tz of ["Pacific/Kiritimati", "America/Adak"]) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--config", `${repoRoot}/deno.json`, code],
      env: { TZ: tz },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    assertEquals(new TextDecoder().decode(r.stdout).trim(), sha256Hex(a), tz);
  }
});

Deno.test("normaliseBundle: no home, Deno cache or checkout paths survive", () => {
  const out = normaliseBundle([
    "// ../../home/alice/.cache/deno/npm/registry.npmjs.org/fflate/0.8.3/esm/index.mjs",
    "var a = 1;",
    "// ../../tmp/dd2/npm/registry.npmjs.org/fflate/0.8.3/esm/index.mjs",
    "// ../work/alice/project/src/helper.ts",
    "// node_modules/.deno/fflate@0.8.3/node_modules/fflate/esm/index.mjs",
    "var b = 2; // keep/this",
  ].join("\n"));
  assert(!/alice|dd2|\.cache|\.deno\//.test(out), out);
  assertStringIncludes(out, "// npm/fflate/0.8.3/esm/index.mjs\nvar a = 1;");
  assertStringIncludes(out, "// helper.ts");
  assertStringIncludes(out, "var b = 2; // keep/this");
});

Deno.test("bundle: 151 MB refused with its size and five biggest entries, before compressing", () => {
  const big = new Uint8Array(151 * 1024 * 1024);
  const files = [
    { path: "data/huge.bin", data: big },
    ...[1, 2, 3, 4, 5].map((i) => ({
      path: `small${i}.txt`,
      data: new Uint8Array(i * 10),
    })),
  ];
  const started = performance.now();
  const e = assertThrows(
    () => buildBundle({ program: "export {};", tasks: ["m.t"], files }),
    BundleTooLargeError,
  );
  assert(performance.now() - started < 60_000);
  assertEquals(e.limit, MAX_BUNDLE_BYTES);
  assert(e.size >= big.length);
  assertEquals(e.biggest.map((b) => b.path), [
    "data/huge.bin",
    "small5.txt",
    "small4.txt",
    "small3.txt",
    "small2.txt",
  ]);
  assertStringIncludes(e.message, "151.0 MiB");
  assertStringIncludes(e.message, "data/huge.bin");
  // Just under the cap is fine (a small limit keeps the test fast).
  buildBundle({
    program: "export {};",
    tasks: [],
    files: [{ path: "x.bin", data: new Uint8Array(1000) }],
    limit: 4000,
  });
  assertThrows(
    () =>
      buildBundle({
        program: "export {};",
        tasks: [],
        files: [{
          path: "x.bin",
          data: crypto.getRandomValues(new Uint8Array(5000)),
        }],
        limit: 4000,
      }),
    BundleTooLargeError,
  );
});

Deno.test("versions: 22 URL-safe characters; every input matters", () => {
  const base = {
    bundleSha256: "a".repeat(64),
    template: enc("tpl"),
    image: "img:1",
  };
  const v = taskVersion(base);
  assertMatch(v, /^[A-Za-z0-9_-]{22}$/);
  assertEquals(taskVersion({ ...base }), v);
  assertNotEquals(taskVersion({ ...base, bundleSha256: "b".repeat(64) }), v);
  assertNotEquals(taskVersion({ ...base, template: enc("tpm") }), v);
  assertNotEquals(taskVersion({ ...base, image: "img:2" }), v);
  assertNotEquals(taskVersion({ ...base, runtimeVersion: "other" }), v);
  assertNotEquals(
    workflowVersion(enc("w"), [v]),
    workflowVersion(enc("w"), [v + "x"]),
  );
});

Deno.test("unpack: a good bundle unpacks; tampered, escaping, symlinked and renamed ones are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bundle-unpack-" });
  try {
    const good = buildBundle({
      program: "export const x = 1;",
      tasks: ["m.t"],
      files: [{ path: "d/f.txt", data: enc("f") }],
    });
    const m = await unpackBundle(good.bytes, `${dir}/good`, {
      expectedSha256: good.sha256,
    });
    assertEquals(m.tasks, ["m.t"]);
    assertEquals(await Deno.readTextFile(`${dir}/good/d/f.txt`), "f");

    // The name promises another digest (changed after upload).
    await assertRejects(
      () =>
        unpackBundle(good.bytes, `${dir}/n`, {
          expectedSha256: "0".repeat(64),
        }),
      BundleIntegrityError,
      "as its name says",
    );

    // An entry changed, the manifest kept: digest mismatch names the entry.
    const files = readZip(good.bytes);
    const tampered = writeZip([
      { path: "main.js", data: enc("export const x = 2;") },
      { path: "d/f.txt", data: files["d/f.txt"] },
      { path: "manifest.json", data: files["manifest.json"] },
    ]);
    const e1 = await assertRejects(
      () => unpackBundle(tampered, `${dir}/t`),
      BundleIntegrityError,
    );
    assertEquals(e1.entry, "main.js");
    assertStringIncludes(e1.message, "the manifest says");

    // An entry that is not in the manifest.
    const extra = writeZip([
      ...Object.entries(files).map(([path, data]) => ({ path, data })),
      { path: "evil.js", data: enc("1") },
    ]);
    await assertRejects(
      () => unpackBundle(extra, `${dir}/x`),
      BundleIntegrityError,
      "not listed in the manifest",
    );

    // Entries escaping the folder.
    for (
      const path of ["../evil.js", "/etc/evil", "a/../../evil", "a\\..\\evil"]
    ) {
      const z = rawZip([{ path, data: enc("1"), mode: 0o100644 }, {
        path: "manifest.json",
        data: files["manifest.json"],
        mode: 0o100644,
      }]);
      const e = await assertRejects(
        () => unpackBundle(z, `${dir}/e`),
        BundleIntegrityError,
        "outside the bundle folder",
      );
      assertEquals(e.entry, path);
    }
    // A symlink entry.
    const link = rawZip([{
      path: "main.js",
      data: enc("/etc/passwd"),
      mode: 0o120777,
    }, {
      path: "manifest.json",
      data: files["manifest.json"],
      mode: 0o100644,
    }]);
    await assertRejects(
      () => unpackBundle(link, `${dir}/l`),
      BundleIntegrityError,
      "symlink",
    );
    // Nothing escaped.
    for (const p of [`${dir}/evil.js`, `${dir}/e`]) {
      await assertRejects(() => Deno.stat(p), Deno.errors.NotFound);
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
