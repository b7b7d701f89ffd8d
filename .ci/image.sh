#!/usr/bin/env bash
# Builds the task image for TypeScript tasks (`deno task image`), tagged as the
# default image task templates name. IMAGE=... overrides the tag.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' deno.json)
IMAGE="${IMAGE:-ghcr.io/flyte-deno/runtime:$VERSION}"
if ! command -v docker >/dev/null 2>&1; then
  echo "deno task image: docker is not installed on this machine; build the Dockerfile elsewhere:" >&2
  echo "  docker build -t $IMAGE ." >&2
  exit 1
fi
docker build -t "$IMAGE" .
echo "built $IMAGE (push it to a registry your cluster can pull from, e.g. docker push $IMAGE)"
