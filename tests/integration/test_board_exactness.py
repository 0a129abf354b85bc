"""A board over three forces (Dorset, Hampshire, Wiltshire), configured by one scorecard.yaml: each force numbers its
suspects from P00000001, so their IDs collide, and Dorset has not yet sent its latest month. The board's figures equal
the three forces' truth added, the latest month waits for Dorset and says so while the other two forces publish, the
stop and search disproportionality ratio is published with its true value, and nothing withheld can be worked out
from the published file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import run_refresh
from pipelines.lib.simulator.run import simulate
from pipelines.lib.source_spec import load_specs
from pipelines.settings import DEFINITIONS_ENV, SCORECARD_DEFINITIONS_DIR
from tests.disclosure_attack import COLUMNS_BY_AGGREGATE, recovered_cells

FORCES = {"dorset": "E23000039", "hampshire": "E23000030", "wiltshire": "E23000038"}
BOARD, LATE_FORCE, LATE_FORCE_CODE = "wessex", "Dorset", "E23000039"
FIRST, LAST = "2024-03", "2025-03"
LAST_MONTH = date(2025, 3, 1)
DISTINCT_COUNTS = [
    "adults_arrested_r12m",
    "rearrest_rate_r12m",
    "violent_rearrest_r12m",
    "neighbourhood_rearrest_r12m",
    "victims_referred",
    "people_convicted",
]


def _board_definitions(target: Path) -> Path:
    """The measure library and one board: WCJB's scorecard over the three forces (no code, one YAML file)."""
    shutil.copytree(SCORECARD_DEFINITIONS_DIR / "measures", target / "measures")
    text = (SCORECARD_DEFINITIONS_DIR / "wcjb" / "scorecard.yaml").read_text(encoding="utf-8")
    assert "id: wcjb\n" in text and "areas: [E23000038]" in text
    text = text.replace("id: wcjb\n", f"id: {BOARD}\n", 1).replace(
        "areas: [E23000038]", f"areas: [{', '.join(FORCES.values())}]"
    )
    (target / BOARD).mkdir()
    (target / BOARD / "scorecard.yaml").write_text(text, encoding="utf-8")
    return target


def _withdraw_force_month(landing: Path, force: str, month: str) -> int:
    """Take one force's rows out of the month's files of every extract each force sends itself: the force has not
    sent them yet (a real board receives its forces' extracts on different days)."""
    removed = 0
    for spec in load_specs().values():
        if not spec.sender_column:
            continue
        header = next(c.header for c in spec.columns if c.name == spec.sender_column)
        for path in (landing / spec.landing_subdir).glob(f"*{month}*"):
            frame = pl.read_csv(path, infer_schema=False)
            kept = frame.filter(pl.col(header) != force)
            removed += frame.height - kept.height
            kept.write_csv(path)
    return removed


@pytest.fixture(scope="module")
def board_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("three_forces")
    landing = root / "landing"
    simulate(list(FORCES), FIRST, LAST, landing, seed=23, scale=0.1)
    assert _withdraw_force_month(landing, LATE_FORCE, LAST) > 0
    definitions = _board_definitions(root / "definitions")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DEFINITIONS_ENV, str(definitions))
        run_refresh(landing, root / "warehouse")
    return {
        "landing": landing,
        "build": root / "warehouse" / "build" / "cjs_build.duckdb",
        "published": root / "warehouse" / "cjs_scorecard.duckdb",
    }


def _query(database: Path, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).pl()


def _truth(board_run: dict[str, Path]) -> pl.DataFrame:
    return pl.read_parquet(board_run["landing"] / "_truth" / "measure_values.parquet")


def test_the_forces_suspect_ids_collide(board_run: dict[str, Path]) -> None:
    """The premise: the same (pseudonymised) suspect ID names different people in different forces."""
    shared = _query(
        board_run["build"],
        """
        select suspect_id from raw.police_arrests group by suspect_id having count(distinct force_name) > 1""",
    )
    assert shared.height > 100


def test_board_figures_equal_the_three_forces_truth(board_run: dict[str, Path]) -> None:
    """Every ok board figure the truth has (not a per-1,000 rate, whose board truth needs the residents) equals the
    forces' truth added: counts, distinct people and rates recomputed from the summed numerator and denominator."""
    truth = (
        _truth(board_run)
        .filter(pl.col("period_start") < LAST_MONTH)
        .group_by("measure_id", "period_type", "period_start")
        .agg(pl.len().alias("areas"), pl.col("value").sum(), pl.col("numerator").sum(), pl.col("denominator").sum())
    )
    board = _query(
        board_run["build"],
        f"""
        select values.*, measures.aggregate, measures.scale, parts.per_1000
        from scorecard.measure_values as values
        inner join scorecard.measures using (scorecard_id, measure_id)
        left join (select measure_id, bool_or(per_1000_residents is not null) as per_1000
                   from staging.stg_definitions__measure_parts group by measure_id) as parts using (measure_id)
        where scorecard_id = '{BOARD}' and area_code = '{BOARD}' and status = 'ok'""",
    )
    compared = board.filter(~pl.col("per_1000").fill_null(False)).join(
        truth, on=["measure_id", "period_type", "period_start"], suffix="_truth"
    )
    assert (compared["areas"] == 3).all()
    expected = (
        pl.when(pl.col("aggregate").is_in(["count", "count_distinct", "sum"]))
        .then(pl.col("value_truth"))
        .otherwise(pl.col("numerator_truth") / pl.col("denominator_truth") * pl.col("scale"))
    )
    wrong = compared.with_columns(expected.alias("expected")).filter(
        (pl.col("value") - pl.col("expected")).abs() > 1e-9
    )
    assert wrong.height == 0, wrong.select("measure_id", "period_type", "period_start", "value", "expected")
    assert set(DISTINCT_COUNTS) <= set(compared["measure_id"])
    assert compared.height >= 250, compared.height
    statuses = _query(
        board_run["build"],
        f"""
        select status, count(*) as figures from scorecard.measure_values
        where scorecard_id = '{BOARD}' and area_code = '{BOARD}' group by status order by status""",
    )
    print(
        f"\nboard figures compared with the truth: {compared.height}, exact: {compared.height - wrong.height}; "
        f"board figures by status: {dict(statuses.iter_rows())}"
    )


def test_distinct_people_are_not_merged_across_forces(board_run: dict[str, Path]) -> None:
    """The symptom the collision caused: a board's re-arrest rate above every force's own rate."""
    rates = _query(
        board_run["build"],
        f"""
        select area_code, period_start, value from scorecard.measure_values
        where scorecard_id = '{BOARD}' and measure_id = 'rearrest_rate_r12m' and status = 'ok'""",
    )
    wide = rates.pivot(on="area_code", index="period_start", values="value").drop_nulls()
    assert wide.height >= 1
    forces = wide.select(list(FORCES.values()))
    assert (wide[BOARD] <= forces.max_horizontal()).all() and (wide[BOARD] >= forces.min_horizontal()).all()


def test_a_force_that_has_not_delivered_is_named_and_the_others_publish(board_run: dict[str, Path]) -> None:
    latest = _query(
        board_run["published"],
        f"""
        select area_code, status, status_reason from scorecard.measure_values
        where scorecard_id = '{BOARD}' and measure_id = 'total_victims' and period_type = 'month'
            and period_start = '{LAST_MONTH}'""",
    )
    by_area = {r["area_code"]: r for r in latest.iter_rows(named=True)}
    assert by_area[LATE_FORCE_CODE]["status"] == "not_available"
    assert by_area[LATE_FORCE_CODE]["status_reason"] == f"not delivered: police_crimes {LAST}"
    assert by_area[BOARD]["status"] == "not_available"
    assert by_area[BOARD]["status_reason"] == f"not delivered for {LATE_FORCE}: police_crimes {LAST}"
    assert by_area[FORCES["hampshire"]]["status"] == by_area[FORCES["wiltshire"]]["status"] == "ok"
    # the CPS sends every force's rows at once: Dorset's CPS figures for the month are there
    cps = _query(
        board_run["published"],
        f"""
        select status from scorecard.measure_values where scorecard_id = '{BOARD}' and area_code = '{LATE_FORCE_CODE}'
            and measure_id = 'overall_conviction_rate' and period_type = 'month' and period_start = '{LAST_MONTH}'""",
    )
    assert cps["status"].to_list() == ["ok"]


def test_no_force_status_leaks_into_another(board_run: dict[str, Path]) -> None:
    """Every figure with no value says why: no value-less estimate made by another force's provisional months."""
    empty = _query(
        board_run["published"],
        f"""
        select * from scorecard.measure_values
        where scorecard_id = '{BOARD}' and value is null and status not in ('not_available', 'suppressed')""",
    )
    assert empty.height == 0


def test_the_disproportionality_ratio_is_published_with_its_true_value(board_run: dict[str, Path]) -> None:
    """Searches per 1,000 Black residents over searches per 1,000 White ones, on tens of searches: published, exact."""
    published = _query(
        board_run["published"],
        f"""
        select period_start, value, status from scorecard.measure_values
        where scorecard_id = '{BOARD}' and area_code = '{FORCES["wiltshire"]}'
            and measure_id = 'stop_search_black_white_ratio' and status <> 'not_available'""",
    )
    truth = _truth(board_run).filter(
        pl.col("measure_id") == "stop_search_black_white_ratio", pl.col("area_code") == FORCES["wiltshire"]
    )
    joined = published.join(truth, on="period_start", suffix="_truth")
    assert joined.height >= 1 and (joined["status"] == "ok").all()
    assert ((joined["value"] - joined["value_truth"]).abs() < 1e-9).all()


def test_nothing_withheld_can_be_worked_out_from_the_published_file(board_run: dict[str, Path]) -> None:
    """The attacker (tests/disclosure_attack.py) solves every identity between published figures; no withheld figure
    comes out whole and no withheld small count comes out at all."""
    recovered = recovered_cells(board_run["published"])
    keys = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]
    truth_figures = _query(board_run["build"], "select * from scorecard.measure_values")
    truth_breakdowns = _query(board_run["build"], "select * from scorecard.measure_breakdowns")
    withheld_figures = _query(
        board_run["published"], "select * from scorecard.measure_values where status = 'suppressed'"
    )
    withheld_breakdowns = _query(
        board_run["published"], "select * from scorecard.measure_breakdowns where status = 'suppressed'"
    )
    catalogue = _query(board_run["published"], "select distinct measure_id, aggregate from scorecard.measures")
    assert withheld_figures.height > 50 and withheld_breakdowns.height > 10
    true_cells = pl.concat(
        [
            truth_figures.select(
                *keys, pl.lit("").alias("breakdown"), pl.lit("").alias("category"), "value", "numerator", "denominator"
            ),
            truth_breakdowns.select(*keys, "breakdown", "category", "value", "numerator", "denominator"),
        ]
    ).unpivot(
        index=keys + ["breakdown", "category"],
        on=["value", "numerator", "denominator"],
        variable_name="column",
        value_name="true_value",
    )
    withheld = pl.concat(
        [
            withheld_figures.select(*keys, pl.lit("").alias("breakdown"), pl.lit("").alias("category")),
            withheld_breakdowns.select(*keys, "breakdown", "category"),
        ]
    )
    found = (
        withheld.join(recovered, on=["measure_id", "area_code", "period_type", "period_start", "breakdown", "category"])
        .join(true_cells, on=keys + ["breakdown", "category", "column"])
        .filter((pl.col("recovered") - pl.col("true_value")).abs() < 1e-6)
    )
    small = found.filter(pl.col("true_value").is_between(1, 9))
    assert small.height == 0, small
    needed = catalogue.with_columns(
        pl.col("aggregate")
        .replace_strict(COLUMNS_BY_AGGREGATE, default=[], return_dtype=pl.List(pl.String))
        .alias("needed")
    )
    whole = (
        found.group_by(keys + ["breakdown", "category"])
        .agg(pl.col("column").unique().alias("columns"))
        .join(needed, on="measure_id")
        .filter(pl.col("needed").list.len() > 0, pl.col("needed").list.set_difference("columns").list.len() == 0)
    )
    assert whole.height == 0, whole
    print(
        f"\nwithheld: {withheld_figures.height} figures and {withheld_breakdowns.height} breakdown cells; "
        f"worked out: {whole.height} whole, {small.height} small counts"
    )


def test_rolling_years_far_above_the_threshold_are_mostly_published(board_run: dict[str, Path]) -> None:
    """Secondary suppression withholds few complements, not every rolling year containing a small month."""
    rolling = _query(
        board_run["build"],
        f"""
        select values.measure_id, disclosed.status = 'suppressed' as withheld
        from scorecard.measure_values as values
        inner join scorecard.measure_values_disclosed as disclosed
            using (scorecard_id, measure_id, area_code, period_type, period_start)
        where values.scorecard_id = '{BOARD}' and values.period_type = 'r12m' and values.unit = 'count'
            and values.value >= 50""",
    )
    assert rolling.height > 100
    assert rolling["withheld"].mean() < 0.1, rolling.group_by("measure_id").agg(pl.col("withheld").sum())
