/**
 * The runtime's command line: `--task <name> --inputs <uri> --output-prefix
 * <uri> --raw-output-data-prefix <uri> --bundle <uri> [--array-item]`, flags
 * in any order (the command name, {@link RUNTIME_COMMAND}, is not part of it).
 *
 * @module
 */
export { RUNTIME_COMMAND } from "../sdk/contract.ts";

/**
 * Parsed arguments.
 *
 * @example
 * ```ts
 * import type { RuntimeArgs } from "./args.ts";
 * const a: RuntimeArgs = { task: "m.t", inputs: "file:///i.pb", outputPrefix: "file:///o", rawOutputDataPrefix: "file:///r", bundle: "file:///b.zip" };
 * ```
 */
export interface RuntimeArgs {
  /** The task's Flyte name. */
  task: string;
  /** URI of inputs.pb. */
  inputs: string;
  /** Where outputs.pb / error.pb go. */
  outputPrefix: string;
  /** Where raw data (files) go. */
  rawOutputDataPrefix: string;
  /** URI of the bundle (`bundle-<sha256>.zip`). */
  bundle: string;
  /**
   * `--array-item`: a mapped task's sub-task, reading item `i` of each list
   * input (`i` from the array index environment) [false].
   */
  arrayItem?: boolean;
}

const FLAGS: Record<string, Exclude<keyof RuntimeArgs, "arrayItem">> = {
  "--task": "task",
  "--inputs": "inputs",
  "--output-prefix": "outputPrefix",
  "--raw-output-data-prefix": "rawOutputDataPrefix",
  "--bundle": "bundle",
};

/**
 * Parses the runtime's arguments; throws naming a missing or unknown flag.
 * A leading {@link RUNTIME_COMMAND} is skipped.
 *
 * @example
 * ```ts
 * import { parseRuntimeArgs } from "./args.ts";
 * const a = parseRuntimeArgs(["--task", "m.t", "--inputs", "i", "--output-prefix", "o", "--raw-output-data-prefix", "r", "--bundle", "b"]);
 * console.log(a.task); // "m.t"
 * ```
 */
export function parseRuntimeArgs(argv: readonly string[]): RuntimeArgs {
  const out: Partial<RuntimeArgs> = {};
  let i = argv[0] === "flyte-deno-runtime" ? 1 : 0;
  for (; i < argv.length; i += 2) {
    if (argv[i] === "--array-item") {
      out.arrayItem = true;
      i--;
      continue;
    }
    const key = FLAGS[argv[i]];
    if (!key) {
      throw new Error(`unknown runtime argument ${JSON.stringify(argv[i])}`);
    }
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    out[key] = argv[i + 1];
  }
  for (const [flag, key] of Object.entries(FLAGS)) {
    if (!out[key]) throw new Error(`missing runtime argument ${flag}`);
  }
  return out as RuntimeArgs;
}
