"""flytekit's side of bench/sync_full.ts (the mirror of sync_ours.ts).

One fresh process per call:
  python sync_flytekit.py <host:port> <execution name> <runs>

Connects (one list_projects first, so the channel is up), then `runs` times:
fetch_execution + sync_execution(ex, sync_nodes=True) (which fetches every
node's data, task attempts and their data), and reads every top-level node's
inputs and outputs (LiteralsResolver.get of each literal, decoded through the
interface). Prints one line
  @@sync {"ms": [...], "nodes": n, "values": v, "hwm": bytes}
"""

import json
import os
import sys
import time

from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

out = os.fdopen(os.dup(1), "w")
sys.stdout = sys.stderr  # anything flytekit prints stays off the reply line

endpoint, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
remote = FlyteRemote(
    Config.for_endpoint(endpoint, insecure=True),
    default_project="flytesnacks",
    default_domain="development",
)
remote.client.list_projects_paginated(limit=1)


def read(resolver):
    if resolver is None:
        return 0
    for k in resolver.literals:
        resolver.get(k)
    return len(resolver.literals)


ms = []
nodes = values = 0
for _ in range(runs):
    t0 = time.perf_counter()
    ex = remote.fetch_execution(name=name)
    ex = remote.sync_execution(ex, sync_nodes=True)
    nodes = values = 0
    for n in ex.node_executions.values():
        nodes += 1
        values += read(n.inputs)
        if n.is_done and not n.error:
            values += read(n.outputs)
    ms.append((time.perf_counter() - t0) * 1000)

hwm = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        hwm = int(line.split()[1]) * 1024
out.write("@@sync " + json.dumps({"ms": ms, "nodes": nodes, "values": values, "hwm": hwm}) + "\n")
out.flush()
