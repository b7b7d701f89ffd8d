"""Runs cells (a JSON list of sources, argv[1]) as a notebook on the "deno"
kernel with nbclient, in the folder argv[2]; prints stream outputs and one
"ERROR cell N: ..." line per failing cell. Used by the notebook suite."""
import json, os, sys
import nbformat
from nbclient import NotebookClient
cells = json.load(open(sys.argv[1]))
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "deno", "display_name": "Deno", "language": "typescript"}
nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
client = NotebookClient(nb, timeout=120, kernel_name="deno", resources={"metadata": {"path": sys.argv[2]}})
try:
    client.execute()
finally:
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []):
            if o.get("output_type") == "stream":
                sys.stdout.write(o["text"])
            elif o.get("output_type") == "error":
                sys.stdout.write("ERROR cell %d: %s %s\n" % (i + 1, o.get("ename"), o.get("evalue")))
