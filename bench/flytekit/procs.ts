/**
 * bench/flytekit's processes: the two long-lived ops processes (ours and
 * flytekit's, one JSON line per operation), fresh one-shot runs (the
 * first-call and memory rows) and curl.
 *
 * @module
 */
import type { Op } from "./specs.ts";

const here = (f: string) => new URL(f, import.meta.url).pathname;
export const repo = here("../../");
export const python = `${repo}.venv/bin/python`;
const denoConfig = `${repo}deno.json`;
const REPLY = "@@bench ";

/** The command line of one side's ops script. */
export function opsCommand(
  side: "ours" | "flytekit",
  endpoint: string,
): [string, string[]] {
  return side === "ours"
    ? [Deno.execPath(), [
      "run",
      "-A",
      "--config",
      denoConfig,
      here("./ours_ops.ts"),
      endpoint,
    ]]
    : [python, [here("./flytekit_ops.py"), endpoint.replace(/^http:\/\//, "")]];
}

/** A long-lived ops process. */
export class OpsProcess {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  constructor(readonly side: "ours" | "flytekit", endpoint: string) {
    const [cmd, args] = opsCommand(side, endpoint);
    this.#child = new Deno.Command(cmd, {
      args,
      cwd: repo,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = lines(this.#child.stdout);
  }
  /** Runs `op`; resolves with its time (ms) or throws its error. */
  async run(op: Op): Promise<number> {
    await this.#writer.write(
      new TextEncoder().encode(JSON.stringify(op) + "\n"),
    );
    for (;;) {
      const { value, done } = await this.#lines.next();
      if (done) throw new Error(`${this.side} ops process exited`);
      if (!value.startsWith(REPLY)) {
        console.error(`[${this.side}] ${value}`);
        continue;
      }
      const r = JSON.parse(value.slice(REPLY.length));
      if (r.error) throw new Error(`${this.side} ${op.op}: ${r.error}`);
      return r.ms;
    }
  }
  /** Ends the process (after a failure). */
  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    const st = await this.#child.status;
    if (!st.success) {
      throw new Error(`${this.side} ops process: exit ${st.code}`);
    }
  }
}

async function* lines(stream: ReadableStream<Uint8Array>) {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}

/** Runs a command to completion; its wall time (ms) and stdout; throws on failure. */
export async function timed(
  cmd: string,
  args: string[],
): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${out.code}): ${text(out.stderr)}`,
    );
  }
  return { ms, stdout: text(out.stdout) };
}

/** The fresh-process first call: start, import, connect, list projects. */
export function firstCall(
  side: "ours" | "flytekit",
  endpoint: string,
): Promise<{ ms: number }> {
  return side === "ours"
    ? timed(Deno.execPath(), [
      "run",
      "-A",
      "--config",
      denoConfig,
      `${repo}bench/remote_first_call.ts`,
      endpoint,
    ])
    : timed(python, [
      here("./first_call.py"),
      endpoint.replace(/^http:\/\//, ""),
    ]);
}

/** One operation in a fresh ops process: time, RSS before it, peak RSS. */
export async function once(
  side: "ours" | "flytekit",
  endpoint: string,
  op: Op,
): Promise<{ ms: number; rssBefore: number; hwm: number }> {
  const [cmd, args] = opsCommand(side, endpoint);
  const { stdout } = await timed(cmd, [...args, "--once", JSON.stringify(op)]);
  const line = stdout.split("\n").find((l) => l.startsWith(REPLY));
  if (!line) throw new Error(`${side} --once ${op.op}: no reply`);
  return JSON.parse(line.slice(REPLY.length));
}

/** curl to a signed URL: PUT a file (with its Content-MD5) or GET to a file. */
export async function curl(
  what: "upload" | "download",
  url: string,
  path: string,
  md5?: string,
): Promise<number> {
  const args = what === "upload"
    ? ["-T", path, "-H", `Content-MD5: ${md5}`, url]
    : ["-o", path, url];
  const { ms } = await timed("curl", ["-sS", "--fail", ...args]);
  if (what === "download") await Deno.remove(path);
  return ms;
}
