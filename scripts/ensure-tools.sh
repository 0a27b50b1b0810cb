#!/usr/bin/env bash
# Tools the tests call besides Node: kubectl (`kubectl kustomize` renders deploy/ for
# tests/operations/deploy.e2e-spec.ts) and docker compose (validates docker-compose.yml).
# Debian's packages only; nothing is downloaded from elsewhere.
set -euo pipefail

need=()
if ! kubectl kustomize --help >/dev/null 2>&1; then need+=(kubernetes-client); fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then need+=(docker-compose); fi

if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
kubectl version --client 2>/dev/null | head -n 1 || true
