#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL for the tests and benchmarks.
#   scripts/pg-test-server.sh start DIR   prints the connection URL on stdout
#   scripts/pg-test-server.sh stop DIR
# As root it runs initdb and pg_ctl as the postgres user (initdb refuses root). The server
# listens on 127.0.0.1 only, on a free port, with password authentication over TCP, and
# fsync off: it holds nothing worth keeping. PG_TEST_SERVER_SETTINGS adds settings, as
# space-separated name=value pairs (the bench sizes shared_buffers with it).
set -euo pipefail
cmd=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/pg_ctl" ] || { echo "no PostgreSQL server programs found (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  # A server left running in DIR (an earlier start without a stop) is stopped before its files go.
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  mkdir -p "$dir"
  password="leadsync-test-$RANDOM$RANDOM"
  extra=""
  for setting in ${PG_TEST_SERVER_SETTINGS:-}; do extra+=" -c $setting"; done
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  owner=$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )
  printf '%s\n' "$password" > "$dir.pw"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir.pw"
  as_owner "$bindir/initdb" -D "$dir/data" -U "$owner" --pwfile="$dir.pw" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
  rm -f "$dir.pw"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100$extra" \
    start >"$dir.pg_ctl.log" 2>&1 || { cat "$dir.pg_ctl.log" >&2; exit 1; }
  echo "postgresql://$owner:$password@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$dir.initdb.log" "$dir.pg_ctl.log"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
esac
