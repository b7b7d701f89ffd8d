/**
 * A sandbox with one Deno task for the data tests: it reads file input `f`
 * and directory input `d`, and writes a file (`upper`), a directory
 * (`copy`, with a subfolder), a CSV dataset (`table`, a folder with one
 * part) and a JSON-lines file (`rows`).
 */
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { BlobType_BlobDimensionality } from "@flyteidl/core/types_pb.ts";
import { startSandbox } from "../../src/sandbox/mod.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import { repoRoot } from "../helpers/paths.ts";
import { ident } from "./sandbox_fixtures.ts";

const PROGRAM = `
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
const [input, outPrefix] = Deno.args;
const local = (u) => u.startsWith("file://") ? decodeURIComponent(new URL(u).pathname) : u;
const inputs = fromBinary(LiteralMapSchema, Deno.readFileSync(local(input)));
const uriOf = (n) => inputs.literals[n].value.value.value.value.uri;
const text = Deno.readTextFileSync(local(uriOf("f")));
const dir = local(uriOf("d"));
const walk = (d, rel = "") => [...Deno.readDirSync(d + "/" + rel)].flatMap((e) =>
  e.isDirectory ? walk(d, rel + e.name + "/") : [rel + e.name]);
const names = walk(dir).sort();
const out = local(outPrefix);
for (const n of names) {
  const to = out + "/copy/" + n;
  Deno.mkdirSync(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  Deno.copyFileSync(dir + "/" + n, to);
}
Deno.mkdirSync(out + "/table", { recursive: true });
Deno.writeTextFileSync(out + "/upper.txt", text.toUpperCase());
Deno.writeTextFileSync(out + "/table/part-0.csv", "name,n\\n" + names.map((n, i) => n + "," + i).join("\\n") + "\\n");
Deno.writeTextFileSync(out + "/rows.jsonl", names.map((n) => JSON.stringify({ name: n })).join("\\n") + "\\n");
const blob = (uri, dim) => ({ value: { case: "scalar", value: { value: { case: "blob", value: { uri, metadata: { type: { format: "", dimensionality: dim } } } } } } });
const sd = (uri) => ({ value: { case: "scalar", value: { value: { case: "structuredDataset", value: { uri, metadata: { structuredDatasetType: { format: "csv" } } } } } } });
const m = create(LiteralMapSchema, { literals: {
  upper: blob("file://" + out + "/upper.txt", 0),
  copy: blob("file://" + out + "/copy", 1),
  table: sd("file://" + out + "/table"),
  rows: blob("file://" + out + "/rows.jsonl", 0),
} });
Deno.writeFileSync(out + "/outputs.pb", toBinary(LiteralMapSchema, m));
`;

/** A file input/output type. */
export const FILE = {
  type: {
    case: "blob" as const,
    value: { format: "", dimensionality: BlobType_BlobDimensionality.SINGLE },
  },
};
/** A directory input/output type. */
export const DIR = {
  type: {
    case: "blob" as const,
    value: {
      format: "",
      dimensionality: BlobType_BlobDimensionality.MULTIPART,
    },
  },
};
const TABLE = {
  type: { case: "structuredDatasetType" as const, value: { format: "csv" } },
};

/** Runs `fn` with a fresh sandbox, a remote on it, the task `files` registered, and a temp dir. */
export async function withDataRemote(
  fn: (remote: FlyteRemote, dir: string) => Promise<void>,
  options: { task?: boolean } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "data-test-" });
  await Deno.writeTextFile(`${dir}/task.js`, PROGRAM);
  const sb = await startSandbox({ port: 0, dataDir: `${dir}/data` });
  const remote = await FlyteRemote.forSandbox({ endpoint: sb.endpoint });
  try {
    if (options.task) await registerFilesTask(remote, dir);
    await fn(remote, dir);
  } finally {
    await remote.close();
    await sb.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function registerFilesTask(remote: FlyteRemote, dir: string) {
  await remote.entities.registerTask({
    template: {
      id: ident(ResourceType.TASK, "files"),
      type: "python-task",
      metadata: {},
      interface: {
        inputs: { variables: { f: { type: FILE }, d: { type: DIR } } },
        outputs: {
          variables: {
            upper: { type: FILE },
            copy: { type: DIR },
            table: { type: TABLE },
            rows: { type: FILE },
          },
        },
      },
      target: {
        case: "container",
        value: {
          image: "local",
          command: [
            "deno",
            "run",
            "-A",
            "--no-check",
            "--config",
            `${repoRoot}/deno.json`,
            `${dir}/task.js`,
          ],
          args: ["{{.input}}", "{{.outputPrefix}}"],
        },
      },
    },
  });
}

/** A transfer on the same connection that counts the PUTs it sends. */
export function countingPut() {
  const sent: string[] = [];
  return {
    sent,
    wrap: (
      inner: import("../../src/data/http.ts").PutFn,
    ): import("../../src/data/http.ts").PutFn =>
    (url, headers, length, body, signal) => {
      sent.push(new URL(url).pathname);
      return inner(url, headers, length, body, signal);
    },
  };
}
