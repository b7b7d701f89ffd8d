"""Serializes flytekit entities of a module the way `pyflyte package` does
(flytekit's get_serializable) and prints them as JSON: tasks and workflows
by name (their templates), launch plans by name (their specs).

usage: python serialize.py <dir> <module> <name>...
"""

import importlib
import json
import sys
from collections import OrderedDict

from flytekit import LaunchPlan
from flytekit.configuration import Image, ImageConfig, SerializationSettings
from flytekit.core.workflow import WorkflowBase
from flytekit.tools.translator import get_serializable
from google.protobuf.json_format import MessageToDict

sys.path.insert(0, sys.argv[1])
mod = importlib.import_module(sys.argv[2])
settings = SerializationSettings(
    image_config=ImageConfig(default_image=Image(name="default", fqn="img", tag="v")),
    project="p",
    domain="d",
    version="v1",
)
entities = OrderedDict()
for name in sys.argv[3:]:
    e = getattr(mod, name)
    get_serializable(entities, settings, e)
    if isinstance(e, WorkflowBase):
        get_serializable(entities, settings, LaunchPlan.get_or_create(e))
out = {"tasks": {}, "workflows": {}, "launchPlans": {}}
for v in entities.values():
    kind = type(v).__name__
    idl = v.to_flyte_idl()
    if kind == "TaskSpec":
        out["tasks"][idl.template.id.name] = MessageToDict(idl.template)
    elif kind == "WorkflowSpec":
        out["workflows"][idl.template.id.name] = MessageToDict(idl.template)
    elif kind == "LaunchPlan":
        out["launchPlans"][idl.id.name] = MessageToDict(idl.spec)
print(json.dumps(out))
