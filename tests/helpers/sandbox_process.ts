/**
 * Runs the sandbox as a process of its own (`src/sandbox/main.ts`), as
 * `deno task sandbox` does, for tests that kill it, restart it or check that
 * it survives.
 *
 * @module
 */
import { repoRoot } from "./paths.ts";

/** A running sandbox process. */
export interface SandboxProcess {
  child: Deno.ChildProcess;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** The line it printed when ready. */
  line: string;
}

/**
 * Starts the sandbox on a free port with `dataDir`; resolves once it has
 * printed its endpoint. With `stderr: "piped"` the caller must read or
 * cancel `child.stderr`.
 */
export async function spawnSandboxProcess(
  dataDir: string,
  stderr: "piped" | "inherit" = "inherit",
  port = 0,
): Promise<SandboxProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${repoRoot}/src/sandbox/main.ts`,
      "--port",
      String(port),
      "--data-dir",
      dataDir,
    ],
    cwd: repoRoot,
    stdout: "piped",
    stderr,
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/\S+:\d+/.test(text)) {
    const { value, done } = await reader.read();
    if (done) {
      const err = stderr === "piped"
        ? await new Response(child.stderr).text()
        : "";
      throw new Error(`sandbox exited before ready: ${text}\n${err}`);
    }
    text += value;
  }
  await reader.cancel().catch(() => {});
  const endpoint = /http:\/\/\S+:\d+/.exec(text)![0];
  return { child, endpoint, line: text.trim() };
}
