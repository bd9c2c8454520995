# Klantraat: `make run` for the demo site, `make test` for the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Every package comes from requirements.lock (exact versions, with hashes); `make lock`
# re-resolves it from pyproject.toml.
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha256sum | cut -c1-12)


.PHONY: install lock browser run demo migrate test test-fast fuzz lint format bench loadtest reset-db messages check clean

$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Re-resolve the lock from pyproject.toml against PyPI alone (a local pip configuration's extra
# indexes are left out), keeping today's pins where they still fit. Newer versions:
# make lock LOCK_ARGS="--upgrade-package reportlab", or LOCK_ARGS=--upgrade for all.
LOCK_ARGS ?=
lock: install
	env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	  $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --extra dev \
	  --unsafe-package klantraat --no-emit-index-url --no-emit-find-links \
	  --output-file $(LOCK) $(LOCK_ARGS) pyproject.toml

# Debian's Chromium drives the browser tests (a test tool's own browser download does not work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@mkdir -p var
	@echo "Starting web (http://127.0.0.1:8000), Celery worker and beat. Ctrl+C stops all three."
	$(VENV)/bin/honcho start -f Procfile.dev -e /dev/null

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

test: install browser node_modules/axe-core/axe.min.js
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e"

# Schemathesis against /api/v1/openapi.json with a member's token: many examples per
# operation (the normal suite runs a few); fails on any 5xx.
FUZZ_EXAMPLES ?= 200
fuzz: install
	KLANTRAAT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -p no:cacheprovider -m fuzz tests/fuzz

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy core scan honeycomb actions pulse sso cms

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l en -l nl --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# wrk (Debian's package) makes the load: a C client leaves the two cores to the server.
loadtest: install
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; fi; }
	$(PY) benchmarks/load_wizard.py

bench: install
	$(PY) benchmarks/scoring_bench.py
	$(PY) benchmarks/pulse_bench.py
	$(PY) benchmarks/results_bench.py

reset-db:
	rm -f var/klantraat.sqlite3
	$(MAKE) demo

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
