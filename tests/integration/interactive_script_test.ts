/**
 * Scripts and the size cap, through interactive mode on the sandbox:
 * a script that defines a task and executes it at its top level (under
 * `import.meta.main`) runs its main block once, never again inside the task;
 * a task whose bundle would be 151 MB is refused before anything is
 * uploaded or registered.
 */
import {
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { FlyteEntityNotExistError } from "../../src/client/mod.ts";
import { BundleTooLargeError } from "../../src/bundle/errors.ts";
import { repoRoot } from "../helpers/paths.ts";

Deno.test("interactive: a script executing its own task at top level runs once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-script-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${repoRoot}/tests/fixtures/interactive/script.ts`],
      cwd: repoRoot,
      env: { MARKER: `${dir}/marker`, ENDPOINT: sb.endpoint },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout);
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const result = JSON.parse(out.trim().split("\n").pop()!);
    assertEquals(result.phase, "SUCCEEDED", result.error);
    // The task saw one line: the script's own run, not a second one from the container.
    assertEquals(result.o0, 1);
    assertEquals(await Deno.readTextFile(`${dir}/marker`), "main\n");
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("interactive: a 151 MB bundle is refused before any upload or registration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-big-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await Deno.mkdir(`${dir}/code`);
    const big = await Deno.open(`${dir}/code/weights.bin`, {
      write: true,
      create: true,
    });
    await big.truncate(151 * 1024 * 1024);
    big.close();
    await Deno.writeTextFile(
      `${dir}/code/big.ts`,
      `import { t, task } from "${repoRoot}/mod.ts";
export const big = task({ name: "big.task", outputs: t.int, files: ["weights.bin"] }, () => 1);
`,
    );
    const { big: def } = await import(`file://${dir}/code/big.ts`);
    const e = await assertRejects(
      () => remote.execute(def, {}, { wait: true }),
      BundleTooLargeError,
    );
    assertStringIncludes(e.message, "weights.bin (151.0 MiB)");
    assertStringIncludes(e.message, "150.0 MiB limit");
    await assertRejects(
      () => remote.fetchTask("big.task"),
      FlyteEntityNotExistError,
    );
    // Nothing reached the blob store's upload area.
    const uploads = `${dir}/data/blobs/uploads`;
    const exists = await Deno.stat(uploads).then(() => true, () => false);
    assertEquals(exists, false);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("interactive: fastPackage packs a folder deterministically and uploads it named by its digest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-fast-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await Deno.mkdir(`${dir}/code/sub`, { recursive: true });
    await Deno.writeTextFile(`${dir}/code/flows.ts`, "export const x = 1;\n");
    await Deno.writeTextFile(`${dir}/code/sub/data.csv`, "a,b\n1,2\n");
    await Deno.writeTextFile(`${dir}/code/.flyteignore`, "*.tmp\n");
    await Deno.writeTextFile(`${dir}/code/scratch.tmp`, "no");
    const pkg = await (await remote.interactive()).fastPackage(`${dir}/code`);
    assertEquals(pkg.files.map((f) => f.path), [
      ".flyteignore",
      "flows.ts",
      "sub/data.csv",
    ]);
    assertStringIncludes(pkg.uri, `fast${pkg.sha256}.zip`);
    await remote.download(pkg.uri, `${dir}/back.zip`);
    const { sha256Hex } = await import("../../src/bundle/bundle.ts");
    assertEquals(sha256Hex(await Deno.readFile(`${dir}/back.zip`)), pkg.sha256);
    const again = await (await remote.interactive()).fastPackage(`${dir}/code`);
    assertEquals([again.sha256, again.uri], [pkg.sha256, pkg.uri]);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("interactive: a bundle another process uploaded is not uploaded again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-procs-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const probe = async (task: string, inputs: unknown) => {
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${repoRoot}/tests/fixtures/interactive/upload_probe.ts`,
        task,
        JSON.stringify(inputs),
      ],
      cwd: repoRoot,
      env: { ENDPOINT: sb.endpoint },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    return JSON.parse(
      new TextDecoder().decode(r.stdout).trim().split("\n").pop()!,
    );
  };
  try {
    const first = await probe("add", { a: 1, b: 2 });
    assertEquals([
      first.phase,
      first.outputs.o0,
      first.uploaded,
      first.registered,
    ], ["SUCCEEDED", 3, true, true]);
    // Another process, another task of the same module: same bundle, already stored.
    const second = await probe("greet", { who: "x" });
    assertEquals([second.phase, second.uploaded, second.registered], [
      "SUCCEEDED",
      false,
      true,
    ]);
    // And the first task again: registered already, nothing at all to do.
    const third = await probe("add", { a: 2, b: 2 });
    assertEquals([
      third.outputs.o0,
      third.version,
      third.uploaded,
      third.registered,
    ], [4, first.version, false, false]);
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("registerScript: the script's folder as a fast package, its workflow registered and run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interactive-regscript-" });
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    await Deno.mkdir(`${dir}/wf/lib`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/wf/lib/helper.ts`,
      `export const bump = (x: number) => x + 100;\n`,
    );
    await Deno.writeTextFile(`${dir}/wf/data.txt`, "seven\n");
    await Deno.writeTextFile(`${dir}/wf/.flyteignore`, "notes.md\n");
    await Deno.writeTextFile(`${dir}/wf/notes.md`, "not shipped");
    await Deno.writeTextFile(
      `${dir}/wf/flows.ts`,
      `import { t, task, workflow } from "${repoRoot}/mod.ts";
import { bump } from "./lib/helper.ts";
export const len = task({ name: "rs.len", inputs: { x: t.int }, outputs: t.int },
  ({ x }) => bump(x) + Deno.readTextFileSync("data.txt").trim().length);
export const wf = workflow({ name: "rs.wf", inputs: { x: t.int }, outputs: t.int }, ({ x }) => len({ x }));
if (import.meta.main) throw new Error("the main block must not run");
`,
    );
    const r1 = await (await remote.interactive()).registerScript(
      `${dir}/wf/flows.ts`,
    );
    assertEquals(r1.entities.map((e) => e.name).sort(), ["rs.len", "rs.wf"]);
    assertStringIncludes(r1.packageUri, `fast${r1.packageSha256}.zip`);
    const lp = r1.entities.find((e) => e.name === "rs.wf")!.registration
      .launchPlan!;
    const e = await remote.execute(lp, { x: 1 }, {
      wait: { pollInterval: 100 },
    });
    assertEquals(e.phase, "SUCCEEDED", e.error?.message);
    assertEquals(e.outputs.o0, 106);
    // Again: same package, same versions, nothing uploaded.
    const r2 = await (await remote.interactive()).registerScript(
      `${dir}/wf/flows.ts`,
      {
        entity: "rs.wf",
      },
    );
    assertEquals(r2.packageSha256, r1.packageSha256);
    assertEquals(
      r2.entities[0].registration.launchPlan?.id.version,
      lp.id.version,
    );
    assertEquals((await remote.interactive()).lastReport?.uploadedBytes, 0);
    // An ignored file changes nothing; a helper change gives new versions.
    await Deno.writeTextFile(`${dir}/wf/notes.md`, "still not shipped");
    const r3 = await (await remote.interactive()).registerScript(
      `${dir}/wf/flows.ts`,
      {
        entity: "rs.wf",
      },
    );
    assertEquals(r3.packageSha256, r1.packageSha256);
    await Deno.writeTextFile(
      `${dir}/wf/lib/helper.ts`,
      `export const bump = (x: number) => x + 200;\n`,
    );
    const r4 = await (await remote.interactive()).registerScript(
      `${dir}/wf/flows.ts`,
      {
        entity: "rs.wf",
      },
    );
    assertNotEquals(r4.packageSha256, r1.packageSha256);
    const lp4 = r4.entities[0].registration.launchPlan!;
    assertNotEquals(lp4.id.version, lp.id.version);
    const e4 = await remote.execute(lp4, { x: 1 }, {
      wait: { pollInterval: 100 },
    });
    assertEquals(e4.outputs.o0, 206);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
