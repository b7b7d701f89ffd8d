// Helper process for bench/remote_bench.ts: the baseline (a bare `deno run`).
