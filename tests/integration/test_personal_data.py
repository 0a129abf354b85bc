"""Personal data never reaches a published file, nor (raw) the build database: every table of both databases of
the hand-made and the simulated warehouse, and every published artefact, scanned for every value of every personal
column the landing zone delivered (names, dates of birth, PNC and CRO numbers, suspect IDs) and for their shapes.
Controls plant one value per file type in a copy and check the scan finds it, so no test passes by reading nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from tests.conftest import SMALL_LANDING_ZONE
from tests.personal_data import (
    PRIVATE_FOLDER,
    RAW_PERSONAL_VALUES,
    landing_zone_personal_values,
    scan_published_files,
    tables_holding,
)


@pytest.fixture(scope="module")
def personal_values() -> set[str]:
    values = landing_zone_personal_values(SMALL_LANDING_ZONE)
    assert set(RAW_PERSONAL_VALUES) < values and "Cerys Madeup" in values  # the specs' personal columns were read
    return values


def test_no_personal_data_in_any_published_artefact(small_warehouse: Path, personal_values: set[str]) -> None:
    findings, kinds = scan_published_files(small_warehouse, personal_values)
    assert findings == []
    # the scan read every kind the publication writes: the file and its kept version, Parquet, a workbook per board
    assert kinds[".duckdb"] >= 2 and kinds[".parquet"] >= 4 and kinds[".xlsx"] >= 4, kinds


def test_no_raw_personal_value_in_either_database(small_warehouse: Path, personal_values: set[str]) -> None:
    databases = [small_warehouse / "cjs_scorecard.duckdb", small_warehouse / "build" / "cjs_build.duckdb"]
    assert [finding for database in databases for finding in tables_holding(database, personal_values)] == []


def test_no_simulated_personal_value_in_either_database(simulated_landing: Path, simulated_warehouse: Path) -> None:
    """Thousands of simulated suspects' names, dates of birth, PNC numbers and IDs: none in any table of either file."""
    values = landing_zone_personal_values(simulated_landing)
    assert len(values) > 1000
    databases = [simulated_warehouse / "cjs_scorecard.duckdb", simulated_warehouse / "build" / "cjs_build.duckdb"]
    assert [finding for database in databases for finding in tables_holding(database, values)] == []


def test_the_table_scan_finds_a_planted_value(small_warehouse: Path, tmp_path: Path) -> None:
    """The control of the table scan: one name planted in a copy of the build database is found, by column."""
    copy = tmp_path / "cjs_build.duckdb"
    shutil.copyfile(small_warehouse / "build" / "cjs_build.duckdb", copy)
    _plant_duckdb(copy, "Aled Fakeperson")
    assert tables_holding(copy, {"Aled Fakeperson"}) == [
        "cjs_build.duckdb: scorecard.leak.note holds 'Aled Fakeperson'"
    ]


def _plant_duckdb(path: Path, value: str) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table scorecard.leak as select ? as note", [value])


def _plant_parquet(path: Path, value: str) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"copy (select ? as note) to '{path}' (format parquet)", [value])


def _plant_xlsx(path: Path, value: str) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Leak").write_string(0, 0, value)
    workbook.close()


def _plant_html(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body><td>{value}</td></body></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "plant", "value", "expected"),
    [
        ("cjs_scorecard.duckdb", _plant_duckdb, "Aled Fakeperson", "personal value 'Aled Fakeperson'"),
        ("parquet/scorecard.leak.parquet", _plant_parquet, "N1000001", "personal value 'N1000001'"),
        ("excel/leak.xlsx", _plant_xlsx, "Bryn Notreal", "personal value 'Bryn Notreal'"),
        ("reports/wcjb.html", _plant_html, "born 14/02/1987", "date of birth '14/02/1987'"),
        ("reports/pnc.html", _plant_html, "PNC 12/3456789Z", "PNC number '12/3456789Z'"),
        (
            "reports/chart.png",
            lambda path, value: path.write_bytes(value.encode()),
            "",
            "no personal-data scanner for .png",
        ),
    ],
)
def test_scan_finds_a_planted_value(
    small_warehouse: Path,
    tmp_path: Path,
    personal_values: set[str],
    relative: str,
    plant: Callable[[Path, str], None],
    value: str,
    expected: str,
) -> None:
    """The control: a copy of the published warehouse with one value planted in one file is caught, by file name."""
    copy = tmp_path / "warehouse"
    shutil.copytree(small_warehouse, copy, ignore=shutil.ignore_patterns(PRIVATE_FOLDER))
    (copy / relative).parent.mkdir(parents=True, exist_ok=True)
    plant(copy / relative, value)
    findings, _ = scan_published_files(copy, personal_values)
    assert findings == [f"{relative}: {expected}"]
