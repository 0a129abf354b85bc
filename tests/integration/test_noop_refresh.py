"""Nothing changed, nothing done: a second refresh of the same landing zone, definitions and code starts no run and
leaves every published file as it was, and says so (issue 17)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import run_refresh
from tests.conftest import SMALL_LANDING_ZONE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_refresh_with_nothing_changed_does_nothing(
    small_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(small_warehouse, warehouse)
    published = warehouse / "cjs_scorecard.duckdb"
    before = {path: (_sha256(path), path.stat().st_mtime_ns) for path in warehouse.rglob("*") if path.is_file()}
    with duckdb.connect(str(published), read_only=True) as connection:
        publication = connection.execute("select publication_id from scorecard.publication").fetchone()[0]

    refresh = run_refresh(SMALL_LANDING_ZONE, warehouse)

    assert refresh.published_db == published
    said = capsys.readouterr().err
    assert "nothing changed since the last refresh" in said and f"publication {publication} stands" in said
    after = {path: (_sha256(path), path.stat().st_mtime_ns) for path in warehouse.rglob("*") if path.is_file()}
    assert after == before  # no run: the build database, the refresh log, the published files untouched
