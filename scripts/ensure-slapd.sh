#!/usr/bin/env bash
# Installs OpenLDAP (slapd + ldap-utils) for the Netlogon tests; each test file runs its own private slapd.
set -euo pipefail
if command -v /usr/sbin/slapd >/dev/null && command -v ldapsearch >/dev/null; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
# Preseeded so the package installs without questions; the system slapd it configures is not used by tests.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends slapd ldap-utils
