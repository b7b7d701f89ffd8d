/**
 * AbortSignals on the sandbox's in-process services (Connect's router
 * transport). The engine once stopped passing signals there after a Deno
 * segfault was blamed on them (see src/sandbox/README.md); this runs the
 * same kinds of calls by the thousand in a child process, so a native crash
 * would show as the child's exit code instead of ending the test run.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { repoRoot } from "../helpers/paths.ts";

Deno.test("in-process services: thousands of calls with AbortSignals (shared, aborted mid-flight, pre-aborted, deadlines) answer or cancel, no crash", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${repoRoot}/tests/integration/sandbox_inprocess_host.ts`,
      "60000",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(
    [out.code, out.signal],
    [0, null],
    `child:\n${text}\n${new TextDecoder().decode(out.stderr)}`,
  );
  const counts = JSON.parse(text.trim().split("\n").pop()!);
  assertEquals(counts.other, 0, JSON.stringify(counts));
  assert(counts.ok > 1000, `too few calls answered: ${JSON.stringify(counts)}`);
  assert(counts.canceled > 100, `too few cancelled: ${JSON.stringify(counts)}`);
  assert(counts.refused > 100, `too few refusals: ${JSON.stringify(counts)}`);
});
