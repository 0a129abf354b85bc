"""pandera (polars backend) schemas derived from source specs, and their failures as cell-level problems."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from pipelines.lib.errors import CellProblem
from pipelines.lib.source_spec import ColumnSpec, SourceSpec, seed_values

POLARS_TYPES: dict[str, type[pl.DataType]] = {
    "str": pl.String,
    "int": pl.Int64,
    "float": pl.Float64,
    "percent": pl.Float64,
    "date": pl.Date,
}


def _compared_with(this: str, other: str, relation: str) -> pa.Check:
    """A date that cannot precede (or follow) another column of the same row; empty values are not compared."""

    def holds(data: pa.PolarsData) -> pl.LazyFrame:
        left, right = pl.col(this), pl.col(other)
        ok = left >= right if relation == "not_before" else left <= right
        return data.lazyframe.select(ok.fill_null(True).alias(this))

    return pa.Check(
        holds,
        name=f"{relation}_{other}",
        error=f"{this} is {'before' if relation == 'not_before' else 'after'} {other}",
    )


def _checks(column: ColumnSpec) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column.allowed_from is not None:  # the seed's code list, and any `allowed` extras (the CPS's "National")
        checks.append(
            pa.Check.isin(
                seed_values(column.allowed_from) + (column.allowed or []), name=f"known {column.allowed_from}"
            )
        )
    elif column.allowed is not None:
        checks.append(pa.Check.isin(column.allowed))
    if column.pattern is not None:
        checks.append(pa.Check.str_matches(column.pattern))
    if column.min is not None:
        checks.append(pa.Check.ge(column.min))
    if column.max is not None:
        checks.append(pa.Check.le(column.max))
    if column.not_before is not None:
        checks.append(_compared_with(column.name, column.not_before, "not_before"))
    if column.not_after is not None:
        checks.append(_compared_with(column.name, column.not_after, "not_after"))
    return checks


def build_schema(spec: SourceSpec) -> pa.DataFrameSchema:
    """The row-level rules of an extract, after parsing and before pseudonymisation (kept columns, and dropped ones a
    person key is derived from)."""
    columns = {
        c.name: pa.Column(POLARS_TYPES[c.dtype], checks=_checks(c), nullable=not c.required)
        for c in spec.parsed_columns
    }
    return pa.DataFrameSchema(columns, unique=spec.primary_key or None, name=spec.extract, strict=False)


def validate(frame: pl.DataFrame, spec: SourceSpec, line_numbers: pl.Series) -> list[CellProblem]:
    """Every failing cell (lazy validation), with the file line it came from; empty when the frame is valid."""
    try:
        build_schema(spec).validate(frame, lazy=True)
    except SchemaErrors as exc:
        problems = []
        for row in exc.failure_cases.iter_rows(named=True):
            index = row.get("index")
            line = int(line_numbers[int(index)]) if index is not None else None
            value = row.get("failure_case")
            column, check = row.get("column"), str(row.get("check"))
            if row.get("schema_context") == "DataFrameSchema" and "unique" in check:
                # The failure case is the whole row: name the key instead of repeating values (some are personal).
                column, check, value = None, f"duplicate primary key ({' + '.join(spec.primary_key)})", None
            elif check == "not_nullable":
                check = "required value missing"
            problems.append(CellProblem(line, column, check, None if value is None else str(value)))
        return problems
    return []
