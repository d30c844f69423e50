#!/usr/bin/env bash
# Installs what building and testing need when it is missing (Debian/Ubuntu): the PostgreSQL
# server, libpq and sqlite3 headers. Safe to run again: it installs nothing that is present.
set -euo pipefail
missing=()
pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
# `deps.sh build` skips the server: building and the demo need only the libraries.
if [ "${1:-}" != "build" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip)
  # The report tests deliver mail through msmtp and render summary.html in Chromium.
  command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)
  [ -x /usr/bin/time ] || missing+=(time)
  { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || missing+=(chromium)
fi
# The sqlite3 shell: make demo's Heroku Connect simulator, make bench's data.
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The local SMTP server the mail tests deliver to (PyPI's aiosmtpd).
if [ "${1:-}" != "build" ] && ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "installing: aiosmtpd"
  python3 -m pip install -q aiosmtpd 2>/dev/null \
    || python3 -m pip install -q --break-system-packages aiosmtpd 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"; $sudo apt-get update -qq; \
         DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null; }
fi
