/**
 * Running one task attempt as a local process: command resolution (`deno`
 * is the running Deno; other names from PATH), stdout/stderr kept in log
 * files, per-attempt timeout and abort.
 *
 * @module
 */
import { mkdir, open, stat } from "node:fs/promises";
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";
import { NodeFailure } from "./errors.ts";
import { RUNTIME_COMMAND } from "../../sdk/contract.ts";

const CHECKOUT = new URL("../../../", import.meta.url);

/**
 * Expands {@link RUNTIME_COMMAND} (a TypeScript task's container command) to
 * this checkout's runtime run by the running Deno, so task templates stay
 * machine-independent (a task image puts the same command on PATH). Other
 * argv are returned as they are.
 *
 * @example
 * ```ts
 * import { expandRuntimeCommand } from "./process.ts";
 * const argv = expandRuntimeCommand(["flyte-deno-runtime", "--task", "m.t"]);
 * argv[0] === Deno.execPath(); // true
 * ```
 */
export function expandRuntimeCommand(argv: string[]): string[] {
  if (argv[0] !== RUNTIME_COMMAND) return argv;
  return [
    Deno.execPath(),
    "run",
    "-A",
    "--config",
    new URL("deno.json", CHECKOUT).pathname,
    new URL("src/runtime/main.ts", CHECKOUT).pathname,
    ...argv.slice(1),
  ];
}

/**
 * Maps a container (image + argv) to the local argv to run. The default
 * keeps argv as is.
 *
 * @example
 * ```ts
 * import type { CommandMapper } from "./process.ts";
 * const m: CommandMapper = (_image, argv) => argv[0] === "python" ? ["python3", ...argv.slice(1)] : argv;
 * ```
 */
export type CommandMapper = (image: string, argv: string[]) => string[];

async function isExecutable(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Resolves a command name: `deno` is the running Deno, names with a slash
 * are used as they are, others are searched in `extraPath` then `PATH`.
 * A missing command raises a USER failure naming it.
 *
 * @example
 * ```ts
 * import { resolveCommand } from "./process.ts";
 * (await resolveCommand("deno", [])) === Deno.execPath(); // true
 * ```
 */
export async function resolveCommand(
  name: string,
  extraPath: string[],
  envPath = Deno.env.get("PATH") ?? "",
): Promise<string> {
  if (name === "deno") return Deno.execPath();
  if (name.includes("/")) {
    if (await isExecutable(name)) return name;
  } else {
    for (const dir of [...extraPath, ...envPath.split(":")].filter(Boolean)) {
      const p = join(dir, name);
      if (await isExecutable(p)) return p;
    }
  }
  throw new NodeFailure(
    "CommandNotFound",
    `task command ${JSON.stringify(name)} was not found on this machine ` +
      `(searched ${[...extraPath, "$PATH"].join(", ")})`,
    ExecutionError_ErrorKind.USER,
    false,
  );
}

/**
 * What to run for one attempt.
 *
 * @example
 * ```ts
 * import type { ProcessSpec } from "./process.ts";
 * const s: ProcessSpec = { argv: ["/bin/true"], env: {}, cwd: "/tmp", stdoutPath: "/tmp/o", stderrPath: "/tmp/e", signal: new AbortController().signal };
 * ```
 */
export interface ProcessSpec {
  /** Resolved argv (argv[0] an executable path). */
  argv: string[];
  /** Full environment. */
  env: Record<string, string>;
  /** Working directory. */
  cwd: string;
  /** Where stdout goes. */
  stdoutPath: string;
  /** Where stderr goes. */
  stderrPath: string;
  /** Per-attempt timeout in ms (none when undefined or 0). */
  timeoutMs?: number;
  /** Aborts (kills) the process. */
  signal: AbortSignal;
  /** Called with the pid right after spawn. */
  onSpawn?: (pid: number) => void;
}

/**
 * How the process ended.
 *
 * @example
 * ```ts
 * import type { ProcessResult } from "./process.ts";
 * const r: ProcessResult = { code: 0, signal: null, timedOut: false, aborted: false };
 * ```
 */
export interface ProcessResult {
  /** Exit code (128+n when killed by signal n). */
  code: number;
  /** Terminating signal, if any. */
  signal: string | null;
  /** Killed because the timeout expired. */
  timedOut: boolean;
  /** Killed because of the abort signal. */
  aborted: boolean;
}

/**
 * SIGKILLs a task process and its process group (a task process leads its
 * own group); a process already gone is not an error.
 *
 * @example
 * ```ts
 * import { killGroup } from "./process.ts";
 * killGroup(2 ** 22 + 12345); // no such process: nothing happens
 * ```
 */
export function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
  }
}

/**
 * Runs a process to completion, keeping its output in the log files.
 *
 * @example
 * ```ts
 * import { runProcess } from "./process.ts";
 * const r = await runProcess({ argv: ["/bin/true"], env: {}, cwd: "/tmp",
 *   stdoutPath: "/tmp/engine-doc/o", stderrPath: "/tmp/engine-doc/e", signal: new AbortController().signal });
 * r.code; // 0
 * ```
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  // The process writes straight into its log files (as a container runtime
  // keeps a container's output): Deno 2.9.6 never frees the native buffers of
  // a piped child stream (~30 KB per pipe, so a sandbox that piped two per
  // task grew by ~0.1 MB per execution for ever; bench/sandbox_memory.ts).
  const out = await openLog(spec.stdoutPath);
  const err = await openLog(spec.stderrPath).catch((e) => {
    out.close();
    throw e;
  });
  let child: ChildProcess;
  try {
    child = spawn(spec.argv[0], spec.argv.slice(1), {
      env: spec.env,
      cwd: spec.cwd,
      stdio: ["ignore", out.fd, err.fd],
      // Its own process group (as a container is its own pid namespace), so
      // killing the task kills what it started (`sh -c "..."` children too).
      detached: true,
    });
  } catch (e) {
    out.close();
    err.close();
    throw e;
  }
  const exited = new Promise<{ code: number | null; signal: string | null }>(
    (resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve({ code, signal }));
    },
  );
  try {
    if (child.pid === undefined) await exited; // spawn failed: its error
    const pid = child.pid!;
    spec.onSpawn?.(pid);
    let timedOut = false;
    let aborted = false;
    const kill = () => killGroup(pid);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    if (spec.signal.aborted) onAbort();
    spec.signal.addEventListener("abort", onAbort);
    const timer = spec.timeoutMs
      ? setTimeout(() => {
        timedOut = true;
        kill();
      }, spec.timeoutMs)
      : undefined;
    const status = await exited.finally(() => {
      if (timer !== undefined) clearTimeout(timer);
      spec.signal.removeEventListener("abort", onAbort);
    });
    // The container ends with its main process: whatever it left running in
    // its group goes too.
    killGroup(pid);
    return exitResult(status, timedOut, aborted);
  } finally {
    out.close();
    err.close();
  }
}

async function openLog(path: string): Promise<{ fd: number; close(): void }> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, "a");
  let closed = false;
  return {
    fd: fh.fd,
    close: () => {
      if (!closed) {
        closed = true;
        fh.close().catch(() => {});
      }
    },
  };
}

function exitResult(
  status: { code: number | null; signal: string | null },
  timedOut: boolean,
  aborted: boolean,
): ProcessResult {
  const signalNo: Record<string, number> = {
    SIGKILL: 9,
    SIGTERM: 15,
    SIGINT: 2,
  };
  const code = status.signal
    ? 128 + (signalNo[status.signal] ?? 0)
    : status.code ?? 0;
  return { code, signal: status.signal, timedOut, aborted };
}
