"""Read one agency extract file into typed, validated, pseudonymised rows, as its spec says.

Every cell is read as text first and parsed per spec, so a bad value becomes a named problem (file, row, column)
instead of a type-inference surprise. Rows with problems are set aside with their reasons (the quarantine), the rest
go on; a problem with the file as a whole refuses the whole file. Nothing personal is kept past this function: personal
columns are hashed or dropped, and a spec's person keys (a keyed hash over several personal columns, say surname,
forename and date of birth) are derived from the parsed values before any is hashed or dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from pipelines.lib.errors import CellProblem, ExtractError
from pipelines.lib.extract_files import (
    TextTable,
    header_text,
    normalise_header,
    read_csv_text,
    read_file_bytes,
    read_xlsx_text,
)
from pipelines.lib.extract_schema import POLARS_TYPES, validate
from pipelines.lib.markers import MARKER_SUFFIX, marker_expr
from pipelines.lib.months import month_end
from pipelines.lib.pseudonymise import pseudonymise_column, pseudonymise_combination
from pipelines.lib.source_spec import ColumnSpec, SourceSpec, UnpivotSpec

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts the fictitious 29/02/1900)
# Dates a case system writes for "unknown" or "never" (01/01/1900, Excel's day 1, 31/12/2099) are not dates: a date
# before this one, or more than PLAUSIBLE_DAYS_AHEAD after the file's reporting month (today, for a file without one),
# is rejected in its column.
EARLIEST_PLAUSIBLE_DATE = date(1901, 1, 1)
PLAUSIBLE_DAYS_AHEAD = 366
PERSONAL_VALUE_WITHHELD = "(withheld: personal data)"
REJECTION_SCHEMA = {"_line_number": pl.Int64, "column": pl.String, "check": pl.String, "value": pl.String}


@dataclass(frozen=True)
class ReadExtract:
    """A file's accepted rows (spec names, personal columns hashed or dropped, person keys added), its rejected cells,
    and what it was."""

    path: Path
    reporting_month: str | None  # None for a file whose periods are in its rows
    sha256: str
    rows: pl.DataFrame
    rejections: pl.DataFrame
    rows_read: int

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows.height


def content_sha256(content: bytes) -> str:
    """The delivery's identity: the SHA-256 of the bytes read (and parsed)."""
    return hashlib.sha256(content).hexdigest()


def read_text_table(path: Path, content: bytes, spec: SourceSpec) -> TextTable:
    """The file's cells as text, by format; refuses files that are not what the spec says they are."""
    if spec.format == "xlsx":
        return read_xlsx_text(path, content, spec.required_headers, spec.sheet, spec.required_header_patterns)
    return read_csv_text(path, content, spec.required_headers, spec.encoding, spec.required_header_patterns)


def _reads_header(header: str, spec: SourceSpec) -> bool:
    """Whether the spec takes a column's values from this header (exactly, by pattern, or as a wide file's header)."""
    normalised = normalise_header(header)
    if any(normalised == normalise_header(c.header) for c in spec.columns if c.header_pattern is None):
        return True
    if any(c.header_regex.fullmatch(header_text(header)) for c in spec.columns if c.header_pattern is not None):
        return True
    unpivot = spec.unpivot
    return unpivot is not None and (
        normalised in {normalise_header(h) for h in unpivot.id_headers}
        or re.fullmatch(unpivot.header_pattern, unpivot.rename_headers.get(header, header)) is not None
    )


def _refuse_repeated_headers(headers: list[str], spec: SourceSpec, path: Path) -> None:
    """A header the spec reads, written twice (a second 'Victim Age' pasted in front): which column holds the values
    is a guess, so the file is refused rather than read from either."""
    read = [h for h in headers if _reads_header(h, spec)]
    counts = Counter(normalise_header(h) for h in read)
    repeated = sorted({header_text(h) for h in read if counts[normalise_header(h)] > 1})
    if repeated:
        positions = [
            [i + 1 for i, h in enumerate(headers) if normalise_header(h) == normalise_header(r)] for r in repeated
        ]
        described = ", ".join(
            f"'{r}' (columns {', '.join(map(str, p))})" for r, p in zip(repeated, positions, strict=True)
        )
        raise ExtractError(path, f"the header row repeats {described}: which one holds the values cannot be told")


def unpivot_text(frame: pl.DataFrame, unpivot: UnpivotSpec, path: Path) -> pl.DataFrame:
    """A wide table of text cells as long rows: the id columns, the header pattern's groups, one column per `stat`;
    `_line_number` kept, so a bad cell still names its file line. Headers the pattern does not match are ignored,
    like an extract's extra columns."""
    frame = frame.rename({h: unpivot.rename_headers[h] for h in frame.columns if h in unpivot.rename_headers})
    by_header = {normalise_header(h): h for h in frame.columns}
    missing = [h for h in unpivot.id_headers if normalise_header(h) not in by_header]
    if missing:
        raise ExtractError(path, f"missing id column(s) {missing} of the wide table")
    ids = [by_header[normalise_header(h)] for h in unpivot.id_headers]
    pattern = re.compile(unpivot.header_pattern)
    matched = {
        h: m
        for h in frame.columns
        if h not in ids and (m := pattern.fullmatch(h)) and m["stat"] in unpivot.stat_columns
    }
    headers = pl.DataFrame(
        {"_header": list(matched), "_stat": [unpivot.stat_columns[m["stat"]] for m in matched.values()]}
        | {group: [m[group] for m in matched.values()] for group in unpivot.key_groups},
        schema={"_header": pl.String, "_stat": pl.String} | {group: pl.String for group in unpivot.key_groups},
    )
    long = frame.unpivot(index=[*ids, "_line_number"], on=list(matched), variable_name="_header", value_name="_cell")
    return (
        long.join(headers, on="_header", maintain_order="left")
        .pivot(on="_stat", index=[*ids, "_line_number", *unpivot.key_groups], values="_cell")
        .sort("_line_number", maintain_order=True)
    )


def _pattern_headers(headers: list[str], spec: SourceSpec, path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """For columns matched by header_pattern: column name -> the file's header, and the values their groups carry
    (group -> value, e.g. vintage -> 24). A pattern two headers match, or headers that disagree on a group (LAD24CD
    beside PFA23CD), refuse the file: its rows could not be read as one vintage."""
    matched: dict[str, str] = {}
    carried: dict[str, dict[str, str]] = {}  # group -> {header: value}
    for column in spec.columns:
        if column.header_pattern is None:
            continue
        hits = [(h, m) for h in headers if (m := column.header_regex.fullmatch(header_text(h))) is not None]
        if len(hits) > 1:
            raise ExtractError(
                path, f"column {column.name}: several headers match '{column.header_pattern}': {[h for h, _ in hits]}"
            )
        if hits:
            header, header_match = hits[0]
            matched[column.name] = header
            for group, value in header_match.groupdict().items():
                carried.setdefault(group, {})[header] = value
    for group, values in carried.items():
        if len(set(values.values())) > 1:
            raise ExtractError(
                path, f"the headers disagree on their {group}: " + ", ".join(f"{h} ({v})" for h, v in values.items())
            )
    return matched, {group: next(iter(values.values())) for group, values in carried.items()}


def _match_columns(frame: pl.DataFrame, spec: SourceSpec, path: Path) -> pl.DataFrame:
    headers = [h for h in frame.columns if h != "_line_number"]
    by_header: dict[str, str] = {}
    for header in headers:
        by_header.setdefault(normalise_header(header), header)
    by_pattern, carried = _pattern_headers(headers, spec, path)

    def source(column: ColumnSpec) -> pl.Expr | None:
        if column.header_pattern is not None:
            return pl.col(by_pattern[column.name]) if column.name in by_pattern else None
        if column.header in spec.header_groups:
            return pl.lit(carried.get(column.header), pl.String)
        return (
            pl.col(by_header[normalise_header(column.header)]) if normalise_header(column.header) in by_header else None
        )

    sources = {c.name: source(c) for c in spec.columns}
    missing = [c.header_pattern or c.header for c in spec.columns if c.required and sources[c.name] is None]
    if missing:
        raise ExtractError(path, f"missing required column(s) {missing} for extract '{spec.extract}'")
    found = {name: expr if expr is not None else pl.lit(None, pl.String) for name, expr in sources.items()}
    return frame.select(
        found[c.name].cast(pl.String).str.strip_chars().replace("", None).alias(c.name) for c in spec.columns
    ).with_columns(frame["_line_number"])


def _date_expr(column: ColumnSpec) -> pl.Expr:
    formats = [column.date_format] if isinstance(column.date_format, str) else list(column.date_format or [])
    source = pl.col(column.name)
    attempts = []
    for fmt in formats:
        if fmt == "excel_serial":
            serial = source.cast(pl.Float64, strict=False)
            whole = pl.when((serial >= 1) & (serial < 2958466) & (serial == serial.floor())).then(serial.cast(pl.Int64))
            attempts.append(pl.lit(EXCEL_EPOCH) + pl.duration(days=whole))
        elif fmt == "iso":
            attempts.append(source.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False))
        else:
            attempts.append(source.str.strptime(pl.Date, fmt, strict=False))
    return pl.coalesce(attempts).cast(pl.Date)


def _parse(column: ColumnSpec) -> pl.Expr:
    if column.dtype == "date":
        return _date_expr(column).alias(column.name)
    # Numbers must be finite: 'inf', '1e309' (beyond a double) and 'nan' parse as floats but are no figure.
    if column.dtype == "percent":
        number = pl.col(column.name).str.strip_suffix("%").cast(pl.Float64, strict=False)
        return pl.when(number.is_finite()).then(number).alias(column.name)
    if column.dtype == "int":
        as_number = pl.col(column.name).str.replace_all(",", "").cast(pl.Float64, strict=False)
        whole = as_number.is_finite() & (as_number == as_number.floor())
        return pl.when(whole).then(as_number).cast(pl.Int64, strict=False).alias(column.name)
    if column.dtype == "float":
        number = pl.col(column.name).cast(pl.Float64, strict=False)
        return pl.when(number.is_finite()).then(number).alias(column.name)
    return pl.col(column.name).cast(POLARS_TYPES[column.dtype], strict=False).alias(column.name)


def _describe_type(column: ColumnSpec) -> str:
    if column.dtype == "date":
        return f"not a date in format {column.date_format}"
    return {"int": "not a whole number", "float": "not a finite number", "percent": "not a percentage"}.get(
        column.dtype, "not text"
    )


def latest_plausible_date(reporting_month: str | None, today: date) -> date:
    """The last date a file's cells may hold: PLAUSIBLE_DAYS_AHEAD after its reporting month ends (after today for a
    file whose periods are in its rows)."""
    if reporting_month is None:
        return today + timedelta(days=PLAUSIBLE_DAYS_AHEAD)
    return month_end(reporting_month) + timedelta(days=PLAUSIBLE_DAYS_AHEAD)


def _implausible_dates(
    text: pl.DataFrame, typed: pl.DataFrame, spec: SourceSpec, lines: pl.Series, latest: date
) -> list[CellProblem]:
    """Dates outside EARLIEST_PLAUSIBLE_DATE..latest, as problems of their column (the row is rejected; the value stays
    for the row's other checks, so a status date before it is still named)."""
    problems: list[CellProblem] = []
    for column in (c for c in spec.parsed_columns if c.dtype == "date"):
        values = typed[column.name]
        outside = (values < EARLIEST_PLAUSIBLE_DATE) | (values > latest)
        problems.extend(
            CellProblem(int(line), column.name, f"implausible date: outside {EARLIEST_PLAUSIBLE_DATE}..{latest}", value)
            for line, value in zip(lines.filter(outside), text[column.name].filter(outside), strict=True)
        )
    return problems


def _type_problems(text: pl.DataFrame, typed: pl.DataFrame, spec: SourceSpec, lines: pl.Series) -> list[CellProblem]:
    problems: list[CellProblem] = []
    for column in spec.parsed_columns:
        if column.dtype == "str":
            continue
        failed = text[column.name].is_not_null() & typed[column.name].is_null()
        if failed.any():
            problems.extend(
                CellProblem(int(line), column.name, _describe_type(column), value)
                for line, value in zip(lines.filter(failed), text[column.name].filter(failed), strict=True)
            )
    return problems


def _rejections_frame(problems: list[CellProblem], spec: SourceSpec) -> pl.DataFrame:
    """Problems as rows, headers as the agency wrote them; a value is shown only for a known column whose values may
    be quoted (not personal, and not free text unless the spec says it holds none: ColumnSpec.values_quotable)."""
    columns = {c.name: c for c in spec.columns}

    def shown(problem: CellProblem) -> str | None:
        column = columns.get(problem.column or "")
        if problem.value is None:
            return None
        return problem.value if column is not None and column.values_quotable else PERSONAL_VALUE_WITHHELD

    return pl.DataFrame(
        [
            {
                "_line_number": p.row,
                "column": columns[p.column].header if p.column in columns else p.column,
                "check": p.check,
                "value": shown(p),
            }
            for p in problems
        ],
        schema=REJECTION_SCHEMA,
    )


def pseudonymise(rows: pl.DataFrame, spec: SourceSpec, key: bytes) -> pl.DataFrame:
    """Parsed rows as they may be kept: person keys derived from the parsed values, then personal columns hashed and
    dropped ones removed. Columns: the kept ones, the person keys, then _line_number."""
    rows = rows.with_columns(
        pseudonymise_combination([rows[name] for name in person_key.from_], key).alias(person_key.name)
        for person_key in spec.person_keys
    )
    rows = rows.with_columns(pseudonymise_column(rows[c.name], key) for c in spec.kept_columns if c.personal)
    return rows.select(
        *(c.name for c in spec.kept_columns), *spec.marker_columns, *(k.name for k in spec.person_keys), "_line_number"
    )


def read_extract(
    path: Path, spec: SourceSpec, key: bytes, content: bytes | None = None, today: date | None = None
) -> ReadExtract:
    """Parse, validate and pseudonymise a whole file (`content`: its bytes, already read once by the caller, who
    hashed them): accepted rows, rejected cells with reasons, or ExtractError."""
    problem = spec.name_problem(path)
    if problem:
        raise ExtractError(path, problem)
    content = read_file_bytes(path) if content is None else content
    table = read_text_table(path, content, spec)
    _refuse_repeated_headers(table.headers, spec, path)
    frame = table.frame
    if spec.unpivot is not None:
        frame = unpivot_text(frame, spec.unpivot, path)
    text = _match_columns(frame, spec, path)
    if text.height == 0:
        raise ExtractError(path, "the file has a header but no data rows")
    lines = text["_line_number"]
    text, markers = _split_markers(text.drop("_line_number"), spec)
    typed = text.select(_parse(c) for c in spec.parsed_columns).hstack(markers)
    problems = _type_problems(text, typed, spec, lines)
    latest = latest_plausible_date(spec.reporting_month(path), today or date.today())
    problems += _implausible_dates(text, typed, spec, lines, latest)
    unparsed = {(p.row, p.column) for p in problems}  # a value that failed to parse is not reported again as missing
    problems += [p for p in validate(typed, spec, lines) if (p.row, p.column) not in unparsed]
    rejected_lines = pl.Series([p.row for p in problems if p.row is not None], dtype=pl.Int64)
    accepted = typed.with_columns(lines).filter(~pl.col("_line_number").is_in(rejected_lines.implode()))
    accepted = pseudonymise(accepted, spec, key)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return ReadExtract(
        path,
        spec.reporting_month(path),
        content_sha256(content),
        accepted,
        _rejections_frame(problems, spec),
        typed.height,
    )


def _split_markers(text: pl.DataFrame, spec: SourceSpec) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Marker-aware columns: their `<name>_marker` meanings, and the text with marker cells emptied, so a marker is
    neither parsed as a number nor reported as a bad one."""
    columns = [c for c in spec.parsed_columns if c.markers]
    markers = text.select(marker_expr(c.name, c.extra_markers) for c in columns)
    values = text.with_columns(
        pl.when(markers[c.name + MARKER_SUFFIX].is_null()).then(pl.col(c.name)).alias(c.name) for c in columns
    )
    return values, markers


def empty_rows(spec: SourceSpec) -> pl.DataFrame:
    """A typed frame with no rows, shaped like read_extract's accepted rows, for an extract with no files yet."""
    schema = (
        {c.name: pl.String if c.personal else POLARS_TYPES[c.dtype] for c in spec.kept_columns}
        | {name: pl.String for name in spec.marker_columns}
        | {k.name: pl.String for k in spec.person_keys}
        | {"_line_number": pl.Int64}
    )
    return pl.DataFrame(schema=schema)
