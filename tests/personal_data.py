"""Personal-data scans, in one place: the values a landing zone holds in its personal columns, a scan of every
table of a DuckDB file (the build database included: raw data is pseudonymised before it lands there), and a scan
of every published file by its type (a type the scan cannot read is a finding, never passed unread).

Used by `tests/integration/test_personal_data.py` over the hand-made and simulated warehouses and by the tests of
runs that write elsewhere (a refused re-delivery's logs).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import polars as pl

from pipelines.lib.source_spec import load_specs

# the hand-made landing zone's (tests/fixtures/landing_small) suspects: names, a date of birth both ways, PNC, ID
RAW_PERSONAL_VALUES = ["Aled Fakeperson", "Bryn Notreal", "03/04/1990", "1990-04-03", "90/123456A", "N1000001"]
DAY_MONTH_YEAR = re.compile(r"\d\d/\d\d/\d{4}")

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


def landing_zone_personal_values(landing_zone: Path) -> set[str]:
    """Every value of every column a source spec marks personal, read straight from the delivered CSV files, with
    each day/month/year date of birth also as the warehouse would write a date (ISO)."""
    values: set[str] = set()
    for spec in load_specs().values():
        headers = {column.header for column in spec.columns if column.personal}
        if not headers:
            continue
        for path in landing_zone.glob(f"{spec.agency}/*/{spec.file_pattern.replace('{month}', '*')}"):
            for row in _csv_rows(path) if spec.format == "csv" else _xlsx_rows(path, headers):
                values |= {_text(row[h]) for h in headers if _text(row.get(h))}
    dates = {value for value in values if DAY_MONTH_YEAR.fullmatch(value)}
    return values | {f"{value[6:]}-{value[3:5]}-{value[:2]}" for value in dates}


def _csv_rows(path: Path) -> list[dict]:
    """An agency CSV's rows: UTF-8 (with or without its byte-order mark), else Windows-1252, as agencies send them."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _xlsx_rows(path: Path, headers: set[str]) -> list[dict]:
    """A workbook's rows under the first row that holds every header wanted (a title may stand above it); a date of
    birth kept as an Excel day number is read as the date it is."""
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(index for index, row in enumerate(rows) if headers <= {str(cell).strip() for cell in row if cell})
    header = [str(cell).strip() if cell else "" for cell in rows[start]]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1 :]]


def _text(value: object) -> str:
    """A cell as the text a leak would show: dates and Excel day numbers (from 1900) as ISO dates."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (int, float)) and 1 <= value < 80000:
        return f"{date(1899, 12, 30) + timedelta(days=int(value)):%Y-%m-%d}"
    return str(value or "").strip()


def tables_holding(database: Path, values: set[str]) -> list[str]:
    """Every text column of every table and view of a DuckDB file that holds one of `values` whole, as
    "file: schema.table.column holds 'value'" (a join per column: fast over millions of rows)."""
    findings = []
    with duckdb.connect(str(database), read_only=True) as connection:
        connection.register("personal", pl.DataFrame({"value": sorted(values)}))
        columns = connection.execute(
            """select table_schema, table_name, column_name from information_schema.columns
               where data_type = 'VARCHAR' and table_catalog = current_database()"""
        ).fetchall()
        assert columns, database
        for schema, table, column in columns:
            found = connection.execute(
                f'select any_value("{column}") from "{schema}"."{table}" where "{column}" in (select value from personal)'
            ).fetchone()[0]
            if found is not None:
                findings.append(f"{database.name}: {schema}.{table}.{column} holds {found!r}")
    return findings


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


def scan_published_files(warehouse: Path, personal_values: set[str]) -> tuple[list[str], dict[str, int]]:
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
