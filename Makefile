# Casebook: `make demo` runs the product on its embedded defaults, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: demo test install dev lint format run serve dashboard clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Casebook needs Python 3.11 or newer (set PYTHON=...)"; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(PIP) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed  ## the product and its dependencies
dev: $(VENV)/.dev-installed  ## plus the test and lint tools

demo: install  ## demo data, one pipeline run, dashboard on http://127.0.0.1:8501
	$(BIN)/casebook demo

test: dev $(CHROMIUM)  ## the whole suite (PostgreSQL tests need CASEBOOK_TEST_POSTGRES_URL)
	$(BIN)/python -m pytest

# The browser tests (pytest -m browser) drive Debian's chromium; never `playwright install`.
$(CHROMIUM):
	@echo "installing Debian's chromium for the browser tests"
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		($$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium) || \
		echo "could not install chromium: the browser tests will be skipped (they fail in CI)"

lint: dev  ## ruff, formatting, types of the pure layers, and the layers' import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

run: install  ## the whole pipeline once on the configured sources
	$(BIN)/casebook run

serve: install  ## the schedules of prefect.yaml, with a local Prefect server
	$(BIN)/casebook serve

dashboard: install
	$(BIN)/casebook dashboard

clean:
	rm -rf var tests/output .pytest_cache
