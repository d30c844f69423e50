#!/usr/bin/env bash
# `make test`: every test on SQLite and on a real PostgreSQL server started here and stopped
# afterwards, even when tests fail. Exits with the tests' status. Arguments go to `swift test`
# (`make soak` passes a filter).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit 1
dir=$(mktemp -d /tmp/leadsync-pgtest.XXXXXX)
chmod 755 "$dir"
url=$(bash scripts/pg-test-server.sh start "$dir/pg") || { echo "could not start PostgreSQL for the tests" >&2; exit 1; }
trap 'bash scripts/pg-test-server.sh stop "$dir/pg"; rm -rf "$dir"' EXIT
echo "PostgreSQL test server: ${url%%:*}://…@${url##*@}"
LEADSYNC_TEST_DATABASE_URL="$url" LEADSYNC_REQUIRE_POSTGRES=1 swift test "$@" 2>&1 | tee "$dir/test.log" | grep -v -E '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying|Build|Merging)'
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  echo "PostgreSQL tests ran against a real server (${url##*@}); the suite needs LEADSYNC_TEST_DATABASE_URL and fails without it in make test."
fi
# Swift Testing's verdict stays the last line of the run.
grep -E '^(✔|✘|􁁛|􀢄) Test run with' "$dir/test.log" | tail -n 1
exit "$status"
