#!/usr/bin/env bash
# Tools the tests call besides Node: kubectl (`kubectl kustomize` renders deploy/ for
# tests/operations/deploy.e2e-spec.ts), docker compose (validates docker-compose.yml) and
# Chromium (tests/web drive it headless with playwright-core at /usr/bin/chromium).
# Debian's packages only; nothing is downloaded from elsewhere.
set -euo pipefail

need=()
if ! kubectl kustomize --help >/dev/null 2>&1; then need+=(kubernetes-client); fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then need+=(docker-compose); fi
if [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi

if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
kubectl version --client 2>/dev/null | head -n 1 || true
/usr/bin/chromium --version 2>/dev/null || true
