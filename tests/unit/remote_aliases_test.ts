/**
 * The deprecated names on FlyteRemote (issue 17): each forwards to the
 * sub-client call that replaced it, with the same arguments, and returns
 * what that call returns; and the facade's own upload/download are the
 * data sub-client's.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { FlyteRemote } from "../../src/remote/mod.ts";
import type { RemoteConnection } from "../../src/remote/connect.ts";

/** Old name → [sub-client, new name]. */
const ALIASES: Record<string, [string, string]> = {
  fetchTaskLazy: ["entities", "fetchTaskLazy"],
  fetchWorkflowLazy: ["entities", "fetchWorkflowLazy"],
  fetchActiveLaunchPlan: ["entities", "fetchActiveLaunchPlan"],
  listTasksByVersion: ["entities", "listTasksByVersion"],
  listProjects: ["entities", "listProjects"],
  getDomains: ["entities", "getDomains"],
  activateLaunchPlan: ["entities", "activateLaunchPlan"],
  deactivateLaunchPlan: ["entities", "deactivateLaunchPlan"],
  registerTask: ["entities", "registerTask"],
  registerWorkflow: ["entities", "registerWorkflow"],
  registerLaunchPlan: ["entities", "registerLaunchPlan"],
  recentExecutions: ["executions", "recentExecutions"],
  relaunch: ["executions", "relaunch"],
  terminate: ["executions", "terminate"],
  watch: ["executions", "watch"],
  launchBackfill: ["executions", "launchBackfill"],
  syncNodeExecution: ["monitor", "syncNodeExecution"],
  syncTaskExecution: ["monitor", "syncTaskExecution"],
  getExecutionMetrics: ["monitor", "getExecutionMetrics"],
  listSignals: ["signals", "listSignals"],
  approve: ["signals", "approve"],
  reject: ["signals", "reject"],
  setInput: ["signals", "setInput"],
  uploadDirectory: ["data", "uploadDirectory"],
  getData: ["data", "getData"],
  fastPackage: ["interactive", "fastPackage"],
  registerScript: ["interactive", "registerScript"],
};

function remoteWithRecorders() {
  const remote = new FlyteRemote({} as RemoteConnection, {
    defaultProject: "p",
    defaultDomain: "d",
  });
  const calls: { where: string; args: unknown[] }[] = [];
  const interactive: Record<string, unknown> = {};
  const targets: Record<string, Record<string, unknown>> = {
    entities: remote.entities as unknown as Record<string, unknown>,
    executions: remote.executions as unknown as Record<string, unknown>,
    monitor: remote.monitor as unknown as Record<string, unknown>,
    signals: remote.signals as unknown as Record<string, unknown>,
    data: remote.data as unknown as Record<string, unknown>,
    interactive,
  };
  for (const [sub, method] of Object.values(ALIASES)) {
    targets[sub][method] = (...args: unknown[]) => {
      const result = { from: `${sub}.${method}` };
      calls.push({ where: `${sub}.${method}`, args });
      return result;
    };
  }
  (remote as unknown as { interactive: () => Promise<unknown> }).interactive =
    () => Promise.resolve(interactive);
  return { remote, calls };
}

Deno.test("remote aliases: every old name forwards to its sub-client call", async () => {
  const { remote, calls } = remoteWithRecorders();
  for (const [old, [sub, method]] of Object.entries(ALIASES)) {
    const args = [`${old}-arg1`, { n: 2 }, 3];
    const fn =
      (remote as unknown as Record<string, (...a: unknown[]) => unknown>)[old];
    const result = await fn.apply(remote, args);
    assertEquals(result, { from: `${sub}.${method}` }, old);
    const last = calls.at(-1)!;
    assertEquals(last.where, `${sub}.${method}`, old);
    // The forward passes the caller's arguments (getDomains takes none).
    const want = old === "getDomains" ? [] : args.slice(0, 1);
    assertEquals(last.args.slice(0, 1), want, old);
  }
  assertEquals(calls.length, Object.keys(ALIASES).length);
});

Deno.test("remote facade: upload and download are the data sub-client's", () => {
  const remote = new FlyteRemote({} as RemoteConnection);
  assert(remote.upload === remote.data.upload);
  assert(remote.download === remote.data.download);
  // Calling the data sub-client reads: a reader over the given source.
  const reader = remote.data("flyte://v1/p/d/e/n0/o/o0");
  assertEquals(typeof reader.text, "function");
  assertEquals(typeof remote.data.read, "function");
});
