"""The scorecard engine end to end: every computed measure against the simulator's truth, periods built from months,
a measure added with YAML only, and what the published copy withholds."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import run_refresh
from pipelines.settings import DEFINITIONS_ENV, SCORECARD_DEFINITIONS_DIR
from tests.conftest import SMALL_LANDING_ZONE

WILTSHIRE = "E23000038"
# WCJB measures the simulator's truth has no figure for, and the test that checks them by hand instead.
CHECKED_BY_HAND = {
    "court_hearings_victims_witnesses": "tests/integration/test_court_measures.py",
    "gp_first_hearing_total": "the sum of gp_first_hearing_mc and gp_first_hearing_cc, both against the truth",
    "prosecution_cracked_ineffective_rate": "tests/integration/test_court_measures.py",
    "hearings_per_case": "tests/integration/test_court_measures.py",
    "arrest_charge_rate": "test_charge_at_arrest_by_ethnic_group_from_the_extract_files, below",
    # the data section's measures, against the simulator's delivery schedule, URNs and re-sends
    **{
        path.stem: "tests/integration/test_data_health.py"
        for path in (Path(__file__).resolve().parents[2] / "scorecard_definitions" / "measures" / "data_health").glob(
            "*.yaml"
        )
    },
}
TRUTH_PERIOD_TYPES = {"month": "month", "snapshot": "month", "r12m": "r12m", "cohort": "quarter"}


def _build_values(warehouse: Path) -> pl.DataFrame:
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        return connection.sql(
            """select values.*, measures.aggregate, measures.scale
               from scorecard.measure_values as values
               inner join scorecard.measures using (scorecard_id, measure_id)
               where area_code = 'E23000038'"""
        ).pl()


@pytest.fixture(scope="module")
def compared(simulated_landing: Path, simulated_warehouse: Path) -> pl.DataFrame:
    """Each computed Wiltshire figure (the WCJB and inspection scorecards) beside the truth's value for the same
    measure, area and period."""
    truth = (
        pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet")
        .filter(pl.col("area_code") == WILTSHIRE)
        .with_columns(pl.col("period_type").replace_strict(TRUTH_PERIOD_TYPES))
        .rename({"value": "truth", "numerator": "truth_numerator", "denominator": "truth_denominator"})
    )
    ours = _build_values(simulated_warehouse)
    return ours.join(
        truth.drop("period_end"), on=["measure_id", "area_code", "period_type", "period_start"], how="inner"
    )


def test_every_computed_measure_is_checked(simulated_warehouse: Path, compared: pl.DataFrame) -> None:
    values = _build_values(simulated_warehouse)
    computed = set(values.filter(pl.col("status").is_in(["ok", "estimate"]))["measure_id"])
    assert computed and computed - set(CHECKED_BY_HAND) <= set(compared["measure_id"])


def test_exact_against_truth_every_period(compared: pl.DataFrame) -> None:
    """Counts exactly, rates and days to 1e-9, in every period the data covers."""
    exact = compared.filter(pl.col("status") == "ok")
    wrong = exact.filter(
        ~(((pl.col("value") - pl.col("truth")).abs() <= 1e-9) | (pl.col("value").is_null() & pl.col("truth").is_null()))
    )
    assert exact.height > 0
    assert wrong.height == 0, wrong.select("measure_id", "period_type", "period_start", "value", "truth")


def test_only_windows_reaching_before_the_data_are_not_available(compared: pl.DataFrame) -> None:
    first_month = compared.filter(pl.col("period_type") == "month")["period_start"].min()
    missing = compared.filter(pl.col("status") == "not_available")
    assert (missing["period_type"] == "r12m").all()
    assert (missing["period_start"] < first_month).all()
    assert missing["status_reason"].str.starts_with("not delivered: ").all()


def test_quarters_are_recomputed_from_the_months(simulated_landing: Path, simulated_warehouse: Path) -> None:
    """A quarter's count is the sum of its months; its rate is the quarter's numerator over its denominator."""
    truth = pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet").filter(
        pl.col("area_code") == WILTSHIRE, pl.col("period_type") == "month"
    )
    truth_quarters = (
        truth.with_columns(pl.col("period_start").dt.truncate("1q").alias("quarter"))
        .group_by("measure_id", "quarter")
        .agg(pl.len().alias("months"), pl.col("value").sum(), pl.col("numerator").sum(), pl.col("denominator").sum())
        .filter(pl.col("months") == 3)
    )
    ours = _build_values(simulated_warehouse).filter(
        pl.col("period_type") == "quarter",
        pl.col("counting_basis") == "in_period",
        pl.col("aggregate").is_in(["count", "sum", "ratio", "mean"]),
        pl.col("status") == "ok",
    )
    joined = ours.join(truth_quarters, left_on=["measure_id", "period_start"], right_on=["measure_id", "quarter"])
    assert joined.height >= 4
    expected = (
        pl.when(pl.col("aggregate") == "count")
        .then(pl.col("value_right"))
        .otherwise(pl.col("numerator_right") / pl.col("denominator_right") * pl.col("scale"))
    )
    wrong = joined.filter((pl.col("value") - expected).abs() > 1e-9)
    assert wrong.height == 0, wrong.select("measure_id", "period_start", "value", "value_right")


def test_published_copy_never_shows_a_small_count(simulated_warehouse: Path) -> None:
    """No count of 1 to 4, and no share, mean or median on a denominator under 10 (a measure whose figures rest on
    its denominator); a ratio of rates per 1,000 residents rests on the events behind each rate instead."""
    with duckdb.connect(str(simulated_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        # a count of files is no one: measures declared not_personal (the data section's) are published whole
        small = connection.execute(
            """select count(*) from scorecard.measure_values inner join scorecard.measures using (scorecard_id, measure_id)
               where measure_values.unit = 'count' and value between 1 and 4 and disclosure <> 'not_personal'"""
        ).fetchall()[0][0]
        thin = connection.execute(
            """select count(*) from scorecard.measure_values inner join scorecard.measures using (scorecard_id, measure_id)
               where measure_values.unit <> 'count' and denominator between 1 and 9
                   and disclosure_rests_on = 'denominator:min_base' and disclosure <> 'not_personal'"""
        ).fetchall()[0][0]
        rates_of_residents = connection.execute(
            """select count(*) from scorecard.measure_values inner join scorecard.measures using (scorecard_id, measure_id)
               where measure_values.unit <> 'count' and denominator between 1 and 9"""
        ).fetchall()[0][0]
    assert (small, thin) == (0, 0)
    assert rates_of_residents > 0  # the disproportionality ratio: a few searches per 1,000 White residents, published


# A measure added in a test with YAML only (no Python, no SQL), computed over the hand-made landing zone.
# Hand counts from tests/fixtures/landing_small/police/live_caseload: domestic abuse rows released under
# investigation (January 1, February 2) and the median days in status of all RUI rows (January 10, 26, 72 -> 26;
# February 9, 19, 55, 101 -> 37).
ADDED_MEASURES = {
    "da_rui_live": """
id: da_rui_live
title: DA suspects released under investigation (Live)
description: Domestic abuse crime-suspects released under investigation at the end of the period.
owner_agency: police
source_agencies: [police]
source_extracts: [police_live_caseload]
counting_basis: snapshot
unit: count
frequency: monthly
polarity: lower_is_better
compute:
  model: fct_police_live_caseload
  date: snapshot_date
  window: snapshot
  filter: caseload_status = 'released_under_investigation' and is_domestic_abuse
""",
    "rui_median_days": """
id: rui_median_days
title: Median days of RUI investigations
description: Median days in status of the suspects released under investigation at the end of the period.
owner_agency: police
source_agencies: [police]
source_extracts: [police_live_caseload]
counting_basis: snapshot
unit: days
frequency: monthly
polarity: lower_is_better
compute:
  model: fct_police_live_caseload
  date: snapshot_date
  window: snapshot
  filter: caseload_status = 'released_under_investigation'
  aggregate: median
  column: days_in_status
""",
}


@pytest.fixture(scope="module")
def added_measure_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("definitions") / "scorecard_definitions"
    shutil.copytree(SCORECARD_DEFINITIONS_DIR, root)
    for measure_id, text in ADDED_MEASURES.items():
        (root / "measures" / "police" / f"{measure_id}.yaml").write_text(text.lstrip())
    scorecard = root / "wcjb" / "scorecard.yaml"
    scorecard.write_text(
        scorecard.read_text().replace(
            "      - id: rui_live\n", "      - id: rui_live\n      - id: da_rui_live\n      - id: rui_median_days\n", 1
        )
    )
    warehouse = tmp_path_factory.mktemp("added_measure_warehouse")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DEFINITIONS_ENV, str(root))
        run_refresh(SMALL_LANDING_ZONE, warehouse)
    return warehouse


def test_measure_added_with_yaml_only(added_measure_warehouse: Path) -> None:
    values = _build_values(added_measure_warehouse).filter(pl.col("period_type") == "month")
    figures = {
        (row["measure_id"], row["period_start"]): (row["value"], row["status"])
        for row in values.filter(pl.col("measure_id").is_in(list(ADDED_MEASURES))).iter_rows(named=True)
    }
    assert figures == {
        ("da_rui_live", date(2024, 1, 1)): (1.0, "ok"),
        ("da_rui_live", date(2024, 2, 1)): (2.0, "ok"),
        ("rui_median_days", date(2024, 1, 1)): (26.0, "ok"),
        ("rui_median_days", date(2024, 2, 1)): (37.0, "ok"),
    }


def test_small_counts_are_withheld_in_the_published_copy_only(added_measure_warehouse: Path) -> None:
    with duckdb.connect(str(added_measure_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        published = connection.execute(
            """select period_start, value, status, status_reason from scorecard.measure_values
               where measure_id = 'da_rui_live' and period_type = 'month' order by period_start"""
        ).fetchall()
        catalogue = connection.execute(
            "select count(*) from scorecard.measures where measure_id = 'da_rui_live'"
        ).fetchall()
    assert catalogue == [(1,)]
    assert [(p, v, s) for p, v, s, _ in published] == [
        (date(2024, 1, 1), None, "suppressed"),
        (date(2024, 2, 1), None, "suppressed"),
    ]
    assert all("small number" in reason for *_, reason in published)


def test_guilty_pleas_at_first_hearing_total_is_both_courts(simulated_warehouse: Path) -> None:
    values = _build_values(simulated_warehouse).filter(
        pl.col("scorecard_id") == "wcjb", pl.col("period_type") == "month"
    )
    wide = values.pivot(on="measure_id", index="period_start", values="value")
    assert wide.height >= 12
    assert (wide["gp_first_hearing_total"] == wide["gp_first_hearing_mc"] + wide["gp_first_hearing_cc"]).all()


def test_stop_search_disproportionality_from_the_extract_files(
    simulated_landing: Path, simulated_warehouse: Path
) -> None:
    """Searches by officer-defined ethnic group per 1,000 residents of the group, over the White group's rate,
    counted straight from the landing zone's files with the simulator's own census profile."""
    from pipelines.lib.simulator.geography import AREAS, ETHNIC_GROUPS, ETHNIC_PROFILES

    area = AREAS["wiltshire"]
    residents = {
        g: area.population * share for g, share in zip(ETHNIC_GROUPS, ETHNIC_PROFILES[area.ethnic_profile], strict=True)
    }
    searches = pl.concat(
        [
            pl.read_csv(p, infer_schema=False)
            for p in sorted((simulated_landing / "police" / "stop_search").glob("*.csv"))
        ]
    ).select(pl.col("Date").str.slice(0, 7).alias("month"), pl.col("Officer-defined ethnicity").alias("category"))
    counted = (
        searches.group_by("month", "category")
        .len()
        .with_columns(
            (pl.col("len") / pl.col("category").replace_strict(residents, return_dtype=pl.Float64) * 1000).alias("rate")
        )
    )
    white = counted.filter(pl.col("category") == "White").select("month", pl.col("rate").alias("white_rate"))
    expected = counted.join(white, on="month").with_columns((pl.col("rate") / pl.col("white_rate")).alias("rri"))
    with duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        published = connection.sql(
            """select strftime(period_start, '%Y-%m') as month, category, value, relative_rate_index
               from scorecard.measure_breakdowns
               where scorecard_id = 'wcjb' and measure_id = 'stop_searches' and breakdown = 'ethnic_group'
                   and period_type = 'month'"""
        ).pl()
    joined = expected.join(published, on=["month", "category"])
    assert joined.height == expected.height >= 12 * 4
    assert (joined["value"] == joined["len"]).all()
    assert ((joined["relative_rate_index"] - joined["rri"]).abs() < 1e-9).all()
    assert joined.filter(pl.col("category") == "Black")["relative_rate_index"].mean() > 3


def test_a_board_whose_forces_send_nothing_is_not_available(simulated_warehouse: Path) -> None:
    """The Cheshire board is defined but the landing zone holds Wiltshire only: no zeros, a reason instead."""
    with duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select distinct status, status_reason from scorecard.measure_values where scorecard_id = 'cheshire'"
        ).fetchall()
    assert rows == [("not_available", "no extract covers Cheshire")]


def test_charge_at_arrest_by_ethnic_group_from_the_extract_files(
    simulated_landing: Path, simulated_warehouse: Path
) -> None:
    """Arrests ending in a charge, % of arrests, overall and by the self-defined ethnic group (first letter of the
    18+1 code), and the group's rate over the White group's: counted straight from the arrests files."""
    arrests = (
        pl.concat(
            [
                pl.read_csv(p, infer_schema=False)
                for p in sorted((simulated_landing / "police" / "arrests").glob("*.csv"))
            ]
        )
        .select(
            pl.col("Arrest Date").str.slice(3, 7).alias("month_year"),
            pl.col("Self Defined Ethnicity")
            .str.slice(0, 1)
            .replace_strict({"W": "White", "B": "Black", "A": "Asian", "M": "Mixed", "O": "Other"}, default="unknown")
            .alias("category"),
            (pl.col("Custody Outcome") == "Charged").alias("charged"),
        )
        .with_columns(
            (pl.col("month_year").str.slice(3, 4) + "-" + pl.col("month_year").str.slice(0, 2)).alias("month")
        )
    )
    overall = arrests.group_by("month").agg((pl.col("charged").mean() * 100).alias("expected"))
    by_group = arrests.group_by("month", "category").agg((pl.col("charged").mean() * 100).alias("rate"))
    white = by_group.filter(pl.col("category") == "White").select("month", pl.col("rate").alias("white"))
    by_group = by_group.join(white, on="month").with_columns((pl.col("rate") / pl.col("white")).alias("rri"))
    with duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        figures = connection.sql(
            """select strftime(period_start, '%Y-%m') as month, value from scorecard.measure_values
               where scorecard_id = 'wcjb' and measure_id = 'arrest_charge_rate' and period_type = 'month'"""
        ).pl()
        breakdowns = connection.sql(
            """select strftime(period_start, '%Y-%m') as month, category, value as rate_published, relative_rate_index
               from scorecard.measure_breakdowns
               where scorecard_id = 'wcjb' and measure_id = 'arrest_charge_rate' and period_type = 'month'"""
        ).pl()
    compared = overall.join(figures, on="month")
    assert compared.height == 24 and ((compared["value"] - compared["expected"]).abs() < 1e-9).all()
    grouped = by_group.join(breakdowns, on=["month", "category"])
    assert grouped.height == by_group.height
    assert ((grouped["rate_published"] - grouped["rate"]).abs() < 1e-9).all()
    assert ((grouped["relative_rate_index"] - grouped["rri"]).abs() < 1e-9).all()


def test_a_mean_over_partial_rows_is_an_estimate_and_complete_months_are_exact(compared: pl.DataFrame) -> None:
    """Police action-plan days: a month answering a plan received before the data has no receipt date for it, so
    that month is an estimate (partial); the months without such a plan are published as exact (and are)."""
    plans = compared.filter(
        pl.col("measure_id") == "precharge_timeliness_police_days", pl.col("period_type") == "month"
    )
    partial = plans.filter(pl.col("status") == "estimate")
    exact = plans.filter(pl.col("status") == "ok")
    assert partial.height > 0 and exact.height > 0
    assert partial["status_reason"].str.starts_with("partial: over ").all()
    assert (partial["denominator"] < partial["truth_denominator"]).all()
    assert ((exact["value"] - exact["truth"]).abs() < 1e-9).all()
