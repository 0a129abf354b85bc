"""Published figures against the simulator's ground truth (the personal-data scan of the same warehouse is in
test_personal_data.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import SIMULATED_MONTHS


@pytest.mark.parametrize("measure_id", ["rui_live"])
def test_published_measure_equals_truth_every_month(
    simulated_landing: Path, simulated_warehouse: Path, measure_id: str
) -> None:
    truth = (
        pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet")
        .filter(pl.col("measure_id") == measure_id, pl.col("area_code") == "E23000038")
        .select("period_start", pl.col("value").alias("truth"))
    )
    with duckdb.connect(str(simulated_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        published = connection.sql(
            f"select period_start, value as published from scorecard.measure_values where measure_id = '{measure_id}' and area_code = 'E23000038' and period_type = 'month'"
        ).pl()
    compared = truth.join(published, on="period_start", how="full", coalesce=True).sort("period_start")
    assert compared.height == SIMULATED_MONTHS
    assert compared["truth"].to_list() == compared["published"].to_list()
