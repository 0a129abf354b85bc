"""A board over two force areas (Durham and Cleveland): board figures recomputed over both forces and equal to the
simulator's truth, disclosure control that no published total can undo, and revisions when an agency re-sends a
month with corrections."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import fastexcel
import polars as pl
import pytest

from pipelines.cli import run_refresh
from pipelines.lib.simulator.resends import write_resend
from pipelines.lib.simulator.run import simulate

DURHAM, CLEVELAND, BOARD = "E23000008", "E23000013", "durham_cleveland"
SEED = 11
RESENT_EXTRACT, RESENT_MONTH = "cps/finalisations", "2024-03"


@pytest.fixture(scope="module")
def board_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Six months of both forces; published once with the first delivery of March's CPS finalisations, then again
    after the corrected re-send replaced it."""
    root = tmp_path_factory.mktemp("board")
    landing = root / "landing"
    simulate(["durham", "cleveland"], "2024-01", "2024-06", landing, seed=SEED, scale=0.4)
    resend = write_resend(landing, RESENT_EXTRACT, RESENT_MONTH, root / "resend", seed=SEED)
    landing_file = landing / resend["after"].relative_to(root / "resend" / "after")
    shutil.copyfile(resend["before"], landing_file)
    warehouse = root / "warehouse"
    run_refresh(landing, warehouse)
    first = root / "first_publication.duckdb"
    shutil.copyfile(warehouse / "cjs_scorecard.duckdb", first)
    shutil.copyfile(resend["after"], landing_file)
    run_refresh(landing, warehouse)
    return {"landing": landing, "warehouse": warehouse, "first": first}


def _query(database: Path, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).pl()


def _build(board_run: dict[str, Path]) -> pl.DataFrame:
    return _query(
        board_run["warehouse"] / "build" / "cjs_build.duckdb",
        f"""select values.*, measures.aggregate, measures.scale from scorecard.measure_values as values
            inner join scorecard.measures using (scorecard_id, measure_id) where scorecard_id = '{BOARD}'""",
    )


def test_board_figures_equal_the_truth_of_both_forces(board_run: dict[str, Path]) -> None:
    """Counts are the two forces' truth added; rates are recomputed from the summed numerators and denominators."""
    truth = (
        pl.read_parquet(board_run["landing"] / "_truth" / "measure_values.parquet")
        .filter(pl.col("period_type").is_in(["month", "snapshot"]))
        .group_by("measure_id", "period_start")
        .agg(pl.len().alias("areas"), pl.col("value").sum(), pl.col("numerator").sum(), pl.col("denominator").sum())
    )
    board = _build(board_run).filter(
        pl.col("area_code") == BOARD,
        pl.col("period_type") == "month",
        pl.col("status") == "ok",
        pl.col("aggregate").is_in(["count", "sum", "ratio", "mean"]),
    )
    joined = board.join(truth, on=["measure_id", "period_start"], suffix="_truth")
    assert (joined["areas"] == 2).all()
    assert joined["measure_id"].n_unique() >= 10
    expected = (
        pl.when(pl.col("aggregate") == "count")
        .then(pl.col("value_truth"))
        .otherwise(pl.col("numerator_truth") / pl.col("denominator_truth") * pl.col("scale"))
    )
    wrong = joined.filter((pl.col("value") - expected).abs() > 1e-9)
    assert wrong.height == 0, wrong.select("measure_id", "period_start", "value", "value_truth")


def test_board_rates_are_not_averages_of_the_forces(board_run: dict[str, Path]) -> None:
    values = _build(board_run).filter(pl.col("aggregate") == "ratio", pl.col("status") == "ok")
    wide = values.pivot(on="area_code", index=["measure_id", "period_type", "period_start"], values="value")
    differs = wide.filter(((pl.col(DURHAM) + pl.col(CLEVELAND)) / 2 - pl.col(BOARD)).abs() > 1e-6)
    assert differs.height > 0


def _published(database: Path) -> pl.DataFrame:
    return _query(
        database,
        f"""select values.*, measures.counting_basis as basis from scorecard.measure_values as values
            inner join scorecard.measures using (scorecard_id, measure_id) where scorecard_id = '{BOARD}'""",
    )


def _underivable(cells: pl.DataFrame, column: str) -> list[str]:
    """Every additive identity among published cells (board = its areas; a quarter = its months, for flows) with
    exactly one withheld term would give that term away: list them."""
    leaks = []
    known = {
        (r["measure_id"], r["area_code"], r["period_type"], r["period_start"]): r[column]
        for r in cells.iter_rows(named=True)
        if r["status"] != "not_available"
    }
    withheld = {key for key, value in known.items() if value is None}

    def check(total: tuple, parts: list[tuple]) -> None:
        terms = [total, *parts]
        if all(t in known for t in terms) and sum(t in withheld for t in terms) == 1:
            leaks.append(f"{column}: {[t for t in terms if t in withheld][0]} from {terms}")

    for measure_id, area_code, period_type, period_start in known:
        if area_code == BOARD:
            check(
                (measure_id, BOARD, period_type, period_start),
                [(measure_id, DURHAM, period_type, period_start), (measure_id, CLEVELAND, period_type, period_start)],
            )
    flows = cells.filter(pl.col("basis") == "in_period", pl.col("period_type") == "quarter")
    for r in flows.iter_rows(named=True):
        start = r["period_start"]
        months = [(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1) for i in range(3)]
        check(
            (r["measure_id"], r["area_code"], "quarter", start),
            [(r["measure_id"], r["area_code"], "month", start.replace(year=y, month=m)) for y, m in months],
        )
    return leaks


def test_no_withheld_figure_can_be_derived_from_published_ones(board_run: dict[str, Path]) -> None:
    published = _published(board_run["warehouse"] / "cjs_scorecard.duckdb")
    counts = published.filter(pl.col("unit") == "count")
    rates = published.filter(pl.col("unit") != "count")
    reasons = published.filter(pl.col("status") == "suppressed")["status_reason"]
    assert reasons.str.contains("small number").any() and reasons.str.contains("through a total").any()
    assert _underivable(counts, "value") == []
    assert _underivable(rates, "numerator") == [] and _underivable(rates, "denominator") == []


def test_withheld_in_the_published_copy_only(board_run: dict[str, Path]) -> None:
    published = _published(board_run["warehouse"] / "cjs_scorecard.duckdb").filter(pl.col("status") == "suppressed")
    build = _build(board_run).join(
        published.select("measure_id", "area_code", "period_type", "period_start"),
        on=["measure_id", "area_code", "period_type", "period_start"],
    )
    assert build.height == published.height > 0 and build["value"].null_count() == 0


def test_a_corrected_resend_is_published_as_a_revision(board_run: dict[str, Path]) -> None:
    before = _query(board_run["first"], "select * from scorecard.measure_values")
    after = _query(board_run["warehouse"] / "cjs_scorecard.duckdb", "select * from scorecard.measure_values")
    history = _query(board_run["warehouse"] / "cjs_scorecard.duckdb", "select * from scorecard.measure_value_history")
    key = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]
    joined = before.join(after, on=key, suffix="_after")
    changed = joined.filter(pl.col("value").is_not_null() & (pl.col("value") != pl.col("value_after")))
    assert (before["revision"] == 0).all()
    assert changed.height > 0 and (changed["revision_after"] == 1).all()
    # no figure of a later month changes, except the data section's linkage share: a record is placed in the month it
    # first arrived, and a corrected March file that holds a finalisation first sent in April moves it to March
    later = changed.filter(pl.col("period_start").dt.strftime("%Y-%m") > RESENT_MONTH)
    assert later.filter(pl.col("section_id") != "data_behind_these_figures").height == 0
    assert set(later["measure_id"]) <= {"cps_finalisations_linked_to_police_pct", "court_cases_linked_to_police_pct"}
    unchanged = joined.filter(pl.col("value") == pl.col("value_after"))
    assert (unchanged["revision_after"] == 0).all()
    kept = history.join(changed.select(*key, "value"), on=key, suffix="_first")
    assert kept.height == changed.height and (kept["value"] == kept["value_first"]).all()
    assert (kept["revision"] == 0).all() and kept["superseded_by"].null_count() == 0


def test_crown_court_cases_are_court_and_number(board_run: dict[str, Path]) -> None:
    """Each force's Crown Courts number their cases from the same series, so case numbers repeat between courts: every
    court's case must stay a record of its own in the linkage and a defendant-case of its own in the journey."""
    sheets = sorted((board_run["landing"] / "hmcts" / "cc_cases").glob("*.xlsx"))
    files = pl.concat(
        [pl.from_arrow(fastexcel.read_excel(sheet).load_sheet(0, dtypes="string").to_arrow()) for sheet in sheets],
        how="vertical_relaxed",
    )
    cases = files.select(pl.col("Crown Court Code").alias("court_code"), pl.col("Case Number").alias("case_number"))
    cases = cases.unique()
    repeated = cases.group_by("case_number").len().filter(pl.col("len") > 1)
    assert repeated.height > 10  # the numbers do repeat between the two forces' courts
    build = board_run["warehouse"] / "build" / "cjs_build.duckdb"
    records = _query(
        build,
        """select record_key from intermediate.int_linkage__records
                               where source = 'hmcts_cc_cases'""",
    )
    expected = cases.select(pl.concat_str(["court_code", "case_number"], separator="/").alias("record_key"))
    assert sorted(records["record_key"]) == sorted(expected["record_key"])
    journey = _query(
        build,
        """select cc_court_code as court_code, cc_case_number as case_number
                               from intermediate.int_case_journey where cc_case_number is not null""",
    )
    assert journey.is_unique().all()
    assert cases.join(journey, on=["court_code", "case_number"], how="anti").height == 0
