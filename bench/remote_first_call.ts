// Helper process for bench/remote_bench.ts: a STATIC import of the package
// entry (mod.ts), forSandbox, one call (listProjects, first page) — what a
// script or notebook cell does first. Argument: the sandbox endpoint.
import { FlyteRemote } from "../mod.ts";
const remote = await FlyteRemote.forSandbox({ endpoint: Deno.args[0] });
for await (const _ of remote.listProjects({ limit: 1 })) break;
await remote.close();
