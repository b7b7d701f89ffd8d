/**
 * Regenerates the flyteidl TypeScript bindings in `proto/gen/` from the .proto
 * files of the pinned npm package @flyteorg/flyteidl, with the buf CLI and
 * protoc-gen-es from npm. Deterministic: the same inputs give the same bytes.
 *
 * Run with `deno task proto`. With `--check` it generates into a temporary
 * folder and exits non-zero when the result differs from the committed files.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as fs from "node:fs";
import * as os from "node:os";
import { Buffer } from "node:buffer";

const protoDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(protoDir);
const packages = ["admin", "core", "event", "service"];

/** Finds a file inside the npm packages Deno installed into node_modules. */
function npmPath(pkg: string, sub: string): string {
  const direct = join(root, "node_modules", pkg, sub);
  if (fs.existsSync(direct)) return direct;
  const store = join(root, "node_modules", ".deno");
  const prefix = pkg.replace("/", "+") + "@";
  for (const entry of fs.readdirSync(store)) {
    if (entry.startsWith(prefix)) {
      const candidate = join(store, entry, "node_modules", pkg, sub);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error(
    `cannot find ${pkg}/${sub} under node_modules: run \`deno install\` first`,
  );
}

/** Makes `proto/vendor/flyteidl` point at the package's .proto files. */
function linkVendor(): void {
  const source = npmPath("@flyteorg/flyteidl", "protos/flyteidl");
  const vendor = join(protoDir, "vendor");
  fs.rmSync(vendor, { recursive: true, force: true });
  fs.mkdirSync(vendor, { recursive: true });
  // Copy only the packages we generate, so buf sees nothing else.
  for (const p of packages) {
    fs.cpSync(join(source, p), join(vendor, "flyteidl", p), {
      recursive: true,
    });
  }
}

/** Lists every file under a folder, as sorted relative paths. */
function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else out.push(relative(base, full));
  }
  return out.sort();
}

async function generate(outDir: string): Promise<void> {
  linkVendor();
  const buf = npmPath("@bufbuild/buf-linux-x64", "bin/buf");
  const template = {
    version: "v2",
    clean: true,
    plugins: [{
      local: [
        Deno.execPath(),
        "run",
        "-A",
        "--quiet",
        join(protoDir, "protoc-gen-es.ts"),
      ],
      out: outDir,
      opt: ["target=ts", "import_extension=ts"],
      include_imports: true,
    }],
  };
  const args = ["generate", "--template", JSON.stringify(template)];
  for (const p of packages) args.push("--path", join("vendor", "flyteidl", p));
  const result = await new Deno.Command(buf, {
    args,
    cwd: protoDir,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!result.success) {
    throw new Error(`buf generate failed (exit ${result.code})`);
  }
  // deno fmt the output so that `deno fmt --check` of the repository passes.
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", outDir],
    cwd: root,
  }).output();
  if (!fmt.success) throw new Error("deno fmt of the generated code failed");
}

const committed = join(protoDir, "gen");
if (Deno.args.includes("--check")) {
  const tmp = fs.mkdtempSync(join(os.tmpdir(), "flyteidl-gen-"));
  try {
    await generate(tmp);
    const a = walk(committed);
    const b = walk(tmp);
    const diffs: string[] = [];
    for (const f of new Set([...a, ...b])) {
      const x = fs.existsSync(join(committed, f))
        ? fs.readFileSync(join(committed, f))
        : null;
      const y = fs.existsSync(join(tmp, f))
        ? fs.readFileSync(join(tmp, f))
        : null;
      if (!x || !y || Buffer.compare(x, y) !== 0) diffs.push(f);
    }
    if (diffs.length) {
      console.error(
        `generated bindings differ from proto/gen: ${diffs.join(", ")}`,
      );
      Deno.exit(1);
    }
    console.log(`proto/gen matches a fresh generation (${a.length} files)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
} else {
  await generate(committed);
  console.log(`generated ${walk(committed).length} files in proto/gen`);
}
