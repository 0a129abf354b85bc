"""Manual inputs end to end: a board member's CSV lands like any extract, bad rows are quarantined with file, line and
column, and the engine publishes a manual_input measure's month from it (and nothing else)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import run_refresh
from tests.conftest import FIXTURES_DIR, SMALL_LANDING_ZONE

EXAMPLE = FIXTURES_DIR / "manual_measure_values" / "manual_measure_values_2024-02.csv"
WILTSHIRE = "E23000038"
# January's file, written by the test: one good row later corrected by February's file, three rows the ingest must
# quarantine (line, header) and one well-formed row for a computed measure, which must never be published.
JANUARY = """Measure ID,Area Code,Period Start,Value,Numerator,Denominator,Source,Note
eia_sso_requests,E23000038,2024-01-01,7,,,CPS Wessex RASSO lead,provisional
Horizon Live Cases,E23000038,2024-01-01,400,,,Horizon service manager,
horizon_live_cases,E23000099,2024-01-01,400,,,Horizon service manager,
horizon_live_cases,E23000038,2024-01-15,380,,,Horizon service manager,mid-month date
rui_live,E23000038,2024-01-01,99,,,Police analyst,a computed measure
"""
QUARANTINED = {(3, "Measure ID"), (4, "Area Code"), (5, "Period Start")}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made landing zone plus the example manual-input file and January's file with its bad rows."""
    root = tmp_path_factory.mktemp("manual_landing") / "landing"
    shutil.copytree(SMALL_LANDING_ZONE, root)
    folder = root / "manual" / "measure_values"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLE, folder)
    (folder / "manual_measure_values_2024-01.csv").write_text(JANUARY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def warehouse(landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse_dir = tmp_path_factory.mktemp("manual_warehouse")
    run_refresh(landing, warehouse_dir)
    return warehouse_dir


def _values(warehouse: Path, measure_id: str, database: str = "cjs_scorecard.duckdb") -> dict[tuple[str, date], tuple]:
    with duckdb.connect(str(warehouse / database), read_only=True) as connection:
        rows = connection.execute(
            """select period_type, period_start, value, numerator, denominator, status, status_reason, as_at
               from scorecard.measure_values
               where scorecard_id = 'wcjb' and area_code = ? and measure_id = ?""",
            [WILTSHIRE, measure_id],
        ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_a_manual_value_is_published_for_its_month(warehouse: Path) -> None:
    horizon = _values(warehouse, "horizon_live_cases")
    value, numerator, denominator, status, reason, as_at = horizon[("month", date(2024, 2, 1))]
    assert (value, numerator, denominator, status) == (412.0, None, None, "ok")
    assert reason == "manual input from Horizon service manager: Cases open at the end of 29 February 2024"
    assert as_at == date(2024, 2, 29)
    nvap = _values(warehouse, "nvap_victim_outcomes_compliance")[("month", date(2024, 2, 1))]
    assert nvap[:4] == (87.5, 14.0, 16.0, "ok")


def test_a_month_without_a_manual_value_is_not_available(warehouse: Path) -> None:
    horizon = _values(warehouse, "horizon_live_cases")
    # January's only Horizon rows were quarantined (bad id, bad area, mid-month date): nothing to publish.
    assert horizon[("month", date(2024, 1, 1))][:5] == (None, None, None, "not_available", "no manual input received")
    quarters = [v for (period_type, _), v in horizon.items() if period_type == "quarter"]
    assert quarters and all(v[3] == "not_available" and v[0] is None for v in quarters)


def test_a_later_file_corrects_an_earlier_month(warehouse: Path) -> None:
    """January's EIA count was sent as 7 in January's file and as 9 in February's: the latest delivery wins."""
    eia = _values(warehouse, "eia_sso_requests")
    assert eia[("month", date(2024, 1, 1))][:4] == (9.0, None, None, "ok")
    assert eia[("month", date(2024, 2, 1))][3] == "not_available"


def test_bad_rows_are_quarantined_with_file_line_and_column(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            """select source_file, line_number, "column", "check", value from audit.quarantine
               where extract = 'manual_measure_values' order by line_number"""
        ).fetchall()
        log = connection.execute(
            """select reporting_month, outcome, rows_read, rows_accepted, rows_rejected from audit.load_log
               where extract = 'manual_measure_values' order by reporting_month"""
        ).fetchall()
    assert {(line, column) for _, line, column, _, _ in rows} == QUARANTINED
    assert all(Path(source).name == "manual_measure_values_2024-01.csv" for source, *_ in rows)
    checks = {column: (check, value) for _, _, column, check, value in rows}
    assert "str_matches" in checks["Measure ID"][0] and checks["Measure ID"][1] == "Horizon Live Cases"
    assert checks["Area Code"][0].startswith("isin(") and checks["Area Code"][1] == "E23000099"
    assert "str_matches" in checks["Period Start"][0] and checks["Period Start"][1] == "2024-01-15"
    assert log == [("2024-01", "loaded", 5, 2, 3), ("2024-02", "loaded", 3, 3, 0)]


def test_a_manual_value_for_a_computed_measure_is_refused(warehouse: Path) -> None:
    """rui_live is computed (3 released under investigation in January, by hand): the manual 99 is loaded but never
    published, and it is the row the dbt test is_manual_input_measure reports."""
    january = _values(warehouse, "rui_live", "build/cjs_build.duckdb")[("month", date(2024, 1, 1))]
    assert (january[0], january[3]) == (3.0, "ok")  # the build copy: the published one withholds a count of 3
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        refused = connection.execute(
            """select measure_id, _line_number from staging.stg_manual__measure_values
               where measure_id not in (
                   select measure_id from staging.stg_definitions__measures where availability = 'manual_input')"""
        ).fetchall()
    assert refused == [("rui_live", 6)]
