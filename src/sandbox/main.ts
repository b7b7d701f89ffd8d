/**
 * `deno task sandbox [--port 30080] [--data-dir DIR] [--host 127.0.0.1]
 * [--token T] [--allowed-host NAME] [--s3-port 30002] [--bucket NAME]
 * [--s3-access-key ID --s3-secret-key SECRET]`:
 * runs the sandbox in the foreground, prints one line with the endpoint
 * when it is ready (then one with its S3 face), and stops cleanly on
 * SIGINT/SIGTERM.
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
      "s3-port": { type: "string" },
      bucket: { type: "string" },
      "s3-access-key": { type: "string" },
      "s3-secret-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "usage: deno task sandbox [--port 30080] [--data-dir DIR] [--host 127.0.0.1] [--token T] [--allowed-host NAME ...] [--s3-port 30002] [--bucket my-s3-bucket] [--s3-access-key ID --s3-secret-key SECRET]",
    );
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: invalid port [${values.port}]`);
  }
  let s3Port: number | undefined;
  if (values["s3-port"] !== undefined) {
    s3Port = Number(values["s3-port"]);
    if (!Number.isInteger(s3Port) || s3Port < 0 || s3Port > 65535) {
      throw new Error(`--s3-port: invalid port [${values["s3-port"]}]`);
    }
  }
  const key = values["s3-access-key"];
  const secret = values["s3-secret-key"];
  if ((key === undefined) !== (secret === undefined)) {
    throw new Error("--s3-access-key and --s3-secret-key go together");
  }
  const sandbox = await startSandbox({
    port,
    s3Port,
    bucket: values.bucket,
    s3Credentials: key !== undefined && secret !== undefined
      ? { accessKeyId: key, secretAccessKey: secret }
      : undefined,
    dataDir: values["data-dir"],
    host: values.host,
    token: values.token,
    allowedHosts: values["allowed-host"],
  });
  // One write: a reader that stops after the first line must not break the pipe mid-way.
  console.log(
    `Flyte sandbox ready at ${sandbox.endpoint} (data: ${sandbox.dataDir})\n` +
      `S3 at ${sandbox.s3.endpoint} (bucket ${sandbox.s3.bucket}, access key ${sandbox.s3.accessKeyId})`,
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
