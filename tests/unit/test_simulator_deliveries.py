"""The simulator's delivery schedule: each agency file carries its arrival date, a few are late, a missing one is
not written, and the schedule in _truth/deliveries.parquet says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.simulator.run import simulate


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deliveries") / "landing"
    simulate(["wiltshire"], "2024-01", "2024-06", out, seed=3, scale=0.05, missing_deliveries=1)
    return out


def test_every_delivered_file_carries_its_arrival_date(landing: Path) -> None:
    schedule = pl.read_parquet(landing / "_truth" / "deliveries.parquet").filter(pl.col("status") != "missing")
    assert schedule.height > 0
    for row in schedule.iter_rows(named=True):
        modified = dt.datetime.fromtimestamp((landing / row["file"]).stat().st_mtime, dt.UTC)
        assert modified.date() == row["arrival_date"], row["file"]


def test_late_means_after_the_expected_day_of_the_next_month(landing: Path) -> None:
    schedule = pl.read_parquet(landing / "_truth" / "deliveries.parquet")
    delivered = schedule.filter(pl.col("status") != "missing")
    assert (delivered["status"] == "late").to_list() == (
        delivered["arrival_date"] > delivered["expected_date"]
    ).to_list()
    assert delivered.filter(pl.col("status") == "late").height >= 1
    months = schedule.select(
        pl.col("expected_date").dt.strftime("%Y-%m").alias("due"),
        (pl.col("reporting_month") + "-01").str.to_date().dt.offset_by("1mo").dt.strftime("%Y-%m").alias("next"),
    )
    assert months["due"].to_list() == months["next"].to_list()


def test_a_missing_delivery_is_not_written_and_lies_inside_the_range(landing: Path) -> None:
    schedule = pl.read_parquet(landing / "_truth" / "deliveries.parquet")
    missing = schedule.filter(pl.col("status") == "missing")
    assert missing.height == 1
    row = missing.row(0, named=True)
    assert "2024-01" < row["reporting_month"] < "2024-06" and row["arrival_date"] is None
    agency, name = row["extract"].split("_", 1)
    assert not list((landing / agency / name).glob(f"*{row['reporting_month']}*"))
    health = pl.read_parquet(landing / "_truth" / "data_health.parquet").filter(
        pl.col("measure_id") == "deliveries_missing", pl.col("value") > 0
    )
    assert health["period_start"].dt.strftime("%Y-%m").to_list() == [row["reporting_month"]]


def test_the_schedule_is_the_same_for_the_same_seed(landing: Path, tmp_path: Path) -> None:
    simulate(["wiltshire"], "2024-01", "2024-06", tmp_path / "again", seed=3, scale=0.05, missing_deliveries=1)
    first = pl.read_parquet(landing / "_truth" / "deliveries.parquet")
    assert first.equals(pl.read_parquet(tmp_path / "again" / "_truth" / "deliveries.parquet"))
