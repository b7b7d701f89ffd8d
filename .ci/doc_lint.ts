/**
 * `deno doc --lint` over the public entry points, with one policy on top:
 * the public API may name flyteidl's generated messages and services
 * (proto/gen) and the protobuf-es / Connect library types they come with
 * (`Client`, `MessageInitShape`, ...) without re-exporting them. Those are
 * documented where they are defined (the .proto comments, the libraries'
 * docs), and re-exporting them would drag thousands of generated symbols
 * into our API. Every other diagnostic — a missing JSDoc, a missing return
 * type, a reference to one of OUR unexported types — fails the check.
 *
 * Usage: `deno run -A .ci/doc_lint.ts mod.ts [more entry points]`
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as fs from "node:fs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Names exported by the generated flyteidl bindings. */
function generatedNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts")) {
        const text = fs.readFileSync(p, "utf8");
        for (
          const m of text.matchAll(
            /^export (?:type|const|enum|interface) (\w+)/gm,
          )
        ) {
          names.add(m[1]);
        }
      }
    }
  };
  walk(join(root, "proto", "gen"));
  return names;
}

/** Library types (protobuf-es, Connect) that our API names as they are. */
const libraryNames = new Set([
  "Client",
  "MessageInitShape",
  "MessageShape",
  "Message",
  "DescService",
  "DescMessage",
  "Transport",
  "Interceptor",
  "ConnectError",
  "Code",
  "JsonObject",
  "JsonValue",
  "GenService",
  "GenMessage",
  "GenEnum",
]);

const entries = Deno.args.length ? Deno.args : ["mod.ts"];
const out = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  cwd: root,
  env: { NO_COLOR: "1" },
  stdout: "piped",
  stderr: "piped",
}).output();
const text = new TextDecoder().decode(out.stdout) +
  new TextDecoder().decode(out.stderr);
const allowed = generatedNames();
for (const n of libraryNames) allowed.add(n);

// Diagnostics are blocks starting with "error[...]" / "warning[...]".
const blocks = text.split(/\n(?=(?:error|warning)\[)/).filter((b) =>
  /^(error|warning)\[/.test(b)
);
const kept = blocks.filter((b) => {
  const m = b.match(
    /^error\[private-type-ref\]: public type '.*' references private type '(\w+)'/,
  );
  return !(m && allowed.has(m[1]));
});
if (kept.length > 0) {
  console.error(kept.join("\n"));
  console.error(`doc lint: ${kept.length} problem(s) in ${entries.join(", ")}`);
  Deno.exit(1);
}
if (!out.success && blocks.length === 0) {
  // deno doc failed for a reason other than lint diagnostics.
  console.error(text);
  Deno.exit(1);
}
console.log(
  `doc lint: ${entries.join(", ")} clean (${
    blocks.length - kept.length
  } references to flyteidl/library types allowed)`,
);
