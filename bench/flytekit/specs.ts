/**
 * What the side-by-side suite measures (issue 16): sizes per mode and the
 * rows, each one operation sent to our ops process and to flytekit's
 * (bench/flytekit/ours_ops.ts, bench/flytekit/flytekit_ops.py), some with
 * curl beside them.
 *
 * @module
 */

/** Sizes of one run. */
export interface Sizes {
  mode: "full" | "short";
  /** Timed rounds of every row (after one untimed warm-up op per side). */
  rounds: number;
  /** Bytes of the uploaded / downloaded file. */
  fileBytes: number;
  ints: number;
  records: number;
  /** Parallel task nodes of the fan-out workflow. */
  fanOut: number;
  /** Items of the map (array node). */
  mapItems: number;
  /** Tasks of the registered workflow (a chain). */
  workflowTasks: number;
}

/** The sizes, five rounds. */
export const FULL: Sizes = {
  mode: "full",
  rounds: 5,
  fileBytes: 1024 ** 3,
  ints: 1_000_000,
  records: 100_000,
  fanOut: 100,
  mapItems: 1000,
  workflowTasks: 50,
};

/** CI: proves the suite runs end to end (small sizes, one round). */
export const SHORT: Sizes = {
  mode: "short",
  rounds: 1,
  fileBytes: 4 * 1024 ** 2,
  ints: 10_000,
  records: 1_000,
  fanOut: 4,
  mapItems: 8,
  workflowTasks: 5,
};

/** One operation for an ops process: its name and JSON arguments. */
export interface Op {
  op: string;
  args: Record<string, unknown>;
}

/** What the driver knows after setup, to build the rows' ops. */
export interface Prepared {
  /** The trivial registered task (name, version). */
  task: { name: string; version: string };
  /** Execution names of the finished fan-out and map executions. */
  fanOutExecution: string;
  mapExecution: string;
  /** The local file to upload. */
  bigFile: string;
  /** Folder the downloads write to. */
  scratch: string;
  /** Signed PUT URL of the file's key (for curl) and its Content-MD5. */
  uploadUrl: string;
  uploadMd5: string;
  /** Signed GET URL of the uploaded file (everyone downloads it). */
  downloadUrl: string;
}

/** A row: the same operation for both sides (`ours`, `flytekit`), and maybe curl. */
export interface Row {
  key: string;
  label: string;
  /** Builds the op of round `round` (versions must differ per round). */
  op(round: number, side: "ours" | "flytekit"): Op;
  /** curl to the same signed URL beside the two (upload / download). */
  curl?: "upload" | "download";
}

/** The rows run by the ops processes (the fresh-process row is the driver's own). */
export function rows(s: Sizes, p: Prepared): Row[] {
  const n = (x: number) => x.toLocaleString("en-US");
  const sync = (exec: string, full: boolean) => (_: number) => ({
    op: "sync",
    args: { name: exec, full },
  });
  const size = s.fileBytes >= 1024 ** 3
    ? `${s.fileBytes / 1024 ** 3} GiB`
    : `${s.fileBytes / 1024 ** 2} MiB`;
  return [
    {
      key: "execute",
      label: "execute a registered trivial task and wait (create → SUCCEEDED)",
      op: () => ({ op: "execute", args: p.task }),
    },
    {
      key: "sync_fanout_list",
      label: `sync a ${s.fanOut}-node fan-out: node list`,
      op: sync(p.fanOutExecution, false),
    },
    {
      key: "sync_fanout_full",
      label:
        `sync a ${s.fanOut}-node fan-out: full (node inputs/outputs, attempts)`,
      op: sync(p.fanOutExecution, true),
    },
    {
      key: "sync_map_list",
      label: `sync a ${n(s.mapItems)}-item map: node list`,
      op: sync(p.mapExecution, false),
    },
    {
      key: "sync_map_full",
      label: `sync a ${
        n(s.mapItems)
      }-item map: full (node inputs/outputs, attempts)`,
      op: sync(p.mapExecution, true),
    },
    {
      key: "upload",
      label: `upload ${size} (md5 + signed URL + PUT)`,
      op: () => ({ op: "upload", args: { path: p.bigFile } }),
      curl: "upload",
    },
    {
      key: "download",
      label: `download ${size} from a signed URL`,
      op: (_, side) => ({
        op: "download",
        args: {
          url: p.downloadUrl,
          path: `${p.scratch}/download-${side}.bin`,
          bytes: s.fileBytes,
        },
      }),
      curl: "download",
    },
    {
      key: "ints",
      label: `${n(s.ints)} ints to a literal map, bytes and back`,
      op: () => ({ op: "ints", args: { n: s.ints } }),
    },
    {
      key: "records",
      label: `${
        n(s.records)
      } records (9 fields) to a literal map, bytes and back`,
      op: () => ({ op: "records", args: { n: s.records } }),
    },
    {
      key: "register",
      label:
        `register a ${s.workflowTasks}-task workflow (tasks, workflow, launch plan)`,
      op: (round, side) => ({
        op: "register",
        args: { n: s.workflowTasks, version: `${side}-r${round}` },
      }),
    },
  ];
}
