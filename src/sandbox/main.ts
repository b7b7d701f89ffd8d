/**
 * `deno task sandbox [--port 30080] [--data-dir DIR] [--host 127.0.0.1]
 * [--token T] [--allowed-host NAME]`:
 * runs the sandbox in the foreground, prints one line with the endpoint
 * when it is ready, and stops cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_PORT, startSandbox } from "./mod.ts";

/**
 * Runs the sandbox from command-line arguments until a signal arrives.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * if (import.meta.main) await main(Deno.args);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      "allowed-host": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "usage: deno task sandbox [--port 30080] [--data-dir DIR] [--host 127.0.0.1] [--token T] [--allowed-host NAME ...]",
    );
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: invalid port [${values.port}]`);
  }
  const sandbox = await startSandbox({
    port,
    dataDir: values["data-dir"],
    host: values.host,
    token: values.token,
    allowedHosts: values["allowed-host"],
  });
  console.log(
    `Flyte sandbox ready at ${sandbox.endpoint} (data: ${sandbox.dataDir})`,
  );
  if (sandbox.token) {
    console.log(
      `token: ${sandbox.token} (clients: FlyteRemote.forSandbox({ endpoint, token }); browsers: ${sandbox.endpoint}/console?token=${sandbox.token})`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  await sandbox.close();
}

if (import.meta.main) {
  try {
    await main(Deno.args);
    Deno.exit(0);
  } catch (e) {
    console.error(`sandbox: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
