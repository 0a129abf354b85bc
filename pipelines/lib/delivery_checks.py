"""Whether a file that was read is a whole and plausible delivery of its month, before it may replace the one in force.

A file can parse cleanly and still be wrong as a whole: a column shifted or a date format changed (most rows fail
their checks), March's data sent under April's name (its rows say March), a transfer cut short at a line end or a
file appended twice (far fewer or more rows than the months around it). Loading any of these would replace a good
month with a bad one, and the scorecard would publish it. Each check returns the reason to refuse the file, naming
columns, checks, months and counts, never a cell's value (it may be personal).
"""

from __future__ import annotations

import math
import statistics

import duckdb
import polars as pl

from pipelines.lib.extract_reader import ReadExtract
from pipelines.lib.months import month_offset
from pipelines.lib.source_spec import SourceSpec

NEIGHBOUR_MONTHS = 3  # months either side a file's row count is compared with
MIN_NEIGHBOURS = 2  # fewer delivered months around it: no comparison (the first months of an extract)
# Small monthly counts vary by chance (a count of n has a standard deviation near sqrt(n)): the band around the median
# is widened by this many of them, so a quiet extract's 43 then 69 rows is not taken for a fault.
CHANCE_DEVIATIONS = 4
# A few bad rows in a small file are a few bad rows (quarantined), not a fault of the file: a share is judged from this
# many rejected rows (or every row, in a file smaller than that).
MIN_REJECTED_ROWS = 5
PROBLEMS_NAMED = 3


def delivery_problem(
    connection: duckdb.DuckDBPyConnection, spec: SourceSpec, read: ReadExtract, rows_accepted: int
) -> str | None:
    """Why the file must not replace its month (the first reason found), or None if it may."""
    return (
        rejected_share_problem(spec, read)
        or stated_month_problem(spec, read)
        or row_count_problem(connection, spec, read.reporting_month, rows_accepted)
    )


def rejected_share_problem(spec: SourceSpec, read: ReadExtract) -> str | None:
    """More of the file's rows fail their own checks than the spec allows: name the commonest failures."""
    rejected = read.rows_rejected
    if (
        read.rows_read == 0
        or rejected / read.rows_read <= spec.max_rejected_share
        or rejected < min(read.rows_read, MIN_REJECTED_ROWS)
    ):
        return None
    commonest = (
        read.rejections.group_by("column", "check")
        .agg(pl.col("_line_number").n_unique().alias("rows"))
        .sort("rows", "column", "check", descending=[True, False, False], nulls_last=True)
        .head(PROBLEMS_NAMED)
    )
    named = "; ".join(
        f"{column or 'the row'}: {check} ({rows:,} rows)" for column, check, rows in commonest.iter_rows()
    )
    return (
        f"{rejected:,} of {read.rows_read:,} rows ({rejected / read.rows_read:.0%}) fail their checks, more than the "
        f"{spec.max_rejected_share:.0%} {spec.extract} allows (max_rejected_share): {named}"
    )


def _row_months(rows: pl.DataFrame, spec: SourceSpec) -> pl.Series:
    """Each row's month (YYYY-MM): the latest of its period columns (a crime's outcome month, else its recorded month)."""
    months = [
        pl.col(name).dt.strftime("%Y-%m") if rows.schema[name] == pl.Date else pl.col(name).str.slice(0, 7)
        for name in spec.period_columns
    ]
    return rows.select(pl.max_horizontal(months).alias("month")).to_series()


def stated_month_problem(spec: SourceSpec, read: ReadExtract) -> str | None:
    """The month most rows state (spec.period_columns) is not the file's month (from its name or folder)."""
    if not spec.period_columns or read.reporting_month is None or read.rows.height == 0:
        return None
    months = _row_months(read.rows, spec).drop_nulls()
    if months.len() == 0:
        return None
    counts = months.value_counts(sort=True)
    stated, rows = counts.row(0)
    if stated == read.reporting_month:
        return None
    headers = ", ".join(c.header for c in spec.columns if c.name in spec.period_columns)
    source = "folder" if spec.period_from == "folder" else "name"
    return (
        f"its rows are for {stated} ({rows:,} of {months.len():,} rows by {headers}) but its {source} says "
        f"{read.reporting_month}: a file of one month under another's {source} is refused"
    )


def row_count_problem(
    connection: duckdb.DuckDBPyConnection, spec: SourceSpec, month: str | None, rows_accepted: int
) -> str | None:
    """The file's rows depart from the median of the deliveries in force around its month by more than the spec's
    tolerance and chance allow (a file cut short at a line end, or sent twice). Compared only where a month is one
    delivery."""
    if spec.row_count_tolerance is None or month is None or spec.delivery != "month":
        return None
    around = connection.execute(
        f"""select _reporting_month, count(*) from raw.{spec.extract}
            where _reporting_month between ? and ? and _reporting_month <> ? group by all""",
        [month_offset(month, -NEIGHBOUR_MONTHS), month_offset(month, NEIGHBOUR_MONTHS), month],
    ).fetchall()
    if len(around) < MIN_NEIGHBOURS:
        return None
    median = float(statistics.median(count for _, count in around))
    chance = CHANCE_DEVIATIONS * math.sqrt(median)
    low = max(0.0, median * (1 - spec.row_count_tolerance) - chance)
    high = median * (1 + spec.row_count_tolerance) + chance
    if low <= rows_accepted <= high:
        return None
    months = ", ".join(sorted(m for m, _ in around))
    return (
        f"{rows_accepted:,} rows accepted where the months around it ({months}) have a median of {median:,.0f}: "
        f"outside {low:,.0f}..{high:,.0f} (row_count_tolerance {spec.row_count_tolerance:.0%}); a file cut short or "
        f"sent twice? If the change is real, raise row_count_tolerance in the spec"
    )
