/**
 * bench:flytekit's registration row alone, with this checkout ("after")
 * beside an older commit of the project ("before") and flytekit 1.16.31,
 * on one sandbox process: `deno run -A bench/register_before_after.ts
 * [--before <commit>] [--rounds N] [--tasks N]`.
 *
 * "before" is `git archive <commit>` (default: the merge base with main)
 * unpacked in a temporary directory with this checkout's node_modules
 * linked in; each side is a long-lived bench/flytekit ops process
 * (ours_ops.ts of its own tree, flytekit_ops.py from the project's .venv)
 * doing `register` (a chain of N tasks, its workflow and default launch
 * plan, a new version each round). Rounds interleave the three, the order
 * rotating; one untimed warm-up round first. Prints the medians and
 * min/max. No timing is asserted.
 *
 * @module
 */
import { spawnSandboxProcess } from "../tests/helpers/sandbox_process.ts";
import { median } from "./flytekit/report.ts";
import { opsCommand, repo } from "./flytekit/procs.ts";

const arg = (name: string, fallback: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : fallback;
};
const git = async (...args: string[]) => {
  const out = await new Deno.Command("git", { args, cwd: repo }).output();
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
};
const rounds = Number(arg("--rounds", "7"));
const tasks = Number(arg("--tasks", "50"));
const before = arg("--before", await git("merge-base", "HEAD", "main"));
const REPLY = "@@bench ";

/** One long-lived ops process answering `@@bench {ms}` lines. */
class Ops {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  constructor(readonly name: string, cmd: string, args: string[], cwd: string) {
    this.#child = new Deno.Command(cmd, {
      args,
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = this.#child.stdout.pipeThrough(new TextDecoderStream())
      .pipeThrough(
        new TransformStream<string, string>(
          {
            buf: "",
            transform(chunk, c) {
              const parts = (this.buf + chunk).split("\n");
              this.buf = parts.pop()!;
              for (const p of parts) c.enqueue(p);
            },
          } as Transformer<string, string> & { buf: string },
        ),
      )[Symbol.asyncIterator]();
  }
  async register(version: string): Promise<number> {
    const op = { op: "register", args: { n: tasks, version } };
    await this.#writer.write(
      new TextEncoder().encode(JSON.stringify(op) + "\n"),
    );
    for (;;) {
      const { value, done } = await this.#lines.next();
      if (done) throw new Error(`${this.name}: ops process exited`);
      if (!value.startsWith(REPLY)) continue;
      const r = JSON.parse(value.slice(REPLY.length));
      if (r.error) throw new Error(`${this.name}: ${r.error}`);
      return r.ms;
    }
  }
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#child.status;
  }
}

const dir = await Deno.makeTempDir({ prefix: "bench-register-" });
const load = () =>
  Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const loadBefore = load();
const old = `${dir}/before`;
await Deno.mkdir(old);
const tar = new Deno.Command("sh", {
  args: ["-c", `git archive ${before} | tar -x -C ${old}`],
  cwd: repo,
});
if (!(await tar.output()).success) throw new Error(`git archive ${before}`);
await Deno.symlink(`${repo}node_modules`, `${old}/node_modules`);
const sb = await spawnSandboxProcess(`${dir}/data`);
const sides: Ops[] = [];
try {
  const [pyCmd, pyArgs] = opsCommand("flytekit", sb.endpoint);
  const [, ourArgs] = opsCommand("ours", sb.endpoint);
  sides.push(
    new Ops("before", Deno.execPath(), [
      "run",
      "-A",
      "--config",
      `${old}/deno.json`,
      `${old}/bench/flytekit/ours_ops.ts`,
      sb.endpoint,
    ], old),
    new Ops("after", Deno.execPath(), ourArgs, repo),
    new Ops("flytekit", pyCmd, pyArgs, repo),
  );
  const times = new Map(sides.map((s) => [s.name, [] as number[]]));
  for (let r = -1; r < rounds; r++) {
    for (let k = 0; k < sides.length; k++) {
      const s = sides[(k + Math.max(r, 0)) % sides.length];
      const ms = await s.register(`${s.name}-r${r + 1}`);
      if (r >= 0) times.get(s.name)!.push(ms);
    }
  }
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(
    `register a ${tasks}-task workflow (tasks, workflow, launch plan), ${rounds} interleaved rounds; before = ${
      before.slice(0, 7)
    }`,
  );
  for (const [name, xs] of times) {
    console.log(
      `${name.padEnd(9)} median ${fmt(median(xs))} (${fmt(Math.min(...xs))} … ${
        fmt(Math.max(...xs))
      })  [${xs.map((x) => x.toFixed(0)).join(", ")}]`,
    );
  }
  console.log(
    `load ${loadBefore} before, ${load()} after; ${new Date().toISOString()}`,
  );
} finally {
  for (const s of sides) await s.close();
  sb.child.kill("SIGTERM");
  await sb.child.status;
  await Deno.remove(dir, { recursive: true });
}
