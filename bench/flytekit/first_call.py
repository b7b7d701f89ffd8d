"""bench/flytekit's fresh-process row, flytekit's side (the mirror of
bench/remote_first_call.ts): start, import, connect, list projects (first
page). Usage: python first_call.py <host:port>"""

import sys

from flytekit.configuration import Config
from flytekit.remote import FlyteRemote

remote = FlyteRemote(Config.for_endpoint(sys.argv[1], insecure=True))
remote.client.list_projects_paginated(limit=1)
