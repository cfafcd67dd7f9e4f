# Two commands on a fresh machine: `make run` and `make test`. Both are safe to re-run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

# Debian packages the app needs (CJK fonts for tickets and certificates, HarfBuzz subsetting for
# fast PDF font embedding) and those the tests need (chromium for browser tests, poppler for pdffonts,
# postgresql for a throwaway cluster where no server runs, and for pg_dump/pg_restore).
DEBS_RUN := fonts-noto-cjk fonts-wqy-zenhei libharfbuzz-subset0
DEBS_TEST := chromium poppler-utils redis-server postgresql
# `make test-production` runs Debian's nginx in front of the app and a PostgreSQL cluster of its own.
DEBS_PRODUCTION := nginx postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-production redis install install-dev system-deps system-deps-test system-deps-production db demo bench-registration \
	bench-checkin bench-heartbeat bench-certificates bench-dashboard bench-pages translations clean

define ensure_debs
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call ensure_debs,$(DEBS_RUN))

system-deps-test: system-deps
	$(call ensure_debs,$(DEBS_TEST))

system-deps-production: system-deps-test
	$(call ensure_debs,$(DEBS_PRODUCTION))

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.stamp-run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-run

translations: $(VENV)/.stamp-run
	$(VENV)/bin/pybabel compile -d translations >/dev/null

install: system-deps $(VENV)/.stamp-run translations

install-dev: system-deps-test $(VENV)/.stamp-dev translations

db: install
	APP_ENV=development $(FLASK) db upgrade

demo: db
	APP_ENV=development $(FLASK) demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)  (demo accounts: see README.md)"
	APP_ENV=development $(FLASK) run --host $(HOST) --port $(PORT) --with-threads

# The suite needs Redis at 127.0.0.1:6379 (batch printing through RQ); start it if it is down.
redis:
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
	  for _ in $$(seq 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done; }

# The layers contract first (pyproject.toml [tool.importlinter]): an upward import fails here, in seconds.
# Then the whole suite on each database. The two runs share nothing (a SQLite file and a PostgreSQL
# database of their own, Redis queues with random names, servers on free ports), so they run side by
# side, one per core, which halves CI's time; TEST_SERIAL=1 runs them one after the other. Each run's
# output goes to test-logs/ and is printed when both are done. The PostgreSQL run uses the server at
# 127.0.0.1:5432 when one answers, else a throwaway cluster of its own (scripts/with-test-postgres;
# TEST_POSTGRES_PROBE_PORT probes another port). TESTS="tests/a.py tests/b" runs only those.
PYTEST := $(PY) -m pytest -q -p no:cacheprovider
WITH_PG := scripts/with-test-postgres env TEST_DATABASE=postgresql
test: install-dev redis
	@echo "== import layers"
	$(VENV)/bin/lint-imports
	@mkdir -p test-logs
	@if [ -n "$$TEST_SERIAL" ]; then \
	  echo "== test suite on SQLite"; TEST_DATABASE=sqlite $(PYTEST) $(TESTS) && \
	  echo "== test suite on PostgreSQL" && $(WITH_PG) $(PYTEST) $(TESTS); \
	else \
	  echo "== test suite on SQLite and on PostgreSQL, side by side (test-logs/sqlite.log, test-logs/postgresql.log)"; \
	  TEST_DATABASE=sqlite $(PYTEST) $(TESTS) > test-logs/sqlite.log 2>&1 & sqlite=$$!; \
	  $(WITH_PG) $(PYTEST) $(TESTS) > test-logs/postgresql.log 2>&1 & postgresql=$$!; \
	  wait $$sqlite; sqlite_rc=$$?; wait $$postgresql; postgresql_rc=$$?; \
	  echo "== test suite on SQLite (exit $$sqlite_rc)"; cat test-logs/sqlite.log; \
	  echo "== test suite on PostgreSQL (exit $$postgresql_rc)"; cat test-logs/postgresql.log; \
	  [ $$sqlite_rc = 0 ] && [ $$postgresql_rc = 0 ]; \
	fi

# The production shape under load and faults (tests/production/, not collected by `make test`): nginx
# rendered from deploy/nginx before two gunicorn app servers (deploy/gunicorn.conf.py), a private
# PostgreSQL cluster and Redis on free ports (never the shared 5432/6379), an RQ worker; a minute of
# mixed load while the worker dies mid-batch, a gunicorn worker is killed, PostgreSQL restarts and
# one app server stops. Prints a summary (also test-logs/production-summary.txt); PRODUCTION_KEEP=1
# keeps the logs and data of the run.
test-production: install-dev system-deps-production
	@mkdir -p test-logs
	MINHANG_PRODUCTION_TEST=1 $(PYTEST) -s tests/production

bench-registration: install-dev
	$(PY) bench/registration.py

bench-certificates: install-dev
	flock /tmp/minhang-bench.lock $(PY) bench/certificates.py

# Check-in scans/s through HTTP (gunicorn + PostgreSQL, 16 scanners). The lock keeps benchmarks of
# several worktrees on this shared machine from overlapping. BENCH_ARGS="--target bare" etc.
bench-checkin: install-dev
	flock /tmp/minhang-bench.lock $(PY) bench/checkin.py $(BENCH_ARGS)

# Online join page: joins/s and heartbeats/s of a 直播带岗's viewers (3,000, 16 connections, 30 s of
# heartbeats). BENCH_ARGS="--target bare" for bench/bare_heartbeat.py, "--viewers 1000 --seconds 20" etc.
bench-heartbeat: install-dev
	flock /tmp/minhang-bench.lock $(PY) bench/heartbeat.py $(BENCH_ARGS)

# The plan's dashboard figures (every target's progress, breakdowns, detail) at 100,000 people on
# PostgreSQL. BENCH_ARGS="--people 20000 --runs 5 --explain" etc.
bench-dashboard: install-dev
	flock /tmp/minhang-bench.lock $(PY) bench/dashboard.py $(BENCH_ARGS)

# Console pages, exports, check-in polls, issuing and printing certificates at 100,000 people and an
# event of 10,000 + 3,000 registrations on PostgreSQL: statements, median/p95 ms, KB, peak memory.
# BENCH_ARGS="--users 20000 --registrants 2000 --json /tmp/pages.json --only wall_json,stats" etc.
bench-pages: install-dev
	flock /tmp/minhang-bench.lock $(PY) bench/pages.py $(BENCH_ARGS)

extract-messages: $(VENV)/.stamp-run
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations -N --ignore-obsolete

clean:
	rm -rf $(VENV) instance/*.sqlite3*
