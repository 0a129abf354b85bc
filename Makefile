# Two commands set everything up on a fresh machine with only Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.8

.PHONY: install browser demo lint test test-fast test-all ui

install:  ## the locked environment in .venv (installs uv itself if it is missing) and the dbt manifest the code location loads
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	$(UV) run --frozen python -m pipelines.lib.dbt_manifest

demo: install  ## the whole pipeline on the shipped sample extracts -> warehouse/cjs_scorecard.duckdb
	$(UV) run --frozen cjs-scorecard demo

browser:  ## headless Chromium and its driver (Debian packages) for the board pack's browser test; needs root or present
	@command -v chromedriver >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } \
		|| echo "browser: chromium-driver missing and cannot be installed here (sudo apt-get install chromium chromium-driver)"

lint: install  ## ruff (lint and format) and mypy, configured in pyproject.toml (also a pre-commit hook)
	$(UV) run --frozen ruff check
	$(UV) run --frozen ruff format --check
	$(UV) run --frozen mypy

test: install browser lint  ## lint, then the test suite (real DuckDB files, real dbt runs, real Dagster materialisations, headless Chromium)
	$(UV) run --frozen pytest

test-fast: install  ## the inner loop: lint and the unit tests (no refresh, no simulation of a whole warehouse)
	$(UV) run --frozen ruff check
	$(UV) run --frozen pytest tests/unit

test-all: install browser  ## the test suite with the slow end-to-end runs too (UI-launched run, SIGKILL, reader, schedule)
	$(UV) run --frozen pytest -m "slow or not slow"

ui: install  ## the Dagster UI on http://127.0.0.1:3000 over the sample extracts (demo key)
	$(UV) run --frozen cjs-scorecard ui
