"""Personal-data scan of every published artefact: everything under the warehouse folder except the private build/
folder (the published DuckDB file and its kept versions, Parquet, Excel, HTML and any other file a later feature
writes there). Each file is read by its type: a type the scan cannot read fails the test, never passes unread.

The personal values looked for are every value of every personal column (per the source specs) in the landing zone's
files, plus generic shapes: PNC and CRO numbers, dates of birth and postcodes. A control plants one value in a copy of
the warehouse, once per file type, and checks the scan finds it, so the test cannot pass by reading nothing.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.lib.source_spec import load_specs
from tests.conftest import SMALL_LANDING_ZONE
from tests.integration.test_refresh_end_to_end import RAW_PERSONAL_VALUES

PRIVATE_FOLDER = "build"
TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".css",
    ".js",
    ".json",
    ".csv",
    ".txt",
    ".md",
    ".svg",
    ".xml",
    ".yaml",
    ".yml",
    ".log",
}
PATTERNS = {
    "PNC number": re.compile(r"\b\d{2}/\d{1,7}[A-Z]\b"),
    "CRO number": re.compile(r"\b\d{1,6}/\d{2}[A-Z]\b"),
    # a date in a year someone alive and in the justice system could be born in; published periods start in 2013+
    "date of birth": re.compile(
        r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19\d\d|200\d|201[0-2])|(?:19\d\d|200\d|201[0-2])-\d{2}-\d{2})\b"
    ),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"),
}


def _landing_zone_personal_values(landing_zone: Path) -> set[str]:
    """Every value of every column a source spec marks personal, read straight from the delivered CSV files."""
    values = set(RAW_PERSONAL_VALUES)
    for spec in load_specs().values():
        headers = {column.header for column in spec.columns if column.personal}
        for path in landing_zone.glob(f"{spec.agency}/*/{spec.file_pattern.replace('{month}', '*')}"):
            with path.open(newline="", encoding="utf-8-sig") as handle:
                for row in csv.DictReader(handle):
                    values |= {row[h].strip() for h in headers if row.get(h, "").strip()}
    return values


def _duckdb_text(path: Path) -> str:
    """Every row of every table and view, with the catalogue (comments, view SQL) as text."""
    with duckdb.connect(str(path), read_only=True) as connection:
        relations = connection.execute(
            """select schema_name, table_name from duckdb_tables() where database_name = current_database()
               union all
               select schema_name, view_name from duckdb_views() where database_name = current_database() and not internal"""
        ).fetchall()
        parts = [
            str(
                connection.execute(
                    """select list(comment) from duckdb_tables() where database_name = current_database()
               union all select list(comment) from duckdb_columns() where database_name = current_database()
               union all select list(sql) from duckdb_views() where database_name = current_database() and not internal"""
                ).fetchall()
            )
        ]
        for schema, name in relations:
            parts.append(
                connection.execute(
                    f"select coalesce(string_agg(cast(t as varchar), '\n'), '') from \"{schema}\".\"{name}\" t"
                ).fetchone()[0]
            )
    return "\n".join(parts)


def _parquet_text(path: Path) -> str:
    with duckdb.connect() as connection:
        rows = connection.execute(
            "select coalesce(string_agg(cast(t as varchar), '\n'), '') from read_parquet(?) t", [str(path)]
        ).fetchone()[0]
        metadata = connection.execute("select list(value) from parquet_kv_metadata(?)", [str(path)]).fetchone()[0]
    return f"{rows}\n{metadata}"


def _zip_text(path: Path) -> str:
    """An Office file is a zip of XML parts: every part, decoded (shared strings, sheets, properties)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())


def _plain_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


READERS: dict[str, Callable[[Path], str]] = {
    ".duckdb": _duckdb_text,
    ".parquet": _parquet_text,
    ".xlsx": _zip_text,
    **{suffix: _plain_text for suffix in TEXT_SUFFIXES},
}


def scan(warehouse: Path, personal_values: set[str]) -> tuple[list[str], dict[str, int]]:
    """Findings (file, what was found) over every file outside build/, and how many files of each type were read."""
    findings, kinds = [], {}
    for path in sorted(p for p in warehouse.rglob("*") if p.is_file()):
        relative = path.relative_to(warehouse)
        if relative.parts[0] == PRIVATE_FOLDER:
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            findings.append(f"{relative}: no personal-data scanner for {path.suffix or 'files without a suffix'}")
            continue
        kinds[path.suffix.lower()] = kinds.get(path.suffix.lower(), 0) + 1
        text = f"{relative}\n{reader(path)}"
        raw = path.read_bytes()
        for value in sorted(personal_values):
            if value in text or value.encode() in raw:
                findings.append(f"{relative}: personal value {value!r}")
        for label, pattern in PATTERNS.items():
            if match := pattern.search(text):
                findings.append(f"{relative}: {label} {match.group()!r}")
    return findings, kinds


@pytest.fixture(scope="module")
def personal_values() -> set[str]:
    values = _landing_zone_personal_values(SMALL_LANDING_ZONE)
    assert set(RAW_PERSONAL_VALUES) < values and "Cerys Madeup" in values  # the specs' personal columns were read
    return values


def test_no_personal_data_in_any_published_artefact(small_warehouse: Path, personal_values: set[str]) -> None:
    findings, kinds = scan(small_warehouse, personal_values)
    assert findings == []
    # the scan read every kind the publication writes: the file and its kept version, Parquet, a workbook per board
    assert kinds[".duckdb"] >= 2 and kinds[".parquet"] >= 4 and kinds[".xlsx"] >= 4, kinds


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
    findings, _ = scan(copy, personal_values)
    assert findings == [f"{relative}: {expected}"]
