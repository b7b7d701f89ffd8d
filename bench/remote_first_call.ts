// Helper process for bench/remote_bench.ts: import mod.ts, forSandbox, one call.
import { FlyteRemote } from "../mod.ts";
const remote = await FlyteRemote.forSandbox({ endpoint: Deno.args[0] });
await remote.getDomains();
await remote.close();
