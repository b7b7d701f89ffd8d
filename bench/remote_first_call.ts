// Helper process for bench/remote_bench.ts: import the remote entry (deno.json "./remote"), forSandbox, one call.
import { FlyteRemote } from "../src/remote/mod.ts";
const remote = await FlyteRemote.forSandbox({ endpoint: Deno.args[0] });
await remote.getDomains();
await remote.close();
