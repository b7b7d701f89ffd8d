#!/usr/bin/env python3
"""Executes notebooks headless with the Deno kernel (Jupyter's own client,
nbclient), checks every code cell's outputs, and exports each executed
notebook to HTML (light and dark).

The Deno kernel sometimes reports `status: idle` before its last outputs
(execute_result, display_data, update_display_data, stream) arrive; stock
nbclient stops reading at idle and drops them. This runner keeps draining
iopub for a grace period after idle so no output is lost.

Cell checks come from the cell's metadata:
  "test": {"mime": ["text/html", ...],      # each must appear in some output
           "contains": ["SUCCEEDED", ...],  # each must appear in the outputs' data
           "absent": ["<west>", ...],       # none may appear in text/html outputs
           "updated": true}                 # a display was updated in place
Every code cell must finish without an error output.

usage: run_notebooks.py OUT_DIR NOTEBOOK...
"""
import json
import os
import sys
import time
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert import HTMLExporter

GRACE_S = 0.2


class DrainingClient(NotebookClient):
    """nbclient, reading iopub for GRACE_S after idle (late outputs kept)."""

    updates = 0

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        idle = False
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=GRACE_S if idle else None)
                )
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            if msg["msg_type"] == "update_display_data":
                self.updates += 1
                cell.metadata.setdefault("test_seen", {})["updated"] = True
            if idle and msg["msg_type"] == "status":
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True


def output_text(out):
    if out.get("output_type") == "stream":
        return out.get("text", "")
    if out.get("output_type") == "error":
        return "\n".join(out.get("traceback", [])) + out.get("evalue", "")
    data = out.get("data", {})
    return "\n".join(v if isinstance(v, str) else json.dumps(v) for v in data.values())


def check(nb, path):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"{os.path.basename(path)} cell {i}"
        outs = cell.get("outputs", [])
        for o in outs:
            if o.get("output_type") == "error":
                problems.append(f"{where}: {o.get('ename')}: {o.get('evalue')}")
        spec = cell.metadata.get("test")
        if not spec:
            continue
        mimes = set()
        for o in outs:
            mimes.update(o.get("data", {}).keys())
            if o.get("output_type") == "stream":
                mimes.add("stream/" + o.get("name", ""))
        for m in spec.get("mime", []):
            if m not in mimes:
                problems.append(f"{where}: no {m} output (got {sorted(mimes)})")
        text = "\n".join(output_text(o) for o in outs)
        for s in spec.get("contains", []):
            if s not in text:
                problems.append(f"{where}: outputs lack {s!r}: {text[:300]!r}")
        html = "\n".join(o.get("data", {}).get("text/html", "") for o in outs)
        for s in spec.get("absent", []):  # e.g. an unescaped value in the HTML
            if s in html:
                problems.append(f"{where}: HTML outputs contain {s!r}")
        if spec.get("updated") and not cell.metadata.get("test_seen", {}).get("updated"):
            problems.append(f"{where}: no display was updated in place")
        print(f"  {where}: ok ({', '.join(sorted(mimes)) or 'no output'})", flush=True)
    return problems


def export(nb, out_base):
    paths = []
    for theme in ("light", "dark"):
        exporter = HTMLExporter(template_name="lab", theme=theme)
        body, _ = exporter.from_notebook_node(nb)
        p = f"{out_base}.{theme}.html"
        with open(p, "w", encoding="utf-8") as f:
            f.write(body)
        paths.append(p)
    return paths


def main():
    out_dir, notebooks = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    problems = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        print(f"{path}: executing", flush=True)
        t0 = time.time()
        client = DrainingClient(
            nb,
            kernel_name="deno",
            timeout=300,
            startup_timeout=120,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        try:
            client.execute()
        except Exception as e:  # a cell error: keep the outputs so far, report it
            problems.append(f"{path}: {type(e).__name__}: {str(e)[-800:]}")
        base = os.path.join(out_dir, os.path.splitext(os.path.basename(path))[0])
        problems += check(nb, path)
        nbformat.write(nb, base + ".executed.ipynb")
        for p in export(nb, base):
            print(f"  html {p}", flush=True)
        print(f"{path}: {time.time() - t0:.1f} s, {client.updates} display updates", flush=True)
    if problems:
        print("\nnotebook problems:\n  " + "\n  ".join(problems), flush=True)
        sys.exit(1)
    print("notebooks: all cells ok", flush=True)


if __name__ == "__main__":
    main()
