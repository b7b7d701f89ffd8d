// Helper process for bench/remote_bench.ts: the static import of mod.ts alone.
import { FlyteRemote } from "../mod.ts";
if (Deno.args[0] === "--print") console.log(FlyteRemote.name);
