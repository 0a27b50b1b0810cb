#!/usr/bin/env bash
# A real Active Directory domain controller for the Netlogon tests: Debian's Samba, provisioned once
# as the AD DC of CORP.TEST in a directory of its own (not /var/lib/samba), listening on loopback
# only, started if not running. Idempotent; every test file shares it and makes its own users.
# `--check`: change nothing; one line naming what is missing and the command that fixes it, exit 1.
set -euo pipefail
DIR="${GATEHOUSE_SAMBA_DIR:-/var/lib/gatehouse-samba}"
REALM=CORP.TEST
HOST=dc1
ADMIN_PASSWORD="${GATEHOUSE_SAMBA_ADMIN_PASSWORD:-Gatehouse-Admin-1}"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

running() { [ -f "$DIR/run/samba.pid" ] && kill -0 "$(cat "$DIR/run/samba.pid")" 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null; }
mapped() { grep -qE "^127\.0\.0\.1[[:space:]].*\b$HOST\.corp\.test\b" /etc/hosts; }

if [ "${1:-}" = --check ]; then
  if command -v samba >/dev/null && [ -f "$DIR/lockout-threshold-3" ] && running && mapped; then exit 0; fi
  echo "missing: the Samba AD domain controller of CORP.TEST (the Netlogon tests): provision and start it with: sudo bash scripts/ensure-samba.sh (Debian: packages samba, samba-ad-provision, samba-dsdb-modules, samba-vfs-modules, winbind, ldb-tools)"
  exit 1
fi

# samba's recommendations (samba-ad-provision: the AD schema; samba-dsdb-modules: the directory's ldb
# modules; samba-vfs-modules: the sysvol ACLs) are needed to provision a DC: installed with them, and named so a minimal apt setup gets them.
if ! command -v samba >/dev/null || ! command -v samba-tool >/dev/null || ! command -v ldbmodify >/dev/null \
  || ! dpkg -s samba-ad-provision samba-dsdb-modules samba-vfs-modules >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq samba samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind ldb-tools
fi

if [ ! -f "$DIR/provisioned" ]; then
  # A provision cut off half-way is started again from scratch; sam.ldb records absolute paths, so it is made in place.
  $SUDO rm -rf "$DIR"
  $SUDO mkdir -p "$DIR/run" "$DIR/log"
  # --host-name fixes the DC's certificate name (dc1.corp.test) whatever the machine is called.
  $SUDO samba-tool domain provision --targetdir="$DIR" --realm="$REALM" --domain=CORP --server-role=dc \
    --host-name="$HOST" --dns-backend=NONE --adminpass="$ADMIN_PASSWORD" --use-rfc2307 \
    --option="interfaces=lo" --option="bind interfaces only=yes" \
    --option="server services=-dns -nbt -wrepl -winbindd -ntp_signd -kcc -dnsupdate -smb -s3fs" \
    --option="pid directory=$DIR/run" --option="log file=$DIR/log/samba.log" >"$DIR/log/provision.log" 2>&1 \
    || { tail -20 "$DIR/log/provision.log" >&2; exit 1; }
  $SUDO touch "$DIR/provisioned"
fi

CONF="$DIR/etc/smb.conf"
if ! running; then
  # A daemon whose pid file is stale or that lost its port is started again.
  if [ -f "$DIR/run/samba.pid" ] && kill -0 "$(cat "$DIR/run/samba.pid")" 2>/dev/null; then $SUDO kill "$(cat "$DIR/run/samba.pid")" || true; sleep 1; fi
  $SUDO samba -s "$CONF"
fi

# The DC's TLS certificate names dc1.corp.test only (no subject alternative name).
if ! mapped; then
  [ -z "$(tail -c1 /etc/hosts)" ] || echo | $SUDO tee -a /etc/hosts >/dev/null
  echo "127.0.0.1 $HOST.corp.test" | $SUDO tee -a /etc/hosts >/dev/null
fi

for _ in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null; then break; fi
  sleep 0.5
done
(exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null || { echo "samba did not open port 636 (log: $DIR/log/samba.log)" >&2; exit 1; }

# Shared by all test files: AD locks an account after 3 bad passwords (the Done-when's threshold).
if [ ! -f "$DIR/lockout-threshold-3" ]; then
  $SUDO samba-tool domain passwordsettings set -s "$CONF" --account-lockout-threshold=3 --min-pwd-age=0 >/dev/null
  $SUDO touch "$DIR/lockout-threshold-3"
fi
