#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and NATS (with JetStream) answer on their standard local ports,
# installing them from Debian's packages and starting them when they do not. Idempotent.
# `--check`: change nothing; one line per missing server with the command that provides it, exit 1.
set -euo pipefail

log() { printf '[servers] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 50); do port_open "$1" && return 0; sleep 0.2; done
  log "nothing answers on port $1"; return 1
}

if [ "${1:-}" = --check ]; then
  # Where a Docker engine runs, the tests start these servers in containers (testcontainers).
  if [ "${GATEHOUSE_TEST_DOCKER:-}" != 0 ] && docker info >/dev/null 2>&1; then exit 0; fi
  missing=0
  fix="sudo bash scripts/ensure-servers.sh (Debian), or run a Docker engine for testcontainers"
  port_open 5432 || { echo "missing: PostgreSQL on 127.0.0.1:5432; install and start it with: $fix"; missing=1; }
  port_open 6379 || { echo "missing: Redis on 127.0.0.1:6379; install and start it with: $fix"; missing=1; }
  command -v nats-server >/dev/null 2>&1 || { echo "missing: nats-server (each test file starts its own); install it with: sudo apt-get install -y nats-server (Debian)"; missing=1; }
  exit "$missing"
fi

apt_updated=0
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

if port_open 5432; then log "PostgreSQL answers on 5432"; else
  ls /etc/postgresql/*/main >/dev/null 2>&1 || need pg_ctlcluster postgresql
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  conf=/etc/postgresql/$version/main/pg_hba.conf
  # local development and CI only: trust on loopback, as this machine's image sets it up
  grep -q '^host all all 127.0.0.1/32 trust' "$conf" || sed -i '1i host all all 127.0.0.1/32 trust' "$conf"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432 && log "PostgreSQL started"
fi

if port_open 6379; then log "Redis answers on 6379"; else
  need redis-server redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 && log "Redis started"
fi

# Tests start private nats-server processes, so the binary must be there even when 4222 answers.
need nats-server nats-server
if port_open 4222; then log "NATS answers on 4222"; else
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 && log "NATS started"
fi
