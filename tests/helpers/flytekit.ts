/**
 * The flytekit hello-world shared by the suites that run flytekit against the
 * sandbox: the project venv (`deno task setup-python`) and the Python module.
 *
 * @module
 */
import { repoRoot } from "./paths.ts";

/** The project venv's bin folder (flytekit's pyflyte, pyflyte-execute, ...). */
export const venvBin = `${repoRoot}/.venv/bin`;

/** `hello.py`: one task and the workflow that calls it. */
export const HELLO = `from flytekit import task, workflow


@task
def say_hello(name: str) -> str:
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "world") -> str:
    return say_hello(name=name)
`;

/** Throws, naming `deno task setup-python`, when `tool` is not in the venv. */
export async function requireVenvTool(tool: string): Promise<void> {
  try {
    await Deno.stat(`${venvBin}/${tool}`);
  } catch {
    throw new Error(
      `${venvBin}/${tool} is missing: run \`deno task setup-python\``,
    );
  }
}

/** Writes `HELLO` to `<dir>/code/hello.py`; returns the `code` folder. */
export async function writeHelloCode(dir: string): Promise<string> {
  const code = `${dir}/code`;
  await Deno.mkdir(code);
  await Deno.writeTextFile(`${code}/hello.py`, HELLO);
  return code;
}

/** Runs a command to completion; fails (with its output) unless it exits 0. Returns the output. */
export async function runOk(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${out.code}):\n${text}`,
    );
  }
  return text;
}

/**
 * Writes `<dir>/config.yaml` for `endpoint` (insecure) and registers `files`
 * of `code` with `pyflyte register` (fast registration, version v1, image
 * local:latest) into flytesnacks/development. Returns the `host:port` for
 * flytekit's `Config.for_endpoint` and pyflyte's output.
 */
export async function pyflyteRegister(
  endpoint: string,
  dir: string,
  code: string,
  files: string[],
): Promise<{ hostPort: string; output: string }> {
  const hostPort = endpoint.replace(/^http:\/\//, "");
  await Deno.writeTextFile(
    `${dir}/config.yaml`,
    `admin:\n  endpoint: dns:///${hostPort}\n  insecure: true\n`,
  );
  const output = await runOk(`${venvBin}/pyflyte`, [
    "--config",
    `${dir}/config.yaml`,
    "register",
    "--project",
    "flytesnacks",
    "--domain",
    "development",
    "--image",
    "local:latest",
    "--version",
    "v1",
    ...files,
  ], code);
  return { hostPort, output };
}
