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
echo "flytekit $FLYTEKIT_VERSION and kubernetes $KUBERNETES_VERSION in .venv"

# Headless Chromium for the browser tests (the sandbox guard's hostile page,
# notebook and console screenshots). Debian's package; skipped once present.
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium
fi
echo "chromium: $(chromium --version 2>/dev/null || echo missing)"
