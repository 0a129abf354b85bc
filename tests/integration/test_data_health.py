"""The "Data behind these figures" section against the simulator's truth: which agency's files arrived on time, late or
not at all, and how whole they were, per agency and month, as the published scorecard shows them.

A small warehouse of its own: the shared simulated warehouse has every file (the truth of every other measure
assumes it), and the hand-made landing zone has no truth. Three months of Wiltshire at a tenth of the volumes, seed
11: five files late (CPS, PCC, police), the police crimes file of 2024-02 never sent, and the two re-sends the
simulator plans (CPS finalisations and police stop and search of 2024-02, corrected in 2024-03): a first refresh loads
their first deliveries, a second their corrections, so the warehouse ends holding what the truth describes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.measure_definitions import load_definitions
from pipelines.lib.simulator.resends import write_resend
from pipelines.settings import SCORECARD_DEFINITIONS_DIR
from tests.integration.test_linkage import _norm, _read_csvs, _true_urns

AREA = "E23000038"
DATA_SECTION = "data_behind_these_figures"
DELIVERY_MEASURES = {"deliveries_on_time_pct", "deliveries_late", "deliveries_missing"}
ETHNICITY_MEASURES = {
    "stop_search_ethnicity_not_stated_pct",
    "arrests_ethnicity_not_stated_pct",
    "crimes_victim_ethnicity_not_stated_pct",
    "victim_referrals_ethnicity_not_stated_pct",
}


@pytest.fixture(scope="module")
def health_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from pipelines.cli import run_refresh
    from pipelines.lib.simulator.run import simulate

    root = tmp_path_factory.mktemp("data_health")
    landing, warehouse = root / "landing", root / "warehouse"
    simulate(["wiltshire"], "2024-01", "2024-03", landing, seed=11, scale=0.1, missing_deliveries=1)
    arrivals = dict(
        pl.read_parquet(landing / "_truth" / "deliveries.parquet").select("file", "arrival_date").iter_rows()
    )
    corrected = []
    for number, resend in enumerate(pl.read_parquet(landing / "_truth" / "resends.parquet").iter_rows(named=True)):
        files = write_resend(landing, resend["extract"], resend["reporting_month"], root / f"resend_{number}", seed=11)
        delivered = landing / files["after"].relative_to(root / f"resend_{number}" / "after")
        shutil.copyfile(files["before"], delivered)  # the first delivery, arrived on its scheduled day
        arrived = arrivals[delivered.relative_to(landing).as_posix()]
        stamp = dt.datetime(arrived.year, arrived.month, arrived.day, 9, tzinfo=dt.UTC).timestamp()
        os.utime(delivered, (stamp, stamp))
        corrected.append((files["after"], delivered))
    run_refresh(landing, warehouse)
    for after, delivered in corrected:  # the corrected re-sends arrive
        shutil.copyfile(after, delivered)
    run_refresh(landing, warehouse)
    return landing, warehouse


def _published(warehouse: Path, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        return connection.sql(sql).pl()


def _truth_by_agency(landing: Path) -> pl.DataFrame:
    """The delivery measures per agency and reporting month, from the simulator's schedule."""
    schedule = pl.read_parquet(landing / "_truth" / "deliveries.parquet")
    counts = schedule.group_by("agency", "reporting_month").agg(
        due=pl.len(),
        on_time=(pl.col("status") == "on_time").sum(),
        late=(pl.col("status") == "late").sum(),
        missing=(pl.col("status") == "missing").sum(),
    )
    return pl.concat(
        [
            counts.select(
                "agency",
                "reporting_month",
                pl.lit("deliveries_on_time_pct").alias("measure_id"),
                (pl.col("on_time") / pl.col("due") * 100).alias("value"),
            ),
            counts.select(
                "agency",
                "reporting_month",
                pl.lit("deliveries_late").alias("measure_id"),
                pl.col("late").cast(pl.Float64).alias("value"),
            ),
            counts.select(
                "agency",
                "reporting_month",
                pl.lit("deliveries_missing").alias("measure_id"),
                pl.col("missing").cast(pl.Float64).alias("value"),
            ),
        ]
    )


def test_the_landing_zone_has_late_and_missing_files(health_run: tuple[Path, Path]) -> None:
    landing, _ = health_run
    statuses = pl.read_parquet(landing / "_truth" / "deliveries.parquet")["status"].value_counts()
    assert dict(statuses.iter_rows()) == {"on_time": 42, "late": 5, "missing": 1}


def test_delivery_measures_equal_the_truth_per_agency_and_month(health_run: tuple[Path, Path]) -> None:
    landing, warehouse = health_run
    published = _published(
        warehouse,
        f"""
        select measure_id, category as agency, strftime(period_start, '%Y-%m') as reporting_month, value, status
        from scorecard.measure_breakdowns
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month' and breakdown = 'agency'
            and measure_id in ({", ".join(f"'{m}'" for m in sorted(DELIVERY_MEASURES))})
    """,
    )
    assert set(published["status"]) == {"ok"}
    compared = _truth_by_agency(landing).join(
        published.drop("status"),
        on=["measure_id", "agency", "reporting_month"],
        how="full",
        suffix="_published",
        coalesce=True,
    )
    assert compared.height == 3 * 5 * 3  # measures x agencies x months
    # a count's breakdown lists the categories the measure has ever counted: an agency never late (or missing) is
    # absent, its zero implied
    compared = compared.with_columns(
        pl.when(pl.col("measure_id") != "deliveries_on_time_pct")
        .then(pl.col("value_published").fill_null(0.0))
        .otherwise(pl.col("value_published"))
        .alias("value_published")
    )
    mismatches = compared.filter(
        pl.col("value").is_null()
        | pl.col("value_published").is_null()
        | ((pl.col("value") - pl.col("value_published")).abs() > 1e-9)
    )
    assert mismatches.height == 0, mismatches


def test_area_totals_equal_the_truth_every_month(health_run: tuple[Path, Path]) -> None:
    landing, warehouse = health_run
    truth = pl.read_parquet(landing / "_truth" / "data_health.parquet").filter(pl.col("area_code") == AREA)
    published = _published(
        warehouse,
        f"""
        select measure_id, period_start, value as published
        from scorecard.measure_values
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month' and section_id = '{DATA_SECTION}'
    """,
    )
    compared = truth.join(published, on=["measure_id", "period_start"], how="left")
    assert sorted(set(compared["measure_id"])) == sorted(DELIVERY_MEASURES | ETHNICITY_MEASURES)
    assert compared.height == (len(DELIVERY_MEASURES) + len(ETHNICITY_MEASURES)) * 3
    # the simulator leaves some victims' ethnicity not stated: their shares are not zero, in any month
    victims = compared.filter(pl.col("measure_id").str.contains("victim"))
    assert victims.height == 2 * 3 and (victims["value"] > 0).all()
    assert compared.filter((pl.col("value") - pl.col("published")).abs() > 1e-9).height == 0
    # the one figure resting on the police crimes file never sent (2024-02) waits for it
    unpublished = compared.filter(pl.col("published").is_null()).select("measure_id", "period_start").rows()
    assert unpublished == [("crimes_victim_ethnicity_not_stated_pct", dt.date(2024, 2, 1))]


def test_a_late_delivery_shows_as_late(health_run: tuple[Path, Path]) -> None:
    """Each file the simulator delivered late is late in the fact model, arriving on the day it did, and in its agency's
    published count for its month."""
    landing, warehouse = health_run
    late = pl.read_parquet(landing / "_truth" / "deliveries.parquet").filter(pl.col("status") == "late")
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        facts = connection.sql(f"""
            select extract, reporting_month, arrival_date, expected_date, delivery_status, days_after_expected
            from facts.fct_data_deliveries where area_code = '{AREA}' and delivery_status = 'late'
        """).pl()
    assert sorted(facts.select("extract", "reporting_month", "arrival_date", "expected_date").rows()) == sorted(
        late.select("extract", "reporting_month", "arrival_date", "expected_date").rows()
    )
    assert (facts["days_after_expected"] > 0).all()
    published = _published(
        warehouse,
        f"""
        select category as agency, strftime(period_start, '%Y-%m') as reporting_month, value
        from scorecard.measure_breakdowns
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and measure_id = 'deliveries_late'
            and period_type = 'month' and breakdown = 'agency' and value > 0
    """,
    )
    expected = late.group_by("agency", "reporting_month").agg(pl.len().cast(pl.Float64).alias("value"))
    assert sorted(published.rows()) == sorted(expected.rows())


def test_the_board_pack_first_page_shows_each_agencys_late_and_missing_files(health_run: tuple[Path, Path]) -> None:
    """The pack of each month says, on its first page and per agency, how many files were due, on time, late and
    missing, as the simulator's delivery schedule has them; the month of the missing police file says so in words."""
    from pipelines.lib.board_pack import board_pack_page

    landing, warehouse = health_run
    truth = pl.read_parquet(landing / "_truth" / "deliveries.parquet")
    for month in ["2024-01", "2024-02", "2024-03"]:
        _, page = board_pack_page(warehouse / "cjs_scorecard.duckdb", "wcjb", AREA, month)
        first_page = page[page.index('<section class="summary"') : page.index("</section>")]
        shown = {
            agency: [int(cell) for cell in re.findall(r"<td>(\d+)</td>", cells)[:4]]
            for agency, cells in re.findall(r'<tr data-agency="(\w+)">(.*?)</tr>', first_page)
        }
        expected = {
            agency: [
                rows.height,
                *((rows["status"] == status).sum() for status in ["on_time", "late", "missing"]),
            ]
            for (agency,), rows in truth.filter(pl.col("reporting_month") == month).group_by("agency")
        }
        assert shown == expected, month
        late, missing = sum(row[2] for row in expected.values()), sum(row[3] for row in expected.values())
        assert bool(re.search(rf"{late} arrived late", first_page)) == (late > 0), month
        assert bool(re.search(rf"{missing} never arrived", first_page)) == (missing > 0), month
    assert truth.filter(pl.col("status") == "missing")["reporting_month"].to_list() == ["2024-02"]


def test_the_missing_file_makes_its_figures_not_available_and_counts_as_missing(health_run: tuple[Path, Path]) -> None:
    landing, warehouse = health_run
    (missing,) = (
        pl.read_parquet(landing / "_truth" / "deliveries.parquet")
        .filter(pl.col("status") == "missing")
        .iter_rows(named=True)
    )
    assert (missing["extract"], missing["reporting_month"]) == ("police_crimes", "2024-02")
    figures = _published(
        warehouse,
        f"""
        select measure_id, status, value from scorecard.measure_values
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month' and period_start = '2024-02-01'
            and measure_id in ('total_victims', 'deliveries_missing')
    """,
    )
    assert dict(figures.select("measure_id", "status").iter_rows()) == {
        "total_victims": "not_available",
        "deliveries_missing": "ok",
    }
    assert figures.filter(pl.col("measure_id") == "deliveries_missing")["value"].to_list() == [1.0]


def test_rows_and_files_refused_equal_the_truth(health_run: tuple[Path, Path]) -> None:
    """The simulator writes no row that fails its checks and no file to refuse: nothing refused, every month, while
    the shares still have their rows delivered to divide by."""
    _, warehouse = health_run
    published = _published(
        warehouse,
        f"""
        select measure_id, period_start, value, denominator from scorecard.measure_values
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month'
            and measure_id in ('rows_refused_pct', 'files_refused')
    """,
    )
    assert published.height == 2 * 3
    assert published["value"].to_list() == [0.0] * 6
    assert (published.filter(pl.col("measure_id") == "rows_refused_pct")["denominator"] > 0).all()


def _truly_linked_by_urn(landing: Path, folder: str, extract: str, key_column: str) -> pl.DataFrame:
    """Per month a record of the CPS or court side first arrived: how many records the URN can link to a police charge
    by the simulator's truth. A record links when its true URN is a police charge's true URN and neither side's URN was
    spoiled: the record's own was written as true, and at least one police record of that URN was (the simulator lists
    every URN it blanked or mistyped in _truth/urn_errors.parquet)."""
    errors = pl.read_parquet(landing / "_truth" / "urn_errors.parquet")
    precharge = _read_csvs(landing / "police" / "precharge").filter(pl.col("Decision") == "Charge")
    live = _read_csvs(landing / "police" / "live_caseload").filter(pl.col("Status") == "Charged - awaiting court")
    police = pl.concat(
        [
            _true_urns(precharge.select("Crime Reference", "URN", "_month"), "precharge", "Crime Reference", errors),
            _true_urns(live.select("Crime Reference", "URN", "_month"), "live_caseload", "Crime Reference", errors),
        ]
    ).filter(_norm("URN") == pl.col("true_urn"))
    records = _true_urns(_read_csvs(landing / folder), extract, key_column, errors)
    linked = records.group_by(key_column).agg(
        pl.col("_month").min().alias("reporting_month"),
        (pl.col("true_urn").is_in(police["true_urn"].implode()) & (_norm("URN") == pl.col("true_urn")))
        .any()
        .alias("linked"),
    )
    return linked.group_by("reporting_month").agg(pl.col("linked").sum().cast(pl.Float64).alias("truth"))


@pytest.mark.parametrize(
    ("measure_id", "folder", "extract", "key_column"),
    [
        ("cps_finalisations_linked_to_police_pct", "cps/finalisations", "finalisations", "DEFENDANT_ID"),
        ("court_cases_linked_to_police_pct", "hmcts/mc_cases", "mc_cases", "Case No"),
    ],
)
def test_records_linked_to_a_police_charge_equal_the_truth(
    health_run: tuple[Path, Path], measure_id: str, folder: str, extract: str, key_column: str
) -> None:
    """The records linked each month equal the truth; the share divides them by those whose police record could be in
    the data (the linkage's own judgement of the data's edges: not compared here)."""
    landing, warehouse = health_run
    published = _published(
        warehouse,
        f"""
        select strftime(period_start, '%Y-%m') as reporting_month, value, numerator, denominator
        from scorecard.measure_values
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and period_type = 'month' and measure_id = '{measure_id}'
    """,
    )
    compared = (
        _truly_linked_by_urn(landing, folder, extract, key_column)
        .join(published, on="reporting_month", how="full", coalesce=True)
        .sort("reporting_month")
    )
    assert compared["reporting_month"].to_list() == ["2024-01", "2024-02", "2024-03"]
    assert compared["numerator"].to_list() == compared["truth"].to_list()
    assert (compared["denominator"] >= compared["numerator"]).all() and (compared["truth"] > 0).all()


def test_revisions_in_the_last_12_months_equal_the_truth_per_agency(health_run: tuple[Path, Path]) -> None:
    """Each re-send the simulator planned replaced its month's first delivery: counted in the rolling year of every
    month from its reporting month on, under its agency."""
    landing, warehouse = health_run
    resends = pl.read_parquet(landing / "_truth" / "resends.parquet")
    assert resends.height == 2
    months = ["2024-01", "2024-02", "2024-03"]
    truth = pl.DataFrame(
        [
            {
                "agency": extract.split("/")[0],
                "reporting_month": month,
                "value": float(resends.filter(pl.col("extract") == extract, pl.col("reporting_month") <= month).height),
            }
            for extract in resends["extract"].unique().sort()
            for month in months
        ]
    )
    published = _published(
        warehouse,
        f"""
        select category as agency, strftime(period_end, '%Y-%m') as reporting_month, value
        from scorecard.measure_breakdowns
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and measure_id = 'deliveries_revised_r12m'
            and period_type = 'r12m' and breakdown = 'agency' and category in ('cps', 'police')
    """,
    )
    assert sorted(published.rows()) == sorted(truth.rows())
    totals = _published(
        warehouse,
        f"""
        select strftime(period_end, '%Y-%m') as reporting_month, value from scorecard.measure_values
        where scorecard_id = 'wcjb' and area_code = '{AREA}' and measure_id = 'deliveries_revised_r12m'
            and period_type = 'r12m'
    """,
    )
    assert sorted(totals.rows()) == [("2024-01", 0.0), ("2024-02", 2.0), ("2024-03", 2.0)]


def test_every_board_publishes_the_section(health_run: tuple[Path, Path]) -> None:
    _, warehouse = health_run
    catalogue = _published(
        warehouse,
        f"""
        select scorecard_id, list(measure_id order by measure_order) as measures, list(polarity order by measure_order) as polarities
        from scorecard.measures where section_id = '{DATA_SECTION}' group by scorecard_id
    """,
    )
    boards = {scorecard.id for scorecard, _ in load_definitions(SCORECARD_DEFINITIONS_DIR).scorecards}
    assert set(catalogue["scorecard_id"]) == boards
    assert {tuple(measures) for measures in catalogue["measures"]} == {
        (
            "deliveries_on_time_pct",
            "deliveries_late",
            "deliveries_missing",
            "files_refused",
            "rows_refused_pct",
            "deliveries_revised_r12m",
            "cps_finalisations_linked_to_police_pct",
            "court_cases_linked_to_police_pct",
            "stop_search_ethnicity_not_stated_pct",
            "arrests_ethnicity_not_stated_pct",
            "crimes_victim_ethnicity_not_stated_pct",
            "victim_referrals_ethnicity_not_stated_pct",
        )
    }
    assert {tuple(polarities) for polarities in catalogue["polarities"]} == {
        (
            "higher_is_better",
            "lower_is_better",
            "lower_is_better",
            "lower_is_better",
            "lower_is_better",
            "lower_is_better",
            "higher_is_better",
            "higher_is_better",
            "lower_is_better",
            "lower_is_better",
            "lower_is_better",
            "lower_is_better",
        )
    }
