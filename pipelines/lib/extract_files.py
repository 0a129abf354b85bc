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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.lib.errors import ExtractError

# Required headers a publisher renames (ONS: LAD23CD, LAD24CD ...): a label for messages -> the regex a header matches.
HeaderPatterns = Mapping[str, re.Pattern[str]]
HEADER_SEARCH_ROWS = 30  # report titles and notes above the table, as Excel exports have them
# The csv module refuses fields over 128 KiB by default; a long free-text field is still a field (polars, which reads
# the rows, has no limit), so the header search must not fail on one.
csv.field_size_limit(2**31 - 1)
MAGIC_NUMBERS = {
    b"PK\x03\x04": "a zip archive (or an XLSX workbook)",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "a legacy Excel/Office document",
}


@dataclass(frozen=True)
class TextTable:
    """Every cell as text (None for empty) under unique column names, with `_line_number` (the file line or sheet row
    each row starts on), and the header row as the agency wrote it (a repeated header stays visible here)."""

    frame: pl.DataFrame
    headers: list[str]


def normalise_header(header: str) -> str:
    """Headers compared without case, surrounding space or punctuation differences ('Crime Ref.' == 'crime ref')."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in header.replace("\ufeff", "")).split()).casefold()


def header_text(cell: str) -> str:
    """A header as written, without a byte-order mark or surrounding space: what a header_pattern is matched against."""
    return cell.replace("\ufeff", "").strip()


def _missing_headers(
    row: Sequence[str | None], wanted: set[str], patterns: HeaderPatterns
) -> tuple[list[str], list[str]]:
    """The required headers (exact, normalised) and the labels of the required header patterns a row lacks."""
    cells = [header_text(cell) for cell in row if cell]
    return (
        sorted(wanted - {normalise_header(cell) for cell in cells}),
        [label for label, regex in patterns.items() if not any(regex.fullmatch(cell) for cell in cells)],
    )


def _header_index(rows: Sequence[Sequence[str | None]], wanted: set[str], patterns: HeaderPatterns) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _missing_headers(row, wanted, patterns) == ([], []):
            return index
    return None


def _no_header_message(rows: Sequence[Sequence[str | None]], required: set[str], patterns: HeaderPatterns) -> str:
    """Name the required headers that no row has (never echo the cells: without a header they may be personal data)."""
    exact, matching = min(
        (_missing_headers(row, required, patterns) for row in rows),
        key=lambda m: len(m[0]) + len(m[1]),
        default=(sorted(required), list(patterns)),
    )
    missing = " and ".join(
        ([str(exact)] if exact else []) + ([f"headers matching {', '.join(matching)}"] if matching else [])
    )
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
        raw = raw[len(codecs.BOM_UTF8) :]
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


def read_file_bytes(path: Path) -> bytes:
    """The file's bytes, read once: what is parsed is what is hashed, so the lineage's SHA-256 is of the very bytes the
    rows came from. A file whose size or modification time changes while it is read (still being written by a
    transfer) is refused, and read again at the next refresh; a file that cannot be read is refused with the reason."""
    try:
        before = path.stat()
        with path.open("rb") as handle:
            raw = handle.read()
        after = path.stat()
    except OSError as exc:
        raise ExtractError(path, f"the file cannot be read: {exc.strerror or type(exc).__name__}") from exc
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(raw) != after.st_size:
        raise ExtractError(
            path, "the file changed while it was read (still being written?): it is read again at the next refresh"
        )
    return raw


def unique_names(headers: list[str]) -> list[str]:
    """Frame column names for a header row: each header as written, a repeat suffixed (' (2)', ' (3)'...), since a
    frame's names must differ; the headers themselves are kept beside the frame, so a repeat is still seen."""
    seen: dict[str, int] = {}
    names = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        names.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return names


def _normalise_line_ends(text: str) -> str:
    """A lone carriage return (old Mac line ends) as a line feed: the only line ends are LF and CRLF after this. Unicode
    line separators (U+2028, vertical tab, form feed...) are field content, never line ends: CSV (RFC 4180) knows
    only CR and LF."""
    return re.sub(r"\r(?!\n)", "\n", text) if "\r" in text else text


def _head_records(text: str, path: Path) -> list[tuple[int, list[str]]]:
    """The first records of the file as CSV defines them (a quoted field may hold line breaks), each with the file line
    it starts on."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream)
    records: list[tuple[int, list[str]]] = []
    try:
        while len(records) < HEADER_SEARCH_ROWS:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            records.append((start, row))
    except csv.Error as exc:
        raise ExtractError(path, f"line {reader.line_num} is not valid CSV: {exc}") from exc
    return records


def _offset_of_line(text: str, line: int) -> int:
    """Where file line `line` (1 = the first) starts in the text (line ends are LF or CRLF here)."""
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def _record_lines(frame: pl.DataFrame, first_line: int, quoted: bool) -> pl.Series:
    """The file line each row starts on: one line per row plus the line breaks inside its quoted fields (none where
    the file has no quote character)."""
    if not quoted or frame.width == 0:
        return pl.int_range(first_line, first_line + frame.height, dtype=pl.Int64, eager=True).alias("_line_number")
    spans = frame.select(
        (1 + pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0))).alias("_span")
    ).to_series()
    return (spans.cum_sum() - spans + first_line).cast(pl.Int64).alias("_line_number")


def _refuse_truncated(path: Path, text: str, header_width: int) -> None:
    """A transfer cut short shows as a file ending inside a quoted field, or a last line with no line end and fewer
    fields than the header: refuse it rather than load part of a month."""
    if text.count('"') % 2:  # odd: a quoted field may be left open; a stray quote in an unquoted field is legal
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for _ in reader:
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise ExtractError(
                    path,
                    f"the file is truncated: it ends inside a quoted field opened on or before line {reader.line_num}",
                ) from exc
    if text.endswith("\n"):
        return
    last_start = text.rfind("\n") + 1
    fields = next(csv.reader([text[last_start:]]), [])
    if len(fields) < header_width:
        line = text.count("\n") + 1
        raise ExtractError(
            path,
            f"the file is truncated: line {line} ends after {len(fields)} of {header_width} fields with no line end",
        )


def _first_ragged_line(text: str, header_line: int, width: int) -> str:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if reader.line_num > header_line and len(row) > width:
                return f"line {reader.line_num} has {len(row)} fields, the header has {width}"
    except csv.Error as exc:
        return f"line {reader.line_num} is not valid CSV: {exc}"
    return "a row has more fields than the header"


def read_csv_text(
    path: Path, raw: bytes, required_headers: set[str], encoding: str, header_patterns: HeaderPatterns
) -> TextTable:
    """A CSV file's cells as text, rows split as CSV defines them, each with the file line it starts on."""
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
    text = _normalise_line_ends(text)
    head = _head_records(text, path)
    header_at = _header_index([row for _, row in head], required_headers, header_patterns)
    if header_at is None:
        raise ExtractError(path, _no_header_message([row for _, row in head], required_headers, header_patterns))
    header_line, header = head[header_at]
    _refuse_truncated(path, text, len(header))
    try:
        frame = pl.read_csv(
            text[_offset_of_line(text, header_line) :].encode("utf-8"), infer_schema=False, raise_if_empty=False
        )
    except pl.exceptions.PolarsError as exc:
        raise ExtractError(
            path, f"the rows do not fit the header: {_first_ragged_line(text, header_line, len(header))}"
        ) from exc
    if frame.width == len(header):
        frame.columns = unique_names(header)
    first_data_line = header_line + 1 + sum(cell.count("\n") for cell in header)
    frame = frame.with_columns(_record_lines(frame, first_data_line, '"' in text))
    # A blank line is no row (it still counts as a line of the file).
    return TextTable(frame.filter(pl.any_horizontal(pl.exclude("_line_number").is_not_null())), header)


def read_xlsx_text(
    path: Path, raw: bytes, required_headers: set[str], sheet: str | None, header_patterns: HeaderPatterns
) -> TextTable:
    """An XLSX workbook's extract sheet as text cells, each row with its sheet row number. Anything the workbook
    library raises (a zip that opens over a corrupt sheet, a bad cell) refuses the file, naming it."""
    import fastexcel

    if not raw.startswith(b"PK\x03\x04"):
        raise ExtractError(path, "the file is not an XLSX workbook")
    try:
        workbook = fastexcel.read_excel(raw)
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
    except ExtractError:
        raise
    except Exception as exc:  # calamine raises its own error types (CalamineError, CellError...) for corrupt workbooks
        # The error's type only: its text may quote a cell.
        raise ExtractError(
            path, f"the workbook cannot be read ({type(exc).__name__}): it may be corrupt or not saved completely"
        ) from exc
    if not matches:
        raise ExtractError(
            path,
            f"no sheet of {candidates} has a header row with the required columns "
            f"{sorted(required_headers) + list(header_patterns)}",
        )
    if len(matches) > 1:
        raise ExtractError(path, f"several sheets hold the extract ({[m[0] for m in matches]}); name one in the spec")
    _, table, header_at = matches[0]
    headers = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(table.row(header_at))]
    frame = table.slice(header_at + 1)
    frame.columns = unique_names(headers)
    # A sheet often ends with empty formatted rows: drop those (only at the end, so row numbers stay true).
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    last_filled = max(filled.arg_true().to_list(), default=-1)
    frame = frame.head(last_filled + 1)
    first_data_row = header_at + 2
    return TextTable(
        frame.with_row_index("_line_number", offset=first_data_row).with_columns(pl.col("_line_number").cast(pl.Int64)),
        headers,
    )
