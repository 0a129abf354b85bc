"""Nothing changed, nothing done: what the refresh's fingerprint notices (pipelines/lib/refresh_state.py), on real
files and a real DuckDB publication record."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.refresh_state import changed_inputs, fingerprint, record, unchanged_since
from pipelines.settings import DEFINITIONS_ENV, SCORECARD_DEFINITIONS_DIR, WarehousePaths


def _publish(paths: WarehousePaths, publication_id: str) -> None:
    paths.published_db.unlink(missing_ok=True)
    with duckdb.connect(str(paths.published_db)) as connection:
        connection.execute("create schema scorecard")
        connection.execute("create table scorecard.publication as select ? as publication_id", [publication_id])


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    sources = tmp_path / "sources" / "police" / "crimes"
    sources.mkdir(parents=True)
    (sources / "police_crimes_2024-01.csv").write_text("Crime Reference\n54/1\n", encoding="utf-8")
    paths = WarehousePaths(tmp_path / "sources", tmp_path / "warehouse")
    paths.build_db.parent.mkdir(parents=True)
    _publish(paths, "first")
    record(paths, fingerprint(paths))
    return paths


def test_nothing_changed_is_recognised(paths: WarehousePaths) -> None:
    state = unchanged_since(paths, fingerprint(paths))
    assert state is not None and state["publication_id"] == "first"


def test_a_replaced_landing_file_is_a_change(paths: WarehousePaths) -> None:
    path = paths.sources_dir / "police" / "crimes" / "police_crimes_2024-01.csv"
    path.write_text("Crime Reference\n54/2\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    current = fingerprint(paths)
    assert unchanged_since(paths, current) is None
    assert changed_inputs(paths, current) == ["landing_zone"]


def test_a_new_file_is_a_change(paths: WarehousePaths) -> None:
    (paths.sources_dir / "police" / "crimes" / "police_crimes_2024-02.csv").write_text("x\n", encoding="utf-8")
    assert changed_inputs(paths, fingerprint(paths)) == ["landing_zone"]


def test_another_publication_in_place_is_a_change(paths: WarehousePaths) -> None:
    """A refresh from the UI (or a rollback) published since: the recorded refresh no longer describes the file."""
    _publish(paths, "second")
    assert unchanged_since(paths, fingerprint(paths)) is None


def test_a_setting_or_definition_is_a_change(
    paths: WarehousePaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CJS_ROW_COUNT_TOLERANCE", "0.2")
    assert changed_inputs(paths, fingerprint(paths)) == ["settings"]
    monkeypatch.delenv("CJS_ROW_COUNT_TOLERANCE")
    definitions = tmp_path / "definitions"
    shutil.copytree(SCORECARD_DEFINITIONS_DIR, definitions)
    monkeypatch.setenv(DEFINITIONS_ENV, str(definitions))
    monkeypatch.setenv("CJS_DUCKDB_THREADS", "1")
    assert unchanged_since(paths, fingerprint(paths)) is not None  # another folder, same content; fewer threads
    wcjb = definitions / "wcjb" / "scorecard.yaml"
    text = wcjb.read_text(encoding="utf-8")
    assert "title: Wiltshire Criminal Justice Board scorecard" in text
    wcjb.write_text(
        text.replace("title: Wiltshire Criminal Justice Board scorecard", "title: WCJB scorecard"), encoding="utf-8"
    )
    assert changed_inputs(paths, fingerprint(paths)) == ["definitions"]


def test_no_record_means_the_refresh_runs(paths: WarehousePaths) -> None:
    (paths.build_db.parent / "last_refresh.json").unlink()
    assert unchanged_since(paths, fingerprint(paths)) is None
