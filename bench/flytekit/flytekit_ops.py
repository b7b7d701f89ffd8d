"""flytekit's side of bench/flytekit (the mirror of ours_ops.ts).

A long-lived process that builds one FlyteRemote for the sandbox and runs
the operations the driver sends, one JSON line each on stdin, answering a
line "@@bench {json}" on stdout with the time of the operation alone
({"ms": ...} or {"error": ...}). With --once '<op json>' it runs one
operation in a fresh process and also reports RSS before it and the peak
RSS (VmHWM), for the memory rows.

Usage: python flytekit_ops.py <host:port> [--once '<op json>']
"""

import importlib
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

from flyteidl.core import literals_pb2
from flytekit.clients.helpers import iterate_node_executions
from flytekit.configuration import Config, ImageConfig, SerializationSettings
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import TypeEngine
from flytekit.models.core.execution import WorkflowExecutionPhase
from flytekit.models.literals import LiteralMap
from flytekit.remote import FlyteRemote

PROJECT, DOMAIN = "flytesnacks", "development"
out = os.fdopen(os.dup(1), "w")
sys.stdout = sys.stderr  # anything flytekit prints stays off the reply channel

remote = FlyteRemote(
    Config.for_endpoint(sys.argv[1], insecure=True),
    default_project=PROJECT,
    default_domain=DOMAIN,
)
tasks = {}
chains = {}


@dataclass
class Row:
    id: int
    sku: str
    price: float
    qty: int
    in_stock: bool
    tags: List[str]
    note: Optional[str]
    when: datetime
    ttl: timedelta


def values(op, n):
    if op == "ints":
        return [i * 7 - 3_000_000 for i in range(n)]
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return [
        Row(i, f"sku-{i}", i * 0.25, i % 17, i % 3 == 0, ["a", "bb"],
            None if i % 2 else "note", base + timedelta(seconds=i),
            timedelta(seconds=i % 3600))
        for i in range(n)
    ]


def chain(n):
    """A module of n tasks and a workflow chaining them (imported once)."""
    if n in chains:
        return chains[n]
    d = tempfile.mkdtemp(prefix="bench-chain-")
    name = f"bench_chain{n}"
    src = ["from flytekit import task, workflow", ""]
    for i in range(n):
        src += ["@task", f"def t{i}(x: int) -> int:", f"    return x + {i}", ""]
    src += ["@workflow", "def wf(x: int) -> int:", "    y = x"]
    src += [f"    y = t{i}(x=y)" for i in range(n)]
    src += ["    return y", ""]
    pathlib.Path(d, f"{name}.py").write_text("\n".join(src))
    sys.path.insert(0, d)
    chains[n] = importlib.import_module(name).wf
    return chains[n]


def run(op, a):
    ctx = FlyteContextManager.current_context()
    if op == "execute":
        key = a["version"]
        if key not in tasks:
            tasks[key] = remote.fetch_task(name=a["name"], version=a["version"])
        t0 = time.perf_counter()
        ex = remote.execute(tasks[key], inputs={"x": 1}, wait=False)
        # flytekit's default poll interval is 30 s; 50 ms is its best case.
        ex = remote.wait(ex, poll_interval=timedelta(milliseconds=50), sync_nodes=False)
        ms = (time.perf_counter() - t0) * 1000
        if ex.closure.phase != WorkflowExecutionPhase.SUCCEEDED:
            raise RuntimeError(f"execute: phase {ex.closure.phase}")
        return ms
    if op == "sync":
        t0 = time.perf_counter()
        ex = remote.fetch_execution(name=a["name"])
        if a["full"]:
            ex = remote.sync_execution(ex, sync_nodes=True)
            n = len(ex.node_executions)
        else:
            n = len(list(iterate_node_executions(remote.client, workflow_execution_identifier=ex.id)))
        ms = (time.perf_counter() - t0) * 1000
        if n == 0:
            raise RuntimeError("sync: no nodes")
        return ms
    if op == "upload":
        t0 = time.perf_counter()
        remote.upload_file(pathlib.Path(a["path"]))
        return (time.perf_counter() - t0) * 1000
    if op == "download":
        t0 = time.perf_counter()
        ctx.file_access.get_data(a["url"], a["path"])
        ms = (time.perf_counter() - t0) * 1000
        # fsspec's HTTP file system writes the file into a folder of that name.
        got = sum(f.stat().st_size for f in pathlib.Path(a["path"]).rglob("*") if f.is_file()) \
            if os.path.isdir(a["path"]) else os.path.getsize(a["path"])
        shutil.rmtree(a["path"]) if os.path.isdir(a["path"]) else os.remove(a["path"])
        if got != a["bytes"]:
            raise RuntimeError(f"download: {got} bytes, expected {a['bytes']}")
        return ms
    if op in ("ints", "records"):
        hints = {"xs": List[int] if op == "ints" else List[Row]}
        xs = values(op, a["n"])
        t0 = time.perf_counter()
        lm = TypeEngine.dict_to_literal_map(ctx, {"xs": xs}, hints)
        data = lm.to_flyte_idl().SerializeToString()
        lm2 = LiteralMap.from_flyte_idl(literals_pb2.LiteralMap.FromString(data))
        back = TypeEngine.literal_map_to_kwargs(ctx, lm2, python_types=hints)
        ms = (time.perf_counter() - t0) * 1000
        if len(back["xs"]) != len(xs):
            raise RuntimeError(op)
        return ms
    if op == "register":
        wf = chain(a["n"])
        settings = SerializationSettings(
            image_config=ImageConfig.auto_default_image(),
            project=PROJECT, domain=DOMAIN, version=a["version"],
        )
        t0 = time.perf_counter()
        remote.register_workflow(wf, serialization_settings=settings, version=a["version"])
        return (time.perf_counter() - t0) * 1000
    raise ValueError(f"unknown op {op}")


def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def reply(obj):
    out.write("@@bench " + json.dumps(obj) + "\n")
    out.flush()


if len(sys.argv) > 2 and sys.argv[2] == "--once":
    req = json.loads(sys.argv[3])
    before = kb("VmRSS")
    ms = run(req["op"], req["args"])
    reply({"ms": ms, "rssBefore": before, "hwm": kb("VmHWM")})
else:
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            reply({"ms": run(req["op"], req["args"])})
        except Exception:
            reply({"error": traceback.format_exc()})
