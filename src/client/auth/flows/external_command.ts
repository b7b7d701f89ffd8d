/**
 * Token from an external command's stdout (flytectl `ExternalCommand`).
 *
 * @module
 */
import { FlyteAuthenticationError } from "../../errors.ts";
import type { Token } from "../types.ts";

/**
 * Runs `command` and returns its trimmed stdout as the access token.
 *
 * @throws {FlyteAuthenticationError} naming the command when it cannot be
 * started, exits non-zero (stderr included) or prints nothing.
 *
 * @example
 * ```ts
 * import { externalCommandFlow } from "./external_command.ts";
 * const t = await externalCommandFlow(["echo", "tok"]);
 * console.log(t.accessToken); // "tok"
 * ```
 */
export async function externalCommandFlow(command: string[]): Promise<Token> {
  const shown = JSON.stringify(command);
  if (command.length === 0 || !command[0]) {
    throw new FlyteAuthenticationError(
      "auth.command: empty; expected the program and its arguments",
    );
  }
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(command[0], {
      args: command.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (cause) {
    throw new FlyteAuthenticationError(
      `auth.command ${shown}: could not start: ${(cause as Error).message}`,
      { cause },
    );
  }
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) {
    throw new FlyteAuthenticationError(
      `auth.command ${shown}: exited with code ${out.code}${
        stderr ? `: ${stderr}` : ""
      }`,
    );
  }
  const token = new TextDecoder().decode(out.stdout).trim();
  if (!token) {
    throw new FlyteAuthenticationError(
      `auth.command ${shown}: printed no token`,
    );
  }
  return { accessToken: token };
}
