#!/usr/bin/env bash
# Installs what the suites need beyond Deno (called by .ci/run; also `deno task setup-python`).
# Idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python + flytekit in a project-local virtual environment (.venv), for the flytekit
# hello-world that runs against the sandbox (issue 5). The engine finds .venv/bin
# commands (pyflyte-execute, pyflyte-fast-execute) there.
# The Kubernetes client is what flytekit needs to serialize a task's pod template
# (the pod-template task of the same suite).
FLYTEKIT_VERSION=1.16.31
KUBERNETES_VERSION=33.1.0
PY="${PYTHON:-python3}"
STAMP=".venv/.flytekit-$FLYTEKIT_VERSION-kubernetes-$KUBERNETES_VERSION"
if [ ! -f "$STAMP" ] || [ ! -x .venv/bin/pyflyte-execute ]; then
  if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c "import ensurepip" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv python3-pip
    PY=/usr/bin/python3
  fi
  rm -rf .venv
  "$PY" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --no-input \
    "flytekit==$FLYTEKIT_VERSION" "kubernetes==$KUBERNETES_VERSION"
  .venv/bin/pip check
  touch "$STAMP"
fi
# pydantic v2 for flytekit's pydantic transformer (BaseModel inputs and
# outputs, attribute paths into them, the golden-literal suite's BaseModel
# cases): added to the same venv when missing.
PYDANTIC_VERSION=2.14.3
PYDANTIC_STAMP=".venv/.pydantic-$PYDANTIC_VERSION"
if [ ! -f "$PYDANTIC_STAMP" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check --no-input \
    "pydantic==$PYDANTIC_VERSION"
  .venv/bin/pip check
  touch "$PYDANTIC_STAMP"
fi
echo "flytekit $FLYTEKIT_VERSION, kubernetes $KUBERNETES_VERSION and pydantic $PYDANTIC_VERSION in .venv"

# The notebook suite (deno task test:notebooks): Jupyter's own client and
# nbconvert from Debian (run with /usr/bin/python3), and Chromium for the
# screenshots. Only what is missing is installed.
NOTEBOOK_PKGS="python3-nbclient jupyter-client jupyter-nbconvert chromium"
missing=""
for p in $NOTEBOOK_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
echo "notebook suite tools: $NOTEBOOK_PKGS"
# bench:flytekit (its --short mode runs in CI) times curl beside the transfers.
if ! command -v curl >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl
fi
# moto's S3 server (server mode) in its own venv, so its dependencies never meet
# flytekit's: the runtime's s3:// test starts it on loopback.
MOTO_VERSION=5.1.18
MOTO_STAMP=".venv-moto/.moto-$MOTO_VERSION"
if [ ! -f "$MOTO_STAMP" ] || [ ! -x .venv-moto/bin/moto_server ]; then
  rm -rf .venv-moto
  "$PY" -m venv .venv-moto
  .venv-moto/bin/pip install --quiet --disable-pip-version-check --no-input \
    "moto[server]==$MOTO_VERSION"
  touch "$MOTO_STAMP"
fi
echo "moto $MOTO_VERSION in .venv-moto"
