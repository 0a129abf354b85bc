# Two commands set everything up on a fresh machine with only Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.8

.PHONY: install browser demo lint test test-fast ui

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

lint: install  ## ruff (lint and format) and mypy (pyproject.toml), sqlfluff over the dbt SQL (.sqlfluff); also pre-commit hooks
	$(UV) run --frozen ruff check
	$(UV) run --frozen ruff format --check
	$(UV) run --frozen mypy
	$(UV) run --frozen sqlfluff lint dbt_project/models dbt_project/macros --processes 2

test: install browser lint  ## lint, then every test (real DuckDB files, real dbt runs, real Dagster materialisations, headless Chromium), the end-to-end safety tests included
	$(UV) run --frozen pytest

test-fast: install  ## the inner loop: ruff and the unit and contract tests (no refresh of a whole warehouse)
	$(UV) run --frozen ruff check
	$(UV) run --frozen pytest tests/unit tests/contract

ui: install  ## the Dagster UI on http://127.0.0.1:3000 over the sample extracts (demo key)
	$(UV) run --frozen cjs-scorecard ui
