# leadsync: `make demo` and `make test` do everything on a fresh machine.
SWIFT ?= swift
BIN := .build/debug/leadsync
DEMO_DB := sqlite:demo.sqlite

.PHONY: all build demo test soak sql phone-metadata bench clean

all: build

# Embeds sql/ into the binary (Sources/LeadSync/SQL/EmbeddedSQL.swift); a test checks it is current.
sql:
	@if command -v python3 >/dev/null 2>&1; then python3 scripts/embed-sql.py; fi

# Regenerates the phone table from libphonenumber's metadata (needs: pip install phonenumbers==9.0.43).
phone-metadata:
	python3 scripts/gen-phone-metadata.py

build: sql
	@bash scripts/deps.sh build
	$(SWIFT) build

# A fresh demo.sqlite with the CRM mirror, sample contacts and calls, then the job and its summary;
# then a confirmation round: Heroku Connect played by scripts/heroku-connect-sim.sh (Salesforce
# syncs the records, refuses those demo/salesforce-answers.csv names, has not got to one), the job
# again (the calls waiting for new leads' sfids are logged now), and the status with confirmed and
# rejected rows and the calls.
demo: build
	@rm -f demo.sqlite demo.sqlite-wal demo.sqlite-shm
	$(BIN) migrate --crm-mirror --database $(DEMO_DB)
	$(BIN) load-crm demo --database $(DEMO_DB)
	$(BIN) import demo/captured.csv --database $(DEMO_DB)
	$(BIN) import-calls demo/call_events.csv --database $(DEMO_DB)
	$(BIN) status --database $(DEMO_DB)
	$(BIN) run --settle-minutes 0 --database $(DEMO_DB) --config demo/leadsync.toml
	bash scripts/heroku-connect-sim.sh $(DEMO_DB) demo/salesforce-answers.csv
	$(BIN) run --settle-minutes 0 --database $(DEMO_DB) --config demo/leadsync.toml
	$(BIN) status --database $(DEMO_DB)

# Every test, on SQLite and on a real PostgreSQL server started (and stopped) for the run.
test: sql
	bash scripts/test.sh

# The reliability scenarios run longer (ISSUE 6): SOAK_ROUNDS times the CI suite's 10 kills,
# overlapping runs and restarts (default 20: 200 kills).
SOAK_ROUNDS ?= 20
soak: sql
	LEADSYNC_SOAK_ROUNDS=$(SOAK_ROUNDS) bash scripts/test.sh --filter 'ReliabilityTests|ConcurrencyTests|ServerFailureTests|RowIsolationTests|HostileInputTests|AttemptLimitTests|CredentialTests'

clean:
	rm -rf .build demo.sqlite demo.sqlite-wal demo.sqlite-shm reports

# A benchmark, not a test: PostgreSQL floor vs the job (BENCH_SIZES="100000 1000000" to choose N).
bench:
	bash bench/run.sh
