"""England and Wales computed from the 43 forces' own rows when all are loaded: a small simulation of every force
(three months, 2% of the volumes), whose national figures equal the sum of the 43 forces' truth."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import run_refresh
from pipelines.lib.simulator.run import simulate

NATIONAL = "K04000001"


@pytest.fixture(scope="module")
def national_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("england_and_wales")
    landing = root / "landing"
    simulate("all", "2025-01", "2025-03", landing, seed=31, scale=0.02)
    run_refresh(landing, root / "warehouse")
    return {"landing": landing, "build": root / "warehouse" / "build" / "cjs_build.duckdb"}


def _query(database: Path, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).pl()


def _national_truth(national_run: dict[str, Path]) -> pl.DataFrame:
    truth = pl.read_parquet(national_run["landing"] / "_truth" / "measure_values.parquet")
    assert truth["area_code"].n_unique() == 43
    return truth.group_by("measure_id", "period_type", "period_start").agg(
        pl.len().alias("areas"),
        pl.col("value").sum().alias("value_truth"),
        pl.col("numerator").sum().alias("numerator_truth"),
        pl.col("denominator").sum().alias("denominator_truth"),
    )


# exact by their definition: no estimate_reason, no provisional months, no rate per 1,000 residents (whose national
# truth needs the residents); the figures an England and Wales row publishes as ok
EXACT_MEASURES = """
    select measure_id, any_value(aggregate) as aggregate, any_value(scale) as scale
    from staging.stg_definitions__measures
    where availability = 'computed' and estimate_reason is null and provisional_months = 0
        and measure_id not in (select measure_id from staging.stg_definitions__measure_parts
                               where per_1000_residents is not null)
    group by measure_id"""


def _expected(frame: pl.DataFrame) -> pl.DataFrame:
    expected = (
        pl.when(pl.col("aggregate").is_in(["count", "count_distinct", "sum"]))
        .then(pl.col("value_truth"))
        .otherwise(pl.col("numerator_truth") / pl.col("denominator_truth") * pl.col("scale"))
    )
    return frame.with_columns(expected.alias("expected"))


def test_england_and_wales_figures_equal_the_43_forces_truth(national_run: dict[str, Path]) -> None:
    figures = _query(
        national_run["build"],
        f"""
        select values.*, exact.aggregate, exact.scale
        from intermediate.int_scorecard__measure_values as values
        inner join ({EXACT_MEASURES}) as exact using (measure_id)
        where values.unit_code = '{NATIONAL}' and values.status = 'ok'""",
    )
    compared = _expected(figures.join(_national_truth(national_run), on=["measure_id", "period_type", "period_start"]))
    assert (compared["areas"] == 43).all()
    wrong = compared.filter((pl.col("value") - pl.col("expected")).abs() > 1e-9)
    assert wrong.height == 0, wrong.select("measure_id", "period_type", "period_start", "value", "expected")
    assert compared["measure_id"].n_unique() >= 25 and compared.height >= 60, compared.height
    print(f"\nEngland and Wales figures compared with the truth: {compared.height}, exact: {compared.height}")


def test_the_england_and_wales_figure_beside_a_board_figure_is_the_national_one(national_run: dict[str, Path]) -> None:
    """What WCJB's rows show as England and Wales is the 43 forces' figure, not Wiltshire's or a partial sum."""
    beside = _query(
        national_run["build"],
        f"""
        select values.measure_id, values.period_type, values.period_start, values.national_value as value,
            exact.aggregate, exact.scale
        from scorecard.measure_values as values
        inner join ({EXACT_MEASURES}) as exact using (measure_id)
        where values.scorecard_id = 'wcjb' and values.national_value is not null""",
    )
    compared = _expected(beside.join(_national_truth(national_run), on=["measure_id", "period_type", "period_start"]))
    assert compared.height >= 40
    wrong = compared.filter((pl.col("value") - pl.col("expected")).abs() > 1e-9)
    assert wrong.height == 0, wrong
