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
