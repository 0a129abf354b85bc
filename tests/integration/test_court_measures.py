"""Court measures with no simulator truth measure, checked by hand against the landing-zone extracts themselves
(the session's Wiltshire landing zone, 24 months, seed 7):

- court_hearings_victims_witnesses (WCJB "Volume of Court Hearings for Victims and witnesses"): trial listings -
  effective, cracked and ineffective, MC and CC - held in the month, counted from the HMCTS hearings workbooks.
- prosecution_cracked_ineffective_rate (inspection common measure): trial listings cracked or ineffective for a
  reason starting "Prosecution", as a percentage of trial listings, from the same workbooks.
- hearings_per_case (library only): mean of the MC cases extract's Hearings column over the month's disposal rows
  other than Sent to Crown Court, recomputed from the CSVs and compared with the engine's fact model.

Run: uv run --frozen pytest tests/integration/test_court_measures.py -q
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import fastexcel
import polars as pl
import pytest

AREA = "E23000038"  # Wiltshire
TRIAL_LABELS = ["1: Effective trials", "2: Cracked trials", "3: Ineffective trials"]


def _hearings(landing: Path) -> pl.DataFrame:
    frames = []
    for path in sorted((landing / "hmcts" / "hearings").glob("*.xlsx")):
        sheet = fastexcel.read_excel(path).load_sheet(0, dtypes="string")
        frames.append(pl.from_arrow(sheet.to_arrow()).with_columns(pl.lit(path.stem[-7:]).alias("month")))
    return pl.concat(frames, how="vertical_relaxed")


@pytest.fixture(scope="module")
def published(simulated_warehouse: Path) -> pl.DataFrame:
    with duckdb.connect(str(simulated_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        return connection.sql(
            f"""select measure_id, period_start, value, status from scorecard.measure_values
                where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month'"""
        ).pl()


def test_court_hearings_for_victims_and_witnesses_are_the_trial_listings(simulated_landing: Path, published) -> None:
    hearings = _hearings(simulated_landing)
    assert hearings.height > 5_000
    # every hearing of the month's workbook is dated in that month: the workbook is the month's count
    serial = hearings["Hearing Date"].cast(pl.Float64).cast(pl.Int64)
    dates = (pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial)).alias("date")
    assert hearings.select(dates.dt.strftime("%Y-%m").alias("m"))["m"].equals(hearings["month"].alias("m"))
    by_hand = (
        hearings.filter(pl.col("Trial Effectiveness").is_in(TRIAL_LABELS))
        .group_by("month")
        .agg(pl.len().alias("trial_listings"), (pl.col("Court Type") == "Crown Court").sum().alias("cc"))
    )
    figures = published.filter(pl.col("measure_id") == "court_hearings_victims_witnesses").with_columns(
        pl.col("period_start").dt.strftime("%Y-%m").alias("month")
    )
    compared = by_hand.join(figures, on="month", how="full", coalesce=True).sort("month")
    assert compared.height == 24
    assert (compared["status"] == "ok").all()
    assert compared["trial_listings"].cast(pl.Float64).to_list() == compared["value"].to_list()
    # both courts are counted, and a trial listing is not any hearing
    assert (compared["cc"] > 0).all()
    assert compared["trial_listings"].sum() < 0.5 * hearings.height


def test_hearings_per_case_is_the_mean_of_the_mc_hearings_column(
    simulated_landing: Path, simulated_warehouse: Path
) -> None:
    rows = pl.concat(
        [pl.read_csv(p, infer_schema=False) for p in sorted((simulated_landing / "hmcts" / "mc_cases").glob("*.csv"))],
        how="vertical",
    )
    finalised = rows.filter(pl.col("Record Type") == "Disposal", pl.col("Disposal Type") != "Sent to Crown Court")
    by_hand = (
        finalised.with_columns(pl.col("Disposal Date").str.to_date("%d-%b-%Y").dt.strftime("%Y-%m").alias("month"))
        .group_by("month")
        .agg(pl.col("Hearings").cast(pl.Int64).sum().alias("hearings"), pl.len().alias("cases"))
        .sort("month")
    )
    with duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        model = connection.sql(
            """select strftime(event_date, '%Y-%m') as month, sum(hearing_count) as hearings, count(hearing_count) as cases
               from facts.fct_court_case_flows
               where court_type = 'MC' and is_finalised
               group by all order by month"""
        ).pl()
    assert by_hand.height == 24
    assert by_hand["cases"].min() > 100
    assert by_hand.to_dicts() == model.with_columns(pl.col("hearings").cast(pl.Int64)).to_dicts()
    # a case finalised in the MC has had at least one hearing there; sent cases (one hearing) are left out
    assert finalised["Hearings"].cast(pl.Int64).min() >= 1


def test_prosecution_cracked_ineffective_rate_from_the_workbooks(
    simulated_landing: Path, simulated_warehouse: Path
) -> None:
    listings = _hearings(simulated_landing).filter(pl.col("Trial Effectiveness").is_in(TRIAL_LABELS))
    prosecution = pl.col("Reason").fill_null("").str.contains(r"^(Cracked|Ineffective) reason: Prosecution")
    by_hand = listings.group_by("month").agg(prosecution.sum().alias("numerator"), pl.len().alias("denominator"))
    with duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        figures = connection.sql(
            f"""select strftime(period_start, '%Y-%m') as month, value, numerator, denominator
                from scorecard.measure_values
                where scorecard_id = 'inspection' and measure_id = 'prosecution_cracked_ineffective_rate'
                    and area_code = '{AREA}' and period_type = 'month'"""
        ).pl()
    compared = by_hand.join(figures, on="month")
    assert compared.height == 24 and compared["numerator"].min() > 0
    assert (compared["numerator"] == compared["numerator_right"]).all()
    assert (compared["denominator"] == compared["denominator_right"]).all()
    assert ((compared["value"] - compared["numerator"] / compared["denominator"] * 100).abs() < 1e-9).all()
