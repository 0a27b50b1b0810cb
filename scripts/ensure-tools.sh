#!/usr/bin/env bash
# Tools the tests call besides Node: kubectl (`kubectl kustomize` renders deploy/ for
# tests/operations/deploy.e2e-spec.ts), docker compose (validates docker-compose.yml) and
# Chromium (tests/web drive it headless with playwright-core at /usr/bin/chromium).
# Debian's packages only; nothing is downloaded from elsewhere.
# `--check`: install nothing; one line per missing tool with the command that installs it, exit 1.
set -euo pipefail

need=()
if ! kubectl kustomize --help >/dev/null 2>&1; then need+=("kubectl|kubernetes-client"); fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then need+=("docker-compose|docker-compose"); fi
if [ ! -x /usr/bin/chromium ]; then need+=("chromium at /usr/bin/chromium|chromium"); fi
((${#need[@]})) || exit 0

if [ "${1:-}" = --check ]; then
  for item in "${need[@]}"; do
    echo "missing: ${item%%|*} (used by the tests); install it with: sudo apt-get install -y ${item##*|} (Debian), or: sudo bash scripts/ensure-tools.sh"
  done
  exit 1
fi
packages=("${need[@]##*|}")
echo "installing: ${packages[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
kubectl version --client 2>/dev/null | head -n 1 || true
/usr/bin/chromium --version 2>/dev/null || true
