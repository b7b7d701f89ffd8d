/**
 * Rules the test suite itself must keep. `deno test --parallel` runs every
 * test module in one process, so a module that makes HTTP/2 client sessions
 * without the GOAWAY workaround (denoland/deno#36788) can end the whole run
 * with a segmentation fault while another module's test is printing.
 */
import { assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";
import { join, relative } from "node:path";

/**
 * Ways a test or bench makes node:http2 sessions of its own: Connect's
 * HTTP/2 transports, or node:http2 itself (clients and servers alike crash).
 */
const H2_CLIENT =
  /\b(createGrpcTransport|createConnectTransport|createGrpcWebTransport|Http2SessionManager)\b|\bhttp2\.connect\(|from "node:http2"/;
const HELPER = /(from |import )"(\.\.\/)+(tests\/)?helpers\/grpc\.ts"/;

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* sources(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

Deno.test("modules that make HTTP/2 sessions in the test process install the GOAWAY workaround", async () => {
  const missing: string[] = [];
  for (const dir of ["tests", "bench"]) {
    for await (const file of sources(join(repoRoot, dir))) {
      const rel = relative(repoRoot, file);
      // Child-process hosts run on their own, some deliberately unpatched.
      if (rel.endsWith("_host.ts") || rel === "tests/helpers/grpc.ts") continue;
      if (rel === "tests/unit/test_hygiene_test.ts") continue;
      const text = await Deno.readTextFile(file);
      if (H2_CLIENT.test(text) && !HELPER.test(text)) missing.push(rel);
    }
  }
  assertEquals(missing, [], "import the transport from tests/helpers/grpc.ts");
});

Deno.test("the hygiene rule recognises clients and the helper import", () => {
  assertEquals(H2_CLIENT.test("createGrpcTransport({ baseUrl })"), true);
  assertEquals(H2_CLIENT.test("const s = http2.connect(url);"), true);
  assertEquals(H2_CLIENT.test('import * as http2 from "node:http2";'), true);
  assertEquals(H2_CLIENT.test("http2.createServer(adapter)"), false);
  assertEquals(HELPER.test('import "../helpers/grpc.ts";'), true);
  assertEquals(HELPER.test('import { x } from "../helpers/grpc.ts";'), true);
  assertEquals(
    HELPER.test('import { x } from "../tests/helpers/grpc.ts";'),
    true,
  );
  assertEquals(HELPER.test('import { x } from "./grpc.ts";'), false);
});
