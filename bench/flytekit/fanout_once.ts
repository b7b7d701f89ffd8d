/**
 * A by-hand check beside the suite: one N-node fan-out (default 1,000) run
 * on the sandbox process, then synced in fresh processes by each side
 * (node list, and full), `--rounds` times, printing times and peak RSS.
 * `deno run -A bench/flytekit/fanout_once.ts <sandbox endpoint> [N] [rounds]`
 *
 * @module
 */
import { FlyteRemote } from "../../mod.ts";
import { SHORT } from "./specs.ts";
import { prepare } from "./setup.ts";
import { once } from "./procs.ts";

const [endpoint, n = "1000", rounds = "3"] = Deno.args;
const dir = await Deno.makeTempDir({ prefix: "bench-fanout-" });
const remote = await FlyteRemote.forSandbox({ endpoint });
const t0 = performance.now();
const p = await prepare(remote, {
  ...SHORT,
  fanOut: Number(n),
  mapItems: 2,
  fileBytes: 1024,
}, dir);
console.log(
  `fan-out of ${n} ran in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
await remote.close();
for (let r = 0; r < Number(rounds); r++) {
  for (const full of [false, true]) {
    const op = { op: "sync", args: { name: p.fanOutExecution, full } };
    const order = r % 2
      ? ["flytekit", "ours"] as const
      : ["ours", "flytekit"] as const;
    for (const side of order) {
      const x = await once(side, endpoint, op);
      console.log(
        `${full ? "full" : "list"} ${side}: ${x.ms.toFixed(0)} ms, peak RSS ${
          (x.hwm / 2 ** 20).toFixed(0)
        } MB (before ${(x.rssBefore / 2 ** 20).toFixed(0)} MB)`,
      );
    }
  }
}
console.log(
  `load ${Deno.readTextFileSync("/proc/loadavg").trim()}, ${
    new Date().toISOString()
  }`,
);
await Deno.remove(dir, { recursive: true });
