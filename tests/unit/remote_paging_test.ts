import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { collect, paginate } from "../../src/remote/paging.ts";
import { Limiter, mapConcurrent } from "../../src/remote/pool.ts";

function pager(total: number) {
  const calls: { token: string; size: number }[] = [];
  const fetch = (token: string, size: number) => {
    calls.push({ token, size });
    const start = Number(token || 0);
    const items = Array.from(
      { length: Math.max(0, Math.min(size, total - start)) },
      (_, i) => start + i,
    );
    const next = start + items.length;
    return Promise.resolve({
      items,
      token: next < total ? String(next) : "",
    });
  };
  return { calls, fetch };
}

Deno.test("paginate reads every page lazily", async () => {
  const p = pager(250);
  const all = await collect(paginate(p.fetch));
  assertEquals(all.length, 250);
  assertEquals(all[249], 249);
  assertEquals(p.calls.map((c) => c.token), ["", "100", "200"]);
});

Deno.test("paginate stops at the limit and asks only for what it needs", async () => {
  const p = pager(1000);
  const got = await collect(paginate(p.fetch, { limit: 130, pageSize: 50 }));
  assertEquals(got.length, 130);
  assertEquals(p.calls.map((c) => c.size), [50, 50, 30]);
  const q = pager(1000);
  for await (const x of paginate(q.fetch)) if (x === 5) break;
  assertEquals(q.calls.length, 1, "breaking early fetches no further page");
  assertEquals(await collect(paginate(pager(0).fetch)), []);
});

Deno.test("paginate honours abort and rejects bad options", async () => {
  const ac = new AbortController();
  ac.abort(new Error("stop"));
  await assertRejects(
    () => collect(paginate(pager(10).fetch, { signal: ac.signal })),
    Error,
    "stop",
  );
  await assertRejects(
    () => collect(paginate(pager(10).fetch, { pageSize: 0 })),
    RangeError,
  );
});

Deno.test("mapConcurrent keeps order and bounds concurrency", async () => {
  let active = 0;
  let peak = 0;
  const out = await mapConcurrent(
    Array.from({ length: 20 }, (_, i) => i),
    4,
    async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return n * 2;
    },
  );
  assertEquals(out, Array.from({ length: 20 }, (_, i) => i * 2));
  assert(peak <= 4 && peak >= 2, `peak ${peak}`);
  await assertRejects(
    () =>
      mapConcurrent(
        [1, 2, 3],
        2,
        (n) => n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n),
      ),
    Error,
    "boom",
  );
});

Deno.test("Limiter bounds nested fan-outs sharing it", async () => {
  const limit = new Limiter(3);
  let active = 0;
  let peak = 0;
  const leaf = () =>
    limit.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
    });
  // Parents do not hold a slot while children run, so nesting cannot deadlock.
  await Promise.all(
    Array.from({ length: 5 }, () => Promise.all([leaf(), leaf(), leaf()])),
  );
  assertEquals(peak, 3);
});
