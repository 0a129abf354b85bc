"""Read one agency extract file into typed, validated, pseudonymised rows, as its spec says.

Everything is read as text first and parsed per spec, so a bad value becomes a named problem (file, line, column)
instead of a type-inference surprise, and nothing personal is kept past this function.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.lib.errors import CellProblem, ExtractError
from pipelines.lib.extract_schema import POLARS_TYPES, validate
from pipelines.lib.pseudonymise import pseudonymise_column
from pipelines.lib.source_spec import ColumnSpec, SourceSpec

HEADER_LINE = 1  # data rows start on file line 2


@dataclass(frozen=True)
class ReadExtract:
    """A file's accepted rows (spec column names, personal columns hashed or dropped) and what it was."""

    path: Path
    reporting_month: str
    sha256: str
    rows: pl.DataFrame


def normalise_header(header: str) -> str:
    """Headers compared without case, surrounding space or punctuation differences ('Crime Ref.' == 'crime ref')."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in header.replace("\ufeff", "")).split()).casefold()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_text_frame(path: Path, spec: SourceSpec) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except pl.exceptions.NoDataError as exc:
        raise ExtractError(path, "the file is empty") from exc
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        raise ExtractError(path, f"the file cannot be read as {spec.encoding} CSV: {exc}") from exc
    return frame


def _match_columns(frame: pl.DataFrame, spec: SourceSpec, path: Path) -> pl.DataFrame:
    by_header = {normalise_header(h): h for h in frame.columns}
    missing = [c.header for c in spec.columns if c.required and normalise_header(c.header) not in by_header]
    if missing:
        raise ExtractError(path, f"missing required column(s) {missing} for extract '{spec.extract}'")
    return frame.select(
        (pl.col(by_header[normalise_header(c.header)]) if normalise_header(c.header) in by_header else pl.lit(None, pl.String))
        .str.strip_chars()
        .replace("", None)
        .alias(c.name)
        for c in spec.columns
    )


def _parse(text: pl.DataFrame, column: ColumnSpec) -> pl.Expr:
    source = pl.col(column.name)
    if column.dtype == "date":
        return source.str.strptime(pl.Date, column.date_format, strict=False).alias(column.name)
    return source.cast(POLARS_TYPES[column.dtype], strict=False).alias(column.name)


def _type_problems(text: pl.DataFrame, typed: pl.DataFrame, spec: SourceSpec) -> list[CellProblem]:
    problems = []
    for column in spec.kept_columns:
        if column.dtype == "str":
            continue
        bad = text.with_row_index("i").filter(pl.col(column.name).is_not_null() & typed[column.name].is_null())
        expected = f"a date in format {column.date_format}" if column.dtype == "date" else f"a whole number" if column.dtype == "int" else "a number"
        problems.extend(
            CellProblem(int(i) + HEADER_LINE + 1, column.header, f"not {expected}", value)
            for i, value in bad.select("i", column.name).iter_rows()
        )
    return problems


def read_extract(path: Path, spec: SourceSpec, key: bytes) -> ReadExtract:
    """Parse, validate and pseudonymise a whole file, or raise ExtractError listing every problem in it."""
    month = spec.reporting_month(path)
    if month is None:
        raise ExtractError(path, f"the file name does not match '{spec.file_pattern}' for extract '{spec.extract}'")
    text = _match_columns(_read_text_frame(path, spec), spec, path)
    if text.height == 0:
        raise ExtractError(path, "the file has a header but no data rows")
    typed = text.select(_parse(text, c) for c in spec.kept_columns)
    lines = pl.Series("line", range(HEADER_LINE + 1, HEADER_LINE + 1 + typed.height))
    problems = _type_problems(text, typed, spec)
    headers = {c.name: c.header for c in spec.columns}
    unparsed = {(p.row, p.column) for p in problems}  # a value that failed to parse is not reported again as null
    problems += [
        named
        for p in validate(typed, spec, lines)
        if (named := CellProblem(p.row, headers.get(p.column or "", p.column), p.check, p.value)) and (named.row, named.column) not in unparsed
    ]
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise ExtractError(path, f"{len(problems)} problem(s) in extract '{spec.extract}'", problems)
    pseudonymised = typed.with_columns(
        pseudonymise_column(typed[c.name], key) for c in spec.kept_columns if c.personal
    )
    return ReadExtract(path, month, file_sha256(path), pseudonymised.with_columns(lines.alias("_line_number")))


def empty_rows(spec: SourceSpec) -> pl.DataFrame:
    """A typed frame with no rows, shaped like read_extract's output, for an extract with no files yet."""
    schema = {c.name: POLARS_TYPES[c.dtype] for c in spec.kept_columns} | {"_line_number": pl.Int64}
    return pl.DataFrame(schema=schema)
