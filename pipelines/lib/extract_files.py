"""Turn an extract file (CSV in any of the encodings agencies use, or XLSX) into a table of text cells.

Agencies export from Excel and from case systems: files arrive with a byte-order mark or in Windows-1252, with report
titles above the header row, truncated by a failed transfer, or as something that is not a CSV at all. Each of those
is either handled here or refused with one clear message, before any value is interpreted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.lib.errors import ExtractError

# Required headers a publisher renames (ONS: LAD23CD, LAD24CD ...): a label for messages -> the regex a header matches.
HeaderPatterns = Mapping[str, re.Pattern[str]]
HEADER_SEARCH_ROWS = 30  # report titles and notes above the table, as Excel exports have them
MAGIC_NUMBERS = {
    b"PK\x03\x04": "a zip archive (or an XLSX workbook)",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "a legacy Excel/Office document",
}


@dataclass(frozen=True)
class TextTable:
    """Every cell as text (None for empty), the agency's headers, and the file line / sheet row of the first data row."""

    frame: pl.DataFrame
    first_data_row: int


def normalise_header(header: str) -> str:
    """Headers compared without case, surrounding space or punctuation differences ('Crime Ref.' == 'crime ref')."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in header.replace("\ufeff", "")).split()).casefold()


def header_text(cell: str) -> str:
    """A header as written, without a byte-order mark or surrounding space: what a header_pattern is matched against."""
    return cell.replace("\ufeff", "").strip()


def _missing_headers(row: list[str | None], wanted: set[str], patterns: HeaderPatterns) -> tuple[list[str], list[str]]:
    """The required headers (exact, normalised) and the labels of the required header patterns a row lacks."""
    cells = [header_text(cell) for cell in row if cell]
    return (sorted(wanted - {normalise_header(cell) for cell in cells}),
            [label for label, regex in patterns.items() if not any(regex.fullmatch(cell) for cell in cells)])


def _header_index(rows: list[list[str | None]], wanted: set[str], patterns: HeaderPatterns) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _missing_headers(row, wanted, patterns) == ([], []):
            return index
    return None


def _no_header_message(rows: list[list[str | None]], required: set[str], patterns: HeaderPatterns) -> str:
    """Name the required headers that no row has (never echo the cells: without a header they may be personal data)."""
    exact, matching = min((_missing_headers(row, required, patterns) for row in rows), key=lambda m: len(m[0]) + len(m[1]),
                          default=(sorted(required), list(patterns)))
    missing = " and ".join(([str(exact)] if exact else []) + ([f"headers matching {', '.join(matching)}"] if matching else []))
    return f"no header row with the required columns in the first {HEADER_SEARCH_ROWS} lines: missing {missing}"


def _describe_binary(head: bytes) -> str | None:
    for magic, what in MAGIC_NUMBERS.items():
        if head.startswith(magic):
            return what
    if b"\x00" in head:
        return "a binary file (it contains NUL bytes)"
    return None


def decode_text(raw: bytes, encoding: str) -> str:
    """UTF-8 (with or without BOM) or Windows-1252; with 'auto', lines that are not UTF-8 are read as Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    if encoding == "cp1252":
        return raw.decode("cp1252", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if encoding == "utf-8":
            raise
    # Mixed files happen when rows from two systems are pasted together: decide line by line.
    lines = []
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    return "\n".join(lines)


def read_csv_text(path: Path, required_headers: set[str], encoding: str, header_patterns: HeaderPatterns) -> TextTable:
    raw = path.read_bytes()
    if not raw.strip():
        raise ExtractError(path, "the file is empty")
    binary = _describe_binary(raw[:8192])
    if binary:
        raise ExtractError(path, f"the file is not a CSV text file: it looks like {binary}")
    try:
        text = decode_text(raw, encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExtractError(path, f"line {line} is not valid {encoding} text (byte {raw[exc.start]:#04x})") from exc
    head_rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SEARCH_ROWS]))))
    header_at = _header_index(head_rows, required_headers, header_patterns)
    if header_at is None:
        raise ExtractError(path, _no_header_message(head_rows, required_headers, header_patterns))
    body = "\n".join(text.splitlines()[header_at:])
    header = head_rows[header_at]
    _refuse_truncated_tail(path, text, len(header))
    try:
        frame = pl.read_csv(body.encode("utf-8"), infer_schema=False, raise_if_empty=False)
    except pl.exceptions.ComputeError as exc:
        raise ExtractError(path, f"the rows do not fit the header: {_first_ragged_line(text, header_at, len(header))}") from exc
    return TextTable(frame, first_data_row=header_at + 2)


def _refuse_truncated_tail(path: Path, text: str, header_width: int) -> None:
    """A last line cut short (no newline, fewer fields than the header) means the transfer failed: refuse the file."""
    if text.endswith(("\n", "\r")):
        return
    last = text.splitlines()[-1]
    fields = next(csv.reader([last]), [])
    if len(fields) < header_width:
        line = len(text.splitlines())
        raise ExtractError(path, f"the file is truncated: line {line} ends after {len(fields)} of {header_width} fields with no line end")


def _first_ragged_line(text: str, header_at: int, width: int) -> str:
    for offset, row in enumerate(csv.reader(io.StringIO(text))):
        if offset > header_at and len(row) > width:
            return f"line {offset + 1} has {len(row)} fields, the header has {width}"
    return "a row has more fields than the header"


def read_xlsx_text(path: Path, required_headers: set[str], sheet: str | None, header_patterns: HeaderPatterns) -> TextTable:
    import fastexcel

    head = path.read_bytes()[:4]
    if not head.startswith(b"PK\x03\x04"):
        raise ExtractError(path, "the file is not an XLSX workbook")
    try:
        workbook = fastexcel.read_excel(path)
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise ExtractError(path, f"the workbook cannot be read: {exc}") from exc
    candidates = [sheet] if sheet else workbook.sheet_names
    if sheet and sheet not in workbook.sheet_names:
        raise ExtractError(path, f"the workbook has no sheet '{sheet}' (it has {workbook.sheet_names})")
    matches = []
    for name in candidates:
        table = workbook.load_sheet(name, header_row=None, dtypes="string").to_polars()
        rows = [list(r) for r in table.head(HEADER_SEARCH_ROWS).iter_rows()]
        header_at = _header_index(rows, required_headers, header_patterns)
        if header_at is not None:
            matches.append((name, table, header_at))
    if not matches:
        raise ExtractError(path, f"no sheet of {candidates} has a header row with the required columns "
                                 f"{sorted(required_headers) + list(header_patterns)}")
    if len(matches) > 1:
        raise ExtractError(path, f"several sheets hold the extract ({[m[0] for m in matches]}); name one in the spec")
    _, table, header_at = matches[0]
    headers = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(table.row(header_at))]
    frame = table.slice(header_at + 1).rename(dict(zip(table.columns, headers)))
    # A sheet often ends with empty formatted rows: drop those (only at the end, so row numbers stay true).
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    last_filled = filled.arg_true().max() if filled.any() else -1
    frame = frame.head(int(last_filled) + 1)
    return TextTable(frame, first_data_row=header_at + 2)
