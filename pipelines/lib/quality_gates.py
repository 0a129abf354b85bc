"""Quality gates on a candidate publication: Great Expectations suites run on the new file before it is renamed in.

The gates check exactly what BI users would get (the candidate DuckDB file, not the build database it came from), so a
figure broken anywhere on the way (engine, disclosure control, revision carry-over) is caught before publication.
Each check has a stable name (the Dagster asset check's name) and a severity: a blocking failure stops publication,
a warning is reported and the publication goes ahead. `docs/quality_gates.md` says how to read a failure.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from pipelines.lib.errors import ConfigurationError

if TYPE_CHECKING:  # Great Expectations takes seconds to import: only a publication pays for it
    from great_expectations.expectations import Expectation

ROW_COUNT_TOLERANCE_ENV = "CJS_ROW_COUNT_TOLERANCE"
DEFAULT_ROW_COUNT_TOLERANCE = 0.10
EXAMPLES_SHOWN = 5
# What names a published figure: a failure quotes these columns where its table has them.
FIGURE_COLUMNS = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]
# The build database's tables the completeness gate reads besides the candidate (declared as the published asset's
# dependencies, so Dagster knows the gate's inputs).
EXTRACT_MONTHS, SCORECARD_AREAS, MEASURES = (
    "intermediate.int_scorecard__extract_months",
    "definitions.scorecard_areas",
    "definitions.measures",
)
GATE_BUILD_TABLES = (EXTRACT_MONTHS, SCORECARD_AREAS, MEASURES)
# The units a figure may have and the range its value must fall in (pipelines.lib.measure_definitions.Measure.unit).
UNIT_RANGES: dict[str, tuple[float, float | None]] = {
    "percentage": (0, 100),
    "days": (0, None),
    "count": (0, None),
    "ratio": (0, None),
    "rate_per_1000": (0, None),
}
STATUSES = ["ok", "estimate", "suppressed", "not_available"]
# Column names that would carry a person: whole words of a snake_case name, so area_name or scorecard_title pass.
PERSONAL_COLUMN_REGEX = (  # non-capturing groups: pandas warns on capturing groups in str.contains
    r"(?:^|_)(?:surname|forenames?|dob|date_of_birth|birth_date|pnc(?:_id)?|cro(?:_id|_number)?|address(?:_line_?\d)?|"
    r"postcode|post_code|first_name|last_name|full_name|given_name|family_name|defendant_name|suspect_name|"
    r"victim_name|offender_name|person_name|witness_name)(?:_|$)|^name$"
)
# Police National Computer id (YY/NNNNNNNA, e.g. 90/123456A) and Criminal Records Office number (NNNNNN/YYA).
PERSONAL_VALUE_REGEXES = {
    "PNC id": r"\b\d{2,4}/\d{1,7}[A-Za-z]\b",
    "CRO number": r"\b(?:SF)?\d{1,6}/\d{2}[A-Za-z]\b",
}


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Batch:
    """One frame to validate with its expectations; `label` names it in failures (a table, or a derived frame).
    `index_columns` name a failing row (default: the figure's key, else the first two columns); `quote_values` False
    keeps the failing values out of the messages (the personal-data gate: what it finds must not be repeated)."""

    label: str
    frame: pd.DataFrame
    expectations: list[Expectation]
    index_columns: list[str] | None = None
    quote_values: bool = True


@dataclass(frozen=True)
class GateInputs:
    """What the checks read: the candidate file, the build database (catalogue context), the previous publication."""

    candidate: duckdb.DuckDBPyConnection
    build_db: Path
    previous_db: Path | None
    tables: list[str]
    row_count_tolerance: float


@dataclass(frozen=True)
class GateCheck:
    name: str
    severity: Severity
    description: str
    batches: Callable[[GateInputs], Iterator[Batch]]


@dataclass(frozen=True)
class CheckOutcome:
    """One check's verdict: failures counted over all its expectations, the first few quoted in words."""

    name: str
    severity: Severity
    description: str
    success: bool
    failure_count: int = 0
    examples: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.success:
            return f"{self.name} ({self.severity.value}): passed"
        more = (
            f" (and {self.failure_count - len(self.examples)} more)" if self.failure_count > len(self.examples) else ""
        )
        return (
            f"{self.name} ({self.severity.value}): {self.failure_count} failure(s): " + "; ".join(self.examples) + more
        )


@dataclass(frozen=True)
class GateReport:
    outcomes: list[CheckOutcome]

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity is Severity.BLOCKING]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity is Severity.WARNING]


class PublicationBlocked(RuntimeError):
    """A candidate publication failed a blocking quality gate: the published file stays as it was."""

    def __init__(self, report: GateReport) -> None:
        self.report = report
        failures = "\n".join(f"  - {outcome.summary()}" for outcome in report.blocking_failures)
        super().__init__(
            f"publication blocked by {len(report.blocking_failures)} quality gate(s); "
            f"the published file is unchanged:\n{failures}"
        )


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _table_frame(inputs: GateInputs, table: str) -> pd.DataFrame:
    return inputs.candidate.execute(f"select * from published.{table}").df()


def _figure_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in FIGURE_COLUMNS if c in frame.columns]


def _values_in_range(inputs: GateInputs) -> Iterator[Batch]:
    """Every figure's value within its unit's range, numerators and denominators not negative, no unknown unit."""
    from great_expectations import expectations as gxe

    for table in ("scorecard.measure_values", "scorecard.measure_breakdowns"):
        expectations: list[Expectation] = [
            gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=list(UNIT_RANGES), description="unknown unit")
        ]
        for unit, (low, high) in UNIT_RANGES.items():
            expectations.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column="value",
                    min_value=low,
                    max_value=high,
                    row_condition=f'unit == "{unit}"',
                    condition_parser="pandas",
                    description=f"{unit} value outside {low}..{'' if high is None else high}",
                )
            )
        expectations += [
            gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, description=f"negative {column}")
            for column in ("numerator", "denominator")
        ]
        yield Batch(table, _table_frame(inputs, table), expectations)


def _completeness(inputs: GateInputs) -> Iterator[Batch]:
    """Every figure the catalogue and the reporting units call for is published, as a value or a status saying why not.

    Blocking: a missing row is silent in a BI tool (a blank reads as zero or as "not reported"), and the published
    contract is one row per scorecard, measure, reporting unit and period of the measure's period types over the months
    delivered, so a missing row means the build lost figures and must not replace a complete publication. Expected
    rows come from the build database's definitions (scorecard areas, plus the board's own row when it covers several
    areas) and delivered months, not from the engine's output. Cohort measures (published for the quarters their
    cohorts cover) are left out: their periods follow the data.
    """
    from great_expectations import expectations as gxe

    inputs.candidate.execute(f"attach {_quoted(inputs.build_db)} as gate_build (read_only)")
    try:
        frame = inputs.candidate.execute(
            f"""
            with delivered_months as (
                select cast(unnest(range(min(month_start), max(month_start) + interval 1 month, interval 1 month))
                    as date) as month_start
                from gate_build.{EXTRACT_MONTHS}
            ),
            periods as (
                select 'month' as period_type, month_start as period_start from delivered_months
                union
                select 'quarter', cast(date_trunc('quarter', month_start) as date) from delivered_months
                union
                select 'r12m', cast(month_start - interval 11 month as date) from delivered_months
            ),
            reporting_units as (
                select scorecard_id, area_code from gate_build.{SCORECARD_AREAS}
                union all
                select scorecard_id, scorecard_id from gate_build.{SCORECARD_AREAS}
                group by scorecard_id having count(*) > 1
            ),
            expected_figures as (
                select measures.scorecard_id, measures.measure_id, reporting_units.area_code, periods.period_type,
                    periods.period_start
                from gate_build.{MEASURES} as measures
                inner join reporting_units on measures.scorecard_id = reporting_units.scorecard_id
                inner join periods on list_contains(string_split(measures.period_types, ','), periods.period_type)
                where measures.counting_basis <> 'cohort'
            )
            select expected_figures.*, coalesce(figures.status, 'missing') as status, figures.value,
                figures.status_reason
            from expected_figures
            left join published.scorecard.measure_values as figures
                using (scorecard_id, measure_id, area_code, period_type, period_start)
            """
        ).df()
    finally:
        inputs.candidate.execute("detach gate_build")
    yield Batch(
        "scorecard.measure_values",
        frame,
        [
            gxe.ExpectColumnValuesToBeInSet(
                column="status", value_set=STATUSES, description="figure missing (no row) or unknown status"
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="value",
                row_condition='status in ["ok", "estimate"]',
                condition_parser="pandas",
                description="status ok/estimate without a value",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="status_reason",
                row_condition='status in ["suppressed", "not_available"]',
                condition_parser="pandas",
                description="withheld without a reason",
            ),
        ],
    )


def _row_counts(inputs: GateInputs) -> Iterator[Batch]:
    """Each published table's rows against the previous publication's: a drop or a growth beyond the tolerance is
    flagged (the history of superseded figures only for a drop: it accumulates by design)."""
    from great_expectations import expectations as gxe

    if inputs.previous_db is None:
        return
    with duckdb.connect(str(inputs.previous_db), read_only=True) as previous:
        previous_tables = {
            f"{s}.{t}"
            for s, t in previous.execute(
                "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall()
        }
        previous_counts = {
            t: previous.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in inputs.tables
            if t in previous_tables
        }
    for table, previous_rows in previous_counts.items():
        least = math.ceil(previous_rows * (1 - inputs.row_count_tolerance))
        most = (
            None
            if table == "scorecard.measure_value_history"
            else math.floor(previous_rows * (1 + inputs.row_count_tolerance))
        )
        yield Batch(
            table,
            _table_frame(inputs, table),
            [
                gxe.ExpectTableRowCountToBeBetween(
                    min_value=least,
                    max_value=most,
                    description=f"rows outside the previous publication's {previous_rows} "
                    f"{'less' if most is None else 'plus or minus'} {inputs.row_count_tolerance:.0%}",
                )
            ],
        )


def _no_personal_data(inputs: GateInputs) -> Iterator[Batch]:
    """No column named for personal data in any published table, and no PNC id or CRO number in any text column."""
    from great_expectations import expectations as gxe

    columns = inputs.candidate.execute(
        """select schema_name || '.' || table_name as table_name, column_name
           from duckdb_columns() where database_name = 'published' order by all"""
    ).df()
    yield Batch(
        "published columns",
        columns,
        [
            gxe.ExpectColumnValuesToNotMatchRegex(
                column="column_name", regex=PERSONAL_COLUMN_REGEX, description="personal-data column"
            )
        ],
    )
    for table in inputs.tables:
        frame = _table_frame(inputs, table)
        text_columns = [c for c in frame.select_dtypes(include=["string", "object"]).columns if c not in FIGURE_COLUMNS]
        # A failure names the table, the column and the row (the figure's key, else the row's number), never the value.
        frame.insert(0, "row", range(1, len(frame) + 1))
        yield Batch(
            table,
            frame,
            [
                gxe.ExpectColumnValuesToNotMatchRegexList(
                    column=column,
                    regex_list=list(PERSONAL_VALUE_REGEXES.values()),
                    description=f"{' or '.join(PERSONAL_VALUE_REGEXES)} in {column}",
                )
                for column in text_columns
            ],
            index_columns=_figure_columns(frame) or ["row"],
            quote_values=False,
        )


# The checks, in the order they run and are reported (each one is an asset check of published/cjs_scorecard).
CHECKS: list[GateCheck] = [
    GateCheck(
        "values_in_range",
        Severity.BLOCKING,
        "Every published value within its unit's range: percentages 0..100; days, counts, ratios and rates "
        "not negative; numerators and denominators not negative; no unknown unit.",
        _values_in_range,
    ),
    GateCheck(
        "completeness",
        Severity.BLOCKING,
        "Every scorecard, measure, area and period the catalogue and reporting units call for is published, "
        "with a value or a status (suppressed, not_available) and its reason.",
        _completeness,
    ),
    GateCheck(
        "row_counts",
        Severity.WARNING,
        "Each published table has as many rows as the previous publication, give or take a tolerance "
        f"({ROW_COUNT_TOLERANCE_ENV}, default {DEFAULT_ROW_COUNT_TOLERANCE:.0%}; the history of superseded figures "
        "may grow without limit); no previous publication passes.",
        _row_counts,
    ),
    GateCheck(
        "no_personal_data",
        Severity.BLOCKING,
        "No published column is named for personal data (name, date of birth, PNC, CRO, address, postcode) "
        "and no text value looks like a PNC id or CRO number.",
        _no_personal_data,
    ),
]


def _format_failure(
    label: str, description: str, row: dict[str, Any], index_columns: list[str], quote_values: bool
) -> str:
    """'<what> in <table>: scorecard wcjb, measure x, area E23000038, period month 2024-01-01: value 150.0' (without
    the value when the batch may not quote it)."""
    where = ", ".join(
        f"{c.removesuffix('_id').removesuffix('_code')} {row[c]}"
        for c in index_columns
        if c in row and c not in ("period_type", "period_start")
    )
    if "period_type" in row:
        where += f", period {row['period_type']} {str(row.get('period_start', ''))[:10]}"
    found = ", ".join(f"{c} {v}" for c, v in row.items() if c not in index_columns) if quote_values else ""
    return f"{description} in {label}: {where}" + (f": {found}" if found else "")


def _validate(batch: Batch, context: Any, name: str) -> tuple[int, list[str]]:
    """Run one batch's expectations through a Great Expectations validation definition; failures as sentences."""
    import great_expectations as gx

    if not batch.expectations:
        return 0, []
    source = context.data_sources.add_pandas(f"{name}_source")
    definition = source.add_dataframe_asset(f"{name}_frame").add_batch_definition_whole_dataframe("whole")
    suite = context.suites.add(gx.ExpectationSuite(name=f"{name}_suite", expectations=batch.expectations))
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=definition, suite=suite))
    index_columns = batch.index_columns or _figure_columns(batch.frame) or list(batch.frame.columns[:2])
    result = validation.run(
        batch_parameters={"dataframe": batch.frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns},
    )
    count, examples = 0, []
    for outcome in result.results:
        if outcome.success:
            continue
        description = outcome.expectation_config.description or outcome.expectation_config.type
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            count += 1
            examples.append(f"{description} in {batch.label}: {outcome.exception_info['exception_message']}")
            continue
        rows = outcome.result.get("unexpected_index_list")
        if rows is None:  # a table-level expectation (row count)
            count += 1
            examples.append(f"{description} in {batch.label}: {outcome.result.get('observed_value')} rows")
            continue
        count += outcome.result.get("unexpected_count", len(rows))
        examples += [
            _format_failure(batch.label, description, row, index_columns, batch.quote_values)
            for row in rows[:EXAMPLES_SHOWN]
        ]
    return count, examples


def _gx_context() -> Any:
    """An in-memory Great Expectations context: nothing written to disk, no analytics, no progress bars in logs."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    return gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )


def row_count_tolerance() -> float:
    """The fraction of a table's rows a publication may lose (or gain) against the previous one before the warning."""
    text = os.environ.get(ROW_COUNT_TOLERANCE_ENV) or str(DEFAULT_ROW_COUNT_TOLERANCE)
    try:
        tolerance = float(text)
    except ValueError:
        tolerance = -1.0
    if not 0 <= tolerance <= 1:
        raise ConfigurationError(f"{ROW_COUNT_TOLERANCE_ENV}={text!r}: expected a fraction between 0 and 1, e.g. 0.10")
    return tolerance


def run_quality_gates(
    candidate_db: Path, build_db: Path, previous_db: Path | None, tables: list[str], checks: list[GateCheck] = CHECKS
) -> GateReport:
    """Validate the candidate publication file with every check; `previous_db` is the publication it would replace."""
    context = _gx_context()
    outcomes = []
    with duckdb.connect() as connection:
        connection.execute(f"attach {_quoted(candidate_db)} as published (read_only)")
        inputs = GateInputs(
            connection,
            build_db,
            previous_db if previous_db and previous_db.exists() else None,
            tables,
            row_count_tolerance(),
        )
        for check in checks:
            count, examples = 0, []
            for number, batch in enumerate(check.batches(inputs)):
                batch_count, batch_examples = _validate(batch, context, f"{check.name}_{number}")
                count += batch_count
                examples += batch_examples
            outcomes.append(
                CheckOutcome(
                    check.name, check.severity, check.description, count == 0, count, examples[:EXAMPLES_SHOWN]
                )
            )
    return GateReport(outcomes)
