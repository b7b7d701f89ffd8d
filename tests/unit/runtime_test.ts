/**
 * The task container's entry point, run as a process the way the engine
 * and a cluster run it: outputs.pb on success; error.pb with the right kind
 * (USER for the task's errors, SYSTEM for a tampered bundle, a missing task
 * or a runtime version mismatch) and recoverable flag; exit codes.
 */
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { fromBinary } from "@bufbuild/protobuf";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
} from "@flyteidl/core/errors_pb.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { buildBundle } from "../../src/bundle/bundle.ts";
import { bundleModule } from "../../src/bundle/capture_module.ts";
import { readZip, writeZip } from "../../src/bundle/zip.ts";
import { decodeValues, encodeValues, t } from "../../src/types/mod.ts";
import { repoRoot } from "../helpers/paths.ts";

const PROGRAM = `
import { registerCaptured, typeFromJson } from "${repoRoot}/src/bundle/cell_support.ts";
const int = typeFromJson('{"simple":"INTEGER"}');
registerCaptured("rt.add", ({ a, b }) => a + b, { a: int, b: int }, { o0: int });
registerCaptured("rt.flaky", () => { throw Object.assign(new Error("try again"), { recoverable: true }); }, {}, { o0: int });
registerCaptured("rt.file", async () => (await Deno.readTextFile("data/n.txt")).trim().length, {}, { o0: int });
`;

async function setup(dir: string) {
  await Deno.writeTextFile(`${dir}/prog.ts`, PROGRAM);
  const program = await bundleModule(`${dir}/prog.ts`, {
    config: `${repoRoot}/deno.json`,
  });
  const b = buildBundle({
    program,
    tasks: ["rt.add", "rt.file", "rt.flaky"],
    files: [{ path: "data/n.txt", data: new TextEncoder().encode("four\n") }],
  });
  await Deno.writeFile(`${dir}/${b.fileName}`, b.bytes);
  await Deno.writeFile(
    `${dir}/inputs.pb`,
    encodeValues({ a: 2, b: 3 }, { a: t.int, b: t.int }),
  );
  return b;
}

async function run(dir: string, task: string, bundle: string, out: string) {
  await Deno.mkdir(`${dir}/work-${out}`, { recursive: true });
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${repoRoot}/deno.json`,
      `${repoRoot}/src/runtime/main.ts`,
      "--task",
      task,
      "--inputs",
      `file://${dir}/inputs.pb`,
      "--output-prefix",
      `file://${dir}/${out}`,
      "--raw-output-data-prefix",
      `file://${dir}/raw`,
      "--bundle",
      `file://${dir}/${bundle}`,
    ],
    cwd: `${dir}/work-${out}`,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

async function errorDoc(path: string) {
  return fromBinary(ErrorDocumentSchema, await Deno.readFile(path)).error!;
}

Deno.test("runtime: runs a task from a bundle and writes outputs.pb; failures write error.pb", async () => {
  const dir = await Deno.makeTempDir({ prefix: "runtime-" });
  try {
    const b = await setup(dir);
    let r = await run(dir, "rt.add", b.fileName, "ok");
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      decodeValues(await Deno.readFile(`${dir}/ok/outputs.pb`), { o0: t.int }),
      { o0: 5 },
    );

    // The task's working directory is the unpacked bundle (its files).
    r = await run(dir, "rt.file", b.fileName, "file");
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      decodeValues(await Deno.readFile(`${dir}/file/outputs.pb`), {
        o0: t.int,
      }),
      { o0: 4 },
    );

    r = await run(dir, "rt.flaky", b.fileName, "flaky");
    assertEquals(r.code, 0, r.stderr);
    let e = await errorDoc(`${dir}/flaky/error.pb`);
    assertEquals(e.origin, ExecutionError_ErrorKind.USER);
    assertEquals(e.kind, ContainerError_Kind.RECOVERABLE);
    assertStringIncludes(e.message, "try again");

    r = await run(dir, "rt.nope", b.fileName, "missing");
    e = await errorDoc(`${dir}/missing/error.pb`);
    assertEquals(e.origin, ExecutionError_ErrorKind.SYSTEM);
    assertEquals(e.code, "SYSTEM:TaskNotFound");
    assertStringIncludes(e.message, "rt.add, rt.flaky, rt.file");

    // Tampered after upload: same name, other bytes.
    const files = readZip(b.bytes);
    const tampered = writeZip(
      Object.entries(files).map(([path, data]) => ({
        path,
        data: path === "main.js"
          ? new TextEncoder().encode("globalThis.pwned = 1;")
          : data,
      })),
    );
    await Deno.mkdir(`${dir}/tampered`);
    await Deno.writeFile(`${dir}/tampered/${b.fileName}`, tampered);
    r = await run(dir, "rt.add", `tampered/${b.fileName}`, "tampered-out");
    assertEquals(r.code, 0, r.stderr);
    e = await errorDoc(`${dir}/tampered-out/error.pb`);
    assertEquals(e.origin, ExecutionError_ErrorKind.SYSTEM);
    assertEquals(e.code, "SYSTEM:BundleIntegrity");
    assertEquals(e.kind, ContainerError_Kind.NON_RECOVERABLE);
    assertStringIncludes(e.message, "as its name says");

    // Built for another runtime version.
    const manifest = JSON.parse(
      new TextDecoder().decode(files["manifest.json"]),
    );
    manifest.runtimeVersion = "flyte-deno-runtime/0";
    const other = writeZip(
      Object.entries(files).map(([path, data]) => ({
        path,
        data: path === "manifest.json"
          ? new TextEncoder().encode(JSON.stringify(manifest))
          : data,
      })),
    );
    await Deno.writeFile(`${dir}/other.zip`, other);
    r = await run(dir, "rt.add", "other.zip", "version");
    e = await errorDoc(`${dir}/version/error.pb`);
    assertEquals(e.code, "SYSTEM:RuntimeVersion");
    assertStringIncludes(e.message, "flyte-deno-runtime/0");

    // Bad arguments: exit 2, nothing written.
    const bad = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        `${repoRoot}/deno.json`,
        `${repoRoot}/src/runtime/main.ts`,
        "--task",
      ],
      stderr: "piped",
    }).output();
    assertEquals(bad.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("runtime args: flags in any order, --array-item, missing and unknown flags named", async () => {
  const { parseRuntimeArgs } = await import("../../src/runtime/args.ts");
  const base = [
    "--task",
    "m.t",
    "--inputs",
    "i",
    "--output-prefix",
    "o",
    "--raw-output-data-prefix",
    "r",
  ];
  const a = parseRuntimeArgs([
    "flyte-deno-runtime",
    ...base,
    "--array-item",
    "--bundle",
    "b",
  ]);
  assertEquals([a.task, a.bundle, a.arrayItem], ["m.t", "b", true]);
  assertEquals(
    parseRuntimeArgs([...base, "--bundle", "b"]).arrayItem,
    undefined,
  );
  let e = (() => {
    try {
      parseRuntimeArgs(base);
    } catch (err) {
      return err as Error;
    }
  })();
  assertStringIncludes(e!.message, "--bundle");
  e = (() => {
    try {
      parseRuntimeArgs([...base, "--bundle", "b", "--nope", "x"]);
    } catch (err) {
      return err as Error;
    }
  })();
  assertStringIncludes(e!.message, "--nope");
});
