"""Shared fixtures: the hand-made landing zone, a test pseudonymisation key, and a warehouse per test."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
FIXTURES_DIR = TESTS_DIR / "fixtures"
SMALL_LANDING_ZONE = FIXTURES_DIR / "landing_small"
# Hand-counted from tests/fixtures/landing_small: rows with Status "Released under investigation".
SMALL_LANDING_RUI_LIVE = {date(2024, 1, 1): 3, date(2024, 2, 1): 4}
TEST_KEY = "test-pseudonym-key-0123456789"
# The simulated landing zone every integration test compares with the truth: Wiltshire, 24 months, seed 7.
SIMULATED_FIRST_MONTH, SIMULATED_LAST_MONTH, SIMULATED_MONTHS = "2023-01", "2024-12", 24

# Set before any pipelines module is imported, as the CLI does.
os.environ.setdefault("CJS_PSEUDONYM_KEY", TEST_KEY)


def pytest_configure(config: pytest.Config) -> None:
    """The dbt manifest the Dagster definitions are built from, parsed once if missing or stale (as `make install`)."""
    from pipelines.lib.dbt_manifest import prepare

    prepare()


@pytest.fixture
def key() -> bytes:
    return TEST_KEY.encode()


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture(scope="session")
def simulated_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wiltshire, 24 reporting months (2023-01..2024-12, seed 7), from the simulator: realistic extracts with their
    ground truth in _truth/."""
    from pipelines.lib.simulator.run import simulate

    out = tmp_path_factory.mktemp("simulated") / "landing"
    simulate(["wiltshire"], SIMULATED_FIRST_MONTH, SIMULATED_LAST_MONTH, out, seed=7, scale=1.0)
    return out


@pytest.fixture(scope="session")
def simulated_warehouse(simulated_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole pipeline (`cjs-scorecard refresh`'s own function) over the simulated landing zone."""
    from pipelines.cli import run_refresh

    warehouse = tmp_path_factory.mktemp("simulated_warehouse")
    run_refresh(simulated_landing, warehouse)
    return warehouse


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole pipeline over the hand-made landing zone, run once for the tests that only read what it published
    (copy it before changing anything)."""
    from pipelines.cli import run_refresh

    warehouse = tmp_path_factory.mktemp("small_warehouse")
    assert run_refresh(SMALL_LANDING_ZONE, warehouse).published_db == warehouse / "cjs_scorecard.duckdb"
    return warehouse
