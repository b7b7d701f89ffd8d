/**
 * fastPackage: a directory packed deterministically with .gitignore /
 * .flyteignore / .dockerignore (nested ones too) and default rules; the same
 * content gives the same digest whatever the times; a change gives another;
 * the runtime's unpacker accepts it.
 */
import {
  assertEquals,
  assertNotEquals,
  assertRejects,
} from "../helpers/assert.ts";
import { fastPackage } from "../../src/bundle/fast_package.ts";
import { BundleTooLargeError, CaptureError } from "../../src/bundle/errors.ts";
import { unpackBundle } from "../../src/bundle/unpack.ts";

async function tree(dir: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    const path = `${dir}/${p}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
}

Deno.test("fastPackage: ignore rules, determinism, digest, symlinks, cap", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fast-package-" });
  try {
    await tree(dir, {
      "flows.ts": "export const x = 1;",
      "lib/util.ts": "export const y = 2;",
      "lib/.gitignore": "generated/\n",
      "lib/generated/out.ts": "x",
      "run.log": "log",
      "build/a.js": "a",
      "keep.log": "kept by negation",
      "secret.txt": "s",
      ".gitignore": "*.log\n!keep.log\nbuild/\n",
      ".flyteignore": "secret.txt\n",
      "node_modules/pkg/index.js": "m",
      ".git/HEAD": "ref",
    });
    await Deno.symlink(`${dir}/lib/util.ts`, `${dir}/link.ts`);
    const a = await fastPackage(dir, { entry: "flows.ts", tasks: ["flows.x"] });
    assertEquals(a.files.map((f) => f.path), [
      ".flyteignore",
      ".gitignore",
      "flows.ts",
      "keep.log",
      "lib/.gitignore",
      "lib/util.ts",
      "link.ts",
    ]);
    // Same content, other times: same digest.
    await Deno.utime(`${dir}/flows.ts`, new Date(0), new Date(0));
    const b = await fastPackage(dir, { entry: "flows.ts", tasks: ["flows.x"] });
    assertEquals(b.sha256, a.sha256);
    assertEquals(b.fileName, `fast${a.sha256}.zip`);
    // One character changes it.
    await Deno.writeTextFile(`${dir}/lib/util.ts`, "export const y = 3;");
    const c = await fastPackage(dir, { entry: "flows.ts", tasks: ["flows.x"] });
    assertNotEquals(c.sha256, a.sha256);
    // The runtime's unpacker accepts it; the symlink became a plain file.
    const out = `${dir}-out`;
    const m = await unpackBundle(c.bytes, out, { expectedSha256: c.sha256 });
    assertEquals(m.entry, "flows.ts");
    assertEquals(
      await Deno.readTextFile(`${out}/link.ts`),
      "export const y = 3;",
    );
    assertEquals((await Deno.lstat(`${out}/link.ts`)).isSymlink, false);
    await Deno.remove(out, { recursive: true });
    // Options: more rules, an entry that must exist, the cap.
    const d = await fastPackage(dir, { ignore: ["lib/"] });
    assertEquals(d.files.some((f) => f.path.startsWith("lib/")), false);
    await assertRejects(
      () => fastPackage(dir, { entry: "nope.ts" }),
      CaptureError,
      "nope.ts",
    );
    await assertRejects(
      () => fastPackage(dir, { limit: 10 }),
      BundleTooLargeError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
