/** Executions, node and task executions as mime bundles. */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  NodeExecution_Phase,
  TaskExecution_Phase,
  WorkflowExecution_Phase,
} from "@flyteidl/core/execution_pb.ts";
import {
  formatDuration,
  phaseCounts,
  renderExecution,
  renderNodeExecution,
  renderTaskExecution,
} from "../../src/display/mod.ts";
import { execution, failed, lmap, node, T0 } from "./display_fixtures.ts";

Deno.test("display execution: phase badge, start, duration, inputs, nodes, console link", () => {
  const e = execution(3, WorkflowExecution_Phase.SUCCEEDED);
  e.outputLiterals = lmap({ total: 42 });
  const b = renderExecution(e);
  const h = b["text/html"];
  assertStringIncludes(h, '<span class="fd-b fd-ok">SUCCEEDED</span>');
  assertStringIncludes(h, "2026-01-02 03:04:05 UTC");
  assertStringIncludes(h, "1m 05s");
  assertStringIncludes(h, "<h4>Inputs</h4>");
  assertStringIncludes(h, "&lt;b&gt;x&lt;/b&gt;"); // an input value, escaped
  assertStringIncludes(h, "<code>42</code>");
  assertStringIncludes(h, `href="${e.consoleUrl}"`);
  assertStringIncludes(h, `href="${e.consoleUrl}?nodeId=n1"`);
  assertStringIncludes(h, 'href="http://127.0.0.1:30080/logs/n2/0"');
  assertStringIncludes(
    h,
    'href="http://localhost:30080/console/projects/flytesnacks/domains/development/launch_plan/wf/version/v1"',
  );
  assertStringIncludes(h, "/workflow/wf/version/v1");
  assert(h.startsWith('<div class="fd"><style>'));
  assert(!h.includes("<script"));
  const p = b["text/plain"];
  assertEquals(
    p.split("\n")[0],
    "Execution flytesnacks/development/f1a2b3 SUCCEEDED (1m 05s)",
  );
  assertStringIncludes(p, "nodes: 3 succeeded");
  assertStringIncludes(p, "outputs: total=42");
  assertStringIncludes(p, e.consoleUrl!);
});

Deno.test("display execution: inputs not fetched say so (not 'none')", () => {
  const e = execution(0);
  e.inputLiterals = undefined;
  assertStringIncludes(
    renderExecution(e)["text/html"],
    '<h4>Inputs</h4><span class="fd-m">not fetched</span>',
  );
});

Deno.test("display execution: a running execution's duration is measured from its start", () => {
  const e = execution(1);
  const b = renderExecution(e, T0 + 12_300);
  assertStringIncludes(b["text/html"], 'fd-run">RUNNING');
  assertStringIncludes(b["text/plain"], "RUNNING (12.3 s)");
});

Deno.test("display execution: the error with its kind and message, escaped", () => {
  const b = renderExecution(failed());
  assertStringIncludes(
    b["text/html"],
    "<b>USER error</b> <code>USER:ValueError</code>",
  );
  assertStringIncludes(
    b["text/html"],
    "boom &lt;script&gt;alert(1)&lt;/script&gt;",
  );
  assert(!b["text/html"].includes("<script>"));
  assertStringIncludes(
    b["text/plain"],
    "USER error USER:ValueError: boom <script>",
  );
  const huge = renderExecution(failed("e".repeat(1_000_000)));
  assert(huge["text/html"].length < 20_000);
  assertStringIncludes(huge["text/html"], "more characters");
});

Deno.test("display execution: nested nodes are indented under their parent, attempts counted", () => {
  const e = execution(0);
  const parent = node("n0", NodeExecution_Phase.RUNNING, []);
  parent.kind = "subworkflow";
  parent.children = new Map([[
    "n0-0-n0",
    node("n0-0-n0", NodeExecution_Phase.SUCCEEDED, [
      TaskExecution_Phase.FAILED,
      TaskExecution_Phase.SUCCEEDED,
    ]),
  ]]);
  e.nodeExecutions = new Map([["n0", parent], [
    "start-node",
    node("start-node", NodeExecution_Phase.SUCCEEDED),
  ]]);
  const h = renderExecution(e)["text/html"];
  assertStringIncludes(h, '<span class="fd-m">· </span>');
  assertStringIncludes(h, "n0-0-n0");
  assert(!h.includes(">start-node<"));
  assertEquals(
    phaseCounts([
      parent.raw,
      (parent.children as Map<string, typeof parent>).get("n0-0-n0")!.raw,
    ]),
    { RUNNING: 1, SUCCEEDED: 1 },
  );
  const n = renderNodeExecution(parent, "http://c/x?nodeId=n0");
  assertStringIncludes(n["text/html"], "Child nodes");
  assertStringIncludes(
    n["text/plain"],
    "Node n0 of flytesnacks/development/f1a2b3 RUNNING",
  );
});

Deno.test("display execution: 1,000 nodes render as one table; beyond the cap a note", () => {
  const h = renderExecution(execution(1000))["text/html"];
  assertEquals((h.match(/\?nodeId=/g) ?? []).length, 1000);
  assertStringIncludes(h, '100 <span class="fd-b fd-run">RUNNING</span>');
  const big = renderExecution(execution(2500))["text/html"];
  assertStringIncludes(big, "… 500 more rows (2,500 in all)");
});

Deno.test("display execution: node and task executions show attempts, logs and data", () => {
  const n = node("n7", NodeExecution_Phase.SUCCEEDED, [
    TaskExecution_Phase.FAILED,
    TaskExecution_Phase.SUCCEEDED,
  ]);
  n.outputLiterals = lmap({ o0: "done" });
  const b = renderNodeExecution(n);
  assertStringIncludes(b["text/html"], "<h4>Attempts</h4>");
  assertStringIncludes(b["text/html"], 'fd-bad">FAILED');
  assertStringIncludes(b["text/plain"], "attempts: 2");
  assertStringIncludes(b["text/plain"], 'outputs: o0="done"');
  const t = renderTaskExecution(
    n.taskExecutions![1],
    "http://c/e?nodeId=n7&retryAttempt=1",
  );
  assertStringIncludes(t["text/html"], "Task wf.double@v1");
  assertStringIncludes(t["text/html"], "n7 attempt 1");
  assertStringIncludes(
    t["text/html"],
    'href="http://c/e?nodeId=n7&amp;retryAttempt=1"',
  );
  assertStringIncludes(
    t["text/plain"],
    "log stdout: http://127.0.0.1:30080/logs/n7/1",
  );
});

Deno.test("display execution: durations", () => {
  assertEquals(formatDuration(850), "850 ms");
  assertEquals(formatDuration(12_340), "12.3 s");
  assertEquals(formatDuration(3_723_000), "1h 02m");
  assertEquals(formatDuration(undefined), "");
});

Deno.test("display execution: the attempts and logs columns appear only when some node has them", () => {
  const e = execution(0);
  const bare = node("n0", NodeExecution_Phase.SUCCEEDED, []);
  e.nodeExecutions = new Map([["n0", bare]]);
  const h = renderExecution(e)["text/html"];
  assert(!h.includes("<th>logs</th>") && !h.includes("<th>attempts</th>"));
  assertStringIncludes(
    renderExecution(execution(2))["text/html"],
    "<th>logs</th>",
  );
});
