/**
 * Rich display: flyteidl messages and plain values as Jupyter mime bundles
 * (self-contained text/html plus a concise text/plain), and live progress.
 * The notebook (through FlyteRemote's objects) and the sandbox's console
 * pages draw with the same functions.
 *
 * Imports only src/types and the flyteidl bindings.
 *
 * @example
 * ```ts
 * import { renderValue } from "./mod.ts";
 * const bundle = renderValue({ total: 3 });
 * console.log(bundle["text/plain"]); // "{total: 3}"
 * ```
 *
 * @module
 */
export {
  badge,
  CSS,
  esc,
  formatDate,
  formatDuration,
  link,
  MAX_ITEMS,
  MAX_STRING,
  type MimeBundle,
  table,
  truncate,
  wrap,
} from "./html.ts";
export {
  datasetHtml,
  literalHtml,
  literalMapHtml,
  literalMapPlain,
  literalPlain,
  plainValue,
  typeName,
  valueHtml,
} from "./values.ts";
export {
  elapsedMs,
  type ExecutionLike,
  executionPhase,
  type NodeExecutionLike,
  nodeTableHtml,
  phaseCounts,
  type TaskExecutionLike,
} from "./nodes.ts";
export {
  errorHtml,
  renderExecution,
  renderNodeExecution,
  renderTaskExecution,
} from "./execution.ts";
export {
  renderLaunchPlan,
  renderTask,
  renderWorkflow,
  variablesHtml,
} from "./entity.ts";
export { MAX_GRAPH_NODES, workflowGraphSvg } from "./graph.ts";
export {
  renderExecutionList,
  renderList,
  renderSignals,
  renderSpans,
  renderValue,
  show,
} from "./misc.ts";
export {
  LiveDisplay,
  type LiveTarget,
  progressLine,
  renderProgress,
} from "./progress.ts";
