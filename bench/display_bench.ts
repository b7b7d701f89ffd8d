// Rendering cost of the notebook display (src/display): a finished execution
// with 1,000 task nodes (each with an attempt and a log link) to its full
// mime bundle (aim < 50 ms), and one live-progress update of a running
// execution with 1,000 nodes (aim < 5 ms), plus the 10,000-element list and
// 1 MB string values that are cut with a note.
import { WorkflowExecution_Phase } from "@flyteidl/core/execution_pb.ts";
import {
  renderExecution,
  renderProgress,
  renderValue,
} from "../src/display/mod.ts";
import { execution } from "../tests/unit/display_fixtures.ts";

const done = execution(1000, WorkflowExecution_Phase.SUCCEEDED);
const running = execution(1000);
const runningNodes = [
  ...(running.nodeExecutions as Map<string, { raw: never }>).values(),
].map((n) => n.raw);
const bigList = Array.from({ length: 10_000 }, (_, i) => i);
const bigString = "x".repeat(1024 * 1024);

Deno.bench(
  "render an execution with 1,000 nodes (text/html + text/plain)",
  () => {
    renderExecution(done);
  },
);

Deno.bench("live progress update, 1,000 nodes", () => {
  renderProgress(running.raw, runningNodes);
});

Deno.bench("render a 10,000-element list value", () => {
  renderValue(bigList);
});

Deno.bench("render a 1 MB string value", () => {
  renderValue(bigString);
});
