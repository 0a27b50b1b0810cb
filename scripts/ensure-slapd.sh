#!/usr/bin/env bash
# Installs OpenLDAP (slapd + ldap-utils) for the Netlogon tests; each test file runs its own private slapd.
# `--check`: install nothing; one line naming what is missing and the command that installs it, exit 1.
set -euo pipefail
if [ -x /usr/sbin/slapd ] && command -v ldapsearch >/dev/null; then exit 0; fi
if [ "${1:-}" = --check ]; then
  echo "missing: OpenLDAP slapd and ldapsearch (the Netlogon tests); install them with: sudo bash scripts/ensure-slapd.sh (Debian: packages slapd, ldap-utils)"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Preseeded so the package installs without questions; the system slapd it configures is not used by tests.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends slapd ldap-utils
