"""Shared fixtures: the hand-made landing zone, a test pseudonymisation key, and a warehouse per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
FIXTURES_DIR = TESTS_DIR / "fixtures"
SMALL_LANDING_ZONE = FIXTURES_DIR / "landing_small"
TEST_KEY = "test-pseudonym-key-0123456789"

# Set before any pipelines module is imported, as the CLI does.
os.environ.setdefault("CJS_PSEUDONYM_KEY", TEST_KEY)


@pytest.fixture
def key() -> bytes:
    return TEST_KEY.encode()


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"
