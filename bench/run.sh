#!/usr/bin/env bash
# `make bench`: a throwaway PostgreSQL, generated data, and for each N the floor (bare INSERT +
# UPDATE of the same rows), the job's cold run (indexes the CRM keys first) and its warm run,
# with rows/s, the ratio job/floor and the job's peak resident memory. A benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
swift build -c release >/dev/null
bin=.build/release/leadsync
dir=$(mktemp -d /tmp/leadsync-bench.XXXXXX); chmod 755 "$dir"
url=$(bash scripts/pg-test-server.sh start "$dir/pg")
trap 'bash scripts/pg-test-server.sh stop "$dir/pg"; rm -rf "$dir"' EXIT
printf 'fallback_owner = "admin@vertrieb.example"\n' > "$dir/bench.toml"
export LEADSYNC_DATABASE_URL="$url"
seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
for n in ${BENCH_SIZES:-100000}; do
  psql "$url" -qc 'DROP SCHEMA IF EXISTS leadsync CASCADE; DROP SCHEMA IF EXISTS salesforce CASCADE' 2>/dev/null
  $bin migrate --crm-mirror >/dev/null
  psql "$url" -q -v users=5000 -v crm_leads=${BENCH_LEADS:-1500000} -v crm_contacts=${BENCH_CONTACTS:-1000000} -v captured="$n" -f bench/generate_postgres.sql
  floor=$(psql "$url" -f bench/floor_postgres.sql 2>&1 | awk '/^Time:/ {s += $2} END {print s / 1000}')
  # Cold: the first run indexes the CRM's match keys (one row, to time the refresh alone).
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$dir/cold.mem" $bin run --settle-minutes 0 --limit 1 --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
  cold=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$dir/warm.mem" $bin run --settle-minutes 0 --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
  warm=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")
  python3 - "$n" "$floor" "$cold" "$warm" "$(cat "$dir/cold.mem")" "$(cat "$dir/warm.mem")" <<'PY'
import sys
n, floor, cold, warm, cold_mem, warm_mem = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
print(f"PostgreSQL N={n:,}: floor {floor:.2f} s ({n/floor:,.0f} rows/s)")
print(f"  CRM key refresh (cold, first run): {cold:.2f} s, peak RSS {cold_mem/1024:.0f} MB")
print(f"  warm run: {warm:.2f} s ({n/warm:,.0f} rows/s), ratio job/floor {warm/floor:.1f}x, cold+warm/floor {(cold+warm)/floor:.1f}x, peak RSS {warm_mem/1024:.0f} MB")
PY
done
