/**
 * A workflow's nodes as a small left-to-right SVG graph (layered by
 * dependencies), placed inside HTML so notebook exports keep it.
 *
 * @module
 */
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import { esc } from "./html.ts";

/** Most nodes drawn; bigger workflows get a note instead. */
export const MAX_GRAPH_NODES = 150;

const W = 150;
const H = 26;
const GX = 46;
const GY = 12;

const PHASE_COLOR: Record<string, string> = {
  SUCCEEDED: "#2da44e",
  FAILED: "#cf222e",
  TIMED_OUT: "#cf222e",
  RUNNING: "#0969da",
  QUEUED: "#0969da",
  ABORTED: "#bf8700",
  SKIPPED: "#8c959f",
};

function upstreamOf(n: Node): string[] {
  const ups = new Set(n.upstreamNodeIds);
  for (const b of n.inputs) {
    const v = b.binding?.value;
    if (v?.case === "promise" && v.value.nodeId) ups.add(v.value.nodeId);
  }
  return [...ups];
}

function label(n: Node): string {
  const name = n.metadata?.name ?? "";
  const short = name.split(".").pop() ?? "";
  const s = short && short !== n.id ? `${n.id} · ${short}` : n.id;
  return s.length > 22 ? `${s.slice(0, 21)}…` : s;
}

/**
 * The SVG (as an HTML string) of a workflow's nodes and their edges. Nodes
 * are coloured by `phases` (node id to phase name) when given.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { NodeSchema } from "@flyteidl/core/workflow_pb.ts";
 * import { workflowGraphSvg } from "./graph.ts";
 * const svg = workflowGraphSvg([create(NodeSchema, { id: "n0" })]);
 * ```
 */
export function workflowGraphSvg(
  nodes: Node[],
  phases: Record<string, string> = {},
): string {
  if (nodes.length === 0) return "";
  if (nodes.length > MAX_GRAPH_NODES) {
    return `<div class="fd-note">${
      nodes.length.toLocaleString("en-US")
    } nodes: too many to draw (the graph is drawn up to ${MAX_GRAPH_NODES})</div>`;
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle would be a compile error; do not loop
    visiting.add(id);
    const n = byId.get(id);
    let d = id === "start-node" ? 0 : 1;
    if (n) {
      for (const u of upstreamOf(n)) {
        if (byId.has(u)) d = Math.max(d, depth(u) + 1);
      }
    }
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  for (const n of nodes) depth(n.id);
  const end = byId.get("end-node");
  if (end && upstreamOf(end).length === 0) {
    layer.set(
      "end-node",
      Math.max(...[...layer.values()]) + (nodes.length > 1 ? 1 : 0),
    );
  }
  const columns: string[][] = [];
  for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n.id);
  const cols = columns.filter((c) => c?.length);
  const pos = new Map<string, { x: number; y: number }>();
  const tallest = Math.max(...cols.map((c) => c.length));
  cols.forEach((c, ci) => {
    const off = ((tallest - c.length) * (H + GY)) / 2;
    c.forEach((id, ri) =>
      pos.set(id, { x: 4 + ci * (W + GX), y: 4 + off + ri * (H + GY) })
    );
  });
  const width = 8 + cols.length * (W + GX) - GX;
  const height = 8 + tallest * (H + GY) - GY;
  let edges = "";
  for (const n of nodes) {
    const to = pos.get(n.id)!;
    for (const u of upstreamOf(n)) {
      const from = pos.get(u);
      if (!from) continue;
      const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2;
      const mx = (x1 + x2) / 2;
      edges += `<path d="M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${
        x2 - 4
      } ${y2}" fill="none" stroke="#8c959f" stroke-width="1.2" marker-end="url(#fd-arrow)"/>`;
    }
  }
  let boxes = "";
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const color = PHASE_COLOR[phases[n.id] ?? ""] ?? "#8c959f";
    const terminal = n.id === "start-node" || n.id === "end-node";
    boxes += `<g><title>${esc(n.id)}${
      n.metadata?.name ? ` (${esc(n.metadata.name)})` : ""
    }${
      phases[n.id] ? ` ${esc(phases[n.id])}` : ""
    }</title><rect class="fd-nb" x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${
      terminal ? 13 : 4
    }" fill="#fff"/><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${
      terminal ? 13 : 4
    }" fill="${color}" fill-opacity="0.14" stroke="${color}" stroke-width="1.5"/><text x="${
      p.x + W / 2
    }" y="${p.y + H / 2 + 4}" text-anchor="middle">${
      esc(terminal ? n.id.replace("-node", "") : label(n))
    }</text></g>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="workflow graph"><defs><marker id="fd-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="#8c959f"/></marker></defs>${edges}${boxes}</svg>`;
}
