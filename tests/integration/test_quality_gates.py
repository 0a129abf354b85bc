"""Quality gates on the candidate publication: a real refresh, then figures planted in a copy of its build database.

The planted values are the truth the failures are checked against: each blocking failure must name the check, the
measure, the area and the period planted, and leave the published file, its kept versions and Parquet untouched.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.publish.assets import published_warehouse
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.publish import PUBLISHED_NAMES, publish
from pipelines.lib.quality_gates import PublicationBlocked, run_quality_gates
from tests.conftest import SMALL_LANDING_ZONE

GATES = ["values_in_range", "completeness", "row_counts", "no_personal_data"]


@pytest.fixture
def warehouse_copy(small_warehouse: Path, tmp_path: Path) -> Path:
    """The refreshed warehouse (one publication that passed the gates) copied, so a test can plant figures in its
    build database and publish from it."""
    copy = tmp_path / "warehouse"
    shutil.copytree(small_warehouse, copy)
    return copy


def _build_db(warehouse: Path) -> Path:
    return warehouse / "build" / "cjs_build.duckdb"


def _plant(warehouse: Path, sql: str) -> list[tuple]:
    """Run one statement in the build database; the rows it changed, when it says `returning`."""
    with duckdb.connect(str(_build_db(warehouse))) as connection:
        return connection.execute(sql).fetchall()


def _fingerprint(warehouse: Path) -> dict[str, str]:
    """SHA-256 of the published file, every kept version, Parquet file, workbook and board pack (and any file a
    publication left under a temporary name)."""
    files = [
        warehouse / "cjs_scorecard.duckdb",
        *(f for folder in ["versions", "parquet", "excel", "reports"] for f in sorted((warehouse / folder).iterdir())),
    ]
    return {str(f.relative_to(warehouse)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


PLANT_PERCENTAGE_150 = """
    update scorecard.measure_values_disclosed set value = 150, status = 'ok'
    where (scorecard_id, measure_id, area_code, period_type, period_start) = (
        select (scorecard_id, measure_id, area_code, period_type, period_start)
        from scorecard.measure_values_disclosed
        where unit = 'percentage' and period_type = 'month' order by all limit 1)
    returning measure_id, area_code, period_type, cast(period_start as varchar)"""
PLANT_MISSING_FIGURE = """
    delete from scorecard.measure_values_disclosed
    where (scorecard_id, measure_id, area_code, period_type, period_start) = (
        select (scorecard_id, measure_id, area_code, period_type, period_start)
        from scorecard.measure_values_disclosed
        where unit = 'count' and period_type = 'month' order by all desc limit 1)
    returning measure_id, area_code, period_type, cast(period_start as varchar)"""


def test_refreshed_publication_passes_every_gate(small_warehouse: Path) -> None:
    report = run_quality_gates(
        small_warehouse / "cjs_scorecard.duckdb",
        _build_db(small_warehouse),
        small_warehouse / "cjs_scorecard.duckdb",
        PUBLISHED_NAMES,
    )
    assert [(o.name, o.success, o.failure_count) for o in report.outcomes] == [(name, True, 0) for name in GATES]


def test_blocking_failures_name_the_figure_and_leave_the_publication_as_it_was(warehouse_copy: Path) -> None:
    [out_of_range] = _plant(warehouse_copy, PLANT_PERCENTAGE_150)
    [missing] = _plant(warehouse_copy, PLANT_MISSING_FIGURE)
    _plant(warehouse_copy, "alter table scorecard.measures add column defendant_surname varchar")
    [(pnc_measure,)] = _plant(
        warehouse_copy,
        "update scorecard.measures set description = 'as 90/123456A said' where rowid = 3 returning measure_id",
    )
    published_db = warehouse_copy / "cjs_scorecard.duckdb"
    before = _fingerprint(warehouse_copy)

    with pytest.raises(PublicationBlocked) as blocked:
        publish(_build_db(warehouse_copy), published_db)

    message = str(blocked.value)
    for check, (measure_id, area_code, period_type, period_start) in [
        ("values_in_range", out_of_range),
        ("completeness", missing),
    ]:
        line = next(line for line in message.splitlines() if check in line)
        assert all(part in line for part in (measure_id, area_code, f"period {period_type} {period_start}")), line
    assert "percentage value outside 0..100" in message and "150.0" in message
    assert "figure missing" in message
    personal = next(line for line in message.splitlines() if "no_personal_data" in line)
    assert "defendant_surname" in personal and "PNC id or CRO number in description in scorecard.measures" in personal
    assert f"measure {pnc_measure}" in personal
    assert "90/123456A" not in message  # the gate names where it found a personal value, never the value
    assert "row_counts" not in message  # a warning never blocks
    assert _fingerprint(warehouse_copy) == before
    assert not list(warehouse_copy.glob(".*.tmp"))
    with duckdb.connect(str(published_db), read_only=True) as connection:
        assert connection.execute(
            "select count(*) from scorecard.measure_values where value > 100 and unit = 'percentage'"
        ).fetchall() == [(0,)]


def _materialize(warehouse: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [published_warehouse],
        resources={"warehouse": WarehouseResource(sources_dir=str(SMALL_LANDING_ZONE), warehouse_dir=str(warehouse))},
        raise_on_error=False,
    )


def test_dagster_shows_the_blocking_check_and_fails_the_run(warehouse_copy: Path) -> None:
    [(measure_id, area_code, _, _)] = _plant(warehouse_copy, PLANT_PERCENTAGE_150)
    before = _fingerprint(warehouse_copy)

    result = _materialize(warehouse_copy)

    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert sorted(evaluations) == sorted(GATES)
    failed = evaluations["values_in_range"]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.metadata["failures"].value == 1
    assert measure_id in str(failed.metadata["examples"].value) and area_code in str(failed.metadata["examples"].value)
    assert all(evaluations[name].passed for name in GATES if name != "values_in_range")
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    error = failure.step_failure_data.error  # Dagster's wrapper; its cause is the PublicationBlocked raised
    assert error.cause.cls_name == "PublicationBlocked" and "values_in_range" in error.cause.message
    assert measure_id in error.cause.message
    assert _fingerprint(warehouse_copy) == before


def test_row_count_drop_is_a_warning_and_publishes(warehouse_copy: Path) -> None:
    """A quarter of the catalogue gone (more than the 10% tolerance; the figures stay complete, as completeness reads
    the build's definitions): reported as a warning, published all the same."""
    dropped = len(_plant(warehouse_copy, "delete from scorecard.measures where rowid % 4 = 0 returning 1"))
    with duckdb.connect(str(warehouse_copy / "cjs_scorecard.duckdb"), read_only=True) as connection:
        previous_id, previous_rows = connection.execute(
            "select (select publication_id from scorecard.publication), count(*) from scorecard.measures"
        ).fetchall()[0]

    result = _materialize(warehouse_copy)

    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    warning = evaluations["row_counts"]
    assert not warning.passed and warning.severity == dg.AssetCheckSeverity.WARN
    assert f"scorecard.measures: {previous_rows - dropped} rows" in str(warning.metadata["examples"].value)
    assert all(evaluations[name].passed for name in GATES if name != "row_counts")
    with duckdb.connect(str(warehouse_copy / "cjs_scorecard.duckdb"), read_only=True) as connection:
        assert connection.execute("select publication_id from scorecard.publication").fetchall() != [(previous_id,)]


def test_row_count_growth_is_a_warning_too(warehouse_copy: Path) -> None:
    """A 55x growth passed the gate (it flagged drops only): four copies of a table's rows are flagged."""
    table = "reconcile.reconcile_stock_flow_identity"
    [(rows,)] = _plant(warehouse_copy, f"select count(*) from {table}")
    for _ in range(2):
        _plant(warehouse_copy, f"insert into {table} select * from {table}")

    result = _materialize(warehouse_copy)

    assert result.success
    warning = {e.check_name: e for e in result.get_asset_check_evaluations()}["row_counts"]
    assert not warning.passed and warning.severity == dg.AssetCheckSeverity.WARN
    assert f"rows outside the previous publication's {rows} plus or minus 10% in {table}: {4 * rows} rows" in str(
        warning.metadata["examples"].value
    )


def test_a_failing_workbook_leaves_every_published_file_as_it_was(warehouse_copy: Path) -> None:
    """An infinite count passed the gates and crashed the Excel workbook after the swap, leaving Parquet and three
    workbooks new and wcjb.xlsx and the packs stale. Now every file is written before anything is renamed in."""
    _plant(
        warehouse_copy,
        """update scorecard.measure_values_disclosed set value = 'inf'::double, status = 'ok'
                              where scorecard_id = 'wcjb' and unit = 'count' and period_type = 'month'""",
    )
    before = _fingerprint(warehouse_copy)
    assert any(name.startswith("reports/") for name in before) and "excel/wcjb.xlsx" in before

    with pytest.raises(Exception, match="(?i)nan|inf"):
        publish(_build_db(warehouse_copy), warehouse_copy / "cjs_scorecard.duckdb")

    assert _fingerprint(warehouse_copy) == before  # no new file, no temporary left behind
    assert not list(warehouse_copy.glob(".*.tmp"))
