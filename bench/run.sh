#!/usr/bin/env bash
# `make bench`: for each N (BENCH_SIZES, default "100000 1000000") and each engine (BENCH_ENGINES,
# default "postgres sqlite"): generated data (a CRM of BENCH_LEADS leads and BENCH_CONTACTS
# contacts, 5,000 users, N pending captured contacts), then
#   floor: the bare INSERT INTO lead ... SELECT of the same rows plus the UPDATE of their status,
#          committed, on a fresh copy of the generated data (the cold run's too);
#   bound: a lower bound for any implementation (bench/bound_*.sql): the floor plus what the rules
#          require beyond it (the claim's locks and existing-record probes, the key probes, the
#          new records' keys, the outcome's columns), each one set-based statement with no client,
#          committed, on a fresh copy of the warm data;
#   cold:  the first `run --settle-minutes 0` on a fresh copy: indexes the CRM's keys, then every row;
#   warm:  the same run on another copy whose CRM keys an earlier run indexed;
#   next:  the run after the warm one, with nothing pending (its refresh reads the export back);
# with rows/s, the ratio to the floor, the job's peak resident memory and its phase times. The floor,
# bound, cold and warm are each measured BENCH_RUNS times (default 3), in rounds of one of each,
# each on a fresh copy, and reported by their median run, every run's time listed, with each
# round's ratios (its warm and cold run against its own floor, its warm run against its bound).
# BENCH_AB=/path/to/another/leadsync adds an A/B comparison of warm and cold runs: BENCH_REPEATS
# (default 4) rounds of that binary and of this build, taken in turn, with their medians and peak
# memory. The machine's speed drifts between invocations (10-30% here), so two builds are best told
# apart this way. Each side runs on copies of the same generated data migrated by its own binary, so
# builds of different schema versions compare too (a migration's effect shows in its side).
# BENCH_RULES_AB=1 makes the A/B one of configurations instead: this build without and with
# bench/rules.toml (contacts' accounts created or matched, routing rules), warm and cold, in turn;
# each side's warm runs on data an earlier run of its own configuration warmed.
# BENCH_RUNS=0 skips the rounds of floor, bound, cold and warm runs (an A/B alone).
# BENCH_PARTS="contacts calls" (the default) chooses the parts: the calls part times N call events
# (bench/generate_calls_*.sql) against the same CRM, warm, in the activity and the deals profile,
# each against its floor (bench/floor_calls_PROFILE_*.sql: the tasks and records its run writes,
# and the status update), rounds of one of each; BENCH_PROFILES="deals" takes one profile alone.
# After the rounds, the confirmation step (SYNC_RULES.md §9) is timed at N exported rows: in the
# next run (none answered yet), and in the run after scripts/heroku-connect-sim.sh synced them all
# but 1% it failed.
# CPU: the seconds of CPU the floor and each run used, the job's own process (client) apart from
# the bench's PostgreSQL server (all its processes), against the wall-clock time: on a machine
# whose cores are all busy, only less CPU makes a run faster.
# The PostgreSQL server: fsync off, as scripts/pg-test-server.sh starts it, with shared_buffers a
# quarter of the machine's memory (BENCH_PG_SHARED_BUFFERS, e.g. 128MB, the server's default,
# which the benches before 2026-12-03's bench k used): the starting value PostgreSQL's manual gives
# for a dedicated server of 1 GB or more, and the way a production server is set up. The floor
# gains little from it (its writes append); the job's key indexes, written at scattered places,
# do (docs/measurements.md, eighth session).
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
shared_buffers=${BENCH_PG_SHARED_BUFFERS:-$(awk '/MemTotal/ {printf "%dMB", $2 / 4096}' /proc/meminfo)}
if [[ " $engines " == *" postgres "* ]]; then
  url=$(PG_TEST_SERVER_SETTINGS="shared_buffers=$shared_buffers" bash scripts/pg-test-server.sh start "$dir/pg")
fi
cleanup() { [ -n "$url" ] && bash scripts/pg-test-server.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT
printf 'fallback_owner = "admin@vertrieb.example"\n' > "$dir/bench.toml"
cat "$dir/bench.toml" bench/rules.toml > "$dir/rules.toml"
base=${url%/*}

echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); $(swift --version 2>&1 | head -n 1)"
[ -n "$url" ] && echo "PostgreSQL: $(psql "$url" -Atc 'SHOW server_version') (fsync off, as scripts/pg-test-server.sh starts it; shared_buffers $(psql "$url" -Atc 'SHOW shared_buffers'))"
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
    --config "${config:-$dir/bench.toml}" --report-dir "$dir/reports" "$@" >/dev/null 2>"$dir/$label.log"
  end=$(date +%s.%N)
  # The server ends the job's backends once their connections close: counted once reaped.
  sleep 1
  read -r kb user sys < <(tail -n 1 "$dir/$label.mem")
  echo "$(python3 -c "print(f'{$end - $start:.3f} $kb {$user + $sys:.2f} {$(server_cpu) - $cpu_before:.2f}')")"
}
# statements_failed KIND OUTPUT: a floor or bound whose statements failed stops the bench (its time
# would be a fraction of the real one's, and every ratio flattering).
statements_failed() { echo "the $1 failed: $2" >&2; exit 1; }
phases() { sed -n 's/.*seconds=\(.*\) \[LeadSync\] phase times.*/\1/p' "$dir/$1.log" | tail -n 1; }

# report ENGINE N FLOORS COLDS WARMS: the figures of one engine and size. FLOORS holds a line
# "seconds cpu" per floor, COLDS and WARMS a line "seconds peak_kb client_cpu server_cpu label" per
# run (see timed). Each figure is the median run's (of an odd count, the middle one), the ratios are
# medians over medians, and every run's time is listed: one run of the same build varied by 2 s in
# 28 s here (2026-12-01), enough to put a ratio on either side of a target.
report() {
  python3 - "$@" <<'PY'
import statistics, sys
engine, n = sys.argv[1], int(sys.argv[2])
def lines(text): return [l.split() for l in text.strip().splitlines()]
floors, colds, warms, bounds = lines(sys.argv[3]), lines(sys.argv[4]), lines(sys.argv[5]), lines(sys.argv[6])
def median_run(runs):
    ordered = sorted(runs, key=lambda r: float(r[0]))
    return ordered[(len(ordered) - 1) // 2]
def listed(runs): return ", ".join(f"{float(r[0]):.2f}" for r in runs)
floor, floor_cpu = (float(x) for x in median_run(floors)[:2])
cold, warm = median_run(colds), median_run(warms)
cs, cc, csv_ = float(cold[0]), float(cold[2]), float(cold[3])
ws, wc, wsv = float(warm[0]), float(warm[2]), float(warm[3])
ck, wk = max(float(r[1]) for r in colds), max(float(r[1]) for r in warms)
print(f"{engine} N={n:,}: floor {floor:.2f} s ({n/floor:,.0f} rows/s; runs: {listed(floors)} s)")
print(f"  cold (first run, indexes the CRM): {cs:.2f} s ({n/cs:,.0f} rows/s), {cs/floor:.1f}x floor, peak RSS {ck/1024:.0f} MB (runs: {listed(colds)} s)")
print(f"  warm (CRM keys already indexed):   {ws:.2f} s ({n/ws:,.0f} rows/s), {ws/floor:.1f}x floor, peak RSS {wk/1024:.0f} MB (runs: {listed(warms)} s)")
print(f"  per row: {ws/n*1e6:.1f} us warm, {cs/n*1e6:.1f} us cold")
# Each round's runs against its own floor, taken minutes apart at most: the machine's drift over
# the whole bench falls out of these.
def by_round(runs, against=floors):
    ratios = [float(r[0]) / float(f[0]) for r, f in zip(runs, against)]
    return f"{', '.join(f'{x:.2f}' for x in ratios)} (median {statistics.median(ratios):.2f})"
print(f"  by round, against the round's floor: warm {by_round(warms)}; cold {by_round(colds)}")
# The lower bound: what the rules require beyond the floor, set-based, with no client (see
# bench/bound_postgres.sql); how far the job is from it, and where the floor is against it.
bound = float(median_run(bounds)[0])
print(f"  bound (bench/bound_*.sql: what the rules require beyond the floor, set-based, no client): {bound:.2f} s"
      f" (runs: {listed(bounds)} s), {bound/floor:.1f}x floor; warm run {ws/bound:.2f}x the bound, by round {by_round(warms, bounds)}")
def cpu(label, client, server, wall):
    # SQLite runs in the job's own process: all its CPU is the client's.
    parts = f"client {client:.1f} + server {server:.1f} = " if engine == "postgres" else ""
    return f"{label} {parts}{client + server:.1f} s ({(client + server) / wall:.2f} cores busy)"
print(f"  CPU of the median runs: floor {floor_cpu:.1f} s ({floor_cpu / floor:.2f} cores busy); {cpu('warm', wc, wsv, ws)}; {cpu('cold', cc, csv_, cs)}")
# The labels of the median runs, for their phase times.
print(f"#median {cold[4]} {warm[4]}")
PY
}

runs=${BENCH_RUNS:-3}
# BENCH_PARTS: "contacts" (the captured contacts' bench above), "calls" (call events, below), or both.
parts=${BENCH_PARTS:-contacts calls}
for n in $sizes; do
  for engine in $engines; do
    # generate SIDE BINARY [CAPTURED CALLS]: the generated data migrated by BINARY (templates
    # gen$SIDE, warm$SIDE), with N captured contacts (or CAPTURED) and CALLS call events (none).
    if [ "$engine" = postgres ]; then
      for db in gen warm gena warma warmr genc warmc run; do psql "$url" -qc "DROP DATABASE IF EXISTS bench_$db" 2>/dev/null; done
      # copy_template FROM TO: bench_TO, a copy of bench_FROM kept as a template.
      copy_template() {
        psql "$url" -qc "CREATE DATABASE bench_$2 TEMPLATE bench_$1" >/dev/null
        echo "$base/bench_$2"
      }
      generate() {
        psql "$url" -qc "CREATE DATABASE bench_gen$1" >/dev/null
        LEADSYNC_DATABASE_URL=$base/bench_gen$1 "$2" migrate --crm-mirror >/dev/null
        psql "$base/bench_gen$1" -q -v users=5000 -v crm_leads="$leads" -v crm_contacts="$contacts" -v captured="${3:-$n}" \
          -f bench/generate_postgres.sql >/dev/null
        if [ "${4:-0}" -gt 0 ]; then
          psql "$base/bench_gen$1" -q -v calls="$4" -v crm_leads="$leads" -v crm_contacts="$contacts" -f bench/generate_calls_postgres.sql >/dev/null
        fi
        # The floor and the job both start from copies of this vacuumed database.
        psql "$base/bench_gen$1" -qc "VACUUM ANALYZE" >/dev/null
        copy_template "gen$1" "warm$1"
      }
      # fresh_copy TEMPLATE: a new copy of bench_TEMPLATE to run on (the copy before it dropped).
      fresh_copy() {
        psql "$url" -qc "DROP DATABASE IF EXISTS bench_run" 2>/dev/null
        psql "$url" -qc "CREATE DATABASE bench_run TEMPLATE bench_$1"
        echo "$base/bench_run"
      }
      # statements KIND DATABASE: "seconds cpu" of the statements of bench/KIND_postgres.sql (KIND:
      # floor or bound), server CPU.
      statements() {
        local cpu_before out
        cpu_before=$(server_cpu)
        out=$(psql -v ON_ERROR_STOP=1 "$2" -f "bench/$1_postgres.sql" 2>&1) || statements_failed "$1" "$out"
        sleep 1
        echo "$(awk '/^Time:/ {s += $2} END {print s / 1000}' <<< "$out") $(python3 -c "print(f'{$(server_cpu) - $cpu_before:.2f}')")"
      }
    else
      rm -f "$dir"/gen*.sqlite* "$dir"/warm*.sqlite* "$dir"/run.sqlite*
      copy_template() {
        cp "$dir/$1.sqlite" "$dir/$2.sqlite"
        echo "sqlite:$dir/$2.sqlite"
      }
      generate() {
        "$2" migrate --crm-mirror --database "sqlite:$dir/gen$1.sqlite" >/dev/null
        sqlite3 -cmd ".parameter set :users 5000" -cmd ".parameter set :crm_leads $leads" -cmd ".parameter set :crm_contacts $contacts" \
          -cmd ".parameter set :captured ${3:-$n}" "$dir/gen$1.sqlite" < bench/generate_sqlite.sql >/dev/null
        if [ "${4:-0}" -gt 0 ]; then
          sqlite3 -cmd ".parameter set :calls $4" -cmd ".parameter set :crm_leads $leads" -cmd ".parameter set :crm_contacts $contacts" \
            "$dir/gen$1.sqlite" < bench/generate_calls_sqlite.sql >/dev/null
        fi
        sqlite3 "$dir/gen$1.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
        copy_template "gen$1" "warm$1"
      }
      fresh_copy() {
        rm -f "$dir"/run.sqlite*; cp "$dir/$1.sqlite" "$dir/run.sqlite"
        echo "sqlite:$dir/run.sqlite"
      }
      # statements KIND DATABASE: "seconds cpu" of the statements of bench/KIND_sqlite.sql (floor or
      # bound); sqlite3's ".timer" prints each statement's real, user and sys seconds.
      statements() {
        local out
        out=$( (echo ".timer on"; cat "bench/$1_sqlite.sql") | sqlite3 -bail "${2#sqlite:}" 2>&1) || statements_failed "$1" "$out"
        awk '/^Run Time:/ {s += $4; c += $6 + $8} END {print s, c}' <<< "$out"
      }
    fi
    if [[ " $parts " == *" contacts "* ]]; then
      # The warm runs' template: its CRM keys indexed by an earlier run (of one row).
      warm_tpl=$(generate "" "$bin")
      LEADSYNC_DATABASE_URL=$warm_tpl "$bin" run --settle-minutes 0 --limit 1 --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
      if [ -n "${BENCH_AB:-}" ] && [ -z "${BENCH_RULES_AB:-}" ]; then
        warm_a=$(generate a "$BENCH_AB")
        LEADSYNC_DATABASE_URL=$warm_a "$BENCH_AB" run --settle-minutes 0 --limit 1 --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
      fi
      # With rules, "warm" means keys indexed by an earlier run of the same configuration: the
      # accounts' keys too (SYNC_RULES.md §10), which a run without contact_account never indexes,
      # so the rules side's warm runs start from a template of their own (warmr). A cron user pays
      # that indexing once, in the first run after turning contact_account on.
      if [ -n "${BENCH_RULES_AB:-}" ]; then
        warm_r=$(copy_template gen warmr)
        LEADSYNC_DATABASE_URL=$warm_r "$bin" run --settle-minutes 0 --config "$dir/rules.toml" --limit 1 --report-dir "$dir/reports" >/dev/null
      fi
      # Rounds of the floor, a cold and a warm run, each on a fresh copy (the floor's and the cold
      # run's of the generated data, so both start from the same state), so that the machine's
      # drift over the minutes falls on all three alike: the floor alone measured 20.2, 17.3, 16.4
      # and 13.5 s in four runs within five minutes on the EPYC (2026-12-02).
      floors="" bounds="" colds="" warms=""
      for i in $(seq "$runs"); do
        floor_db=$(fresh_copy gen)
        # As before each timed run: the copy's pages flushed first (see timed).
        sync
        floors+="$(statements floor "$floor_db")"$'\n'
        # The lower bound (bench/bound_*.sql) on the warm data, as the warm run finds it.
        bound_db=$(fresh_copy warm)
        sync
        bounds+="$(statements bound "$bound_db")"$'\n'
        colds+="$(timed "cold$i" "$(fresh_copy gen)") cold$i"$'\n'
        warm_db=$(fresh_copy warm)
        warms+="$(timed "warm$i" "$warm_db") warm$i"$'\n'
      done
      if [ "$runs" -gt 0 ]; then
        summary=$(report "$engine" "$n" "$floors" "$colds" "$warms" "$bounds")
        grep -v '^#median' <<< "$summary"
        read -r _ cold_label warm_label < <(grep '^#median' <<< "$summary")
        echo "  cold phases ($cold_label): $(phases "$cold_label")"
        echo "  warm phases ($warm_label): $(phases "$warm_label")"
        # The next run on the last warm run's database, with nothing pending: its refresh reads every
        # record the warm run wrote (past the watermark) and finds their keys current.
        read -r next_s _ < <(timed next "$warm_db")
        echo "  next run (nothing pending; the refresh reads the $n-row export back): ${next_s} s; phases: $(phases next)"
        # The confirmation step with every exported row answered: synced, 1% failed.
        confirm_phase() { sed -n 's/.*seconds=.*confirmations=\([0-9.]*\).*/\1/p' "$dir/$1.log" | tail -n 1; }
        if [ "$engine" = postgres ]; then
          psql "$warm_db" -Atc "SELECT 'lead,' || leadsync_id__c || ',fail,UNABLE_TO_LOCK_ROW,' FROM salesforce.lead WHERE leadsync_id__c IS NOT NULL AND id % 100 = 0" > "$dir/answers.body"
        else
          sqlite3 "${warm_db#sqlite:}" "SELECT 'lead,' || leadsync_id__c || ',fail,UNABLE_TO_LOCK_ROW,' FROM lead WHERE leadsync_id__c IS NOT NULL AND id % 100 = 0" > "$dir/answers.body"
        fi
        { echo "object,leadsync_id__c,action,_hc_err,sf_message"; cat "$dir/answers.body"; } > "$dir/answers.csv"
        sim_start=$(date +%s.%N)
        bash scripts/heroku-connect-sim.sh "$warm_db" "$dir/answers.csv" >/dev/null
        sim_s=$(python3 -c "print(f'{$(date +%s.%N) - $sim_start:.1f}')")
        read -r confirm_s _ < <(timed confirm "$warm_db")
        echo "  confirmation step, $n exported rows awaiting Salesforce: none answered (next run) $(confirm_phase next) s;" \
             "all answered, $(($(wc -l < "$dir/answers.body"))) rejected (a run of ${confirm_s} s after a simulated sync of ${sim_s} s) $(confirm_phase confirm) s"
      fi
      if [ -n "${BENCH_AB:-}${BENCH_RULES_AB:-}" ]; then
        ab=""
        # Rounds alternate which binary goes first (a b, b a, ...), so that neither gains from its
        # place: two builds whose PostgreSQL code was the same measured 0.95x on PostgreSQL when
        # the newer always went second. Each runs on copies of its own data (see `generate`).
        for round in $(seq "${BENCH_REPEATS:-4}"); do
          for side in $([ $((round % 2)) = 1 ] && echo "a b" || echo "b a"); do
            # Named apart from `job`, which timed() reads: a global `job` left set here had every
            # later single run run the A/B's other binary when the last round ended on it.
            ab_bin=$([ $side = a ] && [ -z "${BENCH_RULES_AB:-}" ] && echo "$BENCH_AB" || echo "$bin")
            suffix=$([ $side = a ] && [ -z "${BENCH_RULES_AB:-}" ] && echo a || echo "")
            rules_suffix=$([ $side = b ] && [ -n "${BENCH_RULES_AB:-}" ] && echo r || echo "")
            ab_config=$([ $side = b ] && [ -n "${BENCH_RULES_AB:-}" ] && echo "$dir/rules.toml" || echo "$dir/bench.toml")
            for kind in warm gen; do
              template=$kind$suffix; [ $kind = warm ] && template+=$rules_suffix
              read -r s kb _ < <(job=$ab_bin config=$ab_config timed "ab-$side-$kind" "$(fresh_copy "$template")")
              ab+="$side $kind $s $kb"$'\n'
            done
          done
        done
        python3 - "$ab" "${BENCH_RULES_AB:+this build without bench/rules.toml}${BENCH_AB:-}" "${BENCH_RULES_AB:+with them}" <<'PY'
import statistics, sys
runs = [l.split() for l in sys.argv[1].strip().splitlines()]
def pick(side, kind): return [(float(r[2]), int(r[3])) for r in runs if r[0] == side and r[1] == kind]
for kind, label in (("warm", "warm"), ("gen", "cold")):
    a, b = pick("a", kind), pick("b", kind)
    ma, mb = statistics.median(x for x, _ in a), statistics.median(x for x, _ in b)
    print(f"  A/B {label}, in turn: {sys.argv[2]}: {', '.join(f'{x:.2f}' for x, _ in a)} s (median {ma:.2f}, peak {max(k for _, k in a)/1024:.0f} MB);"
          f" {sys.argv[3] or 'this build'}: {', '.join(f'{x:.2f}' for x, _ in b)} s (median {mb:.2f}, peak {max(k for _, k in b)/1024:.0f} MB; {mb / ma:.3f}x)")
PY
      fi
    fi
    # The calls part (CALL_RULES.md): N call events against the same CRM, warm (its keys indexed),
    # in each profile, against the profile's floor (bench/floor_calls_PROFILE_*.sql), rounds of
    # one of each on fresh copies; the run takes the calls only.
    if [[ " $parts " == *" calls "* ]]; then
      calls_tpl=$(generate c "$bin" 0 "$n")
      LEADSYNC_DATABASE_URL=$calls_tpl "$bin" run --only contacts --config "$dir/bench.toml" --report-dir "$dir/reports" >/dev/null
      for profile in ${BENCH_PROFILES:-activity deals}; do
        printf 'fallback_owner = "admin@vertrieb.example"\n[calls]\nprofile = "%s"\n%s' "$profile" \
          "$([ $profile = deals ] && echo 'top_manager = "user1@vertrieb.example"')" > "$dir/calls-$profile.toml"
        floors="" calls=""
        for i in $(seq "$runs"); do
          floor_db=$(fresh_copy genc); sync
          floors+="$(statements "floor_calls_$profile" "$floor_db")"$'\n'
          calls_db=$(fresh_copy warmc)
          calls+="$(config=$dir/calls-$profile.toml timed "calls-$profile$i" "$calls_db" --only calls) calls-$profile$i"$'\n'
        done
        if [ "$engine" = postgres ]; then
          outcome=$(psql "$calls_db" -Atc "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM leadsync.call_event GROUP BY status ORDER BY status) s")
        else
          outcome=$(sqlite3 "${calls_db#sqlite:}" "SELECT group_concat(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM call_event GROUP BY status ORDER BY status)")
        fi
        python3 - "$engine" "$n" "$profile" "$floors" "$calls" "$outcome" <<'PY'
import sys
engine, n, profile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
floors = [l.split() for l in sys.argv[4].strip().splitlines()]
runs = [l.split() for l in sys.argv[5].strip().splitlines()]
def median(rows): return sorted(rows, key=lambda r: float(r[0]))[(len(rows) - 1) // 2]
floor, run = float(median(floors)[0]), median(runs)
s = float(run[0])
ratios = ", ".join(f"{float(r[0]) / float(f[0]):.2f}" for r, f in zip(runs, floors))
print(f"{engine} calls ({profile}) N={n:,}: floor {floor:.2f} s; warm run {s:.2f} s ({n / s:,.0f} events/s, {s / n * 1e6:.1f} us an event), "
      f"{s / floor:.1f}x the floor (by round {ratios}), peak RSS {max(float(r[1]) for r in runs) / 1024:.0f} MB "
      f"(runs: {', '.join(f'{float(r[0]):.2f}' for r in runs)} s; floors: {', '.join(f'{float(f[0]):.2f}' for f in floors)} s)")
print(f"  events after the median run's database: {sys.argv[6]}")
PY
        last=$(awk 'NF {l = $5} END {print l}' <<< "$calls")
        echo "  phases of the last run ($last): $(phases "$last")"
      done
    fi
    if [ "$engine" = postgres ]; then
      for db in gen warm gena warma warmr genc warmc run; do psql "$url" -qc "DROP DATABASE IF EXISTS bench_$db"; done
    else
      rm -f "$dir"/gen*.sqlite* "$dir"/warm*.sqlite* "$dir"/run.sqlite*
    fi
  done
done
