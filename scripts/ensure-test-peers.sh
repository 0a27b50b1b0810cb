#!/usr/bin/env bash
# `npm test` runs this first (package.json `pretest`): everything the tests need besides node_modules.
# Every other scripts/ensure-*.sh is asked with `--check` (fast, changes nothing); only a script that
# reports something missing runs for real, which needs Debian and root. Elsewhere the missing pieces
# are named, one line each with the command that installs them, and the test run stops.
set -euo pipefail
cd "$(dirname "$0")/.."

can_install=0
if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then can_install=1; fi

failed=0
for script in scripts/ensure-*.sh; do
  [ "$script" = scripts/ensure-test-peers.sh ] && continue
  if ! grep -q -- '--check' "$script"; then
    # No check mode: run it as it is (every ensure script is idempotent); it fails in its own words.
    bash "$script" || { echo "[test peers] $script failed"; failed=1; }
    continue
  fi
  report=$(bash "$script" --check 2>&1) && continue
  if [ "$can_install" = 1 ]; then
    echo "[test peers] $script: installing or starting what is missing"
    # Checked again afterwards: an install that ends without the tool in place still stops the run.
    if bash "$script" && report=$(bash "$script" --check 2>&1); then continue; fi
  fi
  printf '%s\n' "$report"
  failed=1
done

if [ "$failed" = 1 ]; then
  [ "$can_install" = 1 ] || echo "[test peers] npm test stops here: install the above (npm test does it by itself as root on Debian)."
  exit 1
fi
