#!/usr/bin/env bash
# `make bench`: for each N (BENCH_SIZES, default "100000 1000000") and each engine (BENCH_ENGINES,
# default "postgres sqlite"): generated data (a CRM of BENCH_LEADS leads and BENCH_CONTACTS
# contacts, 5,000 users, N pending captured contacts), then
#   floor: the bare INSERT INTO lead ... SELECT of the same rows plus the UPDATE of their status,
#          in the same database (rolled back);
#   cold:  the first `run --settle-minutes 0` on a fresh copy: indexes the CRM's keys, then every row;
#   warm:  the same run on another copy whose CRM keys an earlier run indexed;
#   next:  the run after the warm one, with nothing pending (its refresh reads the export back);
# with rows/s, the ratio to the floor, the job's peak resident memory and its phase times.
# BENCH_AB=/path/to/another/leadsync adds an A/B comparison of warm runs: BENCH_REPEATS (default 4)
# runs of that binary and of this build, taken in turn on copies of the same warm database, with
# their medians. The machine's speed drifts between invocations (10-20% here), so two builds are
# best told apart this way. The other binary must accept the migrations this build applied.
# CPU: the seconds of CPU the floor and each run used, the job's own process (client) apart from
# the bench's PostgreSQL server (all its processes), against the wall-clock time: on a machine
# whose cores are all busy, only less CPU makes a run faster.
# A benchmark, not a test: nothing here fails on a slow figure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
swift build -c release >/dev/null
bin=$PWD/.build/release/leadsync
dir=$(mktemp -d /tmp/leadsync-bench.XXXXXX); chmod 755 "$dir"
sizes=${BENCH_SIZES:-100000 1000000}
engines=${BENCH_ENGINES:-postgres sqlite}
leads=${BENCH_LEADS:-1500000}
contacts=${BENCH_CONTACTS:-1000000}
url=""
if [[ " $engines " == *" postgres "* ]]; then url=$(bash scripts/pg-test-server.sh start "$dir/pg"); fi
cleanup() { [ -n "$url" ] && bash scripts/pg-test-server.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT
printf 'fallback_owner = "admin@vertrieb.example"\n' > "$dir/bench.toml"
base=${url%/*}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); $(swift --version 2>&1 | head -n 1)"
[ -n "$url" ] && echo "PostgreSQL: $(psql "$url" -Atc 'SHOW server_version') (fsync off, as scripts/pg-test-server.sh starts it)"
echo "SQLite: $(sqlite3 --version | cut -d' ' -f1) (sqlite3 shell for data and floor; the job links libsqlite3)"
echo "CRM: $leads leads + $contacts contacts; batch size: default"
echo "this build: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- Sources sql Package.swift 2>/dev/null || echo ' with uncommitted changes'), which every single run below is${BENCH_AB:+; the other binary of the A/B: $BENCH_AB}"

# server_cpu: CPU seconds the bench's PostgreSQL has used so far: its processes alive (backends,
# checkpointer, autovacuum...) and those that ended (the postmaster's children's times); 0 while
# the engine measured is SQLite.
server_cpu() {
  if [ "$engine" != postgres ]; then echo 0; return; fi
  python3 - "$(head -n 1 "$dir/pg/data/postmaster.pid")" <<'PY'
import os, sys
postmaster = sys.argv[1]
def stat(pid):  # /proc/PID/stat from field 3 (state) on: ppid [1], utime stime cutime cstime [11:15]
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()
ticks = sum(int(x) for x in stat(postmaster)[11:15])
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = stat(pid)
    except OSError:
        continue
    if fields[1] == postmaster:
        ticks += int(fields[11]) + int(fields[12])
print(ticks / os.sysconf("SC_CLK_TCK"))
PY
}

# timed LABEL DATABASE ARGS...: runs the job ($job, default this build), prints "seconds peak_kb
# client_cpu server_cpu" and keeps its phase times.
timed() {
  local label=$1 database=$2; shift 2
  local start end job=${job:-$bin} cpu_before
  # The database copy just made may still be being written back by the kernel: flushing it
  # first keeps that work out of the job's time.
  sync
  cpu_before=$(server_cpu)
  start=$(date +%s.%N)
  LEADSYNC_DATABASE_URL=$database LEADSYNC_LOG_LEVEL=info /usr/bin/time -f "%M %U %S" -o "$dir/$label.mem" "$job" run --settle-minutes 0 \
    --config "$dir/bench.toml" --report-dir "$dir/reports" "$@" >/dev/null 2>"$dir/$label.log"
  end=$(date +%s.%N)
  # The server ends the job's backends once their connections close: counted once reaped.
  sleep 1
  read -r kb user sys < <(tail -n 1 "$dir/$label.mem")
  echo "$(python3 -c "print(f'{$end - $start:.3f} $kb {$user + $sys:.2f} {$(server_cpu) - $cpu_before:.2f}')")"
}
phases() { sed -n 's/.*seconds=\(.*\) \[LeadSync\] phase times.*/\1/p' "$dir/$1.log" | tail -n 1; }

report() { # engine n floor floor_cpu cold_s cold_kb cold_client cold_server warm_s warm_kb warm_client warm_server
  python3 - "$@" <<'PY'
import sys
engine, n, floor, floor_cpu = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
cs, ck, cc, csv_, ws, wk, wc, wsv = (float(x) for x in sys.argv[5:13])
print(f"{engine} N={n:,}: floor {floor:.2f} s ({n/floor:,.0f} rows/s)")
print(f"  cold (first run, indexes the CRM): {cs:.2f} s ({n/cs:,.0f} rows/s), {cs/floor:.1f}x floor, peak RSS {ck/1024:.0f} MB")
print(f"  warm (CRM keys already indexed):   {ws:.2f} s ({n/ws:,.0f} rows/s), {ws/floor:.1f}x floor, peak RSS {wk/1024:.0f} MB")
print(f"  per row: {ws/n*1e6:.1f} us warm, {cs/n*1e6:.1f} us cold")
def cpu(label, client, server, wall):
    # SQLite runs in the job's own process: all its CPU is the client's.
    parts = f"client {client:.1f} + server {server:.1f} = " if engine == "postgres" else ""
    return f"{label} {parts}{client + server:.1f} s ({(client + server) / wall:.2f} cores busy)"
print(f"  CPU: floor {floor_cpu:.1f} s ({floor_cpu / floor:.2f} cores busy); {cpu('warm', wc, wsv, ws)}; {cpu('cold', cc, csv_, cs)}")
PY
}

for n in $sizes; do
  for engine in $engines; do
    if [ "$engine" = postgres ]; then
      for db in gen cold warm; do psql "$url" -qc "DROP DATABASE IF EXISTS bench_$db" 2>/dev/null; done
      psql "$url" -qc "CREATE DATABASE bench_gen"
      LEADSYNC_DATABASE_URL=$base/bench_gen "$bin" migrate --crm-mirror >/dev/null
      psql "$base/bench_gen" -q -v users=5000 -v crm_leads="$leads" -v crm_contacts="$contacts" -v captured="$n" -f bench/generate_postgres.sql
      # The floor and the job both start from a vacuumed database: the floor's rolled-back
      # writes leave N dead rows in lead and N dead versions in captured_contact, which no
      # autovacuumed database would carry into the job's run.
      psql "$base/bench_gen" -qc "VACUUM ANALYZE"
      cpu_before=$(server_cpu)
      floor=$(psql "$base/bench_gen" -f bench/floor_postgres.sql 2>&1 | awk '/^Time:/ {s += $2} END {print s / 1000}')
      sleep 1
      floor_cpu=$(python3 -c "print(f'{$(server_cpu) - $cpu_before:.2f}')")
      psql "$base/bench_gen" -qc "VACUUM ANALYZE"
      psql "$url" -qc "CREATE DATABASE bench_cold TEMPLATE bench_gen" -c "CREATE DATABASE bench_warm TEMPLATE bench_gen"
      cold_db=$base/bench_cold warm_db=$base/bench_warm
    else
      rm -f "$dir"/gen.sqlite* "$dir"/cold.sqlite* "$dir"/warm.sqlite*
      "$bin" migrate --crm-mirror --database "sqlite:$dir/gen.sqlite" >/dev/null
      sqlite3 -cmd ".parameter set :users 5000" -cmd ".parameter set :crm_leads $leads" -cmd ".parameter set :crm_contacts $contacts" \
        -cmd ".parameter set :captured $n" "$dir/gen.sqlite" < bench/generate_sqlite.sql
      # sqlite3's ".timer" prints each statement's real, user and sys seconds.
      read -r floor floor_cpu < <( (echo ".timer on"; cat bench/floor_sqlite.sql) | sqlite3 "$dir/gen.sqlite" 2>&1 \
        | awk '/^Run Time:/ {s += $4; c += $6 + $8} END {print s, c}')
      sqlite3 "$dir/gen.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
      cp "$dir/gen.sqlite" "$dir/cold.sqlite"; cp "$dir/gen.sqlite" "$dir/warm.sqlite"
      cold_db=sqlite:$dir/cold.sqlite warm_db=sqlite:$dir/warm.sqlite
    fi
    read -r cold_s cold_kb cold_client cold_server < <(timed cold "$cold_db")
    LEADSYNC_DATABASE_URL=$warm_db "$bin" run --settle-minutes 0 --limit 1 --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
    if [ -n "${BENCH_AB:-}" ]; then
      if [ "$engine" = postgres ]; then psql "$url" -qc "CREATE DATABASE bench_abtpl TEMPLATE bench_warm"; else cp "$dir/warm.sqlite" "$dir/abtpl.sqlite"; fi
    fi
    read -r warm_s warm_kb warm_client warm_server < <(timed warm "$warm_db")
    report "$engine" "$n" "$floor" "$floor_cpu" "$cold_s" "$cold_kb" "$cold_client" "$cold_server" "$warm_s" "$warm_kb" "$warm_client" "$warm_server"
    echo "  cold phases: $(phases cold)"
    echo "  warm phases: $(phases warm)"
    # The next run on the warm run's database, with nothing pending: its refresh reads every
    # record the warm run wrote (past the watermark) and finds their keys current.
    read -r next_s _ < <(timed next "$warm_db")
    echo "  next run (nothing pending; the refresh reads the $n-row export back): ${next_s} s; phases: $(phases next)"
    if [ -n "${BENCH_AB:-}" ]; then
      a_times="" b_times=""
      # Rounds alternate which binary goes first (a b, b a, ...), so that neither gains from its
      # place: two builds whose PostgreSQL code was the same measured 0.95x on PostgreSQL when
      # the newer always went second.
      for round in $(seq "${BENCH_REPEATS:-4}"); do
        for side in $([ $((round % 2)) = 1 ] && echo "a b" || echo "b a"); do
          if [ "$engine" = postgres ]; then
            psql "$url" -qc "DROP DATABASE IF EXISTS bench_ab" 2>/dev/null
            psql "$url" -qc "CREATE DATABASE bench_ab TEMPLATE bench_abtpl"; ab_db=$base/bench_ab
          else
            rm -f "$dir"/ab.sqlite*; cp "$dir/abtpl.sqlite" "$dir/ab.sqlite"; ab_db=sqlite:$dir/ab.sqlite
          fi
          # Named apart from `job`, which timed() reads: a global `job` left set here had every
          # later single run (the next engine's and size's cold, warm and next runs) run the
          # A/B's other binary when the last round ended on it (2026-12-01, benches -e and -f).
          ab_bin=$([ $side = a ] && echo "$BENCH_AB" || echo "$bin")
          read -r s _ < <(job=$ab_bin timed "ab-$side" "$ab_db")
          if [ $side = a ]; then a_times="$a_times $s"; else b_times="$b_times $s"; fi
        done
      done
      python3 - "$a_times" "$b_times" "$BENCH_AB" <<'PY'
import statistics, sys
a, b = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
print(f"  A/B warm, in turn on the same data: {sys.argv[3]}: {', '.join(f'{x:.2f}' for x in a)} s (median {statistics.median(a):.2f});"
      f" this build: {', '.join(f'{x:.2f}' for x in b)} s (median {statistics.median(b):.2f}; {statistics.median(b) / statistics.median(a):.3f}x)")
PY
      if [ "$engine" = postgres ]; then psql "$url" -qc "DROP DATABASE IF EXISTS bench_ab" -c "DROP DATABASE IF EXISTS bench_abtpl"; else rm -f "$dir"/ab.sqlite* "$dir"/abtpl.sqlite*; fi
    fi
    if [ "$engine" = postgres ]; then
      for db in gen cold warm; do psql "$url" -qc "DROP DATABASE IF EXISTS bench_$db"; done
    else
      rm -f "$dir"/gen.sqlite* "$dir"/cold.sqlite* "$dir"/warm.sqlite*
    fi
  done
done
