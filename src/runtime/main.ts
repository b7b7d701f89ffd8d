/**
 * The task container's entry point (`flyte-deno-runtime`): runs one task
 * attempt from a bundle. Exit code 0 when outputs.pb or error.pb was
 * written (Flyte reads the error document, as with flytekit's
 * pyflyte-execute); 2 for bad arguments; 1 when nothing could be written.
 *
 * @example
 * ```sh
 * deno run -A src/runtime/main.ts --task flows.add --inputs file:///tmp/in/inputs.pb \
 *   --output-prefix file:///tmp/out --raw-output-data-prefix file:///tmp/raw \
 *   --bundle file:///tmp/bundle-<sha256>.zip
 * ```
 *
 * @module
 */
import { parseRuntimeArgs } from "./args.ts";
import { runTask } from "./run.ts";

if (import.meta.main) {
  let args;
  try {
    args = parseRuntimeArgs(Deno.args);
  } catch (e) {
    console.error(`flyte-deno-runtime: ${(e as Error).message}`);
    Deno.exit(2);
  }
  try {
    const failure = await runTask(args);
    if (failure) {
      console.error(`flyte-deno-runtime: ${failure.code}: ${failure.message}`);
    }
    Deno.exit(0);
  } catch (e) {
    console.error(
      `flyte-deno-runtime: cannot write the error document: ${
        (e as Error)?.stack ?? e
      }`,
    );
    Deno.exit(1);
  }
}
